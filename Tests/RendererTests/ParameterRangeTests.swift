import AnalysisKit
import Foundation
import XCTest
@testable import Renderer

/// Parameters that used to trap or be silently reinterpreted are errors at their line.
final class ParameterRangeTests: XCTestCase {
    func check(_ line: String, contains message: String) throws {
        let source = "# P\n\n```{run demo.gaussian_mi}\nrho: 0.5\n\(line)\n```\n"
        let (project, dir, _) = try makeProject(["p": source])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ReportRenderer(project: project).render("p")
        XCTAssertEqual(r.diagnostics.map(\.line), [5], "\(line): \(r.diagnostics)")
        XCTAssertTrue(r.diagnostics.first?.message.contains(message) ?? false, "\(line): \(r.diagnostics)")
    }

    func testBadParametersAreErrorsAtTheirLine() throws {
        try check("seed: -1", contains: "a seed must be a non-negative integer")
        try check("samples: []", contains: "non-empty list")
        try check("samples: [100000000000]", contains: "larger than 1000000000")
        try check("samples: [2^62]", contains: "is not an integer")
        try check("samples: [1e11]", contains: "is not an integer")
        try check("seeed: 1", contains: "unknown parameter for this analysis (did you mean 'seed'?)")
    }

    func testUnknownAnalysisSuggestsTheClosestName() throws {
        let (project, dir, _) = try makeProject(["p": "# P\n\n```{run demo.gausian_mi}\nrho: 0.5\n```\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ReportRenderer(project: project).render("p")
        XCTAssertTrue(r.diagnostics.first?.message.contains("did you mean 'demo.gaussian_mi'?") ?? false, "\(r.diagnostics)")
        XCTAssertEqual(Suggestion.distance("kitten", "sitting"), 3)
        XCTAssertNil(Suggestion.closest(to: "zzzzzz", among: ["seed", "rho"]))
    }
}
