import AnalysisKit
import DemoAnalyses
import Foundation
import XCTest
@testable import Renderer

/// Counts the items a test analysis computes and can make it fail after a number of them (a render killed halfway).
final class ItemProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var _calls = 0
    /// When set, the analysis fails as soon as this many items have been computed in the current run.
    var abortAfter: Int? = nil
    var calls: Int { lock.lock(); defer { lock.unlock() }; return _calls }
    func reset() { lock.lock(); _calls = 0; lock.unlock() }
    /// Counts one call; true when the run must stop here.
    func count() -> Bool {
        lock.lock(); defer { lock.unlock() }
        _calls += 1
        return abortAfter.map { _calls > $0 } ?? false
    }
}

/// Struck by the test analysis when its probe says stop.
struct SimulatedKill: Error {}

/// A test-only itemized analysis: `items` Monte Carlo means of `draws` uniforms, summed in index order.
func countedItemsAnalysis(_ probe: ItemProbe) -> AnalysisDescriptor {
    AnalysisDescriptor(name: "test.counted_items", summary: "counted work items", itemized: true) { ctx in
        let p = ctx.parameters
        let n = try p.int("items", default: 12, range: 1...1000)
        let draws = try p.int("draws", default: 200, range: 1...100_000)
        let seed = try p.int("seed", default: 1)
        let means = try ctx.workItems("draws", count: n, seed: UInt64(seed)) { item -> Double in
            if probe.count() { throw SimulatedKill() }
            var s = item.childSeed, total = 0.0
            for _ in 0..<draws { total += Double(WorkItem.splitMixForTests(&s) >> 11) * 0x1.0p-53 }
            return total / Double(draws)
        }
        return AnalysisOutput(values: [Scalar("test.items_mean", means.reduce(0, +) / Double(n), significantFigures: 17),
                                       Scalar("test.items_first", means[0], significantFigures: 17)])
    }
}

extension WorkItem {
    static func splitMixForTests(_ s: inout UInt64) -> UInt64 { splitMix(&s) }
}

/// Replaces the compute times of the provenance footer (`<td>0.12 s</td>`) and the index (`0.1 s`), which are
/// measured, so that pages of different runs can be compared byte for byte.
func maskTimes(_ page: String) -> String {
    page.replacingOccurrences(of: "<td>[0-9]+\\.[0-9]+ s</td>", with: "<td>T s</td>", options: .regularExpression)
}

final class WorkItemTests: XCTestCase {
    static let countedReport = """
    # Counted items

    ```{run test.counted_items}
    items: 12
    seed: 5
    ```

    Mean {{test.items_mean}}.
    """

    func counted(_ probe: ItemProbe, budget: Int = 1) throws -> (ReportProject, URL, () -> [String]) {
        let (_, dir, _) = try makeProject(["items": Self.countedReport])
        var project = ReportProject(root: dir, registry: AnalysisRegistry(DemoCatalog.analyses + [countedItemsAnalysis(probe)]))
        let box = LogBox()
        project.log = { line in synchronized { box.lines.append(line) } }
        project.budget = ThreadBudget(budget)
        return (project, dir, { box.lines })
    }

    func testChildSeedsAreFixedAndDistinct() {
        let a = (0..<1000).map { WorkItem(stage: "s", index: $0, seed: 7).childSeed }
        XCTAssertEqual(Set(a).count, 1000)
        XCTAssertNotEqual(WorkItem(stage: "s", index: 0, seed: 7).childSeed, WorkItem(stage: "t", index: 0, seed: 7).childSeed)
        XCTAssertNotEqual(WorkItem(stage: "s", index: 0, seed: 7).childSeed, WorkItem(stage: "s", index: 0, seed: 8).childSeed)
        // The documented formula, written out.
        var s: UInt64 = 7; let x = WorkItem.splitMix(&s)
        var t = x ^ WorkItem.fnv1a64("s"); let y = WorkItem.splitMix(&t)
        var u = y ^ 3; XCTAssertEqual(WorkItem.splitMix(&u), WorkItem(stage: "s", index: 3, seed: 7).childSeed)
        XCTAssertFalse(WorkItem.isValidStage("../x")); XCTAssertFalse(WorkItem.isValidStage("")); XCTAssertTrue(WorkItem.isValidStage("fig3.beta_2"))
    }

    func testWithoutStoreResultsAreInIndexOrder() throws {
        let ctx = AnalysisContext(parameters: Parameters([String: String]()))
        let r = try ctx.workItems("x", count: 50, seed: 1) { $0.index * 2 }
        XCTAssertEqual(r, (0..<50).map { $0 * 2 })
        XCTAssertThrowsError(try ctx.workItems("bad/name", count: 1, seed: 1) { $0.index })
        XCTAssertThrowsError(try ctx.workItems("x", count: -1, seed: 1) { $0.index })
    }

