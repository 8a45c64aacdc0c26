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

    /// `value ± error` in the usual convention: the error to two significant figures when its leading digit is 1 or 2,
    /// otherwise one, and the value to the same decimal place.
    public static func format(_ value: Double, error: Double?, figures: Int) -> String {
        let v = format(value, figures: figures)
        guard let e = error, e.isFinite, e > 0, value.isFinite else { return v }
        let mag = Int(floor(log10(e)))
        let lead = Int(e / pow(10, Double(mag)))
        let d = -(mag - (lead <= 2 ? 1 : 0))
        if d < 0 || d > 12 || mag >= 7 { return "\(v) ± \(String(format: "%.2g", e))" }
        func fixed(_ x: Double) -> String {
            var s = String(format: "%.\(d)f", x)
            if s.hasPrefix("-") && Double(s) == 0 { s.removeFirst() }
            return s.replacingOccurrences(of: "-", with: "−")
        }
        return "\(fixed(value)) ± \(fixed(e))"
    }

    /// A scalar as text; `unit` appends its unit (tables), prose writes units itself. A value without an error that is
    /// a whole number (a count: cells, states, components) prints as an integer ("457", not "457.0").
    public static func format(_ s: Scalar, withError: Bool, unit: Bool = false) -> String {
        let text: String
        if s.error == nil, s.value.isFinite, s.value == s.value.rounded(), abs(s.value) < 1e7 {
            text = String(Int(s.value)).replacingOccurrences(of: "-", with: "−")
        } else {
            text = withError ? format(s.value, error: s.error, figures: s.significantFigures) : format(s.value, figures: s.significantFigures)
        }
        if unit, let u = s.unit, !u.isEmpty { return "\(text) \(u)" }
        return text
    }

    /// A scalar in prose (`{{name}}`, `{{name±}}`), with its unit unless the prose writes it: `following` is the text
    /// after the reference on its line. The unit is left out when that text starts with the unit (after spaces), or
    /// when it continues a range or list whose last value carries it ("{{a}}–{{b}} nats", "{{a}} to {{b}}",
    /// "{{a}}/{{b}}", "{{a}}, {{b}} and {{c}} nats"). Degrees follow the number directly ("12°"), other units after a space, as in tables.
    public static func prose(_ s: Scalar, withError: Bool, following: String) -> String {
        let text = format(s, withError: withError)
        guard let u = s.unit?.trimmingCharacters(in: .whitespaces), !u.isEmpty, !proseWritesUnit(u, following: following) else { return text }
        return u == "°" ? text + u : "\(text) \(u)"
    }

    /// Whether prose that continues with `following` after a value already gives its unit `unit` (see `prose`).
    static func proseWritesUnit(_ unit: String, following: String) -> Bool {
        let rest = following.drop { $0 == " " || $0 == "\u{00A0}" || $0 == "\u{202F}" || $0 == "\u{2009}" }
        if rest.hasPrefix(unit) {
            // The unit as a word: not the start of a longer word ("bits" in "bitstream").
            let after = rest.dropFirst(unit.count).first
            if after == nil || !(after!.isLetter || after!.isNumber) { return true }
        }
        // A range or pair of values: the unit follows the last one.
        for joiner in ["–", "—", "−", "-", "/", ",", "to ", "and ", "or ", "vs ", "vs. ", "versus "] {
            if rest.hasPrefix(joiner) {
                let next = rest.dropFirst(joiner.count).drop { $0 == " " || $0 == "\u{00A0}" || $0 == "$" }
                if next.hasPrefix("{{") { return true }
            }
        }
        return false
    }
}

/// HTML escaping. NUL becomes U+FFFD (as cmark does in the Markdown source): HTML blocks reach cmark as C strings,
/// where a NUL would cut off the rest of the block (found by the fuzz test: a directive error quoting a NUL byte).
enum HTML {
    static func escape(_ s: String) -> String {
        var o = ""; o.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "\u{0}": o += "\u{FFFD}"
            default: o.append(c)
            }
        }
        return o
    }

    /// Text of escaped HTML: the entities `escape` writes (and `&#39;`, `&apos;`) decoded; `&amp;` last.
    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}
