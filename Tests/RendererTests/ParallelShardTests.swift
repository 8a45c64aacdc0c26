import AnalysisKit
import DemoAnalyses
import Foundation
import XCTest
@testable import Renderer

/// `-j N` and `work --shard i/n` give the same pages, values and figure data as a plain render.
final class ParallelShardTests: XCTestCase {
    static func sources() throws -> [String: String] {
        try Dictionary(uniqueKeysWithValues: ["00-smoke", "00-items"].map {
            ($0, try String(contentsOf: repoRoot.appendingPathComponent("reports/\($0).md"), encoding: .utf8))
        })
    }

    /// Everything a render writes that must not depend on how it was computed: pages (compute times masked) and
    /// figure files, by path relative to the project.
    func outputs(_ dir: URL) throws -> [String: Data] {
        var out = [String: Data]()
        for folder in ["site", "figures"] {
            let base = dir.appendingPathComponent(folder)
            for path in try FileManager.default.subpathsOfDirectory(atPath: base.path).sorted() where !path.hasPrefix(".") {
                var isDir: ObjCBool = false
                let url = base.appendingPathComponent(path)
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { continue }
                let data = try Data(contentsOf: url)
                out["\(folder)/\(path)"] = path.hasSuffix(".html") ? Data(maskTimes(String(decoding: data, as: UTF8.self)).utf8) : data
            }
        }
        return out
    }

    func render(jobs: Int, names: [String]) throws -> (results: [ReportResult], outputs: [String: Data], logs: [String]) {
        var (project, dir, _) = try makeProject(try Self.sources())
        defer { try? FileManager.default.removeItem(at: dir) }
        let box = LogBox()
        project.log = { line in synchronized { box.lines.append(line) } }
        project.budget = ThreadBudget(jobs)
        var renderer = ReportRenderer(project: project)
        if jobs > 1 { renderer.prepare(names) }
        let (results, problem) = renderer.renderAll(names)
        XCTAssertNil(problem)
        return (results, try outputs(dir), box.lines)
    }

    func testParallelRenderIsByteIdenticalToSerial() throws {
        let names = ["00-items", "00-smoke"]
        let serial = try render(jobs: 1, names: names)
        let parallel = try render(jobs: 2, names: names)
        XCTAssertEqual(serial.results.map(\.diagnostics), [[], []], "\(serial.logs)")
        XCTAssertEqual(parallel.results.map(\.diagnostics), [[], []], "\(parallel.logs)")
        XCTAssertEqual(serial.results.map(\.scalars), parallel.results.map(\.scalars))
        XCTAssertEqual(Set(serial.outputs.keys), Set(parallel.outputs.keys))
        XCTAssertTrue(serial.outputs.keys.contains("figures/00-smoke/gaussian-mi.dat") || serial.outputs.keys.contains { $0.hasPrefix("figures/00-smoke/") })
        for (path, data) in serial.outputs { XCTAssertEqual(parallel.outputs[path], data, path) }
    }

    func testShardsThenRenderAreByteIdenticalToPlainRender() throws {
        let names = ["00-items", "00-smoke"]
        let plain = try render(jobs: 1, names: names)

        var (project, dir, _) = try makeProject(try Self.sources())
        defer { try? FileManager.default.removeItem(at: dir) }
        let box = LogBox()
        project.log = { line in synchronized { box.lines.append(line) } }
        var computedItems = 0, computed = 0
        for i in 0..<2 {
            var shardProject = project
            shardProject.shard = try Shard(index: i, count: 2)
            var worker = ReportRenderer(project: shardProject)
            let summary = worker.prepare(names)
            XCTAssertEqual(summary.failed, 0, "\(box.lines)")
            computedItems += summary.itemsComputed
            computed += summary.computed
        }
        XCTAssertEqual(computedItems, 40, "the 40 items of 00-items, each computed by exactly one shard")
        XCTAssertEqual(computed, 2 + 1, "the two smoke directives, and 00-items' reduce by the shard that ran last")
        let itemFiles = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent(".cache/items").path)
            .filter { $0.hasSuffix(".json") }
        XCTAssertEqual(itemFiles.count, 40)
        // The render only reduces and draws.
        box.lines.removeAll()
        let (results, problem) = ReportRenderer(project: project).renderAll(names)
        XCTAssertNil(problem)
        XCTAssertEqual(results.map(\.diagnostics), [[], []], "\(box.lines)")
        XCTAssertFalse(box.lines.contains { $0.contains(" item(s) to compute") }, "\(box.lines)")
        XCTAssertEqual(box.lines.filter { $0.hasSuffix("... cached") }.count, 3, "\(box.lines)")
        XCTAssertEqual(results.map(\.scalars), plain.results.map(\.scalars))
        let sharded = try outputs(dir)
        XCTAssertEqual(Set(sharded.keys), Set(plain.outputs.keys))
        for (path, data) in plain.outputs { XCTAssertEqual(sharded[path], data, path) }
    }

    func testShardAssignmentAndParsing() throws {
        let s = try Shard(parsing: "1/3")
        XCTAssertEqual(s, try Shard(index: 1, count: 3))
        XCTAssertTrue(s.ownsDirective(4)); XCTAssertFalse(s.ownsDirective(3))
        XCTAssertTrue(s.ownsItem(directive: 2, item: 2)); XCTAssertFalse(s.ownsItem(directive: 2, item: 0))
        // Every item of every directive belongs to exactly one shard.
        for k in 0..<5 { for j in 0..<7 {
            XCTAssertEqual((0..<3).filter { try! Shard(index: $0, count: 3).ownsItem(directive: k, item: j) }.count, 1)
        } }
        for bad in ["3/3", "-1/2", "1/0", "a/b", "1", "1/2/3", ""] {
            XCTAssertThrowsError(try Shard(parsing: bad), bad)
        }
    }

    func testPlanListsMissingItemsWithEstimates() throws {
        let probe = ItemProbe()
        var (project, dir, _) = try makeProject(["items": WorkItemTests.countedReport])
        defer { try? FileManager.default.removeItem(at: dir) }
        project = ReportProject(root: dir, registry: AnalysisRegistry(DemoCatalog.analyses + [countedItemsAnalysis(probe)]))
        project.log = { _ in }
        let renderer = ReportRenderer(project: project)
        let before = renderer.plan(["items"])
        XCTAssertEqual(before.count, 1)
        XCTAssertEqual(before[0].status, .toCompute)
        XCTAssertNil(before[0].estimate)
        XCTAssertTrue(ReportRenderer.formatPlan(before, profile: "laptop").contains("1 directive(s) of unknown cost"))
        probe.abortAfter = 4
        _ = try renderer.compute("items")
        let halfway = renderer.plan(["items"])
        XCTAssertEqual(halfway[0].missingItems.map(\.missing), [8])
        XCTAssertNotNil(halfway[0].estimate)
        XCTAssertTrue(ReportRenderer.formatPlan(halfway, profile: "laptop").contains("draws: 8 of 12 items"))
        probe.abortAfter = nil
        _ = try renderer.compute("items")
        XCTAssertEqual(renderer.plan(["items"])[0].status, .cached)
        XCTAssertTrue(ReportRenderer.formatPlan(renderer.plan(["items"]), profile: "laptop").contains("0 of 1 directive(s) to compute"))
    }
}

