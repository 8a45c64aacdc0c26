import Foundation

/// The identifiers of the paper a report replicates, read from the report's opening text (before its first code
/// block or second-level heading): `arXiv:NNNN.NNNNN`, `doi:10.…` or a doi.org address, `bioRxiv NNNNNN` (its DOI is
/// 10.1101/NNNNNN), and an explicit `<!-- paper: URL -->` comment anywhere in the report for a paper its text names
/// otherwise (a journal citation).
enum PaperLinks {
    struct Link: Equatable {
        var label: String
        var url: String
    }

    private static let comment = try! NSRegularExpression(pattern: "<!--\\s*paper:\\s*(https?://[^\\s<>\"]+)\\s*-->")
    private static let arxiv = try! NSRegularExpression(pattern: "\\barXiv:\\s?(\\d{4}\\.\\d{4,5}(?:v\\d+)?)")
    private static let doi = try! NSRegularExpression(pattern: "(?:\\bdoi:\\s?|https?://(?:dx\\.)?doi\\.org/)(10\\.\\d{4,9}/[^\\s\"<>()\\[\\]]+)",
                                                      options: [.caseInsensitive])
    private static let biorxiv = try! NSRegularExpression(pattern: "\\bbioRxiv\\s+(\\d{6,})\\b", options: [.caseInsensitive])

    static func find(in source: String) -> [Link] {
        var links = [Link]()
        func add(_ l: Link) { if !links.contains(where: { $0.url == l.url }) { links.append(l) } }
        let whole = source as NSString
        for m in comment.matches(in: source, range: NSRange(location: 0, length: whole.length)) {
            let url = whole.substring(with: m.range(at: 1))
            add(Link(label: URL(string: url)?.host ?? url, url: url))
        }
        // The opening text: up to the first fence or `## ` heading.
        var opening = [Substring]()
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("```") || t.hasPrefix("~~~") || t.hasPrefix("## ") { break }
            opening.append(line)
        }
        let text = opening.joined(separator: "\n"), ns = text as NSString
        var found = [(Int, Link)]()
        let all = NSRange(location: 0, length: ns.length)
        for m in arxiv.matches(in: text, range: all) {
            let id = ns.substring(with: m.range(at: 1))
            found.append((m.range.location, Link(label: "arXiv:\(id)", url: "https://arxiv.org/abs/\(id)")))
        }
        for m in doi.matches(in: text, range: all) {
            var id = ns.substring(with: m.range(at: 1))
            while let last = id.last, ".,;:".contains(last) { id.removeLast() }
            found.append((m.range.location, Link(label: "doi:\(id)", url: "https://doi.org/\(id)")))
        }
        for m in biorxiv.matches(in: text, range: all) {
            let id = ns.substring(with: m.range(at: 1))
            found.append((m.range.location, Link(label: "bioRxiv \(id)", url: "https://doi.org/10.1101/\(id)")))
        }
        for (_, l) in found.sorted(by: { $0.0 < $1.0 }) { add(l) }
        return links
    }
}
