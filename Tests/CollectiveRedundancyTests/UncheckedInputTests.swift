import Foundation
import XCTest
import DataFiles
import Numerics
import AnalysisKit
@testable import CollectiveRedundancy

/// Issue 14 §4, "modules built with -Ounchecked must not rely on traps": the preconditions (and array bounds) of the
/// collective analyses and of the Numerics code they call that a parameter or a data file could violate are errors or
/// handled before they are reached (notes/precondition-audit.md). In a debug build each of these inputs trapped before.
final class CollectiveUncheckedInputTests: XCTestCase {
    func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("collective-unchecked-\(UUID().uuidString)-\(name)")
    }

    /// An anti-correlated table (each column flips sign every sample): τ_int falls to its 10⁻⁹ floor and
    /// `BlockJackknife.blocks` asked for 20 blocks of 12 samples, past `leaveOneBlockOut`'s precondition n ≥ K.
    func testAnAntiCorrelatedShortTableGetsNoMoreBlocksThanSamples() throws {
        let url = temporary("alternating.csv")
        defer { try? FileManager.default.removeItem(at: url) }
        var rng = Xoshiro256(seed: 3)
        let rows = (0..<12).map { t -> String in
            let s = t % 2 == 0 ? 1.0 : -1.0
            return "\(s + 0.3 * rng.normal()),\(0.5 * s + 0.3 * rng.normal())"
        }
        try Data(rows.joined(separator: "\n").utf8).write(to: url)
        let out = try CompressAnalysis.descriptor.run(AnalysisContext(parameters: Parameters(["data": url.path, "initialisations": "2"])))
        let blocks = try XCTUnwrap(out.values.first { $0.name == "collective.compress_data_blocks" }).value
        XCTAssertEqual(blocks, 12, "one block per sample at most")
        XCTAssertNotNil(out.values.first { $0.name == "collective.compress_data_r_all" }?.error)
    }

    /// A track whose filter windows leave 3 complete samples of one animal passed the reader's check (3 > 2 · 1) and
    /// reached `IntegratedAutocorrelation`'s precondition (≥ 4 samples) in collective.fig5 and collective.fish_null.
    func testATrackWithFewerThanFourCompleteSamplesIsAnErrorNamingTheFile() throws {
        let url = temporary("nine-frames.npy")
        defer { try? FileManager.default.removeItem(at: url) }
        var rng = Xoshiro256(seed: 4)
        try Data(NPYArray.encoded((0..<18).map { _ in rng.normal() }, shape: [9, 1, 2])).write(to: url)
        XCTAssertThrowsError(try FishVelocities(url: url, filter: try SavitzkyGolay(window: 7, order: 3), minimumSamples: 150, maxAnimals: 40)) { e in
            XCTAssertTrue("\(e)".contains(url.lastPathComponent), "\(e)")
        }
        XCTAssertThrowsError(try Fig5Analysis.descriptor.run(AnalysisContext(parameters: Parameters(["data": url.path, "tag": "short", "initialisations": "1"])))) { e in
            XCTAssertTrue("\(e)".contains(url.lastPathComponent), "\(e)")
        }
    }

    /// Fewer components than the three true groups: the search from the true partition used label 2 with m = 2
    /// (`RedundancyCompressor.hardSearch`'s precondition, and a write past the row in `assignment(labels:m:)`).
    func testSearchWithFewerComponentsThanTrueGroupsIsAParameterError() {
        XCTAssertThrowsError(try SearchAnalysis.descriptor.run(AnalysisContext(parameters: Parameters(["components": "2"])))) { e in
            XCTAssertEqual((e as? ParameterError)?.key, "components", "\(e)")
        }
    }

    /// A negative snapshot iteration indexed the assignment history before its start (no bounds check under -Ounchecked).
    func testANegativeSnapshotIsAParameterError() {
        XCTAssertThrowsError(try Fig4Analysis.descriptor.run(AnalysisContext(parameters: Parameters(["snapshots": "0, -1"])))) { e in
            XCTAssertEqual((e as? ParameterError)?.key, "snapshots", "\(e)")
        }
    }

    /// collective.model's noise list had no range check (an η of 50 or −1 ran the simulation), and a repeated noise or
    /// size wrote two values under one name. Each is now a parameter error naming the key, before any simulation.
    func testModelNoisesAndSizesAreCheckedBeforeSimulating() {
        for (key, value) in [("noises", "0.2, 50"), ("noises", "-1"), ("noises", "0.2, 0.2"), ("sizes", "5, 5")] {
            XCTAssertThrowsError(try ModelAnalysis.descriptor.run(AnalysisContext(parameters: Parameters([key: value])))) { e in
                XCTAssertEqual((e as? ParameterError)?.key, key, "\(key): \(value): \(e)")
            }
        }
    }
}