/// `--profile paper`: profile lines replace the laptop parameters, pages go to site/paper/ with a banner, values to
/// <name>.paper.values.json, and the laptop cache key is unchanged by adding profile lines.
final class ProfileTests: XCTestCase {
    static let plain = """
    # Profiles

    ```{run demo.items}
    items: 6
    samples: 200
    seed: 2
    ```

    Mean {{demo.items_mean}}.
    """
    static let withPaper = plain.replacingOccurrences(of: "seed: 2\n", with: "seed: 2\nprofile.paper.items: 9\n")

    func directive(_ text: String) -> Directive {
        MarkdownDocument.directives(in: text, file: "x").directives[0]
    }

    func testLaptopKeyUnchangedAndPaperOverrides() throws {
        let a = directive(Self.plain), b = directive(Self.withPaper)
        XCTAssertEqual(a.canonicalBody, b.canonicalBody, "adding profile lines keeps the laptop key")
        XCTAssertEqual(b.canonicalBody(profile: "paper"), "items: 9\nsamples: 200\nseed: 2")
        XCTAssertEqual(try b.parameters(profile: "paper").entries["items"]?.value, "9")
        XCTAssertEqual(try b.parameters().entries["items"]?.value, "6")
        XCTAssertNil(try b.parameters().entries["profile.paper.items"])
        let bad = directive(Self.plain.replacingOccurrences(of: "seed: 2\n", with: "seed: 2\nprofile.huge.items: 9\n"))
        XCTAssertThrowsError(try bad.parameters()) { XCTAssertTrue("\($0)".contains("unknown profile 'huge'"), "\($0)") }
    }

    func testPaperProfileRendersToItsOwnFolderWithBanner() throws {
        let (laptopProject, dir, logs) = try makeProject(["p": Self.withPaper])
        defer { try? FileManager.default.removeItem(at: dir) }
        var paper = ReportProject(root: dir, registry: laptopProject.registry, profile: "paper")
        paper.log = laptopProject.log
        let laptop = try ReportRenderer(project: laptopProject).render("p")
        let paperResult = try ReportRenderer(project: paper).render("p")
        XCTAssertEqual(laptop.diagnostics, [], "\(logs())"); XCTAssertEqual(paperResult.diagnostics, [], "\(logs())")
        let page = try String(contentsOf: dir.appendingPathComponent("site/paper/p.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("<p class=\"profile-banner\"><strong>Profile: paper</strong>"))
        XCTAssertTrue(page.contains("9 work items"))
        let laptopPage = try String(contentsOf: dir.appendingPathComponent("site/p.html"), encoding: .utf8)
        XCTAssertFalse(laptopPage.contains("profile-banner"))
        XCTAssertTrue(laptopPage.contains("6 work items"))
        XCTAssertEqual(paper.valuesURL("p").lastPathComponent, "p.paper.values.json")
        XCTAssertNotEqual(laptop.scalars, paperResult.scalars)
    }
}

extension ProfileTests {
    /// `plan --profile paper` estimates from the laptop run: exact without paper lines, a lower bound with them.
    func testPaperPlanFallsBackToLaptopTimes() throws {
        let (project, dir, _) = try makeProject(["p": Self.withPaper, "q": Self.plain.replacingOccurrences(of: "items: 6", with: "items: 7")])
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try ReportRenderer(project: project).compute("p")
        _ = try ReportRenderer(project: project).compute("q")
        let paper = ReportProject(root: dir, registry: project.registry, profile: "paper")
        let plan = ReportRenderer(project: paper).plan(["p", "q"])
        XCTAssertEqual(plan.map(\.status), [.toCompute, .cached], "q has no paper lines: the same key as laptop")
        XCTAssertNotNil(plan[0].estimate)
        XCTAssertTrue(plan[0].lowerBound)
        XCTAssertTrue(ReportRenderer.formatPlan(plan, profile: "paper").contains("(at least: 1 estimate(s)"))
    }
}
