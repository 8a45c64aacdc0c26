import Foundation

/// Rewrites prose outside code before Markdown parsing: substitutes `{{name}}` values and protects `$…$` / `$$…$$` math
/// from Markdown's emphasis rules by swapping it for placeholder tokens that are restored after rendering.
struct ProseTransform {
    struct Math { let tex: String; let display: Bool }
    private(set) var math = [Math]()
    private(set) var problems = [ReportDiagnostic]()
    /// Names of values that prose referred to.
    private(set) var referenced = Set<String>()

    static func placeholder(_ i: Int) -> String { "KATEXMATHPLACEHOLDER\(i)Z" }

    /// `lookup` formats a value reference (`name` or `name±`) or returns nil if unknown.
    mutating func apply(_ source: String, file: String, lookup: (String) -> String?) -> String {
        var out = ""
        var inFence: String? = nil
        var pendingMath: (tex: String, display: Bool, line: Int)? = nil
        for (i, rawLine) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine), number = i + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if pendingMath == nil {
                if let f = inFence {
                    if trimmed.hasPrefix(f) && trimmed.allSatisfy({ $0 == f.first }) { inFence = nil }
                    out += line + "\n"; continue
                }
                let run = trimmed.prefix { $0 == "`" || $0 == "~" }
                if run.count >= 3 && Set(run).count == 1 {
                    inFence = String(run); out += line + "\n"; continue
                }
            }
            out += transformLine(line, number: number, file: file, pending: &pendingMath, lookup: lookup) + "\n"
        }
        if let p = pendingMath {
            problems.append(ReportDiagnostic(file: file, line: p.line, message: "unclosed math: '\(p.display ? "$$" : "$")' opened here is never closed"))
            out += p.tex
        }
        if out.hasSuffix("\n") { out.removeLast() }
        return out
    }

    private mutating func transformLine(_ line: String, number: Int, file: String,
                                        pending: inout (tex: String, display: Bool, line: Int)?,
                                        lookup: (String) -> String?) -> String {
        var result = ""
        let chars = Array(line)
        var i = 0
        if pending != nil { pending!.tex += "\n" }
        while i < chars.count {
            let c = chars[i]
            if var p = pending {
                if c == "\\" && i + 1 < chars.count { p.tex.append(c); p.tex.append(chars[i + 1]); pending = p; i += 2; continue }
                if c == "$" {
                    if p.display {
                        if i + 1 < chars.count && chars[i + 1] == "$" {
                            result += closeMath(p); pending = nil; i += 2; continue
                        }
                    } else {
                        result += closeMath(p); pending = nil; i += 1; continue
                    }
                }
                p.tex.append(c); pending = p; i += 1; continue
            }
            if c == "`" { // inline code span: copy verbatim up to the matching backtick run
                var n = 0
                while i + n < chars.count && chars[i + n] == "`" { n += 1 }
                let fence = String(repeating: "`", count: n)
                let rest = String(chars[(i + n)...])
                if let r = rest.range(of: fence) {
                    let span = fence + rest[..<r.upperBound]
                    result += span; i += span.count; continue
                }
                result += fence; i += n; continue
            }
            if c == "\\" && i + 1 < chars.count && chars[i + 1] == "$" { result += "\\$"; i += 2; continue }
            if c == "$" {
                let display = i + 1 < chars.count && chars[i + 1] == "$"
                pending = (tex: "", display: display, line: number)
                i += display ? 2 : 1; continue
            }
            if c == "{" && i + 1 < chars.count && chars[i + 1] == "{" {
                if let close = String(chars[(i + 2)...]).range(of: "}}") {
                    let inner = String(chars[(i + 2)...])[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                    let length = 2 + String(chars[(i + 2)...]).distance(from: String(chars[(i + 2)...]).startIndex, to: close.upperBound)
                    referenced.insert(inner.hasSuffix("±") ? String(inner.dropLast()) : inner)
                    if let text = lookup(inner) { result += text } else {
                        problems.append(ReportDiagnostic(file: file, line: number, message: "unknown value '{{\(inner)}}': no directive in this report produces it"))
                        result += "**[unknown value \(inner)]**"
                    }
                    i += length; continue
                }
            }
            result.append(c); i += 1
        }
        return result
    }

    private mutating func closeMath(_ p: (tex: String, display: Bool, line: Int)) -> String {
        math.append(Math(tex: p.tex, display: p.display))
        return ProseTransform.placeholder(math.count - 1)
    }

    /// Restores math placeholders in rendered HTML as elements KaTeX renders in the browser.
    func restoreMath(in html: String) -> String {
        var s = html
        for (i, m) in math.enumerated().reversed() {
            let el = m.display ? "<span class=\"math display\">\(HTML.escape(m.tex))</span>"
                               : "<span class=\"math inline\">\(HTML.escape(m.tex))</span>"
            s = s.replacingOccurrences(of: ProseTransform.placeholder(i), with: el)
        }
        return s
    }
}
