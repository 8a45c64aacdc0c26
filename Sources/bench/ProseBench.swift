import Foundation
import AnalysisKit
import Renderer

/// Prose transform at scale (issue 14 §9, "a 10k-span report should render its prose in under 1 s"): whole renders of a
/// report whose prose holds n inline math spans, n value references `{{…}}` and n code spans, for n = 1k … 10k, with
/// the browser math path (no Node), so the time is the renderer's own. Linear scaling shows as a constant time per span.
func runProseBenchmarks() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("bench-prose-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: root) }
    print("load average at start \(loadAverage()); target: a report of 10k spans renders its prose in under 1 s")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("reports"), withIntermediateDirectories: true)
    for n in [1_000, 2_000, 4_000, 10_000] {
        var text = "# Prose \(n)\n\n"
        for i in 0..<n { text += "Span $a_{\(i)}$, value {{unknown.v\(i % 7)}} and `code \(i)`.\(i % 20 == 19 ? "\n\n" : " ")" }
        try text.write(to: root.appendingPathComponent("reports/prose\(n).md"), atomically: true, encoding: .utf8)
        var project = ReportProject(root: root, registry: AnalysisRegistry())
        project.buildTimeMath = false
        project.log = { _ in }
        let renderer = ReportRenderer(project: project)
        _ = try? renderer.render("prose\(n)")
        var wall = [Double](), cpu = [Double]()
        for _ in 0..<3 {
            let c0 = processCPUSeconds(), w0 = Date()
            _ = try? renderer.render("prose\(n)")
            wall.append(Date().timeIntervalSince(w0)); cpu.append(processCPUSeconds() - c0)
        }
        print(String(format: "  %6d math spans + %d {{…}} + %d code spans: whole render %.3f s CPU, %.3f s wall (min of 3), %.1f µs CPU per span",
                     n, n, n, cpu.min()!, wall.min()!, cpu.min()! / Double(3 * n) * 1e6))
    }
}
