import AnalysisKit
import DemoAnalyses
import Foundation
import XCTest
@testable import Renderer

/// Seeded mutation fuzzing of the whole page pipeline (issue 14): the real reports mutated by byte flips, line
/// deletions and duplications, fence shuffles, CRLF/CR endings, invalid UTF-8 and huge lines — most cases in a window of
/// 4–40 lines, every tenth on the whole report — each decoded, parsed, executed on stand-ins for the demo analyses
/// (other analyses are unknown, which is itself an error path), prose-transformed and rendered to a page in memory,
/// twice. Figures are placeholders except in every 250th case, where gnuplot draws them for real (their labels carry
/// mutated parameter text) and the second render must reuse the first one's SVG. Every 500th case is ~30 kB; case
/// 1000 (and every 10,000th after it) is MB-scale: all reports, mutated, repeated to `FUZZ_GIANT_BYTES` (1 MB). Each case runs under a watchdog: one that has not finished after 10 s
/// fails as a hang at once (the fuzz stops there instead of blocking the suite). Every case must give byte-identical
/// pages and report every problem at a line of its input, shown on the page.
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

    func mutate(_ corpus: [[UInt8]], _ rng: inout SplitMix64, huge: Bool, whole: Bool = false) -> [UInt8] {
        var l = lines(corpus[rng.below(corpus.count)])
        if !whole {
            let start = rng.below(l.count), length = 4 + rng.below(36)
            l = Array(l[start..<min(l.count, start + length)])
        }
        for _ in 0..<((whole ? 2 : 1) + rng.below(whole ? 8 : 4)) {
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
            // Mutated parameter text reaches the figure's title, axis label, series label and caption (gnuplot quoting).
            let text = p.entries.keys.sorted().compactMap { p.raw($0) }.joined(separator: " ")
            return AnalysisOutput(
                tables: [Table(id: "gaussian-mi-table", caption: "stub $x$", columns: ["n"], rows: sizes.map { ["\($0)"] })],
                figures: [Figure(id: "f", caption: "c \(text)", altText: "a",
                                 panels: [Panel(title: text, xLabel: text, series: [Series(label: "s \(text)", x: x, y: x)])])],
                values: names.enumerated().map { Scalar($0.element, Double(seed) + Double($0.offset) / 7, error: 0.01) })
        }
    })

    /// One case's results, computed on the watchdog's worker thread and checked on the test's thread.
    struct Outcome { var result: ReportResult; var page1: String; var page2: String; var lineCount: Int; var seconds: Double }

    func testMutatedReportsNeverCrashHangOrDropErrors() throws {
        let env = ProcessInfo.processInfo.environment
        let cases = Int(env["FUZZ_CASES"] ?? "") ?? 2_000
        var rng = SplitMix64(state: UInt64(env["FUZZ_SEED"] ?? "") ?? 14)
        let folder = repoRoot.appendingPathComponent("reports")
        let corpus = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }.sorted()
            .map { [UInt8](try Data(contentsOf: folder.appendingPathComponent($0))) }
        XCTAssertGreaterThanOrEqual(corpus.count, 6)
        let smoke = [UInt8](try Data(contentsOf: folder.appendingPathComponent("00-smoke.md")))
        let (_, dir, _) = try makeProject([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        var project = ReportProject(root: dir, registry: Self.stubs)
        project.log = { _ in }
        var stubbed = ReportRenderer(project: project)
        stubbed.figureStub = true
        let drawing = ReportRenderer(project: project)
        let watchdog = DispatchQueue(label: "fuzz-case")
        // The size of the MB-scale case (FUZZ_GIANT_BYTES, default 1 MB): a debug build renders about 0.4 MB/s of
        // CPU time, so 1 MB stays well inside the 10 s watchdog on a loaded 2-core machine; 4 MB needs a release
        // build (`FUZZ_GIANT_BYTES=4000000 swift test -c release --filter FuzzTests`).
        let giantBytes = Int(env["FUZZ_GIANT_BYTES"] ?? "") ?? 1_000_000
        // One-time costs (the provenance footer's git and gnuplot subprocesses, the first directive's cache setup:
        // 7–9 s on a loaded machine) before the watchdog starts timing.
        _ = stubbed.pageParts("warm-up", source: ReportSource.decode(Data("# W\n\n```{run demo.gaussian_mi}\nrho: 0.5\n```\n".utf8), file: "reports/w.md"))
        var rejected = 0, slowest = 0.0, slowestKind = "", kinds = [String: Int](), largest = 0, drawn = 0
        for k in 0..<cases {
            let whole = k % 40 == 3, draw = k % 250 == 125, huge = k % 500 == 499, giant = k % 10_000 == 1_000
            // The gnuplot cases mutate the whole of 00-smoke, whose directives the stand-ins run (with figures).
            var mutated = draw ? mutate([smoke], &rng, huge: false, whole: true) : mutate(corpus, &rng, huge: huge, whole: whole || giant)
            if giant { // MB-scale: every report, mutated, repeated
                var all = [UInt8]()
                for c in corpus { all += mutate([c], &rng, huge: false, whole: true) + [0x0A] }
                mutated = Array(repeating: all, count: max(1, giantBytes / max(1, all.count))).flatMap { $0 }
            }
            let input = mutated
            largest = max(largest, input.count)
            let kind = giant ? "MB-scale" : huge ? "30 kB" : draw ? "gnuplot" : whole ? "whole report" : "window"
            kinds[kind, default: 0] += 1
            let renderer = draw ? drawing : stubbed
            let box = OutcomeBox()
            let finished = DispatchSemaphore(value: 0)
            let name = draw ? "fuzz\(k)" : "fuzz"
            // The worker signals after each of the two renders; each must come within 10 s.
            watchdog.async {
                var began = Date()
                let source = ReportSource.decode(Data(input), file: "reports/fuzz.md")
                // Body and footer: the page template around them is the same for every page.
                let (r1, body1, footer1) = renderer.pageParts(name, source: source)
                box.seconds = Date().timeIntervalSince(began)
                finished.signal()
                began = Date()
                let (_, body2, footer2) = renderer.pageParts(name, source: ReportSource.decode(Data(input), file: "reports/fuzz.md"))
                box.seconds = max(box.seconds, Date().timeIntervalSince(began))
                box.outcome = Outcome(result: r1, page1: body1 + footer1, page2: body2 + footer2,
                                      lineCount: source.text.split(separator: "\n", omittingEmptySubsequences: false).count,
                                      seconds: box.seconds)
                finished.signal()
            }
            let context = "case \(k) (FUZZ_SEED to reproduce; \(input.count) bytes): \(String(decoding: input.prefix(env["FUZZ_VERBOSE"] == nil ? 300 : 100_000), as: UTF8.self).debugDescription)"
            guard finished.wait(timeout: .now() + 10) == .success, finished.wait(timeout: .now() + 10) == .success, let o = box.outcome else {
                XCTFail("hang: a render took over 10 s — \(context)")
                break // the stuck case keeps its thread; later cases would queue behind it
            }
            if o.seconds > slowest { slowest = o.seconds; slowestKind = "\(kind), case \(k)" }
            if env["FUZZ_DEBUG"] != nil && o.seconds > 0.5 { print("SLOW \(k) \(o.seconds): \(context)") }
            XCTAssertTrue(o.page1 == o.page2, "not byte-identical: \(context)")
            if !o.result.diagnostics.isEmpty { rejected += 1 }
            let boxes = Self.errorBoxes(o.page1)
            for d in o.result.diagnostics {
                XCTAssertTrue(d.line >= 1 && d.line <= o.lineCount, "line \(d.line) outside 1...\(o.lineCount): \(d) — \(context)")
                XCTAssertTrue(boxes.contains(HTMLBlocks.error(d)), "error not on the page: \(d) — \(context)")
            }
            if draw && o.result.diagnostics.allSatisfy({ !$0.message.contains("gnuplot") }) && o.page1.contains("fig-f") {
                XCTAssertTrue(o.page1.contains("<svg"), "a drawn figure is inlined: \(context)")
                if o.page1.contains("<svg") { drawn += 1 }
            }
            if draw { try? FileManager.default.removeItem(at: project.figuresFolder.appendingPathComponent(name)) }
            if testRun?.failureCount ?? 0 > 20 { break }
        }
        print("fuzz: \(cases) cases (\(kinds.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))), "
              + "\(rejected) rejected with errors, \(drawn) drawn by gnuplot, slowest render \(String(format: "%.2f", slowest)) s (\(slowestKind)), largest \(largest) bytes")
        XCTAssertGreaterThan(rejected, cases / 10, "the mutations reach the error paths")
    }
}

final class OutcomeBox: @unchecked Sendable { var outcome: FuzzTests.Outcome?; var seconds = 0.0 }

extension FuzzTests {
    /// Every error box of a page (`HTMLBlocks.error`), in one pass over its bytes.
    static func errorBoxes(_ page: String) -> Set<String> {
        let open = Array("<div class=\"error\" role=\"alert\">".utf8), close = Array("</div>\n".utf8)
        let b = Array(page.utf8)
        func at(_ p: [UInt8], _ i: Int) -> Bool { i + p.count <= b.count && b[i..<(i + p.count)].elementsEqual(p) }
        var out = Set<String>(), i = 0
        while i < b.count {
            guard b[i] == open[0], at(open, i) else { i += 1; continue }
            var j = i + open.count
            while j < b.count && !(b[j] == close[0] && at(close, j)) { j += 1 }
            guard j < b.count else { break }
            out.insert(String(decoding: b[i..<(j + close.count)], as: UTF8.self))
            i = j + close.count
        }
        return out
    }
}
