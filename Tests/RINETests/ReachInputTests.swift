import AnalysisKit
import Foundation
import Numerics
import StatisticalTolerances
import XCTest
@testable import RINE

/// Inputs of `rine.reach` that reached a precondition (issue 14 §4, audit N1/N2): a reach file with fewer trials than
/// the data-set error's folds need, or with fewer neurons than groups, is an error naming the file and both counts,
/// raised on the file's dimensions before the rates are allocated or anything is trained.
final class ReachInputTests: XCTestCase {
    /// A MAT v5 file holding `R` (neurons × trials, double) and `direction` (1 × trials, double, 1…8).
    func reachMAT(neurons: Int, trials: Int) -> [UInt8] {
        func u32(_ x: UInt32) -> [UInt8] { withUnsafeBytes(of: x.littleEndian, Array.init) }
        func padded(_ b: [UInt8]) -> [UInt8] { b + [UInt8](repeating: 0, count: (8 - b.count % 8) % 8) }
        func matrix(_ name: String, rows: Int, cols: Int, _ values: [Double]) -> [UInt8] {
            var m = u32(6) + u32(8) + u32(6) + u32(0)                                          // array flags: double
            let dims = [Int32(rows), Int32(cols)].flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
            m += u32(5) + u32(UInt32(dims.count)) + padded(dims)
            m += u32(1) + u32(UInt32(name.utf8.count)) + padded(Array(name.utf8))                // name (miINT8)
            let data = values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
            m += u32(9) + u32(UInt32(data.count)) + padded(data)                                 // miDOUBLE, column-major
            return u32(14) + u32(UInt32(m.count)) + m
        }
        var header = Array("MATLAB 5.0 MAT-file, test".utf8)
        header += [UInt8](repeating: 0x20, count: 116 - header.count) + [UInt8](repeating: 0, count: 8) + [0x00, 0x01] + Array("IM".utf8)
        let rates = (0..<(neurons * trials)).map { Double(($0 * 7) % 11) }
        let direction = (0..<trials).map { Double($0 % 8 + 1) }
        return header + matrix("R", rows: neurons, cols: trials, rates) + matrix("direction", rows: 1, cols: trials, direction)
    }

    func failure(_ params: [String: String]) -> ParameterError? {
        do { _ = try RINEAnalyses.reach.run(AnalysisContext(parameters: Parameters(params))); return nil }
        catch let e as ParameterError { return e } catch { XCTFail("not a ParameterError: \(error)"); return nil }
    }

    func testTooFewTrialsIsAnErrorNamingTheFileAndTheCounts() throws {
        let url = try temporaryFile(prefix: "rine-reach", "five.mat", reachMAT(neurons: 12, trials: 5))
        XCTAssertEqual(try ReachData(contentsOf: url).direction.count, 5, "the file itself reads")
        // Default design: 6 halvings, half_folds 4 (HalfSampleSpread.units needs 2 · 4 trials; 5 per fold asked here).
        var e = failure(["data": url.path])
        XCTAssertEqual(e?.key, "data")
        for text in [url.path, "has 5 trials", "at least 40", "half_folds 4"] {
            XCTAssertTrue(e?.message.contains(text) ?? false, "\(text): \(e.map(\.description) ?? "no error")")
        }
        e = failure(["data": url.path, "half_folds": "2"])
        XCTAssertTrue(e?.message.contains("at least 20") ?? false, "\(e.map(\.description) ?? "no error")")
        // Without the data-set error a split still needs train, validation and test trials.
        let ten = try temporaryFile(prefix: "rine-reach", "ten.mat", reachMAT(neurons: 12, trials: 10))
        e = failure(["data": ten.path, "halvings": "0"])
        XCTAssertEqual(e?.key, "data")
        XCTAssertTrue((e?.message.contains("has 10 trials") ?? false) && (e?.message.contains("at least 20") ?? false), "\(e.map(\.description) ?? "no error")")
    }

    func testMoreGroupsThanNeuronsIsAnErrorNamingTheFile() throws {
        let url = try temporaryFile(prefix: "rine-reach", "three.mat", reachMAT(neurons: 3, trials: 60))
        let e = failure(["data": url.path, "groups": "4"])
        XCTAssertEqual(e?.key, "groups")
        XCTAssertTrue((e?.message.contains(url.path) ?? false) && (e?.message.contains("3 neurons") ?? false), "\(e.map(\.description) ?? "no error")")
    }

    /// `redraws:` measures the spread of the consistency diagnostics over independent redraws (seed + 1 …): each redraw
    /// equals a plain run with that seed, and the tolerance is √2 · t_ν(99.865 %) · sd of all draws (ν = redraws), at
    /// least the binomial bound for the violation counts.
    func testRedrawsGiveTheDiagnosticsAMeasuredTolerance() throws {
        let url = try temporaryFile(prefix: "rine-reach", "redraw.mat", reachMAT(neurons: 8, trials: 48))
        let base = ["data": url.path, "groups": "2", "splits": "2", "epochs": "6", "patience": "3", "halvings": "0",
                    "surrogate": "false", "ce_stopping": "false", "hidden": "[4]", "seed": "3"]
        func run(_ extra: [String: String]) throws -> AnalysisOutput {
            try RINEAnalyses.reach.run(AnalysisContext(parameters: Parameters(base.merging(extra) { $1 })))
        }
        let out = try run(["redraws": "2"])
        let table = try XCTUnwrap(out.tables.first { $0.id == "reach-redraws" })
        XCTAssertEqual(table.columns, ["diagnostic", "seed 3", "seed 4", "seed 5", "sd", "tolerance"])
        let seed4 = try run(["seed": "4"]), seed5 = try run(["seed": "5"])
        for key in ["rine.reach_violations", "rine.reach_check_max_pull", "rine.reach_check_max_pull_last"] {
            let draws = [out, seed4, seed5].map { o in o.values.first { $0.name == key }!.value }
            let v = try XCTUnwrap(out.values.first { $0.name == key })
            guard case .absolute(let tol) = v.tolerance else { return XCTFail("\(key): \(v.tolerance)") }
            let spread = 2.0.squareRoot() * StudentT.quantile(RedrawTolerance.coverage, dof: 2) * Stats.standardDeviation(draws)
            if key == "rine.reach_violations" {
                let rate = (draws.reduce(0, +) + 1) / Double(1 * 3 + 2)   // 2 groups: one off-diagonal cell, 3 draws
                XCTAssertEqual(tol, max(spread, 3 * 2.0.squareRoot() * (rate * (1 - rate)).squareRoot()), accuracy: 1e-12, key)
                XCTAssertGreaterThan(tol, 0, "a count that is 0 in every draw still has a bound")
            } else {
                XCTAssertEqual(tol, spread, accuracy: 1e-12, key)
            }
        }
        // Without redraws the diagnostics have no spread to go by: they must reproduce.
        let plain = try run([:])
        XCTAssertEqual(plain.values.first { $0.name == "rine.reach_check_max_pull" }?.tolerance, .relative(1e-6))
        XCTAssertNil(plain.tables.first { $0.id == "reach-redraws" })
    }
}
