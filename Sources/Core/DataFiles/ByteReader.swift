import Foundation

/// A little- or big-endian cursor over bytes, throwing on reads past the end.
struct ByteReader {
    let bytes: [UInt8]
    var offset: Int
    let littleEndian: Bool
    let context: String

    init(_ bytes: [UInt8], offset: Int = 0, littleEndian: Bool = true, context: String) {
        self.bytes = bytes; self.offset = offset; self.littleEndian = littleEndian; self.context = context
    }

    var remaining: Int { bytes.count - offset }

    func failure(_ message: String) -> DataFileError {
        DataFileError(file: context, message: "\(message) at byte offset \(offset)")
    }

    mutating func need(_ n: Int) throws {
        if n < 0 || offset + n > bytes.count { throw failure("unexpected end of data (needed \(n) more bytes)") }
    }

    mutating func uint16() throws -> UInt16 {
        try need(2)
        let a = UInt16(bytes[offset]), b = UInt16(bytes[offset + 1]); offset += 2
        return littleEndian ? a | b << 8 : b | a << 8
    }

    mutating func uint32() throws -> UInt32 {
        try need(4)
        var v: UInt32 = 0
        for i in 0..<4 {
            let byte = UInt32(bytes[offset + i])
            v |= littleEndian ? byte << (8 * UInt32(i)) : byte << (8 * UInt32(3 - i))
        }
        offset += 4
        return v
    }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        try need(n)
        defer { offset += n }
        return bytes[offset ..< offset + n]
    }
}

/// A malformed or unsupported data file, naming the file.
public struct DataFileError: Error, CustomStringConvertible {
    public let file: String
    public let message: String
    public init(file: String, message: String) { self.file = file; self.message = message }
    public var description: String { "\(file): \(message)" }

    /// Number of elements of an array of shape `dims` holding `bytesPerElement` bytes each, checked before any
    /// allocation: a negative dimension, a product that overflows, or more bytes than the `available` ones is an
    /// error naming the file and the shape (no trap, no huge allocation).
    public static func checkedCount(_ dims: [Int], bytesPerElement: Int, available: Int, file: String) throws -> Int {
        if let bad = dims.first(where: { $0 < 0 }) {
            throw DataFileError(file: file, message: "negative dimension \(bad) in shape \(dims)")
        }
        var count = 1
        for d in dims {
            let (c, o) = count.multipliedReportingOverflow(by: d)
            guard !o else { throw DataFileError(file: file, message: "shape \(dims) has more elements than fit in memory") }
            count = c
        }
        let (bytes, o) = count.multipliedReportingOverflow(by: max(bytesPerElement, 1))
        guard !o, bytes <= available else {
            throw DataFileError(file: file, message: "shape \(dims) needs \(o ? "more than \(Int.max)" : "\(bytes)") bytes, the file holds \(available)")
        }
        return count
    }
}
