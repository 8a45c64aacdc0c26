import AnalysisKit
import DataFiles
import Foundation

/// A subset of the work of a command: `replicate work --shard i/n` computes shard `index` of `count`.
/// Directive k (0-based over the `{run}` directives of the named reports, in order) belongs to shard k mod n, and
/// item j of an itemized directive k to shard (k + j) mod n.
public struct Shard: Equatable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// Shard `index` of `count`; `count` in 1...100000 and `index` in 0..<count.
    public init(index: Int, count: Int) throws {
        guard (1...100_000).contains(count) else { throw ShardError("shard count \(count) is outside 1...100000") }
        guard (0..<count).contains(index) else { throw ShardError("shard index \(index) is outside 0...\(count - 1) for \(count) shard(s)") }
        self.index = index; self.count = count
    }

    /// Parses `i/n`, e.g. `0/4`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw ShardError("expected --shard i/n with integers 0 ≤ i < n (e.g. 0/4), got '\(text)'")
        }
        try self.init(index: i, count: n)
    }

    /// Whether directive `k` (not itemized) is computed by this shard.
    public func ownsDirective(_ k: Int) -> Bool { k % count == index }
    /// Whether item `j` of itemized directive `k` is computed by this shard.
    public func ownsItem(directive k: Int, item j: Int) -> Bool { (k % count + j % count) % count == index }
    public var description: String { "\(index)/\(count)" }
}

/// A malformed `--shard` value.
public struct ShardError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}

/// Run times of one directive key, in `.cache/timings/<key hash>.json`, for `replicate plan`'s estimates.
struct DirectiveTiming: Codable, Equatable {
    /// One `workItems` stage: its item count and each item's run time (nil when not computed or not known here).
    struct Stage: Codable, Equatable {
        var name: String
        var count: Int
        var seconds: [Double?]
        /// Mean run time of the items with a known time.
        var meanSeconds: Double? {
            let known = seconds.compactMap { $0 }
            return known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
        }
    }
    var analysis: String
    var slot: String
    /// Run time of the whole directive when it last completed (nil while it has not).
    var seconds: Double?
    var stages: [Stage]

    /// This record updated with `newer`: the newer directive time and stage counts, item times merged.
    func merged(with newer: DirectiveTiming) -> DirectiveTiming {
        var out = newer
        if out.seconds == nil { out.seconds = seconds }
        for (k, stage) in out.stages.enumerated() {
            guard let old = stages.first(where: { $0.name == stage.name && $0.count == stage.count }) else { continue }
            for i in 0..<stage.count where stage.seconds[i] == nil { out.stages[k].seconds[i] = old.seconds[i] }
        }
        for old in stages where !out.stages.contains(where: { $0.name == old.name }) { out.stages.append(old) }
        return out
    }
}

/// The `.cache/timings/` folder: one `DirectiveTiming` per directive key, and per directive slot (`report#ordinal`)
/// the key it last ran with, so a directive whose parameters changed is estimated from its previous run.
struct TimingStore {
    let folder: URL
    init(cacheFolder: URL) { folder = cacheFolder.appendingPathComponent("timings") }

    func url(_ keyHash: String) -> URL { folder.appendingPathComponent("\(keyHash).json") }
    func slotURL(_ slot: String) -> URL {
        folder.appendingPathComponent("slots/\(slot.replacingOccurrences(of: "/", with: "_")).txt")
    }

    func load(_ keyHash: String) -> DirectiveTiming? {
        guard let data = try? Data(contentsOf: url(keyHash)) else { return nil }
        return try? JSONDecoder().decode(DirectiveTiming.self, from: data)
    }

