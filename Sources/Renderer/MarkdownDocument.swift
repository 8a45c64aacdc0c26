import CCmark
import Foundation

/// Thin wrapper over libcmark: finds directive blocks and renders Markdown to HTML with directives replaced.
enum MarkdownDocument {
    static let options = CMARK_OPT_DEFAULT | CMARK_OPT_UNSAFE

    private static func parse(_ source: String) -> OpaquePointer {
        let bytes = Array(source.utf8)
        return bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                cmark_parse_document($0, buf.count, options)
            }
        }
    }

    /// Fenced code blocks whose info string starts with `{`, in document order.
    static func directives(in source: String, file: String) -> (directives: [Directive], problems: [ReportDiagnostic]) {
        let source = ReportSource.normalisingLineEndings(source)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let doc = parse(source.isEmpty ? "\n" : source)
        defer { cmark_node_free(doc) }
        var found = [Directive](), problems = [ReportDiagnostic]()
        let iter = cmark_iter_new(doc)
        defer { cmark_iter_free(iter) }
        while true {
            let ev = cmark_iter_next(iter)
            if ev == CMARK_EVENT_DONE { break }
            guard ev == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iter),
                  cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK,
                  let infoPtr = cmark_node_get_fence_info(node) else { continue }
            let info = String(cString: infoPtr)
            let start = Int(cmark_node_get_start_line(node)), end = Int(cmark_node_get_end_line(node))
            let opening = start - 1 < lines.count ? lines[start - 1] : ""
            let indent = opening.prefix { $0 == " " }.count
            let fence = indent > 3 ? "" : String(opening.dropFirst(indent).prefix { $0 == "`" || $0 == "~" })
            // Any fenced block (directive or not) left open swallows the rest of the report, directives included.
            if fence.count >= 3 {
                let closing = end - 1 < lines.count ? lines[end - 1].trimmingCharacters(in: .whitespaces) : ""
                let closed = end > start && closing.hasPrefix(fence) && closing.allSatisfy { $0 == fence.first }
                if !closed {
                    problems.append(ReportDiagnostic(file: file, line: start, message: "unclosed code fence opened at line \(start)"))
                    continue
                }
            }
            guard let kind = Directive.kind(fromInfo: info) else {
                // An ordinary block that runs over a directive's opening fence was left open before it: cmark closes it
                // at the directive's closing fence, so the directive would vanish without a word.
                if fence.count >= 3, let swallowed = (start + 1 ..< end).first(where: { $0 - 1 < lines.count && looksLikeDirectiveFence(lines[$0 - 1]) }) {
                    problems.append(ReportDiagnostic(file: file, line: start, message:
                        "code block opened at line \(start) is not closed before the directive fence at line \(swallowed), which it swallows"))
                }
                continue
            }
            switch kind {
            case .failure(let message):
                problems.append(ReportDiagnostic(file: file, line: start, message: message.message))
            case .success(let k):
                let body = (start + 1 ..< end).map { (text: lines[$0 - 1], line: $0) }
                found.append(Directive(kind: k, line: start, body: body))
            }
        }
        return (found, problems)
    }

    /// The line ranges (1-based, closing fence included) of every code block, fenced or indented, at any nesting
    /// (block quotes, list items), as cmark sees them: the prose transform leaves them verbatim and never lets math
    /// or a code span run across them.
    static func codeBlockLines(in source: String) -> [ClosedRange<Int>] {
        let doc = parse(source.isEmpty ? "\n" : source)
        defer { cmark_node_free(doc) }
        let iter = cmark_iter_new(doc)
        defer { cmark_iter_free(iter) }
        var ranges = [ClosedRange<Int>]()
        while true {
            let ev = cmark_iter_next(iter)
            if ev == CMARK_EVENT_DONE { break }
            guard ev == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iter), cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK else { continue }
            let start = Int(cmark_node_get_start_line(node)), end = Int(cmark_node_get_end_line(node))
            if start >= 1 { ranges.append(start...max(start, end)) }
        }
        return ranges
    }

    /// A line that opens a directive block: up to 3 spaces, a backtick or tilde fence and an info string `{…`.
    static func looksLikeDirectiveFence(_ line: String) -> Bool {
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return false }
        let rest = line.dropFirst(indent)
        let fence = rest.prefix { $0 == "`" } .count >= 3 ? rest.prefix { $0 == "`" } : rest.prefix { $0 == "~" }
        guard fence.count >= 3 else { return false }
        return rest.dropFirst(fence.count).trimmingCharacters(in: .whitespaces).hasPrefix("{")
    }

    /// Renders the document to HTML, replacing the directive block that opens at line L with `replacements[L]`.
    static func html(_ source: String, replacements: [Int: String]) -> String {
        let doc = parse(source)
        defer { cmark_node_free(doc) }
        var targets = [(OpaquePointer, String)]()
        let iter = cmark_iter_new(doc)
        while true {
            let ev = cmark_iter_next(iter)
            if ev == CMARK_EVENT_DONE { break }
            guard ev == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iter),
                  cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK,
                  let html = replacements[Int(cmark_node_get_start_line(node))] else { continue }
            targets.append((node, html))
        }
        cmark_iter_free(iter)
        for (node, html) in targets {
            let block = cmark_node_new(CMARK_NODE_HTML_BLOCK)
            cmark_node_set_literal(block, html)
            cmark_node_replace(node, block)
            cmark_node_free(node)
        }
        guard let out = cmark_render_html(doc, options) else { return "" }
        defer { free(out) }
        return String(cString: out)
    }

    static var version: String { String(cString: cmark_version_string()) }
}
