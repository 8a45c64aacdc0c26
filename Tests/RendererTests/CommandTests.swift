import AnalysisKit
import Foundation
import XCTest
@testable import Renderer

/// The built `replicate` executable beside this test bundle (`swift test` builds it with the tests), run as a child
/// process in a throwaway project.
enum ReplicateBinary {
    static var url: URL? {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("replicate")
        let candidates = [beside, repoRoot.appendingPathComponent(".build/debug/replicate")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Starts `replicate args…` in `dir` (stdout and stderr together into a file, so no pipe can fill up).
    static func start(_ args: [String], in dir: URL, log: URL) throws -> Process {
        guard let exe = url else { throw XCTSkip("no replicate executable beside the tests (run `swift test`, which builds it)") }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let out = try FileHandle(forWritingTo: log)
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        p.environment = env
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Runs `replicate args…` in `dir` to the end: exit status and everything it printed.
    static func run(_ args: [String], in dir: URL) throws -> (status: Int32, output: String) {
        let log = dir.appendingPathComponent(".out-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: log) }
        let p = try start(args, in: dir, log: log)
        p.waitUntilExit()
        return (p.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}

/// A project folder for the executable: `reports/<name>.md` for each report.
func makeCommandProject(_ reports: [String: String]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replicate-cmd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("reports"), withIntermediateDirectories: true)
    for (name, text) in reports { try Data(text.utf8).write(to: dir.appendingPathComponent("reports/\(name).md")) }
    return dir
}

/// Issue 12 §4 and issue 14: `replicate check` and `replicate accept` themselves (the commands, their exit status and
/// output), on page-level errors.
final class CheckAcceptCommandTests: XCTestCase {
    static let good = """
    # T

    ```{run demo.gaussian_mi}
    rho: 0.5
    samples: [50]
    repeats: 3
    ```

    Exact: {{demo.mi_exact}} bits.

    ```{compare}
    Exact MI at rho = 0.5 (bits) | 0.207519 | demo.mi_exact | 0.0000005 | the paper quotes six decimals
    ```

    """

    /// Page-level errors, each with the line it must be reported at (an unknown parameter: its own line) and a piece
    /// of its message.
    static let broken: [(what: String, source: String, line: Int, message: String)] = [
        ("unknown value", good.replacingOccurrences(of: "Exact: {{demo.mi_exact}} bits.", with: "Exact: {{demo.mi_exakt}} bits."),
         9, "unknown value '{{demo.mi_exakt}}'"),
        ("bad compare row", good.replacingOccurrences(of: "| 0.0000005 | the paper quotes six decimals", with: "| tolerance"),
         12, "tolerance 'tolerance' is not a finite non-negative number"),
        ("unclosed {{", good.replacingOccurrences(of: "Exact: {{demo.mi_exact}} bits.", with: "Exact: {{demo.mi_exact bits."),
         9, "unclosed '{{'"),
        ("unclosed $", good.replacingOccurrences(of: "Exact: {{demo.mi_exact}} bits.", with: "Exact: {{demo.mi_exact}} bits, $x costs."),
         9, "unclosed math"),
        ("unknown parameter", good.replacingOccurrences(of: "repeats: 3", with: "repeats: 3\nrhoo: 0.4"),
         7, "parameter 'rhoo': unknown parameter"),
    ]

    func testCheckAndAcceptFailWithFileAndLineOnPageErrors() throws {
        let dir = try makeCommandProject(["t": Self.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let valuesURL = dir.appendingPathComponent("reports/t.values.json")

        // A clean report: check fails only for want of stored values; accept stores them; check passes.
        let first = try ReplicateBinary.run(["check", "t"], in: dir)
        XCTAssertEqual(first.status, 1, first.output)
        XCTAssertTrue(first.output.contains("no stored values"), first.output)
        let accepted = try ReplicateBinary.run(["accept", "t"], in: dir)
        XCTAssertEqual(accepted.status, 0, accepted.output)
        let stored = try Data(contentsOf: valuesURL)
        let passing = try ReplicateBinary.run(["check", "t"], in: dir)
        XCTAssertEqual(passing.status, 0, passing.output)
        XCTAssertTrue(passing.output.contains("PASS t:"), passing.output)

        for c in Self.broken {
            try Data(c.source.utf8).write(to: dir.appendingPathComponent("reports/t.md"))
            // check: non-zero, the error at reports/t.md:<line>, although every stored value still matches.
            let check = try ReplicateBinary.run(["check", "t"], in: dir)
            XCTAssertEqual(check.status, 1, "\(c.what): \(check.output)")
            let errors = check.output.split(separator: "\n").filter { $0.hasPrefix("ERROR reports/t.md:\(c.line): ") }
            XCTAssertTrue(errors.contains { $0.contains(c.message) }, "\(c.what): expected 'reports/t.md:\(c.line): …\(c.message)…' in\n\(check.output)")
            XCTAssertTrue(check.output.contains("FAIL t:"), "\(c.what): \(check.output)")
            XCTAssertTrue(check.output.contains("CHECK FAILED"), "\(c.what): \(check.output)")
            // The cached variant reports the same.
            let cached = try ReplicateBinary.run(["check", "--cached", "t"], in: dir)
            XCTAssertEqual(cached.status, 1, "\(c.what) (--cached): \(cached.output)")
            XCTAssertTrue(cached.output.contains("ERROR reports/t.md:\(c.line): "), "\(c.what) (--cached): \(cached.output)")

            // accept: refuses, says where, and leaves the stored values byte for byte.
            let accept = try ReplicateBinary.run(["accept", "t"], in: dir)
            XCTAssertEqual(accept.status, 1, "\(c.what): \(accept.output)")
            XCTAssertTrue(accept.output.contains("ERROR reports/t.md:\(c.line): "), "\(c.what): \(accept.output)")
            XCTAssertTrue(accept.output.contains("not accepting t: fix its errors first"), "\(c.what): \(accept.output)")
            XCTAssertEqual(try Data(contentsOf: valuesURL), stored, "\(c.what): accept must not touch the values file")
            let only = try ReplicateBinary.run(["accept", "t", "--only", "demo.mi_exact"], in: dir)
            XCTAssertEqual(only.status, 1, "\(c.what) (--only): \(only.output)")
            XCTAssertEqual(try Data(contentsOf: valuesURL), stored, "\(c.what) (--only): accept must not touch the values file")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("reports").path).sorted(),
                       ["t.md", "t.values.json"], "no temp or partial values files")
    }

    func testAcceptWritesNothingForABrokenNewReport() throws {
        let c = Self.broken[0]
        let dir = try makeCommandProject(["t": c.source, "u": Self.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let accept = try ReplicateBinary.run(["accept", "t"], in: dir)
        XCTAssertEqual(accept.status, 1, accept.output)
        XCTAssertTrue(accept.output.contains("ERROR reports/t.md:\(c.line): "), accept.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("reports/t.values.json").path))
        // A whole-project check fails for the broken report and still checks the other one.
        let check = try ReplicateBinary.run(["check"], in: dir)
        XCTAssertEqual(check.status, 1, check.output)
        XCTAssertTrue(check.output.contains("FAIL t:") && check.output.contains("\nu\n"), check.output)
        // An unknown report name is a usage error, not a crash.
        let unknown = try ReplicateBinary.run(["check", "nope"], in: dir)
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.output.contains("no report 'nope'"), unknown.output)
    }
}
