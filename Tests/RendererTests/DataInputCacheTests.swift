import AnalysisKit
import DemoAnalyses
import Foundation
import XCTest
@testable import Renderer

/// A user's data file named by `data:` enters the cache: regenerating it re-runs the directive without --no-cache.
final class DataInputCacheTests: XCTestCase {
    let report = "# Own data\n\n```{run demo.data_mean}\ndata: table.csv\ncolumn: 1\n```\n\nMean {{demo.data_mean}}.\n"

    func testRegeneratedUserFileIsRecomputedOnAWarmCache() throws {
        let (project, dir, logs) = try makeProject(["own": report])
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("reports/table.csv")
        try "a,b\n1,10\n2,20\n3,30\n".write(to: csv, atomically: true, encoding: .utf8)
        let renderer = ReportRenderer(project: project)
        let first = try renderer.render("own")
        XCTAssertEqual(first.diagnostics, [])
        XCTAssertEqual(first.scalars.first { $0.name == "demo.data_mean" }?.value, 20)
        // Warm render, file unchanged: served from the cache.
        XCTAssertEqual(try renderer.render("own").scalars.first { $0.name == "demo.data_mean" }?.value, 20)
        XCTAssertTrue(logs().contains { $0.contains("demo.data_mean ... cached") }, "\(logs())")
        // The file is regenerated with other numbers (same size, so only the hash can tell).
        try "a,b\n1,40\n2,50\n3,60\n".write(to: csv, atomically: true, encoding: .utf8)
        let third = try renderer.render("own")
        XCTAssertEqual(third.scalars.first { $0.name == "demo.data_mean" }?.value, 50, "new numbers without --no-cache")
        XCTAssertTrue(logs().contains { $0.contains("input file") && $0.contains("table.csv changed") }, "\(logs())")
    }

