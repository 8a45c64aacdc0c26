import Foundation
import DataFiles
import XCTest
import Numerics
import AnalysisKit
@testable import CollectiveRedundancy

/// Issue 13: the fish analyses read a user's trajectory file given by `data:` (through `ctx.dataFile`), in the
/// format `FishVelocities` takes: a (frames, animals, 2) float64 .npy array of positions with NaN where untracked.
final class FishDataParameterTests: XCTestCase {
    /// A .npy file of `values` (row-major) with the given shape.
    static func npy(_ values: [Double], shape: [Int]) -> Data {
        Data(NPYArray.encoded(values, shape: shape))
    }

    /// Two independent schools of three fish over `frames` frames: each school shares a slowly turning heading, each
    /// fish adds its own velocity noise; positions are the integrated velocities. Fish 0 is untracked at frames 50–51.
    static func trajectories(frames: Int, seed: UInt64) -> [Double] {
        var rng = Xoshiro256(seed: seed)
        let animals = 6
        var pos = [Double](repeating: 0, count: frames * animals * 2)
        var heading = [rng.uniform() * 6.28, rng.uniform() * 6.28]
        var x = (0..<animals).map { _ in [rng.uniform() * 100, rng.uniform() * 100] }
        for t in 0..<frames {
            for g in 0..<2 { heading[g] += 0.15 * rng.normal() }
            for f in 0..<animals {
                let g = f / 3
                x[f][0] += 2 * cos(heading[g]) + 0.4 * rng.normal()
                x[f][1] += 2 * sin(heading[g]) + 0.4 * rng.normal()
                pos[(t * animals + f) * 2] = x[f][0]; pos[(t * animals + f) * 2 + 1] = x[f][1]
            }
        }
        for t in [50, 51] { pos[(t * animals) * 2] = .nan; pos[(t * animals) * 2 + 1] = .nan }
        return pos
    }

    func context(_ params: [String: String]) -> AnalysisContext {
        AnalysisContext(parameters: Parameters(params))
    }

    func value(_ out: AnalysisOutput, _ name: String) throws -> Double {
        try XCTUnwrap(out.values.first { $0.name == name }, "no value \(name) in \(out.values.map(\.name))").value
    }

    func testFishAnalysesReadAGeneratedTrajectoryFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fish-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("school.npy")
        let T = 400
        try Self.npy(Self.trajectories(frames: T, seed: 3), shape: [T, 6, 2]).write(to: url)

        // fig5: no interpolation; the 7-frame window excludes the 2 gap frames and 3 frames on each side of them
        let fig5 = try Fig5Analysis.descriptor.run(context(["data": url.path, "tag": "test", "initialisations": "2",
                                                            "max_components": "3", "samples": "5"]))
        XCTAssertEqual(try value(fig5, "collective.fig5_test_samples"), Double(T - 6 - 8))
        XCTAssertEqual(try value(fig5, "collective.fig5_test_fish"), 6)
        XCTAssertGreaterThan(try value(fig5, "collective.fig5_test_r1"), 0.2, "schools of near-copies are redundant")
        XCTAssertFalse(fig5.values.contains { $0.name.contains("_n8_") }, "only the given file is analysed")

        // fish_null: the 2-frame gap is interpolated (max_gap 3), so every filter window is complete
        let null = try FishNullAnalysis.descriptor.run(context(["data": url.path, "tag": "test", "null_draws": "20",
                                                                "initialisations": "2", "max_components": "2", "samples": "5"]))
        XCTAssertEqual(try value(null, "collective.fishnull_test_samples"), Double(T - 6))
        XCTAssertEqual(try value(null, "collective.fishnull_test_windows"), 2)
        let excess = try XCTUnwrap(null.values.first { $0.name == "collective.fishnull_test_excess" })
        XCTAssertGreaterThan(excess.value, 5 * (excess.error ?? .infinity), "coupled schools exceed the shift null")

        // a regenerated file gives new numbers
        try Self.npy(Self.trajectories(frames: T, seed: 4), shape: [T, 6, 2]).write(to: url)
        let again = try Fig5Analysis.descriptor.run(context(["data": url.path, "tag": "test", "initialisations": "2",
                                                             "max_components": "3", "samples": "5"]))
        XCTAssertNotEqual(try value(again, "collective.fig5_test_r1"), try value(fig5, "collective.fig5_test_r1"))
    }

    func testWrongShapeAndBadParametersAreClearErrors() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fish-shape-\(UUID().uuidString).npy")
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.npy([Double](repeating: 1, count: 30 * 4 * 3), shape: [30, 4, 3]).write(to: url)
        XCTAssertThrowsError(try Fig5Analysis.descriptor.run(context(["data": url.path]))) { e in
            let s = "\(e)"
            XCTAssertTrue(s.contains(url.lastPathComponent) && s.contains("(frames, animals, 2)") && s.contains("(30, 4, 3)"), s)
        }
        XCTAssertThrowsError(try Fig5Analysis.descriptor.run(context(["data": url.path, "tag": "Bad-Tag"]))) { e in
            XCTAssertTrue("\(e)".contains("tag"), "\(e)")
        }
        XCTAssertThrowsError(try FishNullAnalysis.descriptor.run(context(["tag": "x"]))) { e in
            XCTAssertTrue("\(e)".contains("set data: too"), "\(e)")
        }
        XCTAssertThrowsError(try Fig5Analysis.descriptor.run(context(["data": url.path + ".missing"]))) { e in
            XCTAssertTrue("\(e)".contains("no such data file"), "\(e)")
        }
    }
}

/// Issue 14 §4: duration and sample_interval are each in range, but a ratio above 10⁵ recorded samples per run is
/// rejected before any simulation or allocation, naming the key.
final class RecordedSamplesBoundTests: XCTestCase {
    func testTooManyRecordedSamplesAreRejectedBeforeAllocation() {
        let ctx = AnalysisContext(parameters: Parameters(["duration": "1000000", "sample_interval": "0.1", "tag": "x"]))
        XCTAssertThrowsError(try Fig3Analysis.descriptor.run(ctx)) { e in
            let s = "\(e)"
            XCTAssertTrue(s.contains("sample_interval") && s.contains("10000000 recorded samples"), s)
        }
    }
}
