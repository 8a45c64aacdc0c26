import AnalysisKit
import Foundation
import XCTest
@testable import Renderer

/// Issue 14 §1c: the output lock (an error when it cannot be taken, held for the index too), two renders of one tree
/// at once, and renders killed mid-way.
final class OutputLockTests: XCTestCase {
    static let report = "# T\n\n```{run demo.gaussian_mi}\nrho: 0.5\nsamples: [50, 100]\nrepeats: 3\n```\n\nExact: {{demo.mi_exact}}.\n"

    func testALockFileThatCannotBeOpenedIsAnError() throws {
        let (project, dir, logs) = try makeProject(["t": Self.report])
        defer { try? FileManager.default.removeItem(at: dir) }
        // `.render.lock` is a folder: open(2) fails. The render must say so instead of writing unlocked.
        try FileManager.default.createDirectory(at: project.siteFolder.appendingPathComponent(".render.lock"), withIntermediateDirectories: true)
        let renderer = ReportRenderer(project: project)
        XCTAssertThrowsError(try renderer.render("t")) { e in XCTAssertTrue("\(e)".contains(".render.lock"), "\(e)") }
        XCTAssertThrowsError(try renderer.writeIndex([])) { e in XCTAssertTrue("\(e)".contains(".render.lock"), "\(e)") }
        let (results, indexProblem) = renderer.renderAll(["t"])
        XCTAssertEqual(results.count, 1)
        XCTAssertTrue(results[0].diagnostics.contains { $0.message.contains(".render.lock") }, "\(results[0].diagnostics) \(logs())")
        XCTAssertNotNil(indexProblem)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.siteFolder.appendingPathComponent("t.html").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.siteFolder.appendingPathComponent("index.html").path))
    }

    /// While another holder has the lock, neither a page nor the index is written; both follow once it is released.
    func testPagesAndTheIndexWaitForTheLock() throws {
        let (project, dir, _) = try makeProject(["t": Self.report])
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = ReportRenderer(project: project)
        let page = project.siteFolder.appendingPathComponent("t.html"), index = project.siteFolder.appendingPathComponent("index.html")
        let done = DispatchGroup()
        try OutputLock.withLock(in: project.siteFolder) {
            DispatchQueue.global().async(group: done) { _ = try? renderer.render("t") }
            DispatchQueue.global().async(group: done) { try? renderer.writeIndex([]) }
            Thread.sleep(forTimeInterval: 1.5)
            XCTAssertFalse(FileManager.default.fileExists(atPath: page.path), "a page was written while another render held the lock")
            XCTAssertFalse(FileManager.default.fileExists(atPath: index.path), "the index was written while another render held the lock")
        }
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success)
        XCTAssertTrue(FileManager.default.fileExists(atPath: page.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: index.path))
    }

    func testStaleTempFilesOfDeadRendersAreRemoved() throws {
        let (project, dir, _) = try makeProject(["t": Self.report])
        defer { try? FileManager.default.removeItem(at: dir) }
        let figures = project.figuresFolder.appendingPathComponent("t")
        try FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: project.siteFolder, withIntermediateDirectories: true)
        // pid 2^30 is above Linux's pid_max (2^22): no such process. Our own pid is alive and must be kept.
        let dead = 1 << 30, me = ProcessInfo.processInfo.processIdentifier
        let stale = [(project.siteFolder, ".t.html.\(dead).\(UUID().uuidString).tmp"),
                     (figures, ".f.\(dead).3.svg.tmp"), (figures, ".f.\(dead).3.gp"),
                     (project.siteFolder, ".index.html.\(dead).\(UUID().uuidString).tmp")]
        let live = [(figures, ".f.\(me).9.svg.tmp"), (figures, ".notes.txt")]
        for (folder, name) in stale + live { try Data("half".utf8).write(to: folder.appendingPathComponent(name)) }
        _ = ReportRenderer(project: project).renderAll(["t"])
        for (folder, name) in stale {
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name) left behind")
        }
        for (folder, name) in live {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name) removed")
        }
        XCTAssertEqual(StaleTempFiles.owner(".x.y.html.123.\(UUID().uuidString).tmp"), 123)
        XCTAssertEqual(StaleTempFiles.owner(".fig.1.2.45.7.svg.tmp"), 45)
        XCTAssertEqual(StaleTempFiles.owner(".fig.45.7.gp"), 45)
        XCTAssertNil(StaleTempFiles.owner("fig.45.7.gp"))
        XCTAssertNil(StaleTempFiles.owner(".render.lock"))
    }

    // MARK: the executable, two at once and killed

    /// Every file of a rendered tree (site/ and figures/), by path; `.render.lock` aside.
    static func snapshot(_ dir: URL) throws -> [String: Data] {
        var out = [String: Data]()
        for top in ["site", "figures"] {
            let base = dir.appendingPathComponent(top)
            guard let e = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let rel as String in e {
                let url = base.appendingPathComponent(rel)
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { continue }
                if rel == ".render.lock" { continue }
                out[top + "/" + rel] = try Data(contentsOf: url)
            }
        }
        return out
    }

    static func tempNames(_ tree: [String: Data]) -> [String] {
        tree.keys.filter { ($0.split(separator: "/").last ?? "").hasPrefix(".") }.sorted()
    }

    /// 00-smoke (two gnuplot figures) and 00-items (work items) in a fresh project, rendered once: the reference tree.
    func demoProject() throws -> (URL, [String: Data]) {
        let names = ["00-smoke", "00-items"]
        var reports = [String: String]()
        for n in names { reports[n] = try String(contentsOf: repoRoot.appendingPathComponent("reports/\(n).md"), encoding: .utf8) }
        let dir = try makeCommandProject(reports)
        let r = try ReplicateBinary.run(["render"], in: dir)
        XCTAssertEqual(r.status, 0, r.output)
        let reference = try Self.snapshot(dir)
        XCTAssertTrue(reference.keys.contains("site/00-smoke.html") && reference.keys.contains("figures/00-smoke/gaussian-mi.svg"))
        XCTAssertEqual(Self.tempNames(reference), [])
        return (dir, reference)
    }

    /// Waits (up to 10 s) until no process works in a folder under `dir` (Linux /proc): the gnuplot children that a
    /// killed render leaves running in figures/<report>.
    static func waitForProcesses(workingIn dir: URL) {
        let root = dir.resolvingSymlinksInPath().path
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { Int32($0) != nil } ?? []
            let busy = pids.contains { pid in
                guard let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") else { return false }
                return cwd.hasPrefix(root + "/")
            }
            if !busy { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    func clearOutputs(_ dir: URL) {
        for f in ["site", "figures"] { try? FileManager.default.removeItem(at: dir.appendingPathComponent(f)) }
    }

    func testTwoRendersOfOneTreeAtOnceEqualOneRender() throws {
        let (dir, reference) = try demoProject()
        defer { try? FileManager.default.removeItem(at: dir) }
        for round in 0..<3 {
            clearOutputs(dir)
            let logs = (0..<2).map { dir.appendingPathComponent(".render-\(round)-\($0).txt") }
            let ps = try logs.map { try ReplicateBinary.start(["render"], in: dir, log: $0) }
            for p in ps { p.waitUntilExit() }
            for (p, log) in zip(ps, logs) {
                XCTAssertEqual(p.terminationStatus, 0, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
                try? FileManager.default.removeItem(at: log)
            }
            let tree = try Self.snapshot(dir)
            XCTAssertEqual(Self.tempNames(tree), [], "round \(round): temp files left")
            XCTAssertEqual(Set(tree.keys), Set(reference.keys), "round \(round)")
            for (path, data) in reference where tree[path] != data { XCTFail("round \(round): \(path) differs from a single render") }
        }
        // Two renders of different reports at once into one tree: the index keeps both statuses.
        clearOutputs(dir)
        try? FileManager.default.removeItem(at: dir.appendingPathComponent(".cache/index-status.json"))
        let logs = (0..<2).map { dir.appendingPathComponent(".render-split-\($0).txt") }
        let ps = try zip(["00-smoke", "00-items"], logs).map { try ReplicateBinary.start(["render", $0.0], in: dir, log: $0.1) }
        for p in ps { p.waitUntilExit(); XCTAssertEqual(p.terminationStatus, 0) }
        for l in logs { try? FileManager.default.removeItem(at: l) }
        let index = try String(contentsOf: dir.appendingPathComponent("site/index.html"), encoding: .utf8)
        XCTAssertFalse(index.contains("not rendered yet"), "an index status was lost")
        XCTAssertEqual(try Self.snapshot(dir)["site/index.html"], reference["site/index.html"])
    }

    /// `kill -9` of a render at 10 moments spread over its run: every file left is whole (equal to the reference's),
    /// and the next render writes the reference tree with no temp file left.
    func testAKilledRenderLeavesNoHalfWrittenFileAndTheNextRenderIsRight() throws {
        let (dir, reference) = try demoProject()
        defer { try? FileManager.default.removeItem(at: dir) }
        // How long a render of the two reports takes from a warm cache with figures to draw.
        clearOutputs(dir)
        let began = Date()
        XCTAssertEqual(try ReplicateBinary.run(["render"], in: dir).status, 0)
        let span = max(0.2, Date().timeIntervalSince(began))
        var killedMidway = 0
        for k in 0..<10 {
            clearOutputs(dir)
            let log = dir.appendingPathComponent(".render-kill-\(k).txt")
            let p = try ReplicateBinary.start(["render"], in: dir, log: log)
            Thread.sleep(forTimeInterval: span * Double(k + 1) / 11)
            if p.isRunning { killedMidway += 1 }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            try? FileManager.default.removeItem(at: log)
            Self.waitForProcesses(workingIn: dir)   // a gnuplot child of the killed render may still finish its temp file
            let tree = try Self.snapshot(dir)
            for (path, data) in tree where !(path.split(separator: "/").last ?? "").hasPrefix(".") {
                XCTAssertEqual(data, reference[path], "kill \(k): \(path) is not whole (\(data.count) bytes)")
            }
            // The next render repairs the tree completely.
            let next = try ReplicateBinary.run(["render"], in: dir)
            XCTAssertEqual(next.status, 0, next.output)
            let repaired = try Self.snapshot(dir)
            XCTAssertEqual(Self.tempNames(repaired), [], "kill \(k): temp files left after the next render")
            XCTAssertEqual(Set(repaired.keys), Set(reference.keys), "kill \(k)")
            for (path, data) in reference where repaired[path] != data { XCTFail("kill \(k): \(path) differs after the next render") }
        }
        XCTAssertGreaterThan(killedMidway, 5, "the kills landed during the render")
        print("kill test: \(killedMidway) of 10 kills during a \(String(format: "%.2f", span)) s render")
    }
}
