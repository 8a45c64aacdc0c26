import AnalysisKit
import Foundation

/// The built-in `{compare}` directive: a "paper vs ours" table from `claim | paper | scalar | tolerance` lines.
enum CompareTable {
    struct Row { let claim: String; let paper: Double; let paperText: String; let name: String; let tolerance: Double; let line: Int }

    static func parse(_ d: Directive, file: String) -> (rows: [Row], problems: [ReportDiagnostic]) {
        var rows = [Row](), problems = [ReportDiagnostic]()
        for (text, line) in d.body {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("#") { continue }
            let parts = t.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 4 else {
                problems.append(ReportDiagnostic(file: file, line: line, message: "compare row needs 4 fields 'claim | paper value | value name | tolerance', got \(parts.count)"))
                continue
            }
            guard let paper = Double(parts[1].replacingOccurrences(of: "−", with: "-")) else {
                problems.append(ReportDiagnostic(file: file, line: line, message: "paper value '\(parts[1])' is not a number"))
                continue
            }
            guard let tol = Double(parts[3]), tol >= 0 else {
                problems.append(ReportDiagnostic(file: file, line: line, message: "tolerance '\(parts[3])' is not a non-negative number"))
                continue
            }
            rows.append(Row(claim: parts[0], paper: paper, paperText: parts[1], name: parts[2], tolerance: tol, line: line))
        }
        return (rows, problems)
    }

    /// Builds the table; unknown value names are reported as problems.
    static func table(_ rows: [Row], values: [String: Scalar], file: String) -> (Table, [ReportDiagnostic]) {
        var cells = [[String]](), problems = [ReportDiagnostic]()
        for r in rows {
            guard let s = values[r.name] else {
                problems.append(ReportDiagnostic(file: file, line: r.line, message: "compare row names unknown value '\(r.name)'"))
                cells.append([r.claim, r.paperText, "—", "missing"])
                continue
            }
            let allowed = max(r.tolerance, 2 * (s.error ?? 0))
            let verdict = abs(s.value - r.paper) <= allowed ? "agrees" : "differs"
            cells.append([r.claim, r.paperText, ValueFormatting.format(s, withError: true, unit: true), verdict])
        }
        return (Table(id: "compare", caption: "Paper vs ours. Verdict: agrees when |ours − paper| ≤ max(stated tolerance, 2 × our error).",
                      columns: ["Claim", "Paper", "Ours", "Verdict"], rows: cells), problems)
    }
}
