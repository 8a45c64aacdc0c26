import DataFiles
import XCTest
import AnalysisKit
import Numerics
@testable import RenormalizedMI

/// The general analysis `rmi.features` on generated files with a known answer.
final class FeatureAnalysisTests: XCTestCase {
    func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rmi-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
        try Data(bytes).write(to: url)
        return url
    }

    /// A little-endian float64 .npy file of shape (rows, cols).
    func npy(rows: Int, cols: Int, _ values: [Double]) -> [UInt8] {
        NPYArray.encoded(values, shape: [rows, cols])
    }

    func run(_ parameters: [String: String]) throws -> AnalysisOutput {
        try RMIAnalyses.features.run(AnalysisContext(parameters: Parameters(parameters)))
    }

    func value(_ out: AnalysisOutput, _ name: String) -> Scalar { out.values.first { $0.name == name }! }

    /// f = x₁ + 0.3x₁³ with its gradient, x ~ N(0, I₂): Ĩ = H(x₁) = ½ ln 2πe, from .npy and from CSV.
    func testFeatureWithGradientsFromNPYAndCSV() throws {
        var rng = Xoshiro256(seed: 21)
        let n = 4000
        var v = [Double](), csv = "f,df_dx1,df_dx2\n"
        for _ in 0..<n {
            let a = rng.normal(), row = [a + 0.3 * a * a * a, 1 + 0.9 * a * a, 0.0]
            v += row; csv += row.map { String($0) }.joined(separator: ",") + "\n"
        }
        let truth = 0.5 * log(2 * Double.pi * M_E)
        for url in [try temporaryFile("f.npy", npy(rows: n, cols: 3, v)), try temporaryFile("f.csv", Array(csv.utf8))] {
            let s = value(try run(["data": url.path, "bins": "60", "splits": "10"]), "rmi.features_value")
            XCTAssertEqual(s.value, truth, accuracy: 4 * s.error! + 0.01, url.lastPathComponent)
            XCTAssertEqual(value(try run(["data": url.path, "splits": "2"]), "rmi.features_samples").value, Double(n))
        }
    }

    /// Raw samples with the PCA feature: for x ~ N(0, Σ) the first principal component has Ĩ = ½ ln(2πe λ_max).
    func testPCAOnRawSamples() throws {
        let sigma = Matrix<Double>([[1, 0.5], [0.5, 2]])
        var rng = Xoshiro256(seed: 22)
        let x = try GaussianChecks.samples(sigma, count: 4000, rng: &rng)
        let url = try temporaryFile("x.csv", Array(x.map { "\($0[0]) \($0[1])" }.joined(separator: "\n").utf8))
        let s = value(try run(["data": url.path, "layout": "samples", "feature": "pca", "splits": "10"]), "rmi.features_value")
        XCTAssertEqual(s.value, 0.5 * log(2 * Double.pi * M_E * (1.5 + 0.5 * 2.0.squareRoot())), accuracy: 4 * s.error! + 0.01)
    }

    /// Without `data:` the analysis runs its generated example; bad shapes name the file and the shape.
    func testDefaultsAndErrors() throws {
        let s = value(try run(["samples": "4000", "splits": "10"]), "rmi.features_value")
        XCTAssertEqual(s.value, 0.5 * log(2 * Double.pi * M_E), accuracy: 4 * s.error! + 0.01)
        let bad = try temporaryFile("bad.csv", Array("1,2,3\n4,5\n".utf8))
        XCTAssertThrowsError(try run(["data": bad.path])) { XCTAssertTrue("\($0)".contains("expected 3")) }
        let one = try temporaryFile("one.npy", npy(rows: 50, cols: 1, [Double](repeating: 1, count: 50)))
        XCTAssertThrowsError(try run(["data": one.path])) { XCTAssertTrue("\($0)".contains("1 columns")) }
    }

    /// A NaN or ±∞ in any column (feature, gradient or sample coordinate) is an error naming the file, the row and the
    /// column, raised before the histograms (issue 14, audit M1: `Int(NaN)` of the bin index in an -Ounchecked build).
    func testNonFiniteValuesAreErrorsNamingFileRowAndColumn() throws {
        var rng = Xoshiro256(seed: 23)
        var rows = [[Double]]()
        for _ in 0..<50 { let a = rng.normal(); rows.append([a + 0.3 * a * a * a, 1 + 0.9 * a * a, 0]) }
        func csv(_ r: [[Double]]) -> [UInt8] { Array(("f,df_dx1,df_dx2\n" + r.map { $0.map { String($0) }.joined(separator: ",") }.joined(separator: "\n")).utf8) }
        var nanFeature = rows; nanFeature[4][0] = .nan
        let a = try temporaryFile("nanfeature.csv", csv(nanFeature))
        XCTAssertThrowsError(try run(["data": a.path])) { e in
            let m = "\(e)"
            XCTAssertTrue(e is ParameterError, m)
            for part in ["nanfeature.csv", "row 5", "column 0 ('f')", "feature value", "is nan"] { XCTAssertTrue(m.contains(part), "\(part) not in: \(m)") }
        }
        var infGradient = rows.flatMap { $0 }; infGradient[7 * 3 + 2] = -.infinity
        let b = try temporaryFile("infgradient.npy", npy(rows: 50, cols: 3, infGradient))
        XCTAssertThrowsError(try run(["data": b.path])) { e in
            let m = "\(e)"
            for part in ["infgradient.npy", "row 8", "column 2", "gradient component", "is -inf"] { XCTAssertTrue(m.contains(part), "\(part) not in: \(m)") }
        }
        var nanSample = rows.map { Array($0.prefix(2)) }; nanSample[49][1] = .nan
        let c = try temporaryFile("nansample.csv", Array(nanSample.map { "\($0[0]) \($0[1])" }.joined(separator: "\n").utf8))
        for feature in ["pca", "mean"] {
            XCTAssertThrowsError(try run(["data": c.path, "layout": "samples", "feature": feature])) { e in
                let m = "\(e)"
                for part in ["nansample.csv", "row 50", "column 1", "sample coordinate"] { XCTAssertTrue(m.contains(part), "\(part) not in: \(m)") }
            }
        }
        var twoD = rows.map { [$0[0], 0.5 * $0[0], $0[1], 0, 0, 1] }; twoD[0][1] = .nan
        let d = try temporaryFile("nan2d.npy", npy(rows: 50, cols: 6, twoD.flatMap { $0 }))
        XCTAssertThrowsError(try run(["data": d.path, "dimension": "2"])) { e in
            let m = "\(e)"
            for part in ["nan2d.npy", "row 1", "column 1", "feature value f2"] { XCTAssertTrue(m.contains(part), "\(part) not in: \(m)") }
        }
    }
}
