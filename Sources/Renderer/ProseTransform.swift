import Foundation

/// Rewrites prose outside code before Markdown parsing: substitutes `{{name}}` values and protects `$…$` / `$$…$$` math
/// from Markdown's emphasis rules by swapping it for placeholder tokens that are restored after rendering.
///
/// Math follows pandoc's `tex_math_dollars` rules and never leaves its paragraph: a span ends at the paragraph's end (a
/// blank line or a code fence), so a stray `$` cannot swallow later text, fences or directives. An opening `$` must be
/// followed by a non-space and its closing `$` preceded by a non-space and not followed by a digit (so "$5 and $10" is
/// not math); `$$` closes at the next unescaped `$$`. An opener with no closer in its paragraph is an error at its line
/// and stays literal text. Code spans (backtick runs of equal length) are copied verbatim and may span lines of a
/// paragraph, as in CommonMark.
///
/// The transform is linear in the input: every closer is found through next-occurrence tables built by one backward
/// pass per paragraph, never by a forward search from each opener. `steps` counts the character visits of all passes.
struct ProseTransform {
    /// A math span: its TeX, whether it is display math, and the source line it starts on.
    struct Math { let tex: String; let display: Bool; var line: Int = 0 }
    private(set) var math = [Math]()
    private(set) var problems = [ReportDiagnostic]()
    /// Names of values that prose referred to.
    private(set) var referenced = Set<String>()
    /// The cross-references `@fig:ID` and `@tbl:ID` of the prose (outside code spans, code blocks and math), as
    /// `fig:ID` / `tbl:ID` with their source line, in order; the renderer checks them against the report's figures and
    /// tables. The ID grammar is `PageNavigation.crossReferences`': letters, digits, `-`, `_`, `.`, without trailing dots.
    private(set) var crossReferences = [(key: String, line: Int)]()
    /// Character visits over all passes (for the structural linearity test).
    private(set) var steps = 0

    static func placeholder(_ i: Int) -> String { "KATEXMATHPLACEHOLDER\(i)Z" }

    /// `lookup` formats a value reference (`name` or `name±`) or returns nil if unknown.
    /// The output has exactly the input's lines (math and code spans keep their line breaks).
    /// `codeLines` are the code blocks' line ranges as the Markdown parser found them (`MarkdownDocument.codeBlockLines`);
    /// without them, fences are recognised line by line (top-level fences only).
    mutating func apply(_ source: String, file: String, codeLines: [ClosedRange<Int>]? = nil, lookup: (String) -> String?) -> String {
        apply(source, file: file, codeLines: codeLines, lookupInContext: { ref, _ in lookup(ref) })
    }

