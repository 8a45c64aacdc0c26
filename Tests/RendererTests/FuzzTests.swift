import AnalysisKit
import DemoAnalyses
import Foundation
import XCTest
@testable import Renderer

/// Seeded mutation fuzzing of the whole page pipeline (issue 14): windows of the real reports mutated by byte flips,
/// line deletions and duplications, fence shuffles, CRLF/CR endings, invalid UTF-8 and huge lines, each decoded, parsed,
/// executed on the demo analyses (other analyses are unknown, which is itself an error path), prose-transformed and
/// rendered to a page in memory (figures as placeholders) — twice. Every case must finish (a case over 10 s is reported
/// as a hang), give byte-identical pages, and report every problem at a line of its input, shown on the page.
/// `FUZZ_CASES` sets the number of cases (default 2000; `make fuzz` runs more), `FUZZ_SEED` the seed.
final class FuzzTests: XCTestCase {
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    }

    static let interesting: [[UInt8]] = ["$", "$$", "`", "```", "~~~", "{{", "}}", "{", "}", "|", "\n", "\r", "\r\n", "\\", "#",
                                          ":", " ", "\t", "±", "```{run demo.gaussian_mi}", "```{compare}", "{run", "nan", "inf"]
        .map { Array($0.utf8) } + [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0x00], [0xE2, 0x82]]

    func lines(_ b: [UInt8]) -> [[UInt8]] { b.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init) }
    func joined(_ l: [[UInt8]]) -> [UInt8] { Array(l.joined(separator: [0x0A])) }

    func mutate(_ corpus: [[UInt8]], _ rng: inout SplitMix64, huge: Bool) -> [UInt8] {
        var l = lines(corpus[rng.below(corpus.count)])
        let start = rng.below(l.count), length = 4 + rng.below(36)
        l = Array(l[start..<min(l.count, start + length)])
        for _ in 0..<(1 + rng.below(4)) {
            if l.isEmpty { l = [[]] }
            switch rng.below(7) {
            case 0, 1: // byte flips: overwrite or insert interesting bytes
                var b = joined(l)
                for _ in 0..<(1 + rng.below(3)) {
                    let at = rng.below(b.count + 1), piece = Self.interesting[rng.below(Self.interesting.count)]
                    if rng.below(2) == 0 || at == b.count { b.insert(contentsOf: piece, at: at) } else { b[at] = piece[0] }
                }
                l = lines(b)
            case 2: l.remove(at: rng.below(l.count))                                        // line deletion
            case 3: let i = rng.below(l.count); l.insert(l[i], at: rng.below(l.count + 1))  // line duplication
            case 4: // fence shuffle: move a fence line elsewhere, or swap two
                let fences = l.indices.filter { i in let t = l[i].drop { $0 == 0x20 }; return t.starts(with: [0x60, 0x60, 0x60]) || t.starts(with: [0x7E, 0x7E, 0x7E]) }
                if let f = fences.isEmpty ? nil : fences[rng.below(fences.count)] {
                    if fences.count > 1 && rng.below(2) == 0 { l.swapAt(f, fences[rng.below(fences.count)]) }
                    else { let line = l.remove(at: f); l.insert(line, at: rng.below(l.count + 1)) }
                }
            case 5: // line endings: all CRLF, all CR, or mixed
                let mode = rng.below(3)
                var b = [UInt8]()
                for (i, line) in l.enumerated() {
                    b += line
                    if i + 1 < l.count { b += [[0x0D, 0x0A], [0x0D], i % 2 == 0 ? [0x0A] : [0x0D, 0x0A]][mode] }
                }
                return b
            default: // a line of prose syntax
                let pieces = (0..<(1 + rng.below(12))).map { _ in Self.interesting[rng.below(Self.interesting.count)] }
                l.insert(Array(pieces.joined(separator: [0x20])), at: rng.below(l.count + 1))
            }
        }
        if huge { // about 30 kB (15 times a usual case): a long line of math, references and backticks, or many lines
            if rng.below(2) == 0 { l.append(Array(String(repeating: "$a$ {{x ` $", count: 3_000).utf8)) }
            else { l += Array(repeating: l.first ?? [], count: 500) + Array(repeating: Array("$x$ and {{demo.mi_exact}}".utf8), count: 500) }
        }
        return joined(l)
    }

    /// Cheap stand-ins for the demo analyses (same names, values, parameter checks, a table and a figure), so that a
    /// mutated parameter never starts a real computation.
    static let stubs = AnalysisRegistry(DemoCatalog.analyses.map { real in
        AnalysisDescriptor(name: real.name, summary: real.summary) { ctx in
            let p = ctx.parameters
            let seed = try p.int("seed", default: 1)
            let sizes = p.entries["samples"] == nil ? [10] : try p.ints("samples")
            _ = try p.double("rho", default: 0.5, range: -0.999...0.999)
            for key in p.entries.keys.sorted() where !["seed", "samples", "rho"].contains(key) { _ = p.raw(key) }
            let names = ["demo.mi_exact", "demo.mi_largest_n", "demo.tc_exact", "demo.tc_sample", "demo.corr_max_deviation"]
            let x = sizes.map(Double.init)
            return AnalysisOutput(
                tables: [Table(id: "gaussian-mi-table", caption: "stub $x$", columns: ["n"], rows: sizes.map { ["\($0)"] })],
                figures: [Figure(id: "f", caption: "c", altText: "a", panels: [Panel(series: [Series(label: "s", x: x, y: x)])])],
                values: names.enumerated().map { Scalar($0.element, Double(seed) + Double($0.offset) / 7, error: 0.01) })
        }
    })

    func testMutatedReportsNeverCrashHangOrDropErrors() throws {
        let env = ProcessInfo.processInfo.environment
        let cases = Int(env["FUZZ_CASES"] ?? "") ?? 2_000
        var rng = SplitMix64(state: UInt64(env["FUZZ_SEED"] ?? "") ?? 14)
        let folder = repoRoot.appendingPathComponent("reports")
        let corpus = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }.sorted()
            .map { [UInt8](try Data(contentsOf: folder.appendingPathComponent($0))) }
        XCTAssertGreaterThanOrEqual(corpus.count, 6)
        let (project0, dir, _) = try makeProject([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        var project = ReportProject(root: dir, registry: Self.stubs)
        _ = project0
        project.log = { _ in }
        var renderer = ReportRenderer(project: project)
        renderer.figureStub = true
        var rejected = 0, slowest = 0.0
        for k in 0..<cases {
            let input = mutate(corpus, &rng, huge: k % 500 == 499)
            let began = Date()
            let source = ReportSource.decode(Data(input), file: "reports/fuzz.md")
            // Body and footer: the page template around them is the same for every page.
            let (r1, body1, footer1) = renderer.pageParts("fuzz", source: source)
            let (_, body2, footer2) = renderer.pageParts("fuzz", source: ReportSource.decode(Data(input), file: "reports/fuzz.md"))
            let page1 = body1 + footer1, page2 = body2 + footer2
            let seconds = Date().timeIntervalSince(began)
            slowest = max(slowest, seconds)
            let context = "case \(k) (FUZZ_SEED to reproduce): \(String(decoding: input.prefix(env["FUZZ_VERBOSE"] == nil ? 300 : 100_000), as: UTF8.self).debugDescription)"
            XCTAssertLessThan(seconds, 10, "hang: \(context)")
            XCTAssertTrue(page1 == page2, "not byte-identical: \(context)")
            let lineCount = source.text.split(separator: "\n", omittingEmptySubsequences: false).count
            if !r1.diagnostics.isEmpty { rejected += 1 }
            for d in r1.diagnostics {
                XCTAssertTrue(d.line >= 1 && d.line <= lineCount, "line \(d.line) outside 1...\(lineCount): \(d) — \(context)")
                XCTAssertTrue(page1.contains(HTMLBlocks.error(d)), "error not on the page: \(d) — \(context)")
            }
            if testRun?.failureCount ?? 0 > 20 { break }
        }
        print("fuzz: \(cases) cases, \(rejected) rejected with errors, slowest \(String(format: "%.2f", slowest)) s")
        XCTAssertGreaterThan(rejected, cases / 10, "the mutations reach the error paths")
    }
}
