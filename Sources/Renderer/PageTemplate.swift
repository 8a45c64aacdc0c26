import Foundation

/// The HTML shell of a report page: styles, KaTeX for math left to the browser, and the provenance footer.
///
/// By default a page links the shared assets under `site/assets/` (`style.css`; KaTeX's scripts only on a page whose
/// math is left to the browser, which then writes MathML like build-time math), written once by `writeAssets`. A
/// self-contained page (`replicate render --self-contained`) inlines them and works as a single file.
enum PageTemplate {
    static let katexFolder = URL(fileURLWithPath: "/usr/share/javascript/katex")

    static let style = """
    :root { color-scheme: light dark; }
    body { font-family: 'DejaVu Serif', Georgia, serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; background: #fff; overflow-wrap: break-word; }
    h1, h2, h3, h4 { font-family: 'DejaVu Sans', Helvetica, sans-serif; }
    a { color: #1a5fb4; }
    .heading-anchor { margin-left: 0.4rem; font-size: 0.8em; color: #999; text-decoration: none; opacity: 0; }
    h1:hover .heading-anchor, h2:hover .heading-anchor, h3:hover .heading-anchor, h4:hover .heading-anchor, .heading-anchor:focus { opacity: 1; }
    .site-nav { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; font-family: 'DejaVu Sans', Helvetica, sans-serif; font-size: 0.9rem; padding: 0.4rem 0; border-bottom: 1px solid #ddd; }
    .site-nav.bottom { border-bottom: 0; border-top: 1px solid #ddd; margin-top: 2rem; }
    .report-links { font-family: 'DejaVu Sans', Helvetica, sans-serif; font-size: 0.9rem; margin: 0.2rem 0 0.6rem; }
    math { font-family: 'DejaVu Math TeX Gyre', 'STIX Two Math', 'Latin Modern Math', math; }
    .katex-display, .math.display { margin: 0.8rem 0; }
    .math.inline.wide { display: inline-block; max-width: 100%; overflow-x: auto; overflow-y: hidden; vertical-align: middle; }
    .toc { border: 1px solid #ddd; background: #fafafa; padding: 0.4rem 1rem; margin: 1rem 0; font-size: 0.92rem; }
    .toc-title { font-weight: bold; margin: 0.3rem 0; font-family: 'DejaVu Sans', Helvetica, sans-serif; }
    .toc ul { margin: 0.2rem 0; padding-left: 1.2rem; } .toc li { margin: 0.1rem 0; }
    .table-wrap { max-width: 100%; overflow-x: auto; margin: 1rem 0; }
    .table-wrap > table { margin: 0; }
    .table-wrap > table > caption { position: sticky; left: 0; max-width: min(calc(100vw - 2rem), 60rem); box-sizing: border-box; }
    table { border-collapse: collapse; margin: 1rem 0; font-size: 0.92rem; }
    caption { caption-side: top; text-align: left; font-style: italic; padding-bottom: 0.3rem; }
    th, td { border: 1px solid #bbb; padding: 0.25rem 0.6rem; text-align: left; }
    th { background: #f0f0f0; }
    td.agrees { background: #e6f4e6; } td.agrees-tol { background: #fff6d5; } td.differs { background: #fbe9e7; }
    .table-number, .figure-number { font-style: normal; font-weight: bold; }
    .xref-missing { color: #c62828; font-weight: bold; }
    figure { margin: 1.5rem 0; max-width: 100%; } figure .svg svg { display: block; max-width: 100%; height: auto; border: 1px solid #eee; background: #fff; }
    img { max-width: 100%; height: auto; }
    figcaption { font-size: 0.92rem; color: #444; }
    .figure-files { font-size: 0.85rem; margin: 0.2rem 0 0; font-family: 'DejaVu Sans', Helvetica, sans-serif; }
    details.parameters { font-size: 0.85rem; margin: 0.5rem 0 1rem; } details.parameters summary { cursor: pointer; color: #555; }
    .math.display { display: block; max-width: 100%; overflow-x: auto; overflow-y: hidden; }
    .katex-display { overflow-x: auto; overflow-y: hidden; }
    .error { border: 2px solid #c62828; background: #ffebee; padding: 0.6rem 0.8rem; margin: 1rem 0; font-family: monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
    .status-pass { color: #2e7d32; } .status-fail { color: #c62828; } .status-none { color: #777; }
    footer { margin-top: 3rem; border-top: 1px solid #ccc; font-size: 0.8rem; color: #555; }
    pre { background: #f6f6f6; padding: 0.6rem; overflow-x: auto; max-width: 100%; box-sizing: border-box; }
    code { overflow-wrap: anywhere; } pre code { overflow-wrap: normal; }
    @media (max-width: 40rem) {
      .table-wrap > table th, .table-wrap > table td { min-width: 5.5em; }
      .table-wrap > table th:first-child, .table-wrap > table td:first-child { min-width: 8em; }
      .table-wrap > table td.long { min-width: 13em; }
      figure .svg.across-2, figure .svg.across-3, figure .svg.across-4 { overflow-x: auto; }
      figure .svg.across-2 svg { min-width: 42rem; } figure .svg.across-3 svg { min-width: 63rem; } figure .svg.across-4 svg { min-width: 84rem; }
    }
    @media (prefers-color-scheme: dark) {
      body { color: #ddd; background: #161616; }
      a { color: #8ab4f8; } .heading-anchor { color: #777; }
      .site-nav { border-color: #444; } .toc { background: #1f1f1f; border-color: #444; }
      th, td { border-color: #555; } th { background: #2a2a2a; }
      td.agrees { background: #1d3b1f; } td.agrees-tol { background: #3d3514; } td.differs { background: #4a1f1b; }
      figure .svg svg { border-color: #444; }
      figcaption { color: #bbb; } details.parameters summary { color: #aaa; }
      .error { background: #3a1416; border-color: #ef5350; color: #f5d0d0; }
      .status-pass { color: #81c784; } .status-fail { color: #ef9a9a; } .status-none { color: #999; }
      footer { border-color: #444; color: #aaa; }
      pre { background: #222; }
    }
    @media print {
      :root { color-scheme: light; }
      body { max-width: none; margin: 0; padding: 0; color: #000; background: #fff; font-size: 10.5pt; }
      .site-nav, .toc, .heading-anchor, .figure-files { display: none; }
      a { color: inherit; text-decoration: none; }
      h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
      figure, .table-wrap, table, pre, .math.display, .error { break-inside: avoid; page-break-inside: avoid; }
      p { orphans: 3; widows: 3; }
      .table-wrap, .math.display, pre { overflow: visible; }
      pre { white-space: pre-wrap; }
    }
    """

