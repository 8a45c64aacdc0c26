import Foundation
import XCTest
import DataFiles
import Numerics
import AnalysisKit
@testable import Retina

/// Issue 14 §4, "modules built with -Ounchecked must not rely on traps": every precondition of the retina analyses (and
/// of the Numerics code they call) that a directive parameter or a raster file could violate is an error before it is
/// reached (see notes/precondition-audit.md). In a debug build each of these inputs trapped before its check existed.
final class UncheckedInputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("retina-unchecked-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A (repeats, neurons, bins) .npy raster: spikes drawn with probability `rate` (0: a silent raster), or
    /// `firstCell` for neuron 0.
    func raster(_ name: String, repeats: Int, neurons: Int, bins: Int, rate: Double = 0.3, firstCell: Double? = nil) throws -> String {
        var rng = Xoshiro256(seed: 5)
        let v = (0..<(repeats * neurons * bins)).map { i in rng.uniform() < ((i / bins) % neurons == 0 ? firstCell ?? rate : rate) ? 1.0 : 0.0 }
        let url = dir.appendingPathComponent(name)
        try Data(NPYArray.encoded(v, shape: [repeats, neurons, bins])).write(to: url)
        return url.path
    }

    func run(_ name: String, _ params: [String: String]) throws -> AnalysisOutput {
        let a = try XCTUnwrap(RetinaCatalog.analyses.first { $0.name == name })
        return try a.run(AnalysisContext(parameters: Parameters(params)))
    }

    func assertParameterError(_ name: String, _ params: [String: String], key: String, mentions text: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try run(name, params), file: file, line: line) { e in
            XCTAssertEqual((e as? ParameterError)?.key, key, "\(e)", file: file, line: line)
            XCTAssertTrue("\(e)".contains(text), "\(e)", file: file, line: line)
        }
    }

    /// One repeat: `Resampling.randomHalves` (n ≥ 2) was reached by every analysis's random-halves error.
    func testARasterWithOneRepeatIsAnErrorNamingTheFile() throws {
        let path = try raster("one-repeat.npy", repeats: 1, neurons: 10, bins: 40)
        XCTAssertThrowsError(try run("retina.fig1", ["data": path, "splits": "2"])) { e in
            XCTAssertEqual((e as? DataFileError)?.file, path, "\(e)")
            XCTAssertTrue("\(e)".contains("at least 2 repeats"), "\(e)")
        }
    }

    /// A MAT v5 `bint` with an empty dimension read as a raster of 0 repeats (then `Xoshiro256.int(below: 0)` and the
    /// random halves' preconditions); the .npy reader already refused empty shapes.
    func testAMATRasterWithAnEmptyDimensionIsAnErrorNamingTheFile() throws {
        func u32(_ x: UInt32) -> [UInt8] { withUnsafeBytes(of: x.littleEndian, Array.init) }
        var bytes = Array("MATLAB 5.0 MAT-file, test".utf8)
        bytes += [UInt8](repeating: 0x20, count: 116 - bytes.count) + [UInt8](repeating: 0, count: 8) + [0x00, 0x01] + Array("IM".utf8)
        var m = u32(6) + u32(8) + u32(9) + u32(0)                                              // array flags: class uint8
        m += u32(5) + u32(12) + [0, 3, 4].flatMap { withUnsafeBytes(of: Int32($0).littleEndian, Array.init) } + [0, 0, 0, 0]
        m += u32(4 << 16 | 1) + Array("bint".utf8)                                             // name, small element
        m += u32(2) + u32(0)                                                                     // miUINT8, no data
        bytes += u32(14) + u32(UInt32(m.count)) + m
        let url = dir.appendingPathComponent("empty.mat")
        try Data(bytes).write(to: url)
        XCTAssertThrowsError(try SpikeRaster(contentsOf: url)) { e in
            XCTAssertEqual((e as? DataFileError)?.file, url.path, "\(e)")
            XCTAssertTrue("\(e)".contains("each at least 1"), "\(e)")
        }
    }

    /// `cells: 0` left every median over cells empty (`Stats.quantile`, `Resampling.bootstrapError`).
    func testFig2WithNoCellsIsAParameterError() throws {
        let path = try raster("small.npy", repeats: 4, neurons: 10, bins: 40)
        assertParameterError("retina.fig2", ["data": path, "cells": "0", "splits": "2", "m_max": "2", "density_m": "2", "restarts": "1"],
                             key: "cells", mentions: "at least 1")
    }

    /// Cells with silent partners: no cell analysed keeps any information about its partners (I_exact = 0), the list of
    /// finite shortfalls was empty (`Stats.quantile`). Cell 0 spikes at random, the others never.
    func testFig2WithoutInformationBetweenCellsIsAnErrorNamingTheData() throws {
        let path = try raster("silent.npy", repeats: 4, neurons: 10, bins: 40, rate: 0, firstCell: 0.3)
        XCTAssertThrowsError(try run("retina.fig2", ["data": path, "cells": "1", "neuron": "0", "splits": "2", "m_max": "2",
                                                     "density_m": "2", "restarts": "1"])) { e in
            XCTAssertTrue(e is RetinaError && "\(e)".contains(path), "\(e)")
        }
    }

    /// Settings of a cheap coarse-graining run on a raster of 66 cells (the chain needs more than 64).
    func coarse(_ path: String) -> [String: String] {
        ["data": path, "steps": "1", "m_grid": "1, 2", "restarts": "1", "splits": "1", "bootstrap": "2"]
    }

    func testCoarseLimitsSetByTheRasterAreParameterErrors() throws {
        let path = try raster("coarse.npy", repeats: 4, neurons: 66, bins: 5)
        // Words longer than the repeat (StimulusDecomposition.words: word ≤ bins).
        assertParameterError("retina.coarse", coarse(path).merging(["word_max": "8"]) { $1 }, key: "word_max", mentions: "has 5")
        // More groups of 8 partners than cells (a slice past the end of the ranking).
        assertParameterError("retina.coarse", coarse(path).merging(["info_groups": "9"]) { $1 }, key: "info_groups", mentions: "has 66")
        // One calibration experiment (MStarCalibration.run: replicates ≥ 2).
        assertParameterError("retina.coarse", coarse(path).merging(["calibration_replicates": "1"]) { $1 }, key: "calibration_replicates",
                             mentions: "at least 2")
    }

    /// A silent raster: no cell carries stimulus information, the Fig 4 ratio lists were empty (`Stats.quantile`).
    func testCoarseOnASilentRasterIsAnErrorNamingTheData() throws {
        let path = try raster("coarse-silent.npy", repeats: 4, neurons: 66, bins: 5, rate: 0)
        XCTAssertThrowsError(try run("retina.coarse", coarse(path))) { e in
            XCTAssertTrue(e is RetinaError && "\(e)".contains(path), "\(e)")
        }
    }
}
