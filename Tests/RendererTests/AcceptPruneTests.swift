import AnalysisKit
import Foundation
import XCTest
@testable import Renderer

/// Issue 13: a full `accept` drops the stored values the report no longer produces (naming each), `--keep-stale`
/// retires them instead, `--only` never touches them, and nothing is written half-way.
final class AcceptPruneTests: XCTestCase {
    static let report = "# T\n\n```{run demo.gaussian_mi}\nrho: 0.5\nsamples: [50]\nrepeats: 3\n```\n"

    /// Stores the report's values, then adds two it does not produce: `demo.old` (with a history) and `demo.gone`
    /// (already retired). Returns the produced names.
    func seedStale(_ url: URL) throws -> [String] {
        var stored = try XCTUnwrap(StoredValues.load(url))
        let produced = stored.values.keys.sorted()
        stored.values["demo.old"] = stored.values[produced[0]]
        stored.values["demo.old"]!.history = [StoredValue.Past(value: 1, error: nil, commit: "abc")]
        stored.values["demo.gone"] = stored.values[produced[0]]
        stored.values["demo.gone"]!.retired = true
        try stored.write(url)
        return produced
    }

    func testFullAcceptDropsStaleValuesKeepStaleRetiresOnlyNeverTouches() throws {
        let (project, dir, _) = try makeProject(["t": Self.report])
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = project.valuesURL("t")
        let renderer = ReportRenderer(project: project)
        let result = try renderer.compute("t")
        _ = try ValueStore.accept(result, at: url, only: nil)
        let produced = try seedStale(url)
        let seeded = try Data(contentsOf: url)

        // --only: neither drops nor retires, even with the default policy; nothing to write.
        let only = try ValueStore.plan(result, at: url, only: [produced[0]])
        XCTAssertEqual(only.changes, []); XCTAssertEqual(only.dropped, []); XCTAssertFalse(only.needsWrite)
        _ = try ValueStore.accept(result, at: url, only: [produced[0]])
        XCTAssertEqual(try Data(contentsOf: url), seeded, "--only never prunes")

        // --keep-stale: the unretired one is retired with its history, the retired one stays as it is.
        let keep = try ValueStore.plan(result, at: url, only: nil, stale: .keep)
        XCTAssertEqual(keep.changes, ["demo.old: retired (no longer produced; kept with its history)"])
        XCTAssertEqual(keep.stored.values["demo.old"]?.retired, true)
        XCTAssertEqual(keep.stored.values["demo.old"]?.history.count, 1)
        XCTAssertEqual(keep.stored.values["demo.gone"], try StoredValues.load(url)?.values["demo.gone"])

        // Full accept: both dropped and named; planning alone writes nothing.
        let prune = try ValueStore.plan(result, at: url, only: nil)
        XCTAssertEqual(prune.dropped, ["demo.gone", "demo.old"])
        XCTAssertEqual(prune.changes.count, 2)
        XCTAssertTrue(prune.changes[0].hasPrefix("demo.gone: dropped (no longer produced, was retired; last value "), prune.changes[0])
        XCTAssertTrue(prune.changes[1].hasPrefix("demo.old: dropped (no longer produced; last value "), prune.changes[1])
        XCTAssertTrue(prune.changes[1].contains("1 past value(s)"), prune.changes[1])
        XCTAssertEqual(try Data(contentsOf: url), seeded, "plan() does not write")
        try prune.write()
        let after = try XCTUnwrap(StoredValues.load(url))
        XCTAssertEqual(after.values.keys.sorted(), produced, "exactly the produced values remain")
        XCTAssertTrue(try renderer.compute("t").passed)
        // The produced entries are untouched, byte for byte in the JSON sense.
        let before = try XCTUnwrap(StoredValues(values: JSONDecoder().decode(StoredValues.self, from: seeded).values))
        for name in produced { XCTAssertEqual(after.values[name], before.values[name], name) }
        // A second full accept has nothing to do.
        XCTAssertEqual(try ValueStore.accept(result, at: url, only: nil), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path).sorted(),
                       ["t.md", "t.values.json"], "no temp files")
    }

    /// The command: prints each dropped key, `--only` and `--keep-stale` keep them, and a report with errors among
    /// the named ones stops the command before any values file is written.
    func testAcceptCommandPrunesAndWritesNothingWhenAnyReportFails() throws {
        let broken = Self.report + "\nSee {{demo.nope}}.\n"
        let dir = try makeCommandProject(["t": Self.report, "u": Self.report])
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("reports/t.values.json")
        let first = try ReplicateBinary.run(["accept", "t", "u"], in: dir)
        XCTAssertEqual(first.status, 0, first.output)
        let produced = try seedStale(url)
        let seeded = try Data(contentsOf: url)

        let only = try ReplicateBinary.run(["accept", "t", "--only", produced[0]], in: dir)
        XCTAssertEqual(only.status, 0, only.output)
        XCTAssertFalse(only.output.contains("dropped"), only.output)
        XCTAssertEqual(try Data(contentsOf: url), seeded, "--only never prunes")

        // u broken: t is not written although it has two values to drop.
        try Data(broken.utf8).write(to: dir.appendingPathComponent("reports/u.md"))
        let refused = try ReplicateBinary.run(["accept", "t", "u"], in: dir)
        XCTAssertEqual(refused.status, 1, refused.output)
        XCTAssertTrue(refused.output.contains("not accepting u: fix its errors first"), refused.output)
        XCTAssertEqual(try Data(contentsOf: url), seeded, "nothing written when a named report fails")
        try Data(Self.report.utf8).write(to: dir.appendingPathComponent("reports/u.md"))

        let keep = try ReplicateBinary.run(["accept", "t", "--keep-stale"], in: dir)
        XCTAssertEqual(keep.status, 0, keep.output)
        XCTAssertTrue(keep.output.contains("demo.old: retired"), keep.output)
        XCTAssertEqual(try StoredValues.load(url)?.values.keys.sorted(), (produced + ["demo.gone", "demo.old"]).sorted())

        let prune = try ReplicateBinary.run(["accept", "t"], in: dir)
        XCTAssertEqual(prune.status, 0, prune.output)
        XCTAssertTrue(prune.output.contains("  demo.gone: dropped (no longer produced, was retired; "), prune.output)
        XCTAssertTrue(prune.output.contains("  demo.old: dropped (no longer produced, was retired; "), prune.output)
        XCTAssertTrue(prune.output.contains("2 stale value(s) dropped (--keep-stale keeps them)"), prune.output)
        XCTAssertEqual(try StoredValues.load(url)?.values.keys.sorted(), produced)
        let check = try ReplicateBinary.run(["check", "--cached", "t", "u"], in: dir)
        XCTAssertEqual(check.status, 0, check.output)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("reports").path).sorted(),
                       ["t.md", "t.values.json", "u.md", "u.values.json"], "no temp files")
    }
}