    /// A render stopped after k items resumes and computes only the other N − k.
    func testKilledRenderResumesWithoutRecomputingFinishedItems() throws {
        let probe = ItemProbe()
        let (project, dir, logs) = try counted(probe)
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = ReportRenderer(project: project)
        probe.abortAfter = 5
        let killed = try renderer.render("items")
        XCTAssertFalse(killed.diagnostics.isEmpty, "the interrupted run reports its failure")
        XCTAssertEqual(probe.calls, 6, "5 items finished, the 6th was killed")
        let itemFiles = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent(".cache/items").path)
            .filter { $0.hasSuffix(".json") }
        XCTAssertEqual(itemFiles.count, 5, "\(itemFiles)")
        probe.abortAfter = nil; probe.reset()
        let resumed = try renderer.render("items")
        XCTAssertEqual(resumed.diagnostics, [], "\(logs())")
        XCTAssertEqual(probe.calls, 12 - 5, "only the unfinished items run again")
        XCTAssertTrue(logs().contains { $0.contains("7 of 12 item(s) to compute (5 stored)") }, "\(logs())")
        // Timings of every item are recorded for `replicate plan`.
        let timing = try XCTUnwrap(TimingStore(cacheFolder: project.cacheFolder).lastForSlot("items#1"))
        XCTAssertEqual(timing.stages.map(\.count), [12])
        XCTAssertEqual(timing.stages[0].seconds.compactMap { $0 }.count, 12)
        XCTAssertNotNil(timing.seconds)

        // The same numbers as an uninterrupted render without any cache.
        probe.reset()
        var cold = project; cold.useCache = false
        let fresh = try ReportRenderer(project: cold).compute("items")
        XCTAssertEqual(probe.calls, 12)
        XCTAssertEqual(fresh.scalars, resumed.scalars)
    }

    /// An edited item file is not served: the item recomputes, with a warning.
    func testCorruptItemFileRecomputes() throws {
        let probe = ItemProbe()
        let (project, dir, logs) = try counted(probe)
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = ReportRenderer(project: project)
        let first = try renderer.compute("items")
        let items = dir.appendingPathComponent(".cache/items")
        let keyDir = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: items.path).first)
        let file = items.appendingPathComponent("\(keyDir)/draws/3.json")
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"result\":0.", with: "\"result\":0.9")
        try text.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: dir.appendingPathComponent(".cache/results"))
        probe.reset()
        let again = try renderer.compute("items")
        XCTAssertEqual(probe.calls, 1)
        XCTAssertEqual(again.scalars, first.scalars)
        XCTAssertTrue(logs().contains { $0.contains("fails its content hash") }, "\(logs())")
    }

    /// 00-items gives the same page and values whether its items come from the item cache or are all computed.
    func testItemsReportIdenticalWithAndWithoutItemCache() throws {
        let source = try String(contentsOf: repoRoot.appendingPathComponent("reports/00-items.md"), encoding: .utf8)
        let (project, dir, logs) = try makeProject(["00-items": source])
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = ReportRenderer(project: project)
        let first = try renderer.render("00-items")
        XCTAssertEqual(first.diagnostics, [], "\(logs())")
        let page = try String(contentsOf: dir.appendingPathComponent("site/00-items.html"), encoding: .utf8)
        // Drop the directive results: the render reduces from the stored items only.
        try FileManager.default.removeItem(at: dir.appendingPathComponent(".cache/results"))
        let reduced = try renderer.render("00-items")
        XCTAssertTrue(logs().contains { $0.contains("(0 work item(s) computed)") }, "\(logs())")
        XCTAssertEqual(reduced.scalars, first.scalars)
        XCTAssertEqual(maskTimes(try String(contentsOf: dir.appendingPathComponent("site/00-items.html"), encoding: .utf8)), maskTimes(page))
        var noCache = project; noCache.useCache = false
        let uncached = try ReportRenderer(project: noCache).render("00-items")
        XCTAssertEqual(uncached.scalars, first.scalars)
        XCTAssertEqual(maskTimes(try String(contentsOf: dir.appendingPathComponent("site/00-items.html"), encoding: .utf8)), maskTimes(page))
    }
}

/// Runs `body` under one global lock (log lines may arrive from several threads).
func synchronized<T>(_ body: () -> T) -> T {
    SyncLocks.lock.lock(); defer { SyncLocks.lock.unlock() }
    return body()
}
enum SyncLocks { static let lock = NSLock() }
