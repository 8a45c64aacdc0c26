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
                let fence = [Character](repeating: "`", count: n)
                if let close = Self.find(fence, in: chars, from: i + n) {
                    result += String(chars[i..<(close + n)]); i = close + n; continue
                }
                result += String(fence); i += n; continue
            }
            if c == "\\" && i + 1 < chars.count && chars[i + 1] == "$" { result += "\\$"; i += 2; continue }
            if c == "$" {
                let display = i + 1 < chars.count && chars[i + 1] == "$"
                pending = (tex: "", display: display, line: number)
                i += display ? 2 : 1; continue
            }
            if c == "{" && i + 1 < chars.count && chars[i + 1] == "{" {
                if let close = Self.find(["}", "}"], in: chars, from: i + 2) {
                    let inner = String(chars[(i + 2)..<close]).trimmingCharacters(in: .whitespaces)
                    let length = close + 2 - i
                    referenced.insert(inner.hasSuffix("±") ? String(inner.dropLast()) : inner)
                    if let text = lookup(inner) { result += text } else {
                        problems.append(ReportDiagnostic(file: file, line: number, message: "unknown value '{{\(inner)}}': no directive in this report produces it"))
                        result += "**[unknown value \(inner)]**"
                    }
                    i += length; continue
                }
                problems.append(ReportDiagnostic(file: file, line: number, message: "unclosed '{{': a value reference needs '}}' on the same line"))
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
    /// One pass over the page: each `KATEXMATHPLACEHOLDER<i>Z` is replaced by math element i (linear in the page size).
    func restoreMath(in html: String) -> String {
        let marker = Array("KATEXMATHPLACEHOLDER".utf8)
        let bytes = Array(html.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + math.reduce(0) { $0 + $1.tex.utf8.count + 40 })
        var i = 0
        while i < bytes.count {
            if bytes[i] == marker[0], i + marker.count < bytes.count, Array(bytes[i..<(i + marker.count)]) == marker {
                var j = i + marker.count, index = 0, digits = 0
                while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39, digits < 9 {
                    index = index * 10 + Int(bytes[j] - 0x30); j += 1; digits += 1
                }
                if digits > 0, j < bytes.count, bytes[j] == UInt8(ascii: "Z"), index < math.count {
                    let m = math[index]
                    let el = m.display ? "<span class=\"math display\">\(HTML.escape(m.tex))</span>"
                                       : "<span class=\"math inline\">\(HTML.escape(m.tex))</span>"
                    out.append(contentsOf: el.utf8)
                    i = j + 1
                    continue
                }
            }
            out.append(bytes[i]); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// First index ≥ `start` where `pattern` occurs in `chars`, or nil.
    private static func find(_ pattern: [Character], in chars: [Character], from start: Int) -> Int? {
        guard !pattern.isEmpty, start <= chars.count - pattern.count else { return nil }
        var k = start
        while k <= chars.count - pattern.count {
            if chars[k] == pattern[0] && chars[k..<(k + pattern.count)].elementsEqual(pattern) { return k }
            k += 1
        }
        return nil
    }
}
