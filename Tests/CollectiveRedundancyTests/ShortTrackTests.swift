import Foundation
import DataFiles
import XCTest
@testable import CollectiveRedundancy

/// Issue 14 §5: tracks shorter than the Savitzky–Golay window are a clear error naming the file, not a trap.
final class ShortTrackTests: XCTestCase {
    func npy(frames: Int, animals: Int) -> Data {
        Data(NPYArray.encoded((0..<(frames * animals * 2)).map(Double.init), shape: [frames, animals, 2]))
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
