import DataFiles
import Foundation

/// The committed math store `reports/math-store.json` (issue 19): TeX → the MathML that KaTeX wrote for it at build
/// time, so that a machine without Node writes the same pages as one with Node.
///
/// - With Node (`PageMath.available`) every page is typeset as before, and its formulas are added to the store when
///   the store file exists or `REPLICATE_MATH_STORE=update` is set (to create it). A store written by another KaTeX
///   (its `katex` hash differs) is started afresh. A render of every report replaces the store by exactly the
///   formulas the pages use.
/// - Without Node, a page whose formulas are all in the store is typeset from it: byte-identical to the Node page (no
///   KaTeX script). A page with a formula missing falls back to KaTeX in the browser, with a warning naming the count
///   and the first TeX.
/// - Entries no page uses are reported after a render of every report ("stale").
///
/// The file is JSON with sorted keys, one entry per line group, so it is deterministic and its diffs are readable.
struct MathStore: Codable, Equatable {
    struct Entry: Codable, Equatable {
        var html: String
        var error: String?
    }
    /// sha256 of the katex.min.js that typeset the entries.
    var katex: String
    var display: [String: Entry] = [:]
    var inline: [String: Entry] = [:]

    static let fileName = "math-store.json"
    static func url(in reportsFolder: URL) -> URL { reportsFolder.appendingPathComponent(fileName) }

    /// The store at `url`; nil when there is none or it cannot be read (a warning through `warn`).
    static func load(_ url: URL, warn: (String) -> Void = { _ in }) -> MathStore? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        do { return try JSONDecoder().decode(MathStore.self, from: data) } catch {
            warn("warning: \(url.lastPathComponent) cannot be read (\(error)); math without Node goes to the browser")
            return nil
        }
    }

    func entry(_ f: PageMath.Formula) -> Entry? { (f.display ? display : inline)[f.tex] }

    /// The stored typesetting of every formula, or nil and the formulas the store lacks.
    func lookup(_ formulas: [PageMath.Formula]) -> (typeset: [(html: String, error: String?)]?, missing: [PageMath.Formula]) {
        var out = [(html: String, error: String?)](), missing = [PageMath.Formula]()
        for f in formulas {
            if let e = entry(f) { out.append((e.html, e.error)) } else { missing.append(f) }
        }
        return missing.isEmpty ? (out, []) : (nil, missing)
    }

    mutating func record(_ formulas: [PageMath.Formula], _ typeset: [(html: String, error: String?)]) {
        for (f, t) in zip(formulas, typeset) {
            let e = Entry(html: t.html, error: t.error)
            if f.display { display[f.tex] = e } else { inline[f.tex] = e }
        }
    }

    /// Entries whose formula is not in `used` (keys `MathStore.key`).
    func stale(used: Set<String>) -> [PageMath.Formula] {
        (display.keys.map { PageMath.Formula(tex: $0, display: true) } + inline.keys.map { PageMath.Formula(tex: $0, display: false) })
            .filter { !used.contains(Self.key($0)) }
            .sorted { Self.key($0) < Self.key($1) }
    }

    static func key(_ f: PageMath.Formula) -> String { (f.display ? "d\u{0}" : "i\u{0}") + f.tex }

    func encoded() throws -> Data {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try enc.encode(self) + Data("\n".utf8)
    }

    /// Whether renders with Node write the store: it exists, or `REPLICATE_MATH_STORE=update`.
    static func updating(_ url: URL) -> Bool {
        ProcessInfo.processInfo.environment["REPLICATE_MATH_STORE"] == "update" || FileManager.default.fileExists(atPath: url.path)
    }

    /// Read-modify-write of the store at `url` under `<lockFolder>/.math-store.lock`; writes only when it changed.
    static func modify(_ url: URL, lockFolder: URL, katex: String, _ change: (inout MathStore) -> Void) throws {
        try FileLock.withLock(lockFolder.appendingPathComponent(".math-store.lock")) {
            let old = load(url)
            var store = old.flatMap { $0.katex == katex ? $0 : nil } ?? MathStore(katex: katex)
            change(&store)
            if store != old { try AtomicFile.writeIfChanged(try store.encoded(), to: url) }
        }
    }
}

/// The formulas the pages of one command used (for the stale report of a render of every report).
final class MathUsage: @unchecked Sendable {
    private let lock = NSLock()
    private var keys = Set<String>()
    func add(_ formulas: [PageMath.Formula]) { lock.lock(); for f in formulas { keys.insert(MathStore.key(f)) }; lock.unlock() }
    var used: Set<String> { lock.lock(); defer { lock.unlock() }; return keys }
}
