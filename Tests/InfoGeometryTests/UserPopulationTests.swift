import XCTest
import AnalysisKit
import Numerics
@testable import InfoGeometry

/// `geometry.gaussian` on a population given as files (issue 13): W and Σₓ from CSV, Σₙ = noise_variance · I.
final class UserPopulationTests: XCTestCase {
    func testGaussianAnalysisReadsUserMatrices() throws {
        let dir = FileManager.default.temporaryDirectory
        let tag = "geometry-\(ProcessInfo.processInfo.processIdentifier)"
        let wURL = dir.appendingPathComponent("\(tag)-W.csv"), sURL = dir.appendingPathComponent("\(tag)-S.csv")
        try "1,0,0\n0,1,0\n1,1,1\n0.5,-0.5,0\n".write(to: wURL, atomically: true, encoding: .utf8)
        try "2,0.5,0\n0.5,1,0\n0,0,0.5\n".write(to: sURL, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: wURL); try? FileManager.default.removeItem(at: sURL) }
        let out = try GaussianAnalysis.run(AnalysisContext(parameters: Parameters(
            ["tuning_file": wURL.path, "covariance_file": sURL.path, "noise_variance": "0.3", "intervals": "200"])))
        let pop = try GaussianLinearPopulation(priorCovariance: Matrix([[2, 0.5, 0], [0.5, 1, 0], [0, 0, 0.5]]),
                                               weights: Matrix([[1, 0, 0], [0, 1, 0], [1, 1, 1], [0.5, -0.5, 0]]),
                                               noiseCovariance: 0.3 * Matrix<Double>.identity(4))
        let mi = out.values.first { $0.name == "geometry.gauss_mi" }!.value
        XCTAssertEqual(mi, try pop.mutualInformation(), accuracy: 1e-12)
        // A covariance of the wrong size is an error naming the parameter.
        XCTAssertThrowsError(try GaussianAnalysis.run(AnalysisContext(parameters: Parameters(
            ["tuning_file": sURL.path, "covariance_file": wURL.path]))))
        XCTAssertThrowsError(try GaussianAnalysis.run(AnalysisContext(parameters: Parameters(["covariance_file": sURL.path]))))
    }
}
