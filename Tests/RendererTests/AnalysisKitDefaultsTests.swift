import AnalysisKit
import DemoAnalyses
import Foundation
import XCTest

/// AnalysisKit's defaults: the data resolver without a renderer, Scalar's tolerance rule, module-wide parameter help.
final class AnalysisKitDefaultsTests: XCTestCase {
    func testDefaultResolverNamesTheKeyItWasAskedFor() {
        let given = Parameters(["test_data": Parameters.Entry(value: "/nonexistent/held-out.npy", line: 12)])
        XCTAssertThrowsError(try AnalysisContext(parameters: given).dataFile("test_data", default: "")) { error in
            let e = error as? ParameterError
            XCTAssertEqual(e?.key, "test_data"); XCTAssertEqual(e?.line, 12)
            XCTAssertTrue("\(error)".hasPrefix("line 12: parameter 'test_data': no such data file or manifest id"), "\(error)")
        }
        // Not given: the default (paper) id is looked up, and the error still names the key asked for, without a line.
        XCTAssertThrowsError(try AnalysisContext(parameters: Parameters([String: String]())).dataFile("target", default: "no/such.mat")) { error in
            XCTAssertEqual((error as? ParameterError)?.key, "target"); XCTAssertNil((error as? ParameterError)?.line)
        }
        // `data` itself still says data.
        let data = Parameters(["data": Parameters.Entry(value: "/nonexistent/x.csv", line: 4)])
        XCTAssertThrowsError(try AnalysisContext(parameters: data).dataFile(default: "")) { error in
            XCTAssertEqual((error as? ParameterError)?.key, "data")
        }
        // A resolver that names no key, or the wrong one (the renderer's says "data"), gets the key asked for.
        let custom = AnalysisContext(parameters: given, resolveData: { spec, line in
            throw ParameterError(key: "data", line: line, message: "no data file '\(spec)'")
        })
        XCTAssertThrowsError(try custom.dataFile("test_data", default: "")) { XCTAssertEqual(($0 as? ParameterError)?.key, "test_data") }
        // Other errors pass unchanged.
        let failing = AnalysisContext(parameters: given, resolveData: { _, _ in throw AnalysisFailure("checksum mismatch") })
        XCTAssertThrowsError(try failing.dataFile("test_data", default: "")) { XCTAssertEqual("\($0)", "checksum mismatch") }
        // A readable file resolves.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("replicate-resolver-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertNoThrow(try "1\n".write(to: file, atomically: true, encoding: .utf8))
        let ok = Parameters(["test_data": Parameters.Entry(value: file.path, line: 3)])
        XCTAssertEqual(try AnalysisContext(parameters: ok).dataFile("test_data", default: "").path, file.path)
    }

    func testScalarDefaultToleranceIsThreeSigmaWithARoundingFloor() {
        // 3σ when σ is a real error.
        XCTAssertEqual(Scalar("a", 0.5, error: 0.01).tolerance, .absolute(3 * 0.01))
        XCTAssertEqual(Scalar("a", -2.5, error: 1e-4).tolerance, .absolute(3 * 1e-4))
        // A σ at rounding level: 10⁻⁹ · max(1, |value|), not a tolerance of a few ulps.
        XCTAssertEqual(Scalar("a", 1, error: 1.7e-16).tolerance, .absolute(1e-9))
        XCTAssertEqual(Scalar("a", 0.25, error: 1e-17).tolerance, .absolute(1e-9))
        XCTAssertEqual(Scalar("a", -4e3, error: 1e-14).tolerance, .absolute(1e-9 * 4e3))
        XCTAssertEqual(Scalar("a", 4.4e-9, error: 1.5e-8).tolerance, .absolute(3 * 1.5e-8), "3σ above the floor")
        // No error, zero error or a non-finite one: relative 10⁻⁶, as before.
        XCTAssertEqual(Scalar("a", 3).tolerance, .relative(1e-6))
        XCTAssertEqual(Scalar("a", 3, error: 0).tolerance, .relative(1e-6))
        XCTAssertEqual(Scalar("a", 3, error: .nan).tolerance, .relative(1e-6))
        // A non-finite value gets no floor; a given tolerance is kept.
        XCTAssertEqual(Scalar("a", .infinity, error: 0.5).tolerance, .absolute(1.5))
        XCTAssertEqual(Scalar("a", 1, error: 1e-17, tolerance: .absolute(0.02)).tolerance, .absolute(0.02))
        XCTAssertEqual(Scalar.statisticalTolerance(2, error: 1e-12), 2e-9)
    }

    func testModuleWideHelpIsNotListedAsReadOnlyWhenGiven() {
        let table: [String: [String: String]] = [
            "*": ["seed": "seed of every stream", "images": "training images (read by the image analyses)"],
            "demo.gaussian_mi": ["seed": "the sampling seed", "rho": "correlation"],
        ]
        let documented = DemoCatalog.analyses.documented(by: table)
        let gaussian = documented.first { $0.name == "demo.gaussian_mi" }!
        XCTAssertEqual(gaussian.parameterHelp["images"], "training images (read by the image analyses)", "the meaning is still there")
        XCTAssertEqual(gaussian.parameterHelp["seed"], "the sampling seed", "an analysis' own line overrides the module's")
        XCTAssertEqual(gaussian.moduleWideParameters, ["images"])
        // `describe` lists documented keys the probe did not reach as read only when given: not the module-wide ones.
        XCTAssertEqual(gaussian.parametersReadOnlyWhenGiven(probed: ["seed"]), ["rho"])
        XCTAssertEqual(gaussian.parametersReadOnlyWhenGiven(probed: ["seed", "rho", "samples"]), [])
        let other = documented.first { $0.name == "demo.correlation_map" }!
        XCTAssertEqual(other.moduleWideParameters, ["images", "seed"])
    }
}
