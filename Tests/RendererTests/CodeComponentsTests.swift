import AnalysisKit
import DataFiles
import DemoAnalyses
import Foundation
import XCTest
@testable import Renderer

/// Issue 13: per-target code hashes (`<Module>SourceIdentity.components`) beside the whole code identity, kept with
/// each cached result, so `--explain` names the target whose code changed.
final class CodeComponentsTests: XCTestCase {
    func testExplainNamesTheChangedTargets() {
        let old = CacheKey(analysis: "rine.estimate", parameters: "", datasets: [:], build: "sources:aaaaaaaaaaaa")
        var new = old
        new.build = "sources:bbbbbbbbbbbb"
        let before = ["RINE": "r", "Numerics": "n", "AnalysisKit": "k"]
        func explain(_ now: [String: String]?, _ then: [String: String]?) -> [String] {
            new.differences(from: old, module: "RINE", components: now, oldComponents: then)
        }
        XCTAssertEqual(explain(["RINE": "r", "Numerics": "n2", "AnalysisKit": "k"], before),
                       ["code of module RINE changed (sources aaaaaaaa… → bbbbbbbb…; Numerics changed (dependency of RINE))"])
        XCTAssertEqual(explain(["RINE": "r2", "Numerics": "n2", "AnalysisKit": "k"], before),
                       ["code of module RINE changed (sources aaaaaaaa… → bbbbbbbb…; Numerics changed (dependency of RINE), "
                        + "RINE's own sources changed)"])
        XCTAssertEqual(explain(["RINE": "r", "Numerics": "n", "AnalysisKit": "k", "NeuralNet": "x"], before),
                       ["code of module RINE changed (sources aaaaaaaa… → bbbbbbbb…; NeuralNet added (new dependency of RINE))"])
        XCTAssertEqual(explain(["RINE": "r", "AnalysisKit": "k"], before),
                       ["code of module RINE changed (sources aaaaaaaa… → bbbbbbbb…; Numerics removed (no longer a dependency of RINE))"])
        // A slot file from before the components: the change is still explained, its targets unknown.
        XCTAssertEqual(explain(["RINE": "r"], nil),
                       ["code of module RINE changed (sources aaaaaaaa… → bbbbbbbb…; unknown components (the earlier run recorded no per-target hashes))"])
        // A registry without components: as before.
        XCTAssertEqual(explain(nil, before), ["code of module RINE changed (sources aaaaaaaa… → bbbbbbbb…)"])
        // Module-level comparison still follows.
        XCTAssertEqual(new.differences(from: old, module: "RINE", modules: ["RINE": "b", "Retina": "t"], oldModules: ["RINE": "a", "Retina": "t"],
                                       components: ["RINE": "r2"], oldComponents: ["RINE": "r"]),
                       ["code of module RINE changed (sources aaaaaaaa… → bbbbbbbb…; RINE's own sources changed; "
                        + "the other modules' code is unchanged: Retina)"])
    }

    /// A real render: the slot file keeps the components; a changed dependency's hash is named on the next render, and
    /// an old slot file without components says "unknown components".
    func testRenderKeepsComponentsAndExplainNamesTheDependency() throws {
        let smoke = try String(contentsOf: repoRoot.appendingPathComponent("reports/00-smoke.md"), encoding: .utf8)
        let (_, dir, _) = try makeProject(["00-smoke": smoke])
        defer { try? FileManager.default.removeItem(at: dir) }
        let box = LogBox()
        func render(identity: String, components: [String: String]?) throws {
            var project = ReportProject(root: dir, registry: AnalysisRegistry(DemoCatalog.analyses.identified(by: identity)))
            project.log = { box.lines.append($0) }
            project.explain = true
            if let components { project.codeComponents = ["DemoAnalyses": components] }
            box.lines.removeAll()
            _ = try ReportRenderer(project: project).render("00-smoke")
        }
        // First run without components (an old slot file), then with: unknown components.
        try render(identity: "one", components: nil)
        try render(identity: "two", components: ["DemoAnalyses": "d", "Numerics": "n1", "AnalysisKit": "k"])
        XCTAssertTrue(box.lines.contains { $0.contains("demo.gaussian_mi: re-running because code of module DemoAnalyses changed (sources one… → two…; unknown components") },
                      "\(box.lines)")
        let slot = try String(contentsOf: dir.appendingPathComponent(".cache/slots/00-smoke#1.json"), encoding: .utf8)
        XCTAssertTrue(slot.contains("\"codeComponents\":{\"AnalysisKit\":\"k\",\"DemoAnalyses\":\"d\",\"Numerics\":\"n1\"}"), slot)
        // Numerics changes: named as the dependency.
        try render(identity: "three", components: ["DemoAnalyses": "d", "Numerics": "n2", "AnalysisKit": "k"])
        XCTAssertTrue(box.lines.contains { $0.contains("demo.gaussian_mi: re-running because code of module DemoAnalyses changed (sources two… → three…; Numerics changed (dependency of DemoAnalyses))") },
                      "\(box.lines)")
    }

