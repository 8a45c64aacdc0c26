import Foundation
import DataFiles
import XCTest
import Numerics
import AnalysisKit
@testable import Retina

/// Issue 13 §1: a user's spike raster as a .npy array (repeats, neurons, bins) of 0/1, beside the MAT v5 `bint`.
final class NPYRasterTests: XCTestCase {
    static func npy(_ values: [Double], shape: [Int]) -> Data {
        Data(NPYArray.encoded(values, shape: shape))
    }

    func testNPYRasterLayoutAndErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("npy-raster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // 3 repeats × 2 neurons × 4 bins; spike at (r, n, t) when (r + 2n + t) % 3 == 0
        let (nr, nn, nt) = (3, 2, 4)
        var v = [Double](repeating: 0, count: nr * nn * nt)
        for r in 0..<nr { for n in 0..<nn { for t in 0..<nt where (r + 2 * n + t) % 3 == 0 { v[(r * nn + n) * nt + t] = 1 } } }
        let url = dir.appendingPathComponent("raster.npy")
        try Self.npy(v, shape: [nr, nn, nt]).write(to: url)
        let raster = try SpikeRaster(contentsOf: url)
        XCTAssertEqual([raster.repeats, raster.neurons, raster.bins], [3, 2, 4])
        for r in 0..<nr { for n in 0..<nn { for t in 0..<nt {
            XCTAssertEqual(raster.spikes[n][r * nt + t], (r + 2 * n + t) % 3 == 0 ? 1 : 0)
        } } }

        let counts = dir.appendingPathComponent("counts.npy")
        var c = v; c[5] = 2
        try Self.npy(c, shape: [nr, nn, nt]).write(to: counts)
        XCTAssertThrowsError(try SpikeRaster(contentsOf: counts)) { e in
            let m = "\(e)"; XCTAssertTrue(m.contains(counts.path) && m.contains("0/1"), m)
        }
        let flat = dir.appendingPathComponent("flat.npy")
        try Self.npy(v, shape: [nr * nn, nt]).write(to: flat)
        XCTAssertThrowsError(try SpikeRaster(contentsOf: flat)) { e in
            let m = "\(e)"; XCTAssertTrue(m.contains(flat.path) && m.contains("(repeats, neurons, bins)"), m)
        }
    }
}
