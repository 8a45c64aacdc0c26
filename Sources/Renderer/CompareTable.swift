import AnalysisKit
import Foundation

/// The three verdicts of a compare row, decided from Δ = ours − paper, the combined error σ and the row's tolerance.
public enum Verdict: String, Codable, CaseIterable, Sendable {
    /// |Δ| ≤ 2σ, σ = √(σ_ours² + σ_paper²); for exact values (σ = 0), Δ vanishes to 1e-12 relative.
    case agrees = "agrees"
    /// |Δ| > 2σ but |Δ| ≤ tolerance, a tolerance justified by the paper's stated precision.
    case agreesWithinTolerance = "agrees within tolerance"
    /// Everything else.
    case differs = "differs"

    /// CSS class of the verdict cell.
    var cssClass: String {
        switch self {
        case .agrees: return "agrees"
        case .agreesWithinTolerance: return "agrees-tol"
        case .differs: return "differs"
        }
    }

    /// The rule: `delta` = ours − paper, `sigma` the combined one-σ error, `tolerance` ≥ 0.
    public static func decide(delta: Double, sigma: Double, tolerance: Double, scale: Double) -> Verdict {
        let d = abs(delta)
        if sigma > 0 ? d <= 2 * sigma : d <= 1e-12 * max(scale, .leastNormalMagnitude) { return .agrees }
        if tolerance > 0 && d <= tolerance { return .agreesWithinTolerance }
        return .differs
    }
}

/// How many compare rows of a report reached each verdict.
public struct VerdictTally: Codable, Equatable, Sendable {
    public var agrees = 0
    public var withinTolerance = 0
    public var differs = 0
    public init(agrees: Int = 0, withinTolerance: Int = 0, differs: Int = 0) {
        self.agrees = agrees; self.withinTolerance = withinTolerance; self.differs = differs
    }
    mutating func add(_ v: Verdict) {
        switch v {
        case .agrees: agrees += 1
        case .agreesWithinTolerance: withinTolerance += 1
        case .differs: differs += 1
        }
    }
    public var total: Int { agrees + withinTolerance + differs }
}

/// The built-in `{compare}` directive: a "paper vs ours" table from rows
/// `claim | paper [± error] | value name | tolerance [| tolerance basis]`.
/// A tolerance > 0 needs its basis (why it is a fair reading of the paper's precision).
enum CompareTable {
    struct Row {
        let claim: String
        let paper: Double
        /// The paper's stated one-σ error, if it gives one.
        let paperError: Double?
        let paperText: String
        let name: String
        let tolerance: Double
        let toleranceText: String
        /// Why the tolerance reads the paper's precision; required when `tolerance > 0`.
        let basis: String
        let line: Int
    }

    static let caption = "Paper vs ours. Δ = ours − paper; σ = √(σ_ours² + σ_paper²) combines our statistical error with the paper's stated error. "
        + "Verdict: agrees when |Δ| ≤ 2σ (for exact values, σ = 0: when Δ vanishes to 1e-12 relative); "
        + "agrees within tolerance when |Δ| > 2σ but |Δ| ≤ the tolerance, whose basis in the paper's stated precision is given beside it; "
        + "differs otherwise. A range [syst. a–b] is the spread over analysis choices the paper leaves open; it is shown, not added to σ."

    /// Parses a number as written in a report (accepts the Unicode minus); nil unless finite.
    static func finiteNumber(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")
        // Only plain decimal notation: Double("inf"), "nan", "0x1p3" are not numbers a paper states.
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              let x = Double(t), x.isFinite else { return nil }
        return x
    }

