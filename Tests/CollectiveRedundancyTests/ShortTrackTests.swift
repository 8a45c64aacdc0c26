import Foundation
import XCTest
@testable import CollectiveRedundancy

/// Issue 14 §5: tracks shorter than the Savitzky–Golay window are a clear error naming the file, not a trap.
final class ShortTrackTests: XCTestCase {
    func npy(frames: Int, animals: Int) -> Data {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(frames), \(animals), 2), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let n = header.utf8.count
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(header.utf8)
        for i in 0..<(frames * animals * 2) { bytes += withUnsafeBytes(of: Double(i).bitPattern.littleEndian, Array.init) }
        return Data(bytes)
    }

    func testTracksShorterThanTheFilterWindowAreAnError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("short-\(UUID().uuidString).npy")
        defer { try? FileManager.default.removeItem(at: url) }
        let filter = try SavitzkyGolay(window: 7, order: 3)
        for (frames, animals) in [(5, 3), (6, 1), (10, 0)] {
            try npy(frames: frames, animals: animals).write(to: url)
            XCTAssertThrowsError(try FishVelocities(url: url, filter: filter, minimumSamples: 1, maxAnimals: 10)) { e in
                XCTAssertTrue("\(e)".contains(url.lastPathComponent), "\(frames)×\(animals): \(e)")
            }
        }
    }
}
