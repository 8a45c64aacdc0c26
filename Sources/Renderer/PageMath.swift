import DataFiles
import Foundation

/// Math typeset when the page is written: KaTeX (Debian's `libjs-katex`) run once per page by Node.js with MathML
/// output, so that pages load no script, stylesheet or font for their math (browsers draw MathML Core natively).
///
/// Typeset are the prose's math spans (`<span class="math inline|display">TeX</span>`, from `ProseTransform`) and,
/// as KaTeX's auto-render did in the browser, `$$…$$` and `$…$` in the text of table captions, figure captions and
/// table cells that analyses produced. Results are kept in `.cache/math/` under the sha256 of KaTeX's file and the
/// page's formulas, so a warm render starts no Node process. Without Node or KaTeX the page falls back to KaTeX in
/// the browser (`PageTemplate`), which writes the same MathML: the page looks the same but loads KaTeX's two scripts
/// (273 kB, shared by every page of the site) and typesets on load. `REPLICATE_MATH=browser` forces that fallback
/// (to measure or test it on a machine with Node).
enum PageMath {
    static let katexFile = PageTemplate.katexFolder.appendingPathComponent("katex.min.js")

    /// One formula of a page: TeX (entities decoded) and whether it is display math.
    struct Formula: Equatable { var tex: String; var display: Bool }