    static func parse(_ d: Directive, file: String) -> (rows: [Row], problems: [ReportDiagnostic]) {
        var rows = [Row](), problems = [ReportDiagnostic]()
        for (text, line) in d.body {
            func problem(_ m: String) { problems.append(ReportDiagnostic(file: file, line: line, message: m)) }
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("#") { continue }
            let parts = t.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 4 || parts.count == 5 else {
                problem("compare row needs 'claim | paper value | value name | tolerance | tolerance basis' (4 fields when the tolerance is 0), got \(parts.count) field(s)")
                continue
            }
            if parts[0].isEmpty { problem("compare row has an empty claim"); continue }
            if parts[2].isEmpty { problem("compare row has an empty value name"); continue }
            // Paper value, optionally `± error` (also written `+-` or `+/-`).
            var paperField = parts[1]
            for alt in ["+/-", "+-"] { paperField = paperField.replacingOccurrences(of: alt, with: "±") }
            let paperParts = paperField.split(separator: "±", omittingEmptySubsequences: false).map(String.init)
            guard paperParts.count <= 2, let paper = finiteNumber(paperParts[0]) else {
                problem("paper value '\(parts[1])' is not a finite number (optionally with '± error')")
                continue
            }
            var paperError: Double? = nil
            if paperParts.count == 2 {
                guard let e = finiteNumber(paperParts[1]), e >= 0 else {
                    problem("paper error in '\(parts[1])' is not a finite non-negative number")
                    continue
                }
                paperError = e
            }
            guard let tol = finiteNumber(parts[3]), tol >= 0 else {
                problem("tolerance '\(parts[3])' is not a finite non-negative number")
                continue
            }
            let basis = parts.count == 5 ? parts[4] : ""
            if tol > 0 && basis.isEmpty {
                problem("tolerance \(parts[3]) needs a 5th field, the tolerance basis: why it is a fair reading of the paper's precision (e.g. 'paper gives one decimal')")
                continue
            }
            rows.append(Row(claim: parts[0], paper: paper, paperError: paperError, paperText: parts[1], name: parts[2],
                            tolerance: tol, toleranceText: parts[3], basis: basis, line: line))
        }
        return (rows, problems)
    }

    /// A signed difference to two significant figures (`+0.012`, `−0.0031`, `0`).
    static func signed(_ x: Double) -> String {
        if x == 0 { return "0" }
        let s = ValueFormatting.format(x, figures: 2).replacingOccurrences(of: "-", with: "−")
        return x > 0 ? "+" + s : s
    }

    /// `ours ± error [syst. low–high]`.
    static func ours(_ s: Scalar) -> String {
        var text = ValueFormatting.format(s, withError: true)
        if let sys = s.systematic {
            let scale = max(abs(sys.low), abs(sys.high))
            let d = ValueFormatting.decimals(scale, figures: s.significantFigures)
            func f(_ x: Double) -> String {
                guard let d, x.isFinite else { return ValueFormatting.format(x, figures: s.significantFigures) }
                var t = String(format: "%.\(d)f", x)
                if t.hasPrefix("-") && Double(t) == 0 { t.removeFirst() }
                return t.replacingOccurrences(of: "-", with: "−")
            }
            text += " [syst. \(f(sys.low))–\(f(sys.high))]"
        }
        if let u = s.unit, !u.isEmpty { text += " \(u)" }
        return text
    }

    /// Builds the table and the verdict of each row; unknown value names are reported as problems.
    static func table(_ rows: [Row], values: [String: Scalar], file: String) -> (Table, [ReportDiagnostic], VerdictTally) {
        var cells = [[String]](), problems = [ReportDiagnostic](), tally = VerdictTally()
        for r in rows {
            let tolerance = r.tolerance > 0 ? "\(r.toleranceText) (\(r.basis))" : "—"
            guard let s = values[r.name] else {
                problems.append(ReportDiagnostic(file: file, line: r.line, message: "compare row names unknown value '\(r.name)'"))
                cells.append([r.claim, r.paperText, "—", "—", "—", tolerance, "missing"])
                continue
            }
            guard s.value.isFinite else {
                problems.append(ReportDiagnostic(file: file, line: r.line, message: "value '\(r.name)' is not finite (\(s.value)); no verdict"))
                cells.append([r.claim, r.paperText, ours(s), "—", "—", tolerance, "missing"])
                continue
            }
            let ourError = (s.error.map { $0.isFinite && $0 > 0 ? $0 : 0 }) ?? 0
            let sigma = (ourError * ourError + (r.paperError ?? 0) * (r.paperError ?? 0)).squareRoot()
            let delta = s.value - r.paper
            let verdict = Verdict.decide(delta: delta, sigma: sigma, tolerance: r.tolerance,
                                         scale: max(abs(s.value), abs(r.paper)))
            tally.add(verdict)
            var pull = sigma > 0 ? String(format: "%.1f", delta / sigma) : "— (σ = 0)"
            if pull == "-0.0" { pull = "0.0" }
            pull = pull.replacingOccurrences(of: "-", with: "−")
            cells.append([r.claim, r.paperText.replacingOccurrences(of: "+/-", with: "±").replacingOccurrences(of: "+-", with: "±"),
                          ours(s), signed(delta), pull, tolerance, verdict.rawValue])
        }
        return (Table(id: "compare", caption: caption,
                      columns: ["Claim", "Paper", "Ours", "Δ", "Δ/σ", "Tolerance", "Verdict"], rows: cells), problems, tally)
    }
}
