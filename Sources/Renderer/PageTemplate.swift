import Foundation

/// The HTML shell of a report page: styles, inlined KaTeX (script, stylesheet and fonts) and the provenance footer.
enum PageTemplate {
    static let katexFolder = URL(fileURLWithPath: "/usr/share/javascript/katex")

    static let style = """
    body { font-family: 'DejaVu Serif', Georgia, serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
    h1, h2, h3 { font-family: 'DejaVu Sans', Helvetica, sans-serif; }
    table { border-collapse: collapse; margin: 1rem 0; font-size: 0.92rem; }
    caption { caption-side: top; text-align: left; font-style: italic; padding-bottom: 0.3rem; }
    th, td { border: 1px solid #bbb; padding: 0.25rem 0.6rem; text-align: left; }
    th { background: #f0f0f0; }
    td.agrees { background: #e6f4e6; } td.agrees-tol { background: #fff6d5; } td.differs { background: #fbe9e7; }
    figure { margin: 1.5rem 0; } figure .svg svg { max-width: 100%; height: auto; border: 1px solid #eee; }
    figcaption { font-size: 0.92rem; color: #444; }
    .error { border: 2px solid #c62828; background: #ffebee; padding: 0.6rem 0.8rem; margin: 1rem 0; font-family: monospace; white-space: pre-wrap; }
    .status-pass { color: #2e7d32; } .status-fail { color: #c62828; } .status-none { color: #777; }
    footer { margin-top: 3rem; border-top: 1px solid #ccc; font-size: 0.8rem; color: #555; }
    pre { background: #f6f6f6; padding: 0.6rem; overflow-x: auto; }
    """

    /// KaTeX stylesheet with its woff2 fonts inlined as data URIs, plus the KaTeX and auto-render scripts;
    /// empty if KaTeX is not installed (the page then shows the TeX source).
    static let katexAssets: (css: String, js: String) = {
        guard var css = try? String(contentsOf: katexFolder.appendingPathComponent("katex.min.css"), encoding: .utf8),
              var js = try? String(contentsOf: katexFolder.appendingPathComponent("katex.min.js"), encoding: .utf8) else {
            return ("", "")
        }
        if let autoRender = try? String(contentsOf: katexFolder.appendingPathComponent("contrib/auto-render.js"), encoding: .utf8) {
            js += "\n" + autoRender
        }
        // Keep only the woff2 source of each @font-face and inline it.
        let pattern = try! NSRegularExpression(pattern: "src:url\\((fonts/[^)]+\\.woff2)\\)[^;}]*")
        let matches = pattern.matches(in: css, range: NSRange(css.startIndex..., in: css)).reversed()
        for m in matches {
            let rel = String(css[Range(m.range(at: 1), in: css)!])
            guard let font = try? Data(contentsOf: katexFolder.appendingPathComponent(rel)) else { continue }
            css.replaceSubrange(Range(m.range, in: css)!, with: "src:url(data:font/woff2;base64,\(font.base64EncodedString())) format(\"woff2\")")
        }
        return (css, js)
    }()

    /// Renders the prose math spans, then `$...$` written in table cells and captions that analyses produced.
    static let mathScript = """
    (function () {
      if (typeof katex === 'undefined') return;
      document.querySelectorAll('.math').forEach(function (el) {
        katex.render(el.textContent, el, { displayMode: el.classList.contains('display'), throwOnError: false });
      });
      if (typeof renderMathInElement === 'undefined') return;
      document.querySelectorAll('caption, figcaption, th, td').forEach(function (el) {
        renderMathInElement(el, { delimiters: [{ left: '$$', right: '$$', display: true }, { left: '$', right: '$', display: false }],
                                  throwOnError: false });
      });
    })();
    """

    static func page(title: String, body: String, footer: String) -> String {
        let k = katexAssets
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        <style>\(style)</style>
        <style>\(k.css)</style>
        </head>
        <body>
        \(body)
        <footer>\(footer)</footer>
        <script>\(k.js)</script>
        <script>\(mathScript)</script>
        </body>
        </html>

        """
    }
}