    /// The generated identity of a real module (DemoAnalyses): `hash` over all its targets' files as before, and one
    /// component per target with files, each the same hash over that target's files alone.
    func testGeneratedComponentsMatchTheSourcesOnDisk() throws {
        let targets = ["DemoAnalyses": "Sources/Core/Demo", "Numerics": "Sources/Core/Numerics",
                       "DataFiles": "Sources/Core/DataFiles", "AnalysisKit": "Sources/AnalysisKit"]
        XCTAssertEqual(Set(DemoAnalysesSourceIdentity.components.keys), Set(targets.keys))
        func files(_ folder: String) throws -> [String] {
            let base = repoRoot.appendingPathComponent(folder)
            let e = try XCTUnwrap(FileManager.default.enumerator(atPath: base.path))
            return e.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.map { base.appendingPathComponent($0).standardizedFileURL.path }
        }
        let root = repoRoot.standardizedFileURL.path
        func manifestHash(_ paths: [String]) throws -> String {
            sha256Hex(Data(try paths.sorted().map { "\($0.dropFirst(root.count)) \(try sha256Hex(fileAt: URL(fileURLWithPath: $0)))\n" }.joined().utf8))
        }
        var all = [String]()
        for (name, folder) in targets {
            let f = try files(folder); all += f
            XCTAssertEqual(DemoAnalysesSourceIdentity.components[name], try manifestHash(f), name)
        }
        XCTAssertEqual(DemoAnalysesSourceIdentity.hash, try manifestHash(all), "the whole hash (the cache key's code identity) is unchanged")
    }

    /// The tool itself: grouped and ungrouped arguments give the same `hash`; components per `--target`.
    func testSourceHasherGroupsByTarget() throws {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("SourceHasher")
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("no SourceHasher beside the tests") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hasher-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("A"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("B"), withIntermediateDirectories: true)
        let a = dir.appendingPathComponent("A/a.swift").path, b = dir.appendingPathComponent("B/b.swift").path
        try Data("let a = 1\n".utf8).write(to: URL(fileURLWithPath: a))
        try Data("let b = 2\n".utf8).write(to: URL(fileURLWithPath: b))
        func run(_ args: [String]) throws -> String {
            let out = dir.appendingPathComponent("out-\(UUID().uuidString).swift")
            let p = Process(); p.executableURL = exe; p.arguments = ["M", out.path, dir.path] + args
            try p.run(); p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0)
            return try String(contentsOf: out, encoding: .utf8)
        }
        func hash(_ text: String, _ key: String) -> String? {
            // The last quoted string of the first line holding `key`.
            guard let line = text.split(separator: "\n").first(where: { $0.contains(key) }) else { return nil }
            let parts = line.split(separator: "\"", omittingEmptySubsequences: false)
            return parts.count >= 3 ? String(parts[parts.count - 2]) : nil
        }
        let flat = try run([b, a]), grouped = try run(["--target", "M", a, "--target", "B", b])
        let line = { (p: String) in "\(p.dropFirst(dir.path.count)) \(try! sha256Hex(fileAt: URL(fileURLWithPath: p)))\n" }
        XCTAssertEqual(hash(flat, "static let hash"), sha256Hex(Data((line(a) + line(b)).utf8)))
        XCTAssertEqual(hash(flat, "static let hash"), hash(grouped, "static let hash"))
        XCTAssertEqual(hash(grouped, "\"B\":"), sha256Hex(Data(line(b).utf8)))
        XCTAssertEqual(hash(grouped, "\"M\":"), sha256Hex(Data(line(a).utf8)))
        XCTAssertEqual(hash(flat, "\"M\":"), hash(flat, "static let hash"), "ungrouped: one component, the module")
        XCTAssertTrue(try run(["--target", "M"]).contains("[String: String] = [\n        :\n    ]"), "no files: an empty map")
    }
}
