import Foundation
import XCTest
import Numerics
import AnalysisKit
@testable import CollectiveRedundancy

/// Issue 13 §3: `collective.compress`, the Gaussian-copula redundancy and redundancy compression of any samples ×
/// (n·d) table, against the known answer of `GroupedFactorExample` and on a user's .npy and CSV files.
final class CompressAnalysisTests: XCTestCase {
    func run(_ params: [String: String]) throws -> AnalysisOutput {
        try CompressAnalysis.descriptor.run(AnalysisContext(parameters: Parameters(params)))
    }
    func value(_ out: AnalysisOutput, _ name: String) throws -> Scalar {
        try XCTUnwrap(out.values.first { $0.name == name }, "no value \(name) in \(out.values.map(\.name))")
    }

    /// The generated example: a pair with within-group correlation 0.95 and a group of four with 0.5. The exact
    /// r(S) = −½ log det C / Σ H_i and the true partition's score ½ [r(pair) + r(four)] come from the true C; the
    /// search finds the two groups at m = 2 and the peak there, and the estimates lie within 3 errors of the truth.
    func testGeneratedExampleRecoversTheKnownAnswer() throws {
        let out = try run(["length": "3000", "initialisations": "5", "max_components": "3"])
        let p = "collective.compress_example_"
        let h = 0.5 * log(2 * Double.pi * M_E)
        let iPair = -0.5 * log(1 - 0.95 * 0.95), iFour = -0.5 * log(pow(1 - 0.5, 3) * (1 + 3 * 0.5))
        XCTAssertEqual(try value(out, p + "r_all_true").value, (iPair + iFour) / (6 * h), accuracy: 1e-12)
        XCTAssertEqual(try value(out, p + "groups_score_true").value, (iPair / (2 * h) + iFour / (4 * h)) / 2, accuracy: 1e-12)
        XCTAssertEqual(try value(out, p + "peak_m").value, 2)
        XCTAssertEqual(try value(out, p + "label_agreement").value, 1)
        XCTAssertEqual(try value(out, p + "elements").value, 6)
        let r = try value(out, p + "r_all"), s = try value(out, p + "peak_score")
        XCTAssertGreaterThan(try XCTUnwrap(r.error), 0)
        XCTAssertLessThan(abs(try value(out, p + "r_all_pull").value), 3)
        XCTAssertLessThan(abs(try value(out, p + "groups_score_pull").value), 3)
        XCTAssertGreaterThan(s.value, r.value)
        // same parameters, same bytes
        XCTAssertEqual(try run(["length": "3000", "initialisations": "5", "max_components": "3"]).values, out.values)
    }

    /// The errors the analysis reports, over 500 independent recordings of the example (240 samples, φ = 0.6):
    /// pulls of r(S) and of the true partition's score (labels fixed, as the analysis fixes the searched labels)
    /// about the estimator's mean (its finite-sample bias removed empirically) have sd within 1 ± 3/√(2N) and ±1σ
    /// coverage in 62–74 %.
    func testJackknifeErrorsAreCalibrated() throws {
        let n = 500
        let ex = GroupedFactorExample(phi: 0.6)
        let root = Xoshiro256(seed: 41)
        let trials = try Parallel.map(n) { k -> (r: Double, rErr: Double, s: Double, sErr: Double) in
            var rng = root.child(k)
            let x = ex.samples(240, rng: &rng)
            let g = try GaussianRedundancy(samples: x, elementDimension: 1)
            let j = try RedundancyJackknife(data: x, elementDimension: 1, partitions: [(ex.groups, 2)])
            guard let re = j.wholeError, let se = j.scoreErrors?[0] else { return (.nan, .nan, .nan, .nan) }
            return (g.relativeRedundancy(Array(0..<6)), re, Shared.score(g, labels: ex.groups, m: 2), se)
        }
        XCTAssertFalse(trials.contains { $0.r.isNaN }, "every recording should fit ≥ 4 blocks")
        let whole = Calibration.evaluate(estimates: trials.map(\.r), errors: trials.map(\.rErr), truth: 0, bias: .empirical)
        let score = Calibration.evaluate(estimates: trials.map(\.s), errors: trials.map(\.sErr), truth: 0, bias: .empirical)
        print("collective.compress jackknife: r(S) \(whole); true-partition score \(score)")
        XCTAssertTrue(whole.passes(pullWindow: ErrorCalibrationTests.window(n)), whole.description)
        XCTAssertTrue(score.passes(pullWindow: ErrorCalibrationTests.window(n)), score.description)
    }

    /// A user's table as .npy and as CSV gives the same values; bad shapes name the file and the shapes.
    func testUserTablesInNPYAndCSV() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("compress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = Xoshiro256(seed: 5)
        // 2-D elements: the example's 6 scalar series paired into 3 elements of dimension 2
        let x = GroupedFactorExample(groupSizes: [2, 4], rhos: [0.6, 0.3]).samples(800, rng: &rng)
        let npy = dir.appendingPathComponent("table.npy"), csv = dir.appendingPathComponent("table.csv")
        try FishDataParameterTests.npy(x.data, shape: [x.rows, x.cols]).write(to: npy)
        let text = "# six series\n" + (0..<x.rows).map { t in (0..<x.cols).map { String(x[t, $0]) }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        try text.write(to: csv, atomically: true, encoding: .utf8)
        let a = try run(["data": npy.path, "element_dimension": "2", "initialisations": "3", "name": "mine"])
        let b = try run(["data": csv.path, "element_dimension": "2", "initialisations": "3", "name": "mine"])
        XCTAssertEqual(a.values, b.values)
        XCTAssertEqual(try value(a, "collective.compress_mine_elements").value, 3)
        XCTAssertNil(a.values.first { $0.name.hasSuffix("_true") }, "a user's table has no known truth")

        func message(_ params: [String: String]) -> String {
            do { _ = try run(params); return "" } catch { return "\(error)" }
        }
        let odd = message(["data": npy.path, "element_dimension": "4"])
        XCTAssertTrue(odd.contains(npy.path) && odd.contains("800 × 6"), odd)
        let short = dir.appendingPathComponent("short.npy")
        try FishDataParameterTests.npy(Array(x.data.prefix(12 * 6)), shape: [12, 6]).write(to: short)
        let few = message(["data": short.path])
        XCTAssertTrue(few.contains(short.path) && few.contains("at least 16 samples"), few)
        XCTAssertTrue(message(["data": npy.path, "length": "500"]).contains("length"))
        XCTAssertTrue(message(["element_dimension": "2"]).contains("element_dimension"))
        XCTAssertTrue(message(["name": "Bad-Name"]).contains("lower-case"))
        XCTAssertTrue(message(["max_components": "7"]).contains("at most the 6 elements"))
    }
}
