import AnalysisKit
import Foundation
import XCTest
@testable import Renderer

/// Issue 14, section 6: one bad report, values file or manifest does not stop the others, and each is reported at its path.
final class RobustnessTests: XCTestCase {
    let good = "# Good\n\n```{run demo.gaussian_mi}\nrho: 0.3\nsamples: [200]\nrepeats: 2\nseed: 1\n```\n\nExact {{demo.mi_exact}}.\n"

    func testAnUnreadableReportAndACorruptValuesFileDoNotStopTheOthers() throws {
        let (project, dir, _) = try makeProject(["b": good, "c": good])
        defer { try? FileManager.default.removeItem(at: dir) }
        // "a.md" is a folder: it is listed as a report but cannot be read.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("reports/a.md"), withIntermediateDirectories: true)
        try Data("{ corrupt".utf8).write(to: project.valuesURL("b"))
        let names = try project.reportNames()
        XCTAssertEqual(names, ["a", "b", "c"])
        let (results, indexProblem) = ReportRenderer(project: project).renderAll(names)
        XCTAssertNil(indexProblem)
        XCTAssertEqual(results.map(\.name), names)
        XCTAssertEqual(results[0].diagnostics.map(\.file), ["reports/a.md"])
        XCTAssertTrue(results[0].diagnostics[0].message.contains("cannot read report"), "\(results[0].diagnostics)")
        XCTAssertEqual(results[1].diagnostics.map(\.file), ["reports/b.values.json"], "\(results[1].diagnostics)")
        XCTAssertEqual(results[2].diagnostics, [])
        for page in ["a", "b", "c", "index"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/\(page).html").path), page)
        }
        let a = try String(contentsOf: dir.appendingPathComponent("site/a.html"), encoding: .utf8)
        XCTAssertTrue(a.contains("cannot read report"), "the unreadable report's page shows its error")
        let b = try String(contentsOf: dir.appendingPathComponent("site/b.html"), encoding: .utf8)
        XCTAssertTrue(b.contains("<table id=\"gaussian-mi-table\">"), "a corrupt values file still renders the page")
        let index = try String(contentsOf: dir.appendingPathComponent("site/index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("href=\"a.html\"") && index.contains("href=\"c.html\""))
    }

    func testACorruptManifestIsReportedAsCorruptNotMissing() throws {
        let (project0, dir, _) = try makeProject(["d": "# D\n\n```{run demo.data_mean}\ndata: table.csv\n```\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(project0.datasetsProblem, "datasets/manifest.json is missing")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("datasets"), withIntermediateDirectories: true)
        try Data("{ \"datasets\": [ {".utf8).write(to: dir.appendingPathComponent("datasets/manifest.json"))
        var project = ReportProject(root: dir, registry: project0.registry)
        project.log = { _ in }
        XCTAssertNil(project.datasets)
        XCTAssertTrue(project.datasetsProblem.hasPrefix("datasets/manifest.json is corrupt"), project.datasetsProblem)
        let r = try ReportRenderer(project: project).render("d")
        XCTAssertEqual(r.diagnostics.map(\.line), [4])
        XCTAssertTrue(r.diagnostics[0].message.contains("datasets/manifest.json is corrupt"), "\(r.diagnostics)")
    }
}