    /// As `apply(_:file:codeLines:lookup:)`, with the text that follows the reference on its line (up to 32
    /// characters) passed to `lookupInContext`, e.g. to tell whether the prose writes the value's unit itself.
    mutating func apply(_ source: String, file: String, codeLines: [ClosedRange<Int>]? = nil,
                        lookupInContext lookup: (String, String) -> String?) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var out = [String]()
        out.reserveCapacity(lines.count)
        var inFence: String? = nil
        var paragraph = [Substring](), paragraphStart = 1
        var verbatim: [Bool]? = nil
        if let codeLines {
            var v = [Bool](repeating: false, count: lines.count)
            for r in codeLines { for l in r where l >= 1 && l <= lines.count { v[l - 1] = true; steps += 1 } }
            verbatim = v
        }
        for (i, line) in lines.enumerated() {
            steps += line.utf8.count + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let verbatim {
                if verbatim[i] || trimmed.isEmpty {
                    flush(&paragraph, firstLine: paragraphStart, into: &out, file: file, lookup: lookup)
                    out.append(String(line)); continue
                }
                if paragraph.isEmpty { paragraphStart = i + 1 }
                paragraph.append(line); continue
            }
            if let f = inFence {
                if trimmed.hasPrefix(f) && trimmed.allSatisfy({ $0 == f.first }) { inFence = nil }
                out.append(String(line)); continue
            }
            let run = trimmed.prefix { $0 == "`" || $0 == "~" }
            let opensFence = run.count >= 3 && Set(run).count == 1
            if opensFence || trimmed.isEmpty {
                flush(&paragraph, firstLine: paragraphStart, into: &out, file: file, lookup: lookup)
                if opensFence { inFence = String(run) }
                out.append(String(line)); continue
            }
            if paragraph.isEmpty { paragraphStart = i + 1 }
            paragraph.append(line)
        }
        flush(&paragraph, firstLine: paragraphStart, into: &out, file: file, lookup: lookup)
        return out.joined(separator: "\n")
    }

    private mutating func flush(_ paragraph: inout [Substring], firstLine: Int, into out: inout [String], file: String,
                                lookup: (String, String) -> String?) {
        guard !paragraph.isEmpty else { return }
        let text = transformParagraph(Array(paragraph.joined(separator: "\n")), firstLine: firstLine, file: file, lookup: lookup)
        let split = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        precondition(split.count == paragraph.count, "the prose transform must keep the paragraph's lines")
        out += split
        paragraph.removeAll(keepingCapacity: true)
    }

    /// One paragraph (lines joined by `\n`) transformed; the result has the same number of `\n`.
    private mutating func transformParagraph(_ c: [Character], firstLine: Int, file: String,
                                             lookup: (String, String) -> String?) -> String {
        let n = c.count
        // Next-occurrence tables, one backward pass: for each index i the first j ≥ i where ... (n = none).
        var escaped = [Bool](repeating: false, count: n)   // `$` preceded by an odd number of backslashes
        var slashes = 0
        for i in 0..<n {
            steps += 1
            if c[i] == "\\" { slashes += 1; continue }
            if c[i] == "$" { escaped[i] = slashes % 2 == 1 }
            slashes = 0
        }
        var nextInlineClose = [Int](repeating: n, count: n + 2)
        var nextDisplayClose = [Int](repeating: n, count: n + 2)
        var nextBraceClose = [Int](repeating: n, count: n + 2)
        var nextNewline = [Int](repeating: n, count: n + 2)
        var i = n - 1
        while i >= 0 {
            steps += 1
            nextInlineClose[i] = nextInlineClose[i + 1]; nextDisplayClose[i] = nextDisplayClose[i + 1]
            nextBraceClose[i] = nextBraceClose[i + 1]; nextNewline[i] = nextNewline[i + 1]
            switch c[i] {
            case "$" where !escaped[i]:
                if i > 0 && !c[i - 1].isWhitespace && !(i + 1 < n && c[i + 1].isNumber) { nextInlineClose[i] = i }
                if i + 1 < n && c[i + 1] == "$" { nextDisplayClose[i] = i }
            case "}" where i + 1 < n && c[i + 1] == "}": nextBraceClose[i] = i
            case "\n": nextNewline[i] = i
            default: break
            }
            i -= 1
        }
        // Backtick runs and, for each, the next run of the same length (its closer).
        var runs = [(start: Int, length: Int)](), runAt = [Int: Int]()
        i = 0
        while i < n {
            steps += 1
            if c[i] == "`" {
                var k = i
                while k < n && c[k] == "`" { k += 1; steps += 1 }
                runAt[i] = runs.count; runs.append((i, k - i)); i = k
            } else { i += 1 }
        }
        var closer = [Int?](repeating: nil, count: runs.count), lastOfLength = [Int: Int]()
        for r in runs.indices.reversed() {
            steps += 1
            closer[r] = lastOfLength[runs[r].length]
            lastOfLength[runs[r].length] = r
        }

        var result = "", line = firstLine
        result.reserveCapacity(n)
        func newlines(_ s: ArraySlice<Character>) -> Int { s.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) } }
        i = 0
        while i < n {
            steps += 1
            let ch = c[i]
            if ch == "\n" { result.append("\n"); line += 1; i += 1; continue }
            if ch == "`", let r = runAt[i] {
                let len = runs[r].length
                if let close = closer[r] {       // a code span: verbatim, closer included
                    let end = runs[close].start + len
                    let span = c[i..<end]
                    steps += span.count
                    result.append(contentsOf: span); line += newlines(span); i = end
                    // Runs inside the span are consumed with it; a later opener starts after `end`.
                    continue
                }
                result.append(contentsOf: c[i..<(i + len)]); i += len; continue
            }
            if ch == "\\" && i + 1 < n && c[i + 1] == "$" { result += "\\$"; i += 2; continue }
            if ch == "$" {
                let display = i + 1 < n && c[i + 1] == "$"
                let close = display ? nextDisplayClose[i + 2] : nextInlineClose[i + 1]
                let opens = display || (i + 1 < n && !c[i + 1].isWhitespace)
                if opens && close < n {
                    let tex = c[(i + (display ? 2 : 1))..<close]
                    steps += tex.count
                    let breaks = newlines(tex)
                    math.append(Math(tex: String(tex), display: display, line: line))
                    result += String(repeating: "\n", count: breaks) + ProseTransform.placeholder(math.count - 1)
                    line += breaks
                    i = close + (display ? 2 : 1); continue
                }
                if opens {
                    problems.append(ReportDiagnostic(file: file, line: line, message:
                        "unclosed math: '\(display ? "$$" : "$")' has no closing '\(display ? "$$" : "$")' in its paragraph (shown as text; write \\$ for a dollar sign)"))
                }
                result += display ? "$$" : "$"; i += display ? 2 : 1; continue
            }
            if ch == "{" && i + 1 < n && c[i + 1] == "{" {
                let close = nextBraceClose[i + 2]
                if close < nextNewline[i] {
                    let inner = String(c[(i + 2)..<close]).trimmingCharacters(in: .whitespaces)
                    steps += close - i
                    referenced.insert(inner.hasSuffix("±") ? String(inner.dropLast()) : inner)
                    if let text = lookup(inner, String(c[(close + 2)..<Swift.min(close + 34, nextNewline[i])])) { result += text } else {
                        problems.append(ReportDiagnostic(file: file, line: line, message: "unknown value '{{\(inner)}}': no directive in this report produces it"))
                        result += "**[unknown value \(inner)]**"
                    }
                    i = close + 2; continue
                }
                problems.append(ReportDiagnostic(file: file, line: line, message: "unclosed '{{': a value reference needs '}}' on the same line"))
            }
            if ch == "@", i + 5 < n, c[i + 4] == ":", (c[i + 1] == "f" && c[i + 2] == "i" && c[i + 3] == "g")
                || (c[i + 1] == "t" && c[i + 2] == "b" && c[i + 3] == "l") {
                var j = i + 5
                while j < n, let a = c[j].asciiValue, (a >= 0x30 && a <= 0x39) || (a >= 0x41 && a <= 0x5A) || (a >= 0x61 && a <= 0x7A)
                        || a == 0x2D || a == 0x5F || a == 0x2E { j += 1 }
                while j > i + 5 && c[j - 1] == "." { j -= 1 }
                if j > i + 5 { crossReferences.append((String(c[(i + 1)..<j]), line)) }
            }
            result.append(ch); i += 1
        }
        return result
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
}
