import Foundation

/// Prepares a gnuplot SVG for inlining into an HTML page: drops the XML prolog, makes every id unique to the figure
/// (several figures on one page would otherwise share gnuplot's ids) and labels the root for assistive technology.
enum InlineSVG {

    static func prepare(_ svg: Data, figureID: String, label: String) -> String {
        var bytes = [UInt8](svg)
        if let start = find(Array("<svg".utf8), in: bytes, from: 0) { bytes.removeFirst(start) }
        let prefix = Array(("fig-" + figureID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }.reduce("") { $0 + String($1) } + "-").utf8)
        // Ids: prefix, and give repeated ids (gnuplot repeats them across multiplot panels) a counter suffix.
        var seen = [[UInt8]: Int]()
        bytes = replaceIDs(bytes) { id in
            let n = seen[id, default: 0]
            seen[id] = n + 1
            return prefix + id + (n == 0 ? [] : Array("-\(n + 1)".utf8))
        }
        bytes = replaceRefs(bytes) { prefix + $0 }
        var text = String(decoding: bytes, as: UTF8.self)
        // The root: accessible name, and gnuplot's generic <title> replaced by the figure's alt text.
        let escaped = HTML.escape(label)
        if let r = text.range(of: "<svg") {
            text.replaceSubrange(r, with: "<svg role=\"img\" aria-label=\"\(escaped)\"")
        }
        if let r = text.range(of: "<title>Gnuplot</title>") { text.replaceSubrange(r, with: "<title>\(escaped)</title>") }
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    // Byte scanners for the two patterns below. They replaced NSRegularExpression over NSString, whose UTF-16 bridging
    // took a third of a warm render (perf, 2026-12-03); `InlineSVGScannerTests` checks them against the regular
    // expressions on every kept figure.
    //   ids:  \bid=(['"])([^'"]+)\1          → id=<q><transform(group 2)><q>
    //   refs: (href=['"]#|url\(#)([^'")]+)    → <group 1><transform(group 2)>

    private static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    @inline(__always) private static func isWord(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80
    }

    static func replaceIDs(_ s: [UInt8], _ transform: ([UInt8]) -> [UInt8]) -> [UInt8] {
        let q1 = UInt8(ascii: "'"), q2 = UInt8(ascii: "\"")
        var out = [UInt8](), last = 0, i = 0
        out.reserveCapacity(s.count + s.count / 8)
        while i + 3 < s.count {
            if s[i] == UInt8(ascii: "i") && s[i + 1] == UInt8(ascii: "d") && s[i + 2] == UInt8(ascii: "=")
                && (s[i + 3] == q1 || s[i + 3] == q2) && (i == 0 || !isWord(s[i - 1])) {
                let q = s[i + 3]
                var j = i + 4
                while j < s.count && s[j] != q1 && s[j] != q2 { j += 1 }
                if j > i + 4 && j < s.count && s[j] == q {
                    out += s[last..<i]
                    out += Array("id=".utf8); out.append(q); out += transform(Array(s[(i + 4)..<j])); out.append(q)
                    last = j + 1; i = j + 1
                    continue
                }
            }
            i += 1
        }
        return out + s[last...]
    }

    static func replaceRefs(_ s: [UInt8], _ transform: ([UInt8]) -> [UInt8]) -> [UInt8] {
        let q1 = UInt8(ascii: "'"), q2 = UInt8(ascii: "\""), close = UInt8(ascii: ")")
        let href = Array("href=".utf8), url = Array("url(#".utf8)
        var out = [UInt8](), last = 0, i = 0
        out.reserveCapacity(s.count + s.count / 8)
        while i < s.count {
            var head = 0
            if s[i] == UInt8(ascii: "h"), i + 7 <= s.count, s[i..<(i + 5)].elementsEqual(href),
               s[i + 5] == q1 || s[i + 5] == q2, s[i + 6] == UInt8(ascii: "#") { head = 7 }
            else if s[i] == UInt8(ascii: "u"), i + 5 <= s.count, s[i..<(i + 5)].elementsEqual(url) { head = 5 }
            if head > 0 {
                var j = i + head
                while j < s.count && s[j] != q1 && s[j] != q2 && s[j] != close { j += 1 }
                if j > i + head {
                    out += s[last..<(i + head)]
                    out += transform(Array(s[(i + head)..<j]))
                    last = j; i = j
                    continue
                }
            }
            i += 1
        }
        return out + s[last...]
    }
}
