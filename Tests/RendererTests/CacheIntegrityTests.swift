import AnalysisKit
import Foundation
import XCTest
@testable import Renderer

/// Issue 14, section 7: cache entries are verified on load, inputs are checked on a warm cache, NaN can be cached and accepted.
final class CacheIntegrityTests: XCTestCase {
    let report = "# C\n\n```{run demo.gaussian_mi}\nrho: 0.3\nsamples: [200]\nrepeats: 2\nseed: 1\n```\n\nExact {{demo.mi_exact}}.\n"

    func entries(_ dir: URL) throws -> [URL] {
        let folder = dir.appendingPathComponent(".cache/results")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { folder.appendingPathComponent($0) }
    }

    func exact(_ r: ReportResult) -> Double? { r.scalars.first { $0.name == "demo.mi_exact" }?.value }

    func testEditedSwappedAndLegacyEntries() throws {
        let (project, dir, logs) = try makeProject(["c": report, "d": report.replacingOccurrences(of: "rho: 0.3", with: "rho: 0.6")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = ReportRenderer(project: project)
        let truth = try XCTUnwrap(exact(try renderer.render("c")))
        let cEntry = try XCTUnwrap(try entries(dir).first)

        // Hand-edited payload under its old header: not served.
        let bytes = try Data(contentsOf: cEntry)
        let newline = try XCTUnwrap(bytes.firstIndex(of: 0x0A))
        var entry = try CacheJSON.decoder().decode(CacheEntry.self, from: bytes[(newline + 1)...])
        let k = try XCTUnwrap(entry.output.values.firstIndex { $0.name == "demo.mi_exact" })
        entry.output.values[k].value = 42
        try (bytes[...newline] + (try CacheJSON.encoder().encode(entry))).write(to: cEntry)
        XCTAssertEqual(exact(try renderer.render("c")), truth)
        XCTAssertTrue(logs().contains { $0.contains("fails its content hash") && $0.contains("recomputing") }, "\(logs())")
        _ = try renderer.render("c")
        XCTAssertTrue(logs().last { $0.contains("demo.gaussian_mi") }?.hasSuffix("... cached") ?? false, "a repaired entry is served")

        // Another key's entry copied over this one: not served.
        _ = try renderer.render("d")
        let dEntry = try XCTUnwrap(try entries(dir).first { $0 != cEntry })
        try FileManager.default.removeItem(at: cEntry)
        try FileManager.default.copyItem(at: dEntry, to: cEntry)
        XCTAssertEqual(exact(try renderer.render("c")), truth)
        XCTAssertTrue(logs().contains { $0.contains("belongs to another key") }, "\(logs())")

        // An entry in the format without a header is served once and rewritten with one.
        let good = try Data(contentsOf: cEntry)
        try Data(good[(good.firstIndex(of: 0x0A)! + 1)...]).write(to: cEntry)
        XCTAssertEqual(exact(try renderer.render("c")), truth)
        XCTAssertTrue(logs().last { $0.contains("demo.gaussian_mi") }?.hasSuffix("... cached") ?? false)
        XCTAssertEqual(try Data(contentsOf: cEntry), good)
    }

    func testNaNIsCachedAndAcceptedAndAMissingInputIsReportedOnAWarmCache() throws {
        let text = "# N\n\n```{run demo.data_mean}\ndata: table.csv\n```\n"
        let (project, dir, logs) = try makeProject(["n": text])
        defer { try? FileManager.default.removeItem(at: dir) }
        let table = dir.appendingPathComponent("reports/table.csv")
        try Data("1\nnan\n3\n".utf8).write(to: table)
        let renderer = ReportRenderer(project: project)
        let first = try renderer.render("n")
        XCTAssertEqual(first.diagnostics, [])
        XCTAssertTrue(first.scalars.first { $0.name == "demo.data_mean" }?.value.isNaN ?? false)
        _ = try renderer.render("n")
        XCTAssertTrue(logs().last?.hasSuffix("... cached") ?? false, "a NaN result is cached: \(logs())")
        _ = try ValueStore.accept(try renderer.compute("n"), at: project.valuesURL("n"), only: nil)
        let json = try String(contentsOf: project.valuesURL("n"), encoding: .utf8)
        XCTAssertTrue(json.contains("\"value\" : null") && json.contains("\"nonFinite\""), json)
        XCTAssertTrue(try renderer.compute("n").passed, "NaN matches the stored NaN")
        XCTAssertEqual(try ValueStore.accept(try renderer.compute("n"), at: project.valuesURL("n"), only: nil), [], "no spurious change")

        try FileManager.default.removeItem(at: table)
        let missing = try renderer.render("n")
        XCTAssertEqual(missing.diagnostics.map(\.line), [4], "\(missing.diagnostics)")
        XCTAssertTrue(missing.diagnostics[0].message.contains("table.csv"))
        XCTAssertTrue(logs().contains { $0.contains("is missing") }, "the warm cache says why it did not serve: \(logs())")
    }
}