    /// Whether Node.js and KaTeX are installed (asked once per process).
    static let available: Bool = {
        if ProcessInfo.processInfo.environment["REPLICATE_MATH"] == "browser" { return false }
        guard FileManager.default.isReadableFile(atPath: katexFile.path) else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["node", "--version"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    /// Tests set this to false to render as a machine without Node would (nil: `available`).
    nonisolated(unsafe) static var nodeOverride: Bool? = nil
    /// Whether pages are typeset by Node now (else from the math store, or in the browser).
    static var useNode: Bool { nodeOverride.map { $0 && available } ?? available }

    static let katexHash: String = (try? sha256Hex(fileAt: katexFile)) ?? "none"

    /// The Node program: reads `[[tex, display], …]` as JSON on stdin, writes `[[mathml, error-or-null], …]`. A formula
    /// KaTeX cannot parse is rendered with its error shown in place (KaTeX's `throwOnError: false`), and its message
    /// returned.
    static let program = """
    const katex = require(process.argv[1]);
    let input = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', c => { input += c; });
    process.stdin.on('end', () => {
      const out = JSON.parse(input).map(([tex, display]) => {
        const opts = { displayMode: display, output: 'mathml', throwOnError: true, strict: 'ignore' };
        try { return [katex.renderToString(tex, opts), null]; }
        catch (e) { opts.throwOnError = false; return [katex.renderToString(tex, opts), String(e.message || e)]; }
      });
      process.stdout.write(JSON.stringify(out));
    });
    """

    /// MathML of each formula (and KaTeX's error message, if any), from the cache or one Node run.
    static func typeset(_ formulas: [Formula], cacheFolder: URL) throws -> [(html: String, error: String?)] {
        guard !formulas.isEmpty else { return [] }
        let request = try JSONSerialization.data(withJSONObject: formulas.map { [$0.tex, $0.display] as [Any] }, options: [.sortedKeys])
        let key = sha256Hex(Data((katexHash + "\u{0}mathml\u{0}").utf8) + request)
        let cacheURL = cacheFolder.appendingPathComponent("math").appendingPathComponent("\(key).json")
        if let cached = try? Data(contentsOf: cacheURL), let out = decode(cached), out.count == formulas.count { return out }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["node", "-e", program, katexFile.path]
        let input = Pipe(), output = Pipe(), err = Pipe()
        p.standardInput = input; p.standardOutput = output; p.standardError = err
        try p.run()
        // Write stdin from another thread, so that a large page cannot block on full pipes.
        let writer = Thread { input.fileHandleForWriting.write(request); try? input.fileHandleForWriting.close() }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0, let out = decode(data), out.count == formulas.count else {
            throw GnuplotError(description: "KaTeX (node) failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines).prefix(400))")
        }
        try? AtomicFile.write(data, to: cacheURL)
        return out
    }

    private static func decode(_ data: Data) -> [(html: String, error: String?)]? {
        guard let rows = (try? JSONSerialization.jsonObject(with: data)) as? [[Any]] else { return nil }
        var out = [(html: String, error: String?)]()
        for r in rows {
            guard r.count == 2, let html = r[0] as? String else { return nil }
            out.append((html, r[1] as? String))
        }
        return out
    }

    // MARK: finding the formulas of a page

    static let marker = Array("MATHTYPESETMARK".utf8)

    /// The page with every formula replaced by a marker `MATHTYPESETMARK<i>Z`, and the formulas in marker order.
    /// Prose spans first (exactly the spans `ProseTransform.restoreMath` writes), then `$`-math in the text of
    /// `caption`, `figcaption`, `th` and `td` elements (outside tags; `\$` is a dollar sign, as in KaTeX's
    /// auto-render). Linear in the page.
    static func extract(_ html: String) -> (html: String, formulas: [Formula]) {
        var formulas = [Formula]()
        let bytes = Array(html.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        let spanOpen = Array("<span class=\"math ".utf8), spanClose = Array("</span>".utf8)
        let cellTags = ["<td", "<th", "<caption", "<figcaption"].map { Array($0.utf8) }
        func starts(_ p: [UInt8], at i: Int) -> Bool {
            i + p.count <= bytes.count && bytes[i..<(i + p.count)].elementsEqual(p)
        }
        func emitMarker() { out += marker; out += Array("\(formulas.count - 1)Z".utf8) }
        var i = 0
        // Inside a cell: its closing tag, and the position of the pending `$` run.
        var cellClose: [UInt8]? = nil
        var skipUntil: [UInt8]? = nil   // inside <svg>, <pre> or <code>: no math
        var cellText = [UInt8]()          // text of the cell since its last tag, not yet emitted
        func flushCell() {
            guard !cellText.isEmpty else { return }
            out += typesetDollars(cellText, into: &formulas)
            cellText.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let b = bytes[i]
            if let s = skipUntil {
                if b == UInt8(ascii: "<") && starts(s, at: i) { out += s; i += s.count; skipUntil = nil; continue }
                out.append(b); i += 1; continue
            }
            if b == UInt8(ascii: "<") {
                if starts(spanOpen, at: i), let gt = bytes[i...].firstIndex(of: UInt8(ascii: ">")) {
                    let cls = String(decoding: bytes[(i + spanOpen.count)..<gt], as: UTF8.self)
                    if cls == "inline\"" || cls == "display\"", let end = find(spanClose, in: bytes, from: gt + 1) {
                        flushCell()
                        let tex = HTML.unescape(String(decoding: bytes[(gt + 1)..<end], as: UTF8.self))
                        formulas.append(Formula(tex: tex, display: cls == "display\""))
                        // A long inline formula is one unbreakable MathML box: it scrolls in its own box on narrow
                        // screens instead of widening the page.
                        let wide = cls == "inline\"" && tex.count >= 30 ? "inline wide\"" : cls
                        out += Array("<span class=\"math \(wide)>".utf8); emitMarker(); out += spanClose
                        i = end + spanClose.count; continue
                    }
                }
                for (open, close) in [("<svg", "</svg>"), ("<pre", "</pre>"), ("<code", "</code>")] where starts(Array(open.utf8), at: i) {
                    let next = i + open.utf8.count < bytes.count ? bytes[i + open.utf8.count] : 0
                    if next == UInt8(ascii: ">") || next == UInt8(ascii: " ") { skipUntil = Array(close.utf8) }
                }
                if skipUntil != nil { flushCell(); out.append(b); i += 1; continue }
                if let c = cellClose, starts(c, at: i) {
                    flushCell(); out += c; i += c.count; cellClose = nil; continue
                }
                if cellClose == nil, let t = cellTags.first(where: { starts($0, at: i) }),
                   i + t.count < bytes.count, bytes[i + t.count] == UInt8(ascii: ">") || bytes[i + t.count] == UInt8(ascii: " ") {
                    cellClose = Array(("</" + String(decoding: t.dropFirst(), as: UTF8.self) + ">").utf8)
                }
                // A tag: copied as is; cell text on either side is typeset separately.
                flushCell()
                var j = i
                while j < bytes.count && bytes[j] != UInt8(ascii: ">") { j += 1 }
                let end = min(j + 1, bytes.count)
                out += bytes[i..<end]; i = end; continue
            }
            if cellClose != nil { cellText.append(b) } else { out.append(b) }
            i += 1
        }
        flushCell()
        return (String(decoding: out, as: UTF8.self), formulas)
    }

    /// Text of a cell with `$$…$$` and `$…$` formulas replaced by markers (a `$` without a closer stays text).
    private static func typesetDollars(_ text: [UInt8], into formulas: inout [Formula]) -> [UInt8] {
        guard text.contains(UInt8(ascii: "$")) else { return text }
        let dollar = UInt8(ascii: "$"), slash = UInt8(ascii: "\\")
        var out = [UInt8](), i = 0
        // Next unescaped `$` at or after each position (one backward pass).
        var next = [Int](repeating: text.count, count: text.count + 1)
        var k = text.count - 1
        while k >= 0 {
            next[k] = text[k] == dollar && (k == 0 || text[k - 1] != slash) ? k : next[k + 1]
            k -= 1
        }
        while i < text.count {
            if text[i] == dollar && (i == 0 || text[i - 1] != slash) {
                let display = i + 1 < text.count && text[i + 1] == dollar
                var close = next[min(i + (display ? 2 : 1), text.count)]
                if display {
                    while close < text.count && !(close + 1 < text.count && text[close + 1] == dollar) { close = next[close + 1] }
                }
                if close < text.count, close > i + (display ? 2 : 1) {
                    let tex = HTML.unescape(String(decoding: text[(i + (display ? 2 : 1))..<close], as: UTF8.self))
                    formulas.append(Formula(tex: tex, display: display))
                    out += marker; out += Array("\(formulas.count - 1)Z".utf8)
                    i = close + (display ? 2 : 1); continue
                }
            }
            out.append(text[i]); i += 1
        }
        return out
    }

    /// The page with its markers replaced by the typeset formulas (one pass).
    static func restore(_ html: String, _ typeset: [String]) -> String {
        let bytes = Array(html.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + typeset.reduce(0) { $0 + $1.utf8.count })
        var i = 0
        while i < bytes.count {
            if bytes[i] == marker[0], i + marker.count < bytes.count, bytes[i..<(i + marker.count)].elementsEqual(marker) {
                var j = i + marker.count, index = 0, digits = 0
                while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39, digits < 9 { index = index * 10 + Int(bytes[j] - 0x30); j += 1; digits += 1 }
                if digits > 0, j < bytes.count, bytes[j] == UInt8(ascii: "Z"), index < typeset.count {
                    out += Array(typeset[index].utf8); i = j + 1; continue
                }
            }
            out.append(bytes[i]); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        var i = from
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
