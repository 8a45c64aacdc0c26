import CZlib
import Foundation

/// A failure to decompress zlib or gzip data.
public struct InflateError: Error, CustomStringConvertible {
    public let description: String
}

/// Inflates zlib (`gzip: false`) or gzip/zlib auto-detected (`gzip: true`) data with the system zlib.
func inflate(_ input: Data, gzip: Bool = false, expectedSize: Int = 0) throws -> Data {
    var stream = z_stream()
    let windowBits: Int32 = gzip ? 15 + 32 : 15
    guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw InflateError(description: "zlib initialisation failed")
    }
    defer { inflateEnd(&stream) }
    var output = Data(count: max(expectedSize, input.count * 4, 1 << 16))
    var status: Int32 = Z_OK
    try input.withUnsafeBytes { (inPtr: UnsafeRawBufferPointer) in
        stream.next_in = UnsafeMutablePointer(mutating: inPtr.bindMemory(to: UInt8.self).baseAddress)
        stream.avail_in = uInt(input.count)
        while status != Z_STREAM_END {
            if Int(stream.total_out) >= output.count { output.count *= 2 }
            let produced = Int(stream.total_out)
            status = output.withUnsafeMutableBytes { (outPtr: UnsafeMutableRawBufferPointer) -> Int32 in
                stream.next_out = outPtr.bindMemory(to: UInt8.self).baseAddress! + produced
                stream.avail_out = uInt(outPtr.count - produced)
                return CZlib.inflate(&stream, Z_NO_FLUSH)
            }
            if status == Z_BUF_ERROR && stream.avail_in == 0 {
                throw InflateError(description: "compressed data is truncated")
            }
            if status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR {
                throw InflateError(description: "corrupt compressed data (zlib status \(status))")
            }
        }
    }
    output.count = Int(stream.total_out)
    return output
}
