import Foundation

/// A numeric array read from a MAT v5 file, in MATLAB's column-major order.
public struct MATArray {
    /// MATLAB class of the array (`double`, `single`, `uint8`, `logical`, ...).
    public enum ClassType: String { case double, single, int8, uint8, int16, uint16, int32, uint32, int64, uint64, logical }
    public let name: String
    /// Path of the file the array was read from (for error messages).
    public let file: String
    public let dimensions: [Int]
    public let classType: ClassType
    /// Raw bytes when the file stores the array as uint8 (whatever its class), kept compact for large binary rasters.
    public let uint8Data: [UInt8]?
    private let doubleData: [Double]?

    init(name: String, file: String = "<memory>", dimensions: [Int], classType: ClassType, uint8Data: [UInt8]?,
         doubleData: [Double]?) {
        self.name = name; self.file = file; self.dimensions = dimensions; self.classType = classType
        self.uint8Data = uint8Data; self.doubleData = doubleData
    }

    public var count: Int { dimensions.reduce(1, *) }

    /// All elements converted to `Double`, column-major.
    public var data: [Double] { doubleData ?? uint8Data!.map(Double.init) }

    /// All elements as `Double`, or an error naming the file, the variable, how many elements are NaN or ±inf and
    /// the first of them (as a zero-based index), for readers whose data must be finite throughout (spike rasters,
    /// rates, labels). Byte-stored arrays are finite by construction.
    public func finiteData() throws -> [Double] {
        let values = data
        guard uint8Data == nil else { return values }
        var bad = 0, first: Int? = nil
        for (i, x) in values.enumerated() where !x.isFinite { bad += 1; if first == nil { first = i } }
        guard let first else { return values }
        throw DataFileError(file: file, message: "variable '\(name)' (\(dimensions.map(String.init).joined(separator: " × "))) has "
            + "\(bad) of \(values.count) elements NaN or infinite, the first at index \(index(ofOffset: first))")
    }

    /// Integer values of the array, each checked to lie in `range`: an error naming the file, the variable and the
    /// first value that is not finite, not an integer or out of range (no trap on `Int(NaN)`).
    public func integerData(in range: ClosedRange<Int>) throws -> [Int] {
        let values = try finiteData()
        var out = [Int](); out.reserveCapacity(values.count)
        for (i, x) in values.enumerated() {
            guard x == x.rounded(), x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
                throw DataFileError(file: file, message: "variable '\(name)' holds \(x) at index \(index(ofOffset: i)); "
                    + "expected integers in \(range.lowerBound)...\(range.upperBound)")
            }
            out.append(Int(x))
        }
        return out
    }

    /// The zero-based N-d index of a linear column-major offset.
    func index(ofOffset offset: Int) -> [Int] {
        var rest = offset
        return dimensions.map { d in let i = d > 0 ? rest % d : 0; rest = d > 0 ? rest / d : 0; return i }
    }

    /// Linear column-major offset of an N-d index.
    public func offset(_ index: [Int]) -> Int {
        precondition(index.count == dimensions.count, "index has \(index.count) dimensions, array has \(dimensions.count)")
        var off = 0, stride = 1
        for (i, d) in zip(index, dimensions) {
            precondition(i >= 0 && i < d, "index \(index) out of bounds \(dimensions)")
            off += i * stride; stride *= d
        }
        return off
    }

    /// Element at an N-d (zero-based) index.
    public func value(_ index: [Int]) -> Double {
        let o = offset(index)
        if let d = doubleData { return d[o] }
        return Double(uint8Data![o])
    }
}

/// Reader for MATLAB MAT v5 files: zlib-compressed and plain miMATRIX numeric arrays (no cells, structs or sparse).
public struct MATFile {
    public let variables: [String: MATArray]
    /// Names of variables that were present but skipped (unsupported class), with the reason.
    public let skipped: [String: String]

