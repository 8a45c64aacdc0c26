import AnalysisKit
import Foundation
import Numerics
import DataFiles
import XCTest
@testable import RINE

/// `rine.estimate`, the general RINE analysis (issue 13 §3), on generated files with a known answer: source 1 = (R, U₁, A),
/// source 2 = (R, U₂, B), Y = 8R + 4U₁ + 2U₂ + (A ⊕ B), so I∩ = 1 bit (I∧ = I_BROJA) and each source's usable
/// information is 2 bits.
final class RINEEstimateTests: XCTestCase {
    func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> URL { try temporaryFile(prefix: "rine", name, bytes) }

    /// A little-endian float64 .npy file of shape (rows, cols), or (rows,) with `cols` nil.
    func npy(rows: Int, cols: Int?, _ values: [Double]) -> [UInt8] {
        NPYArray.encoded(values, shape: [rows] + (cols.map { [$0] } ?? []))
    }

    func run(_ parameters: [String: String]) throws -> AnalysisOutput {
        try RINEAnalyses.estimate.run(AnalysisContext(parameters: Parameters(parameters)))
    }

    func value(_ out: AnalysisOutput, _ name: String) -> Scalar {
        guard let v = out.values.first(where: { $0.name == name }) else { XCTFail("no value \(name)"); return Scalar(name, .nan) }
        return v
    }

    /// Small, fast settings for the debug build: one hidden layer, few epochs, 3 splits and the smallest halving design.
    /// (Patience 8 stopped before the β schedule had pulled the decoders together: I∩ 0.40 instead of 0.93.)
    let fast: [String: String] = ["hidden": "[16]", "epochs": "60", "patience": "15", "splits": "3", "halvings": "2",
                                  "half_folds": "2", "half_partitions": "2", "batch": "64", "learning_rate": "0.01"]

    func testExactValuesOfTheExample() {
        let t = RINEKnownAnswerExample.task
        XCTAssertEqual(ExactRedundancy.entropyY(t), 4, accuracy: 1e-12)
        XCTAssertEqual(ExactRedundancy.mutualInformationX1(t), 2, accuracy: 1e-12)
        XCTAssertEqual(ExactRedundancy.mutualInformationX2(t), 2, accuracy: 1e-12)
        XCTAssertEqual(ExactRedundancy.mutualInformationJoint(t), 4, accuracy: 1e-12)
        XCTAssertEqual(ExactRedundancy.iWedge(t).value, 1, accuracy: 1e-12)
        XCTAssertEqual(PartialInformation.broja(t).redundancy, 1, accuracy: 1e-5)
        XCTAssertEqual(PartialInformation.mmi(t), 2, accuracy: 1e-12)
    }

    /// The known answer from user files: two .npy sources and a CSV target (labels coded as other integers), and the same
    /// samples as one CSV table cut by source_columns with a 1-D .npy target; both read the same numbers. The accuracy
    /// run uses the split spread (halvings 0: 3 trainings); the layout comparison runs the halving design too, with 3
    /// epochs per training (it compares two layouts of the same samples, not accuracy), so that the test stays cheap in
    /// debug (was ~38 s with the halvings at 60 epochs).
    func testKnownAnswerFromFiles() throws {
        var rng = Xoshiro256(seed: 41)
        let n = 1200
        let (xs, y) = RINEKnownAnswerExample.sample(n, noise: 1, rng: &rng)
        func rows(_ m: Matrix<Float>) -> [Double] { (0..<m.rows).flatMap { i in (0..<m.cols).map { Double(m[i, $0]) } } }
        let s1 = try temporaryFile("s1.npy", npy(rows: n, cols: 4, rows(xs[0])))
        let s2 = try temporaryFile("s2.npy", npy(rows: n, cols: 4, rows(xs[1])))
        let target = try temporaryFile("y.csv", Array(("label\n" + y.map { "\(10 * $0 - 3)" }.joined(separator: "\n")).utf8))
        var p = fast
        p["source1"] = s1.path; p["source2"] = s2.path; p["target"] = target.path
        p["usable_information"] = "false" // the β = 0 runs are tested on the generated example (fewer trainings in debug)
        p["halvings"] = "0"
        let out = try run(p)
        let r = value(out, "rine.estimate_redundancy")
        XCTAssertEqual(value(out, "rine.estimate_classes").value, 16)
        XCTAssertEqual(value(out, "rine.estimate_samples").value, Double(n))
        XCTAssertEqual(value(out, "rine.estimate_label_entropy").value, DiscreteInformation.entropy(samples: y), accuracy: 1e-12)
        // Finite training on 1200 samples: a tolerance of 0.15 bits beside the statistical error.
        XCTAssertEqual(r.value, 1, accuracy: 3 * r.error! + 0.15, "I∩ \(r.value) ± \(r.error!)")
        XCTAssertGreaterThan(r.error!, 0)

        // The halving design on the .npy layout, 3 epochs per training: a calibrated error with its degrees of freedom.
        var b = p
        b["epochs"] = "3"; b["halvings"] = "2"; b["name"] = "short"
        let short = try run(b)
        XCTAssertGreaterThan(value(short, "short_redundancy").error!, 0)
        // One table with both sources (CSV, header), cut by source_columns, and a 1-D .npy target: the same numbers.
        var csv = "a1,a2,a3,a4,b1,b2,b3,b4\n"
        for i in 0..<n { csv += ((0..<4).map { "\(xs[0][i, $0])" } + (0..<4).map { "\(xs[1][i, $0])" }).joined(separator: ",") + "\n" }
        let table = try temporaryFile("both.csv", Array(csv.utf8))
        let y1 = try temporaryFile("y.npy", npy(rows: n, cols: nil, y.map(Double.init)))
        var q = b
        q["source1"] = nil; q["source2"] = nil
        q["data"] = table.path; q["source_columns"] = "[4, 4]"; q["target"] = y1.path; q["name"] = "mine"
        let same = try run(q)
        XCTAssertEqual(value(same, "mine_redundancy").value, value(short, "short_redundancy").value, accuracy: 1e-9, "the same samples in another layout")
        XCTAssertEqual(value(same, "mine_redundancy").error!, value(short, "short_redundancy").error!, accuracy: 1e-9)
    }