    func testMissingFileAndBadShapeAreErrorsAtTheParameterLine() throws {
        let (project, dir, _) = try makeProject(["own": report, "wide": report.replacingOccurrences(of: "column: 1", with: "column: 5")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try ReportRenderer(project: project).render("own")
        XCTAssertEqual(missing.diagnostics.first?.line, 4, "\(missing.diagnostics)")
        XCTAssertTrue(missing.diagnostics[0].message.contains("no data file 'table.csv'"), missing.diagnostics[0].message)
        try "1,2\n3\n".write(to: dir.appendingPathComponent("reports/table.csv"), atomically: true, encoding: .utf8)
        let ragged = try ReportRenderer(project: project).render("own")
        XCTAssertTrue(ragged.diagnostics.first?.message.contains("table.csv: expected 2 columns (as on the first row), found 1 on line 2") ?? false,
                      "\(ragged.diagnostics)")
        try "1,2\n3,4\n".write(to: dir.appendingPathComponent("reports/table.csv"), atomically: true, encoding: .utf8)
        let wide = try ReportRenderer(project: project).render("wide")
        XCTAssertEqual(wide.diagnostics.first?.line, 5)
        XCTAssertTrue(wide.diagnostics[0].message.contains("has 2 column(s)"), wide.diagnostics[0].message)
    }

    /// Editing one module changes only its code identity: only its directives re-run.
    func testCodeIdentityIsPerAnalysisModule() throws {
        let smoke = try String(contentsOf: repoRoot.appendingPathComponent("reports/00-smoke.md"), encoding: .utf8)
        var (project, dir, logs) = try makeProject(["00-smoke": smoke])
        defer { try? FileManager.default.removeItem(at: dir) }
        func registry(gaussian: String) -> AnalysisRegistry {
            AnalysisRegistry(DemoCatalog.analyses.map { d in
                var d = d
                d.codeIdentity = d.name == "demo.gaussian_mi" ? gaussian : "module-A"
                d.codeModule = d.name == "demo.gaussian_mi" ? "GaussianModule" : "OtherModule"
                return d
            })
        }
        project = ReportProject(root: dir, registry: registry(gaussian: "module-A"))
        let box = LogBox(); project.log = { box.lines.append($0) }
        _ = try ReportRenderer(project: project).render("00-smoke")
        box.lines.removeAll()
        project = ReportProject(root: dir, registry: registry(gaussian: "module-B"))
        project.log = { box.lines.append($0) }
        project.explain = true
        _ = try ReportRenderer(project: project).render("00-smoke")
        // --explain names the module whose code identity changed, and that the other module's did not.
        XCTAssertTrue(box.lines.contains {
            $0.contains("demo.gaussian_mi: re-running because code of module GaussianModule changed (sources module-A… → module-B…; "
                        + "the other modules' code is unchanged: OtherModule)")
        }, "\(box.lines)")
        XCTAssertTrue(box.lines.contains { $0.contains("demo.correlation_map ... cached") }, "\(box.lines)")
        _ = logs
    }

    func testExplainNamesTheModulesWhoseCodeChanged() {
        let old = CacheKey(analysis: "rmi.spiral", parameters: "", datasets: [:], build: "sources:aaaaaaaaaaaa")
        var new = old
        new.build = "sources:bbbbbbbbbbbb"
        let before = ["RenormalizedMI": "a", "RINE": "r", "Retina": "t"]
        // Every module changed: code they share.
        XCTAssertEqual(new.differences(from: old, module: "RenormalizedMI", modules: ["RenormalizedMI": "b", "RINE": "r2", "Retina": "t2"],
                                       oldModules: before),
                       ["code of module RenormalizedMI changed (sources aaaaaaaa… → bbbbbbbb…; so did every other module's (RINE, Retina): "
                        + "most likely code they share, e.g. AnalysisKit or Numerics)"])
        // Some changed.
        XCTAssertEqual(new.differences(from: old, module: "RenormalizedMI", modules: ["RenormalizedMI": "b", "RINE": "r2", "Retina": "t"],
                                       oldModules: before),
                       ["code of module RenormalizedMI changed (sources aaaaaaaa… → bbbbbbbb…; also changed: RINE; unchanged: Retina)"])
        // No record of the other modules (a slot file from before): the module alone.
        XCTAssertEqual(new.differences(from: old, module: "RenormalizedMI"),
                       ["code of module RenormalizedMI changed (sources aaaaaaaa… → bbbbbbbb…)"])
        // Keyed to the executable: no module to name.
        var exe = old; exe.build = "0123"; var exe2 = old; exe2.build = "4567"
        XCTAssertEqual(exe2.differences(from: exe, module: "X"), ["the executable changed (the analysis has no per-module code identity)"])
        // Every descriptor knows the module that declares it (#fileID of its init call).
        XCTAssertEqual(AnalysisDescriptor(name: "t", summary: "") { _ in AnalysisOutput() }.codeModule, "RendererTests")
        XCTAssertEqual(DemoCatalog.analyses.map(\.codeModule), Array(repeating: "DemoAnalyses", count: DemoCatalog.analyses.count))
        XCTAssertEqual(AnalysisRegistry(DemoCatalog.analyses.identified(by: "h")).moduleIdentities, ["DemoAnalyses": "h"])
    }

    func testSlotRecordKeepsTheKeyReadable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replicate-slot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = ResultCache(folder: dir)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("slots"), withIntermediateDirectories: true)
        let key = CacheKey(analysis: "a", parameters: "p: 1", datasets: ["d/x": "ff"], build: "sources:abc")
        try cache.remember(key, slot: "r#1", record: SlotRecord(codeModule: "M", moduleIdentities: ["M": "abc", "N": "def"]))
        XCTAssertEqual(cache.previousKey(slot: "r#1"), key)
        XCTAssertEqual(cache.previousKey(slot: "r#1")?.hash, key.hash, "the record is not part of the key")
        XCTAssertEqual(cache.previousRecord(slot: "r#1")?.moduleIdentities, ["M": "abc", "N": "def"])
        XCTAssertEqual(cache.previousRecord(slot: "r#1")?.codeModule, "M")
    }

    func testNumericEnvironmentEntersTheKey() {
        var a = CacheKey(analysis: "x", parameters: "", datasets: [:], build: "b")
        a.environment = ["OPENBLAS_CORETYPE": "SKYLAKEX"]
        var b = a
        b.environment = [:]
        XCTAssertNotEqual(a.hash, b.hash)
        XCTAssertEqual(a.differences(from: b), ["environment variable OPENBLAS_CORETYPE changed (unset → SKYLAKEX)"])
    }
}