    public init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        try self.init(bytes: bytes, name: url.path)
    }

    public init(bytes: [UInt8], name: String = "<memory>") throws {
        guard bytes.count >= 128 else { throw DataFileError(file: name, message: "too short for a MAT v5 header") }
        let header = String(decoding: bytes[0..<116], as: UTF8.self)
        guard header.hasPrefix("MATLAB 5.0 MAT-file") else {
            throw DataFileError(file: name, message: "not a MAT v5 file (v7.3/HDF5 and v4 files are not supported)")
        }
        let littleEndian: Bool
        switch (bytes[126], bytes[127]) {
        case (UInt8(ascii: "I"), UInt8(ascii: "M")): littleEndian = true
        case (UInt8(ascii: "M"), UInt8(ascii: "I")): littleEndian = false
        default: throw DataFileError(file: name, message: "bad endian indicator")
        }
        var reader = ByteReader(bytes, offset: 128, littleEndian: littleEndian, context: name)
        var vars = [String: MATArray](), skipped = [String: String]()
        while reader.remaining >= 8 {
            let (type, payload) = try MATFile.element(&reader)
            var element: (type: UInt32, payload: ArraySlice<UInt8>) = (type, payload)
            if type == 15 { // miCOMPRESSED
                let inflated = try inflate(Data(payload))
                var inner = ByteReader([UInt8](inflated), littleEndian: littleEndian, context: name)
                element = try MATFile.element(&inner)
            }
            guard element.type == 14 else { continue } // only miMATRIX carries variables
            var sub = ByteReader(Array(element.payload), littleEndian: littleEndian, context: name)
            switch try MATFile.matrix(&sub) {
            case .array(let a): vars[a.name] = a
            case .skipped(let n, let why): skipped[n] = why
            }
        }
        variables = vars; self.skipped = skipped; file = name
    }

    /// Path of the file (or the name given for in-memory bytes).
    public let file: String

    /// The named variable, or an error listing what the file holds.
    public func variable(_ name: String) throws -> MATArray {
        if let v = variables[name] { return v }
        let why = skipped[name].map { " (present but unsupported: \($0))" } ?? ""
        throw DataFileError(file: file, message: "no numeric variable '\(name)'\(why); variables: \(variables.keys.sorted())")
    }

    /// Reads one tagged data element (normal or small format), consuming padding to 8 bytes for normal elements.
    static func element(_ r: inout ByteReader) throws -> (UInt32, ArraySlice<UInt8>) {
        let first = try r.uint32()
        if first >> 16 != 0 { // small data element: size in upper 16 bits, data in the next 4 bytes
            let size = Int(first >> 16), type = first & 0xFFFF
            let data = try r.take(4)
            return (type, data.prefix(size))
        }
        let size = Int(try r.uint32())
        let data = try r.take(size)
        if first != 15 { // compressed elements are not padded
            let pad = (8 - size % 8) % 8
            if r.remaining >= pad { r.offset += pad }
        }
        return (first, data)
    }

    enum Parsed { case array(MATArray), skipped(String, String) }

    static func matrix(_ r: inout ByteReader) throws -> Parsed {
        let (_, flagsBytes) = try element(&r)
        var fr = ByteReader(Array(flagsBytes), littleEndian: r.littleEndian, context: r.context)
        let flags = try fr.uint32()
        let classCode = flags & 0xFF
        let isLogical = flags & 0x0200 != 0, isComplex = flags & 0x0800 != 0
        let (_, dimBytes) = try element(&r)
        var dr = ByteReader(Array(dimBytes), littleEndian: r.littleEndian, context: r.context)
        var dims = [Int]()
        while dr.remaining >= 4 { dims.append(Int(Int32(bitPattern: try dr.uint32()))) }
        let (_, nameBytes) = try element(&r)
        let name = String(decoding: nameBytes, as: UTF8.self)
        let classes: [UInt32: MATArray.ClassType] = [6: .double, 7: .single, 8: .int8, 9: .uint8, 10: .int16, 11: .uint16,
                                                     12: .int32, 13: .uint32, 14: .int64, 15: .uint64]
        guard var cls = classes[classCode] else {
            return .skipped(name, "MATLAB class code \(classCode) (cell, struct, char, sparse or object)")
        }
        if isComplex { return .skipped(name, "complex arrays are not supported") }
        if isLogical { cls = .logical }
        let (storage, payload) = try element(&r)
        let count = try DataFileError.checkedCount(dims, bytesPerElement: 1, available: payload.count, file: r.context)
        let values = try decodeNumeric(storage, payload, count: count, reader: r)
        // Byte-stored data stays compact whatever its class (MATLAB often stores 0/1 doubles as uint8).
        if let raw = values.uint8 {
            return .array(MATArray(name: name, file: r.context, dimensions: dims, classType: cls, uint8Data: raw, doubleData: nil))
        }
        return .array(MATArray(name: name, file: r.context, dimensions: dims, classType: cls, uint8Data: nil,
                               doubleData: values.doubles))
    }

    static func decodeNumeric(_ type: UInt32, _ payload: ArraySlice<UInt8>, count: Int, reader: ByteReader)
        throws -> (uint8: [UInt8]?, doubles: [Double]?) {
        let sizes: [UInt32: Int] = [1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8]
        guard let width = sizes[type] else { throw reader.failure("unsupported numeric storage type \(type)") }
        guard payload.count >= width * count else {
            throw reader.failure("array data has \(payload.count) bytes, expected \(width * count)")
        }
        if type == 2 { return (Array(payload.prefix(count)), nil) }
        var out = [Double](repeating: 0, count: count)
        let le = reader.littleEndian
        payload.withUnsafeBytes { raw in
            func load<T: FixedWidthInteger>(_: T.Type, _ i: Int) -> T {
                let v = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
                return le ? T(littleEndian: v) : T(bigEndian: v)
            }
            for i in 0..<count {
                switch type {
                case 1: out[i] = Double(Int8(bitPattern: raw[i]))
                case 3: out[i] = Double(Int16(bitPattern: load(UInt16.self, i)))
                case 4: out[i] = Double(load(UInt16.self, i))
                case 5: out[i] = Double(Int32(bitPattern: load(UInt32.self, i)))
                case 6: out[i] = Double(load(UInt32.self, i))
                case 7: out[i] = Double(Float(bitPattern: load(UInt32.self, i)))
                case 9: out[i] = Double(bitPattern: load(UInt64.self, i))
                case 12: out[i] = Double(Int64(bitPattern: load(UInt64.self, i)))
                default: out[i] = Double(load(UInt64.self, i))
                }
            }
        }
        return (nil, out)
    }
}