    /// The timing of the key the slot last ran with (nil when never run).
    func lastForSlot(_ slot: String) -> DirectiveTiming? {
        guard let key = try? String(contentsOf: slotURL(slot), encoding: .utf8) else { return nil }
        return load(key.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Merges `timing` into the stored record of `keyHash` (under a lock file, so shards writing at once keep each
    /// other's item times) and points its slot at the key.
    func record(_ timing: DirectiveTiming, keyHash: String) {
        try? FileLock.withLock(folder.appendingPathComponent(".lock")) {
            let merged = load(keyHash).map { $0.merged(with: timing) } ?? timing
            let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
            try AtomicFile.writeIfChanged(try enc.encode(merged), to: url(keyHash))
            try AtomicFile.writeIfChanged(Data(keyHash.utf8), to: slotURL(timing.slot))
        }
    }
}

/// The work-item store of one directive run: item results under `.cache/items/<directive key hash>/<stage>/<i>.json`.
///
/// Each file is framed like a `ResultCache` entry: a header line `{"key": "<directive key hash>/<stage>/<i>",
/// "sha256": <sha256 of the payload>}` and the payload (the item's result and run time, as encoded by `workItems`).
/// A file that fails verification (edited, truncated, copied from another item) is not served: the item recomputes,
/// with a warning. Writes are atomic (`AtomicFile`), so a killed render leaves only whole items behind.
final class ItemCache: WorkItemStore, @unchecked Sendable {
    let folder: URL
    let keyHash: String
    /// False with `--no-cache`: items are recomputed (and stored), never read.
    let readStored: Bool
    /// In a sharded run, the shard and the directive's position k among the command's directives.
    let shard: (shard: Shard, directive: Int)?
    let log: (String) -> Void
    private let lock = NSLock()
    private var stages = [DirectiveTiming.Stage]()
    private(set) var computed = 0

    init(cacheFolder: URL, keyHash: String, readStored: Bool, shard: (shard: Shard, directive: Int)?, log: @escaping (String) -> Void) {
        folder = cacheFolder.appendingPathComponent("items/\(keyHash)")
        self.keyHash = keyHash; self.readStored = readStored; self.shard = shard; self.log = log
    }

    func url(stage: String, index: Int) -> URL { folder.appendingPathComponent("\(stage)/\(index).json") }
    func itemKey(stage: String, index: Int) -> String { "\(keyHash)/\(stage)/\(index)" }

    /// The verified payload of a stored item, whether or not this run reads stored items (for `plan`).
    func storedPayload(stage: String, index: Int, warn: Bool) -> Data? {
        let url = url(stage: stage, index: index)
        guard let data = try? Data(contentsOf: url) else { return nil }
        switch ResultCache.verifiedPayload([UInt8](data), key: itemKey(stage: stage, index: index),
                                           file: "items/\(keyHash.prefix(12))…/\(stage)/\(index).json") {
        case .success(let payload): return payload
        case .failure(let why):
            if warn { log("warning: \(why.message); recomputing the item") }
            return nil
        }
    }

    func load(stage: String, index: Int) -> Data? {
        guard readStored, let payload = storedPayload(stage: stage, index: index, warn: true) else { return nil }
        struct Seconds: Decodable { var seconds: Double }
        if let s = try? JSONDecoder().decode(Seconds.self, from: payload) { note(stage: stage, index: index, seconds: s.seconds) }
        return payload
    }

    func store(stage: String, index: Int, payload: Data, seconds: Double) {
        do {
            try AtomicFile.write(ResultCache.framed(payload, key: itemKey(stage: stage, index: index)), to: url(stage: stage, index: index))
        } catch { log("warning: cannot store item \(index) of stage '\(stage)': \(error)") }
        lock.lock(); computed += 1; lock.unlock()
        note(stage: stage, index: index, seconds: seconds)
    }

    func owns(stage: String, index: Int, count: Int) -> Bool {
        guard let shard else { return true }
        return shard.shard.ownsItem(directive: shard.directive, item: index)
    }

    func begin(stage: String, count: Int) {
        lock.lock(); defer { lock.unlock() }
        stages.removeAll { $0.name == stage }
        stages.append(DirectiveTiming.Stage(name: stage, count: count, seconds: Array(repeating: nil, count: count)))
    }

    private func note(stage: String, index: Int, seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        guard let k = stages.lastIndex(where: { $0.name == stage }), index < stages[k].count else { return }
        stages[k].seconds[index] = seconds
    }

    /// The stages seen so far with the item times known to this run.
    var stageTimings: [DirectiveTiming.Stage] { lock.lock(); defer { lock.unlock() }; return stages }
}