    /// Without files the analysis runs its generated example and tables the known values beside the estimates; the β = 0
    /// runs give each source's usable information, 2 bits.
    func testGeneratedExample() throws {
        var p = fast
        p["samples"] = "1200"; p["halvings"] = "0"
        let out = try run(p)
        let r = value(out, "rine.estimate_redundancy"), u1 = value(out, "rine.estimate_usable_s1"), u2 = value(out, "rine.estimate_usable_s2")
        XCTAssertEqual(r.value, 1, accuracy: 3 * r.error! + 0.15)
        XCTAssertEqual(u1.value, 2, accuracy: 3 * u1.error! + 0.15, "usable 1 \(u1.value) ± \(u1.error!)")
        XCTAssertEqual(u2.value, 2, accuracy: 3 * u2.error! + 0.15, "usable 2 \(u2.value) ± \(u2.error!)")
        XCTAssertLessThanOrEqual(value(out, "rine.estimate_usable_min").value, min(u1.value, u2.value) + 1e-12)
        XCTAssertTrue(out.tables.contains { $0.id == "rine-estimate-known" })
    }

    /// Shape, label and layout errors name the parameter and the file; parameters are checked before any file is read.
    func testErrorsNameTheFileAndKey() throws {
        let s1 = try temporaryFile("e1.csv", Array("1,2\n3,4\n5,6\n".utf8))
        let s2 = try temporaryFile("e2.csv", Array("1\n2\n".utf8))
        let y = try temporaryFile("ey.csv", Array("0\n1\n0\n".utf8))
        let yBad = try temporaryFile("eyb.csv", Array("0\n1.5\n0\n".utf8))
        let yWide = try temporaryFile("eyw.csv", Array("0,1\n1,0\n0,1\n".utf8))
        func failure(_ p: [String: String]) -> ParameterError? {
            do { _ = try run(p); XCTFail("\(p): no error"); return nil }
            catch let e as ParameterError { return e }
            catch { XCTFail("\(p): \(error) instead of a ParameterError"); return nil }
        }
        var e = failure(["source1": s1.path, "source2": s2.path, "target": y.path])
        XCTAssertEqual(e?.key, "source2"); XCTAssertTrue(e?.message.contains("e2.csv has 2 rows") ?? false, "\(e.map(\.description) ?? "")")
        e = failure(["source1": s1.path, "source2": s1.path, "target": yBad.path])
        XCTAssertEqual(e?.key, "target"); XCTAssertTrue(e?.message.contains("row 2 holds 1.5") ?? false, "\(e.map(\.description) ?? "")")
        e = failure(["source1": s1.path, "source2": s1.path, "target": yWide.path])
        XCTAssertEqual(e?.key, "target"); XCTAssertTrue(e?.message.contains("found (3, 2)") ?? false, "\(e.map(\.description) ?? "")")
        e = failure(["data": s1.path, "source_columns": "[1, 2]", "target": y.path])
        XCTAssertEqual(e?.key, "source_columns"); XCTAssertTrue(e?.message.contains("e1.csv has 2") ?? false, "\(e.map(\.description) ?? "")")
        e = failure(["source1": s1.path, "target": y.path])
        XCTAssertEqual(e?.key, "source1"); XCTAssertTrue(e?.message.contains("at least two sources") ?? false)
        e = failure(["source1": s1.path, "source3": s1.path, "target": y.path])
        XCTAssertEqual(e?.key, "source3"); XCTAssertTrue(e?.message.contains("source2 is missing") ?? false)
        e = failure(["source1": s1.path, "source2": s1.path])
        XCTAssertEqual(e?.key, "source1"); XCTAssertTrue(e?.message.contains("needs target") ?? false)
        e = failure(["data": s1.path, "source1": s1.path, "target": y.path])
        XCTAssertEqual(e?.key, "source1"); XCTAssertTrue(e?.message.contains("not both") ?? false)
        e = failure(["source1": s1.path, "source2": s1.path, "target": y.path])
        XCTAssertEqual(e?.key, "target"); XCTAssertTrue(e?.message.contains("too few") ?? false, "\(e.map(\.description) ?? "")")
        // Range errors come before the files are opened (the paths here do not exist).
        for (k, v) in [("beta", "-1"), ("splits", "1"), ("halvings", "1"), ("hidden", "[0]"), ("test_fraction", "0.9"), ("name", "Bad Name"),
                       ("source_columns", "[3]")] {
            e = failure(["source1": "/nonexistent/a.npy", "source2": "/nonexistent/b.npy", "target": "/nonexistent/y.npy", k: v])
            XCTAssertEqual(e?.key, k, "\(k): \(v) → \(e.map(\.description) ?? "nil")")
        }
        e = failure(["samples": "1000000", "noise_features": "1000"])
        XCTAssertEqual(e?.key, "samples"); XCTAssertTrue(e?.message.contains("more than the") ?? false)
    }
}
