import Foundation

/// Reader for NumPy `.npy` files (format versions 1–3), numeric little-endian dtypes, converted to `Double`.
public struct NPYArray {
    public let shape: [Int]
    /// Elements in C (row-major) order; NaN is preserved.
    public let data: [Double]
    /// The dtype string from the header, e.g. `<f8`.
    public let dtype: String

    public var count: Int { shape.reduce(1, *) }

    /// Element at a row-major N-d index.
    public func value(_ index: [Int]) -> Double {
        precondition(index.count == shape.count, "index has \(index.count) dimensions, array has \(shape.count)")
        var off = 0
        for (i, d) in zip(index, shape) {
            precondition(i >= 0 && i < d, "index \(index) out of bounds \(shape)")
            off = off * d + i
        }
        return data[off]
    }

    /// The `.npy` (format 1.0, little-endian `<f8`, C order) encoding of `values` with `shape`; `init(bytes:)` reads it
    /// back exactly. `values.count` must equal the product of `shape`.
    public static func encoded(_ values: [Double], shape: [Int]) -> [UInt8] {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                     "\(values.count) values do not fill shape \(shape)")
        var bytes = header(shapeText: shapeText(shape))
        bytes.reserveCapacity(bytes.count + 8 * values.count)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        return bytes
    }

    /// The shape as NumPy writes it in a header: `(n,)` for one dimension, `(a, b, c)` otherwise.
    public static func shapeText(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// Magic, version 1.0 and a header dictionary with the given `shape` text and `dtype`, padded with spaces so that the
    /// payload starts on a 64-byte boundary. The text is written as given, so a test can build malformed headers.
    public static func header(shapeText: String, dtype: String = "<f8") -> [UInt8] {
        var dict = "{'descr': '\(dtype)', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + dict.utf8.count + 1) % 64 != 0 { dict += " " }
        dict += "\n"
        let n = dict.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(dict.utf8)
    }

    public init(contentsOf url: URL) throws {
        try self.init(bytes: [UInt8](try Data(contentsOf: url)), name: url.path)
    }

    public init(bytes: [UInt8], name: String = "<memory>") throws {
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw DataFileError(file: name, message: "not a .npy file (bad magic)")
        }
        let major = bytes[6]
        var r = ByteReader(bytes, offset: 8, littleEndian: true, context: name)
        let headerLength: Int
        switch major {
        case 1: headerLength = Int(try r.uint16())
        case 2, 3: headerLength = Int(try r.uint32())
        default: throw DataFileError(file: name, message: "unsupported .npy version \(major)")
        }
        let header = String(decoding: try r.take(headerLength), as: UTF8.self)
        func field(_ key: String) throws -> String {
            guard let k = header.range(of: "'\(key)'") else {
                throw DataFileError(file: name, message: "header lacks '\(key)': \(header)")
            }
            let rest = header[k.upperBound...].drop(while: { $0 == ":" || $0 == " " })
            if rest.first == "(" { return String(rest.prefix(through: rest.firstIndex(of: ")") ?? rest.endIndex)) }
            if rest.first == "'" {
                let body = rest.dropFirst()
                return String(body.prefix(while: { $0 != "'" }))
            }
            return String(rest.prefix(while: { $0 != "," && $0 != "}" })).trimmingCharacters(in: .whitespaces)
        }
        dtype = try field("descr")
        if try field("fortran_order") != "False" {
            throw DataFileError(file: name, message: "Fortran-ordered arrays are not supported")
        }
        shape = try field("shape").dropFirst().dropLast().split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .map { s in
                guard let v = Int(s) else { throw DataFileError(file: name, message: "bad shape entry '\(s)'") }
                return v
            }
        let widths: [String: Int] = ["<f8": 8, "<f4": 4, "|u1": 1, "<i8": 8, "<i4": 4, "|i1": 1, "|b1": 1]
        guard let width = widths[dtype] else {
            throw DataFileError(file: name, message: "unsupported dtype \(dtype) (supported: \(widths.keys.sorted()))")
        }
        let count = try DataFileError.checkedCount(shape, bytesPerElement: width, available: r.remaining, file: name)
        let payload = try r.take(count * width)
        var out = [Double](repeating: 0, count: count)
        let type = dtype
        payload.withUnsafeBytes { raw in
            for i in 0..<count {
                switch type {
                case "<f8": out[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                case "<f4": out[i] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
                case "<i8": out[i] = Double(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
                case "<i4": out[i] = Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
                case "|i1": out[i] = Double(Int8(bitPattern: raw[i]))
                default: out[i] = Double(raw[i])
                }
            }
        }
        data = out
    }
}