    /// The KaTeX and auto-render scripts (about 273 kB), for math left to the browser; empty if KaTeX is not
    /// installed (the page then shows the TeX source). The page draws MathML, so KaTeX's stylesheet and fonts are not
    /// needed (`mathScript`).
    static let katexAssets: (css: String, js: String) = {
        guard var js = try? String(contentsOf: katexFolder.appendingPathComponent("katex.min.js"), encoding: .utf8) else {
            return ("", "")
        }
        if let autoRender = try? String(contentsOf: katexFolder.appendingPathComponent("contrib/auto-render.js"), encoding: .utf8) {
            js += "\n" + autoRender
        }
        return ("", js)
    }()

    /// Renders the prose math spans, then `$...$` written in table cells and captions that analyses produced, as
    /// MathML (KaTeX's `output: 'mathml'`): exactly the markup that build-time math writes (`PageMath`), so a page
    /// looks the same with or without Node, and needs neither KaTeX's stylesheet nor its fonts (browsers draw MathML
    /// Core with the system's math font).
    static let mathScript = """
    (function () {
      if (typeof katex === 'undefined') return;
      document.querySelectorAll('.math').forEach(function (el) {
        katex.render(el.textContent, el, { displayMode: el.classList.contains('display'), output: 'mathml', throwOnError: false });
      });
      if (typeof renderMathInElement === 'undefined') return;
      document.querySelectorAll('caption, figcaption, th, td').forEach(function (el) {
        renderMathInElement(el, { delimiters: [{ left: '$$', right: '$$', display: true }, { left: '$', right: '$', display: false }],
                                  output: 'mathml', throwOnError: false });
      });
    })();
    """

    /// Whether a page has math for KaTeX in the browser: a prose math span, or a `$` that the auto-render script may
    /// find in a table or caption.
    static func hasClientMath(body: String, footer: String) -> Bool {
        body.contains("<span class=\"math ") || body.contains("$") || footer.contains("$")
    }

    /// A page: `nav` (the site links) goes above the body and again below it. With `clientMath`, a page that still
    /// has math (see `hasClientMath`) carries KaTeX: linked from `assets/katex/`, or inlined (about 640 kB) when
    /// `selfContained`.
    static func page(title: String, body: String, footer: String, nav: String = "", selfContained: Bool = false,
                     clientMath: Bool = true) -> String {
        let hasMath = clientMath && hasClientMath(body: body, footer: footer)
        let bottomNav = nav.replacingOccurrences(of: "<nav class=\"site-nav\" aria-label=\"Reports\">",
                                                 with: "<nav class=\"site-nav bottom\" aria-label=\"Reports (end of page)\">")
        var head = selfContained ? "<style>\(style)</style>\n" : "<link rel=\"stylesheet\" href=\"assets/style.css\">\n"
        var scripts = ""
        // Math left to the browser: KaTeX's script writes MathML (`mathScript`), so no KaTeX stylesheet or font.
        if hasMath {
            if selfContained {
                let k = katexAssets
                if !k.js.isEmpty { scripts = "<script>\(k.js)</script>\n<script>\(mathScript)</script>\n" }
            } else if !katexAssets.js.isEmpty {
                scripts = "<script src=\"assets/katex/katex.min.js\"></script>\n<script src=\"assets/katex/auto-render.js\"></script>\n"
                    + "<script src=\"assets/math.js\"></script>\n"
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        \(head)</head>
        <body>
        \(nav)\(body)
        \(bottomNav)<footer>\(footer)</footer>
        \(scripts)</body>
        </html>

        """
    }

    /// The shared assets, by path under `site/assets/`: the stylesheet, the math script, and KaTeX's scripts when
    /// KaTeX is installed (for pages whose math is left to the browser; no stylesheet or fonts, see `mathScript`).
    static let sharedAssets: [(path: String, data: Data)] = {
        var files: [(path: String, data: Data)] = [("style.css", Data(style.utf8)), ("math.js", Data(mathScript.utf8))]
        guard let js = try? Data(contentsOf: katexFolder.appendingPathComponent("katex.min.js")) else { return files }
        files.append(("katex/katex.min.js", js))
        if let autoRender = try? Data(contentsOf: katexFolder.appendingPathComponent("contrib/auto-render.js")) {
            files.append(("katex/auto-render.js", autoRender))
        }
        return files
    }()

    /// Writes the shared assets under `<site>/assets/` (files whose bytes are unchanged are not rewritten).
    static func writeAssets(to site: URL) throws {
        let folder = site.appendingPathComponent("assets")
        for f in sharedAssets { try AtomicFile.writeIfChanged(f.data, to: folder.appendingPathComponent(f.path)) }
    }
}
