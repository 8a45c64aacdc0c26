import Foundation

/// Navigation of a report page: ids and self-links on the headings the Markdown renderer wrote, the table of contents
/// built from them, and the links to the index and the previous and next reports.
enum PageNavigation {
    /// One heading of a page, as anchored by `anchorHeadings`.
    struct Heading: Equatable {
        var level: Int
        var id: String
        /// The heading's inner HTML without links or ids (for the table of contents).
        var html: String
    }

    /// Gives every `<h1>`…`<h6>` without attributes (what cmark writes) an id `sec-<slug>` (unique on the page, never
    /// one of the ids already there) and a self-link, and returns the headings in order. One pass over the page: each
    /// level's closing tag is looked up at most once past any position, so the scan stays linear whatever the input.
    static func anchorHeadings(_ html: String) -> (html: String, headings: [Heading]) {
        let bytes = Array(html.utf8)
        var used = existingIDs(html)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 256)
        var headings = [Heading]()
        // Per level: the position of the next closing tag at or after the last search (Int.max: there is none).
        var nextClose = [Int](repeating: -1, count: 7)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<"), i + 3 < bytes.count, bytes[i + 1] == UInt8(ascii: "h"),
               bytes[i + 2] >= UInt8(ascii: "1"), bytes[i + 2] <= UInt8(ascii: "6"), bytes[i + 3] == UInt8(ascii: ">") {
                let level = Int(bytes[i + 2] - UInt8(ascii: "0"))
                let close = Array("</h\(level)>".utf8)
                let start = i + 4
                if nextClose[level] != Int.max && nextClose[level] < start {
                    nextClose[level] = find(close, in: bytes, from: start) ?? Int.max
                }
                let end = nextClose[level]
                if end != Int.max {
                    let inner = String(decoding: bytes[start..<end], as: UTF8.self)
                    var id = "sec-" + slug(plainText(inner))
                    if used.contains(id) {
                        var n = 2
                        while used.contains("\(id)-\(n)") { n += 1 }
                        id = "\(id)-\(n)"
                    }
                    used.insert(id)
                    headings.append(Heading(level: level, id: id, html: tocHTML(inner)))
                    out += Array("<h\(level) id=\"\(id)\">".utf8)
                    out += bytes[start..<end]
                    out += Array("<a class=\"heading-anchor\" href=\"#\(id)\" aria-label=\"Link to this section\">#</a></h\(level)>".utf8)
                    i = end + close.count
                    continue
                }
            }
            out.append(bytes[i]); i += 1
        }
        return (String(decoding: out, as: UTF8.self), headings)
    }

    /// The table of contents of the headings below the title (levels 2 and 3), nested; empty without such headings.
    static func tableOfContents(_ headings: [Heading]) -> String {
        let entries = headings.filter { $0.level == 2 || $0.level == 3 }
        guard !entries.isEmpty else { return "" }
        var s = "<nav class=\"toc\" aria-label=\"Contents\">\n<p class=\"toc-title\">Contents</p>\n<ul>\n"
        var open = false   // a nested list of level-3 entries is open
        for (k, h) in entries.enumerated() {
            let item = "<a href=\"#\(h.id)\">\(h.html)</a>"
            if h.level == 3 && k > 0 && (entries[k - 1].level == 2 || open) {
                if !open { s += "\n<ul>\n"; open = true }
                s += "<li>\(item)</li>\n"
                continue
            }
            if open { s += "</ul>\n</li>\n"; open = false } else if k > 0 { s += "</li>\n" }
            s += "<li>\(item)"
        }
        s += open ? "</ul>\n</li>\n" : "</li>\n"
        return s + "</ul>\n</nav>\n"
    }

    /// The index, previous and next links of a report page (`reports`: every report's name and title, in order).
    static func siteLinks(current: String, reports: [(name: String, title: String)]) -> String {
        var parts = ["<a href=\"index.html\">All reports</a>"]
        if let k = reports.firstIndex(where: { $0.name == current }) {
            if k > 0 {
                let p = reports[k - 1]
                parts.append("<a rel=\"prev\" href=\"\(HTML.escape(p.name)).html\">← \(HTML.escape(p.title))</a>")
            }
            if k + 1 < reports.count {
                let n = reports[k + 1]
                parts.append("<a rel=\"next\" href=\"\(HTML.escape(n.name)).html\">\(HTML.escape(n.title)) →</a>")
            }
        }
        return "<nav class=\"site-nav\" aria-label=\"Reports\">" + parts.joined(separator: " ") + "</nav>\n"
    }

    /// The line under a report's title linking the paper it replicates (each identifier its text names) and the
    /// report's Markdown source.
    static func reportLinks(paper: [PaperLinks.Link], source: String, sourceName: String) -> String {
        var parts = [String]()
        if !paper.isEmpty {
            parts.append("Paper: " + paper.map { "<a href=\"\(HTML.escape($0.url))\">\(HTML.escape($0.label))</a>" }.joined(separator: ", "))
        }
        parts.append("Report source: <a href=\"\(HTML.escape(source))\">\(HTML.escape(sourceName))</a>")
        return "<p class=\"report-links\">" + parts.joined(separator: " · ") + "</p>\n"
    }

    /// Inserts the table of contents after the page's first `</h1>` (at the top when there is none).
    static func insertingTOC(_ toc: String, into html: String) -> String {
        guard !toc.isEmpty else { return html }
        guard let r = html.range(of: "</h1>") else { return toc + html }
        var after = r.upperBound
        if after < html.endIndex, html[after] == "\n" { after = html.index(after: after) }
        return String(html[..<after]) + toc + String(html[after...])
    }

    /// Replaces the cross-references `@fig:ID` and `@tbl:ID` in prose with links to the figure or table, labelled
    /// with its number (`labels["fig:ID"]` = "Figure 2"); a reference to no figure or table stays visible, marked as
    /// missing. Code, `pre` blocks, inline SVGs, links and tags are left alone. Linear in the page.
    static func crossReferences(_ html: String, labels: [String: String]) -> String {
        let bytes = Array(html.utf8)
        guard html.contains("@fig:") || html.contains("@tbl:") else { return html }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        let skipped: [(open: [UInt8], close: [UInt8])] = [("<code", "</code>"), ("<pre", "</pre>"), ("<svg", "</svg>"), ("<a ", "</a>")]
            .map { (Array($0.0.utf8), Array($0.1.utf8)) }
        func starts(_ p: [UInt8], at i: Int) -> Bool {
            i + p.count <= bytes.count && zip(p.indices, p).allSatisfy { bytes[i + $0] == $1 }
        }
        func isIDByte(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E
        }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "<") {
                if let s = skipped.first(where: { starts($0.open, at: i) }) {
                    let end = find(s.close, in: bytes, from: i).map { $0 + s.close.count } ?? bytes.count
                    out += bytes[i..<end]; i = end; continue
                }
                var j = i
                while j < bytes.count && bytes[j] != UInt8(ascii: ">") { j += 1 }
                let end = min(j + 1, bytes.count)
                out += bytes[i..<end]; i = end; continue
            }
            if b == UInt8(ascii: "@"), starts(Array("@fig:".utf8), at: i) || starts(Array("@tbl:".utf8), at: i) {
                var j = i + 5
                while j < bytes.count && isIDByte(bytes[j]) { j += 1 }
                while j > i + 5 && bytes[j - 1] == UInt8(ascii: ".") { j -= 1 }   // a sentence's full stop
                if j > i + 5 {
                    let key = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
                    let id = String(key.dropFirst(4))
                    if let label = labels[key] {
                        out += Array("<a class=\"xref\" href=\"#\(HTML.escape(id))\">\(HTML.escape(label))</a>".utf8)
                    } else {
                        out += Array("<span class=\"xref-missing\">\(HTML.escape("@" + key)) (no such \(key.hasPrefix("fig") ? "figure" : "table"))</span>".utf8)
                    }
                    i = j; continue
                }
            }
            out.append(b); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A slug of a heading's text: lowercase letters and digits, other runs as one `-`; `section` when nothing is left.
    static func slug(_ text: String) -> String {
        var s = "", dash = false
        for c in text.lowercased() {
            if (c.isLetter || c.isNumber) && !c.isWhitespace {
                if dash && !s.isEmpty { s += "-" }
                dash = false
                s.append(c)
            } else { dash = true }
            if s.count >= 60 { break }
        }
        return s.isEmpty ? "section" : s
    }

    /// Text of an HTML fragment: tags dropped, the common entities decoded.
    static func plainText(_ html: String) -> String {
        var s = "", inTag = false
        for c in html {
            if c == "<" { inTag = true } else if c == ">" && inTag { inTag = false } else if !inTag { s.append(c) }
        }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    private static let linkTag = try! NSRegularExpression(pattern: "</?a\\b[^>]*>")
    private static let idAttribute = try! NSRegularExpression(pattern: "\\s(?:id|name)=(\"[^\"]*\"|'[^']*')")
    private static let idPattern = try! NSRegularExpression(pattern: "\\b(?:id|name)=[\"']([^\"']*)[\"']")

    /// A heading's inner HTML for the table of contents: without links (no link inside a link) or ids (no repeats).
    static func tocHTML(_ inner: String) -> String {
        var s = linkTag.stringByReplacingMatches(in: inner, range: NSRange(inner.startIndex..., in: inner), withTemplate: "")
        s = idAttribute.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "")
        return s.replacingOccurrences(of: "\n", with: " ")
    }

    static func existingIDs(_ html: String) -> Set<String> {
        let ns = html as NSString
        return Set(idPattern.matches(in: html, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) })
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var i = from
        let last = bytes.count - needle.count
        while i <= last {
            if bytes[i] == needle[0] {
                var k = 1
                while k < needle.count && bytes[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
