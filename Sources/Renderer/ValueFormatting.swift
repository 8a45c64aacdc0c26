import AnalysisKit
import Foundation

/// Formats numbers for prose and tables: significant figures, with errors shown to the same decimal place.
public enum ValueFormatting {
    /// Number of decimals that shows `value` to `figures` significant figures (nil when scientific notation is better).
    static func decimals(_ value: Double, figures: Int) -> Int? {
        if value == 0 { return max(0, figures - 1) }
        let mag = Int(floor(log10(abs(value))))
        if mag >= 7 || mag < -4 { return nil }
        return max(0, figures - 1 - mag)
    }

    /// `value` to `figures` significant figures, plain decimal for ordinary magnitudes.
    public static func format(_ value: Double, figures: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        let f = max(1, figures)
        guard let d = decimals(value, figures: f) else { return String(format: "%.\(f - 1)e", value) }
        var s = String(format: "%.\(d)f", value)
        if s.hasPrefix("-") && Double(s) == 0 { s.removeFirst() }
        return s.replacingOccurrences(of: "-", with: "−")
    }

    /// `value ± error`, the error rounded to the value's last shown decimal (at least one significant figure).
    public static func format(_ value: Double, error: Double?, figures: Int) -> String {
        let v = format(value, figures: figures)
        guard let e = error, e.isFinite, e > 0 else { return v }
        guard let d = decimals(value, figures: max(1, figures)) else { return "\(v) ± \(String(format: "%.1e", e))" }
        let ed = max(d, decimals(e, figures: 1) ?? d)
        if ed > d { // error smaller than the value's precision: widen both
            return "\(String(format: "%.\(ed)f", value).replacingOccurrences(of: "-", with: "−")) ± \(String(format: "%.\(ed)f", e))"
        }
        return "\(v) ± \(String(format: "%.\(d)f", e))"
    }

    public static func format(_ s: Scalar, withError: Bool) -> String {
        let text = withError ? format(s.value, error: s.error, figures: s.significantFigures) : format(s.value, figures: s.significantFigures)
        if let u = s.unit, !u.isEmpty { return "\(text) \(u)" }
        return text
    }
}

/// HTML escaping.
enum HTML {
    static func escape(_ s: String) -> String {
        var o = ""; o.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default: o.append(c)
            }
        }
        return o
    }
}
