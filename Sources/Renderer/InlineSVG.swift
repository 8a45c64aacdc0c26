import Foundation

/// Prepares a gnuplot SVG for inlining into an HTML page: drops the XML prolog, makes every id unique to the figure
/// (several figures on one page would otherwise share gnuplot's ids) and labels the root for assistive technology.
enum InlineSVG {
    private static let idPattern = try! NSRegularExpression(pattern: "\\bid=(['\"])([^'\"]+)\\1")
    private static let refPattern = try! NSRegularExpression(pattern: "(href=['\"]#|url\\(#)([^'\")]+)")

    static func prepare(_ svg: Data, figureID: String, label: String) -> String {
        var text = String(decoding: svg, as: UTF8.self)
        if let start = text.range(of: "<svg") { text = String(text[start.lowerBound...]) }
        let prefix = "fig-" + figureID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }.reduce("") { $0 + String($1) } + "-"
        // Ids: prefix, and give repeated ids (gnuplot repeats them across multiplot panels) a counter suffix.
        var seen = [String: Int]()
        text = replace(idPattern, in: text) { groups in
            let id = groups[2]
            let n = seen[id, default: 0]
            seen[id] = n + 1
            return "id=\(groups[1])\(prefix)\(id)\(n == 0 ? "" : "-\(n + 1)")\(groups[1])"
        }
        text = replace(refPattern, in: text) { groups in groups[1] + prefix + groups[2] }
        // The root: accessible name, and gnuplot's generic <title> replaced by the figure's alt text.
        let escaped = HTML.escape(label)
        if let r = text.range(of: "<svg") {
            text.replaceSubrange(r, with: "<svg role=\"img\" aria-label=\"\(escaped)\"")
        }
        if let r = text.range(of: "<title>Gnuplot</title>") { text.replaceSubrange(r, with: "<title>\(escaped)</title>") }
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    private static func replace(_ re: NSRegularExpression, in text: String, _ transform: ([String]) -> String) -> String {
        let ns = text as NSString
        var out = "", last = 0
        for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            let groups = (0..<m.numberOfRanges).map { m.range(at: $0).location == NSNotFound ? "" : ns.substring(with: m.range(at: $0)) }
            out += transform(groups)
            last = m.range.location + m.range.length
        }
        return out + ns.substring(from: last)
    }
}
