import AnalysisKit
import Foundation
import XCTest
@testable import Renderer

/// Issue 14 defects: stale figures, unsanitised figure ids, values history and corrupt values files.
final class ReliabilityTests: XCTestCase {
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replicate-rel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func figure(_ y: [Double], id: String = "f") -> Figure {
        Figure(id: id, caption: "c", altText: "a", panels: [Panel(series: [Series(label: "s", x: [1, 2, 3], y: y)])])
    }

    func testKilledRenderNeverLeavesAStaleFigure() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let a = figure([1, 2, 3]), b = figure([3, 2, 1])
        let svgA = try GnuplotFigure.render(a, in: dir)
        // A render of B was killed after writing its script and data but before gnuplot: the old SVG is still there.
        try Data(GnuplotFigure.data(b).utf8).write(to: dir.appendingPathComponent("f.dat"))
        try Data(GnuplotFigure.script(b, dataName: "f.dat", svgName: "f.svg").utf8).write(to: dir.appendingPathComponent("f.gp"))
        let svgB = try GnuplotFigure.render(b, in: dir)
        XCTAssertNotEqual(svgA, svgB, "the SVG drawn from A's data must not be served for B")
        let fresh = try tempDir(); defer { try? FileManager.default.removeItem(at: fresh) }
        XCTAssertEqual(svgB, try GnuplotFigure.render(b, in: fresh))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }, [],
                       "no temp files left behind")
    }

    func testFigureIdsCannotEscapeTheFigureFolder() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let inner = dir.appendingPathComponent("figures/r")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        _ = try GnuplotFigure.render(figure([1, 2, 3], id: "../../evil tag/x"), in: inner)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["figures"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("figures").path), ["r"])
        XCTAssertEqual(GnuplotFigure.fileName("../../evil tag/x"), "_._.._evil_tag_x")
    }

    func testVanishedValueIsRetiredWithItsHistoryUnderKeepStale() throws {
        let two = "# T\n\n```{run demo.gaussian_mi}\nrho: 0.5\nsamples: [50]\nrepeats: 3\n```\n"
        let (project, dir, _) = try makeProject(["t": two])
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = ReportRenderer(project: project)
        _ = try ValueStore.accept(try renderer.compute("t"), at: project.valuesURL("t"), only: nil)
        var stored = try XCTUnwrap(StoredValues.load(project.valuesURL("t")))
        let names = stored.values.keys.sorted()
        // A value the report no longer produces, with a history.
        stored.values["demo.old"] = stored.values[names[0]]
        stored.values["demo.old"]!.history = [StoredValue.Past(value: 1, error: nil, commit: "abc")]
        try stored.write(project.valuesURL("t"))
        let changes = try ValueStore.accept(try renderer.compute("t"), at: project.valuesURL("t"), only: nil, stale: .keep)
        XCTAssertTrue(changes.contains { $0.contains("demo.old: retired") }, "\(changes)")
        let after = try XCTUnwrap(StoredValues.load(project.valuesURL("t")))
        XCTAssertEqual(after.values["demo.old"]?.retired, true)
        XCTAssertEqual(after.values["demo.old"]?.history.count, 1)
        XCTAssertTrue(try renderer.compute("t").passed, "a retired value is not a stale failure")
    }

    func testUnknownToleranceKindIsRejected() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("v.values.json")
        try Data(#"{"values":{"x":{"value":1,"toleranceKind":"relativ","tolerance":0.1,"history":[]}}}"#.utf8).write(to: url)
        XCTAssertThrowsError(try StoredValues.load(url)) { e in XCTAssertTrue("\(e)".contains("toleranceKind 'relativ'"), "\(e)") }
    }

    func testAcceptRepairsACorruptValuesFile() throws {
        let (project, dir, _) = try makeProject(["t": "# T\n\n```{run demo.gaussian_mi}\nrho: 0.5\nsamples: [50]\nrepeats: 3\n```\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{ not json".utf8).write(to: project.valuesURL("t"))
        let renderer = ReportRenderer(project: project)
        XCTAssertFalse(try renderer.compute("t").diagnostics.isEmpty, "a corrupt values file is an error")
        let changes = try ValueStore.accept(try renderer.compute("t"), at: project.valuesURL("t"), only: nil)
        XCTAssertTrue(changes.first?.contains("unreadable") ?? false, "\(changes)")
        XCTAssertTrue(try renderer.compute("t").passed)
    }
}
