import AnalysisKit
import DataFiles
import Foundation

/// What determines a directive's result; its hash is the cache key.
struct CacheKey: Codable, Equatable {
    var analysis: String
    var parameters: String
    var datasets: [String: String]
    var build: String

    var hash: String {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        return sha256Hex(try! enc.encode(self))
    }

    /// Human-readable list of what changed relative to an earlier key.
    func differences(from old: CacheKey) -> [String] {
        var d = [String]()
        if analysis != old.analysis { d.append("analysis changed (\(old.analysis) → \(analysis))") }
        if parameters != old.parameters { d.append("parameters changed") }
        if datasets != old.datasets { d.append("input data changed") }
        if build != old.build { d.append("core build changed") }
        return d
    }
}

/// A cached directive result with the time its computation took.
struct CacheEntry: Codable {
    var output: AnalysisOutput
    var seconds: Double
}

/// Directive results on disk under `.cache/`, keyed by `CacheKey.hash`, plus the last key per directive slot for `--explain`.
struct ResultCache {
    let folder: URL

    func load(_ key: CacheKey) -> CacheEntry? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("results/\(key.hash).json")) else { return nil }
        return try? JSONDecoder().decode(CacheEntry.self, from: data)
    }

    func store(_ entry: CacheEntry, for key: CacheKey) throws {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try enc.encode(entry), to: folder.appendingPathComponent("results/\(key.hash).json"))
    }

    private func slotURL(_ slot: String) -> URL {
        folder.appendingPathComponent("slots/\(slot.replacingOccurrences(of: "/", with: "_")).json")
    }

    func previousKey(slot: String) -> CacheKey? {
        guard let data = try? Data(contentsOf: slotURL(slot)) else { return nil }
        return try? JSONDecoder().decode(CacheKey.self, from: data)
    }

    func remember(_ key: CacheKey, slot: String) throws {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        try AtomicFile.writeIfChanged(try enc.encode(key), to: slotURL(slot))
    }
}

/// Identity of the running build: the sha256 of the executable, so results recompute whenever the core changes.
enum BuildIdentity {
    static let current: String = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return (try? sha256Hex(fileAt: exe)) ?? "unknown-build"
    }()
}
