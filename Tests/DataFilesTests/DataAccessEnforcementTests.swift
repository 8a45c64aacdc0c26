import Foundation
import XCTest

/// Issue 13, "every file an analysis reads comes through the data API": the analysis modules get file URLs only from
/// `AnalysisContext.dataFile` / `dataset` (which verify manifest checksums and record each file for the cache key) and
/// read them only with the DataFiles readers. This test scans their sources and fails, at file and line, on any way
/// around it: building a path, reading or writing a file with Foundation, listing a folder, or reading the
/// environment (which the cache key would not see).
final class DataAccessEnforcementTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Every analysis module and the numerical code beneath it; DataFiles is the one place that opens files.
    static let modules = ["CollectiveRedundancy", "InfoGeometry", "RINE", "RenormalizedMI", "Retina", "Demo",
                          "Numerics", "NeuralNet", "StatisticalTolerances"]
    static let forbidden: [(pattern: String, why: String)] = [
        (#"\bURL\(\s*(fileURLWithPath|filePath|string)\s*:"#, "builds a file path: take the URL from ctx.dataFile / ctx.dataset"),
        (#"(?<![A-Za-z])Data\(\s*contentsOf"#, "reads a file with Foundation: use a DataFiles reader on a ctx URL"),
        (#"String\(\s*contentsOf|contentsOfFile"#, "reads a file with Foundation: use a DataFiles reader on a ctx URL"),
        (#"FileHandle\(|InputStream\(|\bfopen\("#, "opens a file directly: use a DataFiles reader on a ctx URL"),
        (#"FileManager\.default\.(contents\(|contentsOfDirectory|enumerator|createFile|copyItem|moveItem|removeItem)"#,
         "touches the file system beyond a stat of a given URL"),
        (#"\.write\(\s*to\s*:"#, "writes a file: analyses return their outputs, the renderer writes them"),
        (#"processInfo\.environment|\bgetenv\(|currentDirectoryPath|temporaryDirectory|homeDirectory"#,
         "depends on the environment, which the cache key does not see"),
    ]
    /// The exceptions, each with its reason.
    static let allowed: [String: String] = [
        "Numerics/BLASInfo.swift": "reports OPENBLAS_CORETYPE, which the renderer puts into the cache key itself",
    ]

    func testAnalysisModulesReadFilesOnlyThroughTheDataAPI() throws {
        var problems: [String] = [], scanned = 0
        let regexes = try Self.forbidden.map { (try NSRegularExpression(pattern: $0.pattern), $0.why) }
        for module in Self.modules {
            let folder = Self.root.appendingPathComponent("Sources/Core/\(module)")
            let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted()
            XCTAssertFalse(files.isEmpty, "no sources found for \(module) at \(folder.path)")
            for file in files where Self.allowed["\(module)/\(file)"] == nil {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                scanned += 1
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = line.components(separatedBy: "//").first ?? ""   // comments may name what code may not do
                    let range = NSRange(code.startIndex..., in: code)
                    for (regex, why) in regexes where regex.firstMatch(in: code, range: range) != nil {
                        problems.append("Sources/Core/\(module)/\(file):\(n + 1): \(why): \(line.trimmingCharacters(in: .whitespaces))")
                    }
                }
            }
        }
        XCTAssertGreaterThan(scanned, 50, "the scan found too few files")
        XCTAssertEqual(problems, [], problems.joined(separator: "\n"))
    }

    /// The scan catches what it should: each pattern matches a typical bypass and leaves the data API alone.
    func testTheScanRecognisesBypasses() throws {
        let bypasses = ["let u = URL(fileURLWithPath: \"/tmp/x.csv\")", "let d = try Data(contentsOf: u)",
                        "let s = try String(contentsOf: u, encoding: .utf8)", "let h = FileHandle(forReadingAtPath: p)",
                        "FileManager.default.contentsOfDirectory(atPath: p)", "try out.write(to: u)",
                        "let e = ProcessInfo.processInfo.environment[\"X\"]"]
        let fine = ["let url = try ctx.dataFile(\"data\", default: \"a/b.mat\")", "let r = try ReachData(contentsOf: url)",
                    "let t = try NumericTable(contentsOf: url)", "FileManager.default.attributesOfItem(atPath: url.path)"]
        let regexes = try Self.forbidden.map { try NSRegularExpression(pattern: $0.pattern) }
        func caught(_ s: String) -> Bool { regexes.contains { $0.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil } }
        for b in bypasses { XCTAssertTrue(caught(b), b) }
        for f in fine { XCTAssertFalse(caught(f), f) }
    }
}
