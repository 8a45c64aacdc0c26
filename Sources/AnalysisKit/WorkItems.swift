import Foundation

/// One independent piece of an itemized analysis (one cell, seed, β or initialisation), handed to the body of
/// `AnalysisContext.workItems`.
///
/// `childSeed` is a pure function of (seed, stage, index) — see `WorkItem.childSeed(seed:stage:index:)` — so an item
/// computes the same numbers whichever process, thread or shard runs it and in whatever order.
public struct WorkItem: Sendable, Equatable {
    /// The stage the item belongs to (the `stage` argument of `workItems`).
    public let stage: String
    /// Position of the item in its stage, `0..<count`.
    public let index: Int
    /// Seed of the item's own random stream (e.g. `Xoshiro256(seed: item.childSeed)`).
    public let childSeed: UInt64

    public init(stage: String, index: Int, seed: UInt64) {
        self.stage = stage; self.index = index
        childSeed = WorkItem.childSeed(seed: seed, stage: stage, index: index)
    }

    /// The child seed of item `index` of `stage` under `seed`: three rounds of SplitMix64 (Steele, Lea & Flood 2014),
    ///
    ///     a = splitMix64(seed)                       // state seed + γ, then the SplitMix64 finaliser
    ///     b = splitMix64(a XOR fnv1a64(stage))        // FNV-1a (64-bit) of the stage name's UTF-8 bytes
    ///     childSeed = splitMix64(b XOR UInt64(index))
    ///
    /// where `splitMix64(x)` adds γ = 0x9E3779B97F4A7C15 and applies the SplitMix64 output function. Each round is a
    /// bijection of its input, so different indices of one stage never share a seed, and stages and seeds are
    /// decorrelated by the full avalanche of the finaliser. It is fixed: changing it would change every itemized result.
    public static func childSeed(seed: UInt64, stage: String, index: Int) -> UInt64 {
        var s = seed
        let a = splitMix(&s)
        var t = a ^ fnv1a64(stage)
        let b = splitMix(&t)
        var u = b ^ UInt64(truncatingIfNeeded: index)
        return splitMix(&u)
    }

    /// One SplitMix64 step: adds γ to `state` and returns the finalised value.
    public static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 64-bit FNV-1a hash of the UTF-8 bytes of `text`.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// Whether `stage` can name a stage: 1–64 characters of letters, digits, `_`, `-` and `.`, not starting with `.`
    /// (it is a folder name in the item cache).
    public static func isValidStage(_ stage: String) -> Bool {
        !stage.isEmpty && stage.utf8.count <= 64 && !stage.hasPrefix(".")
            && stage.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "_-.".unicodeScalars.contains($0) }
    }
}

/// A counting semaphore of worker threads shared by everything one command runs: directives and work items each hold
/// one slot while they compute, so `replicate render -j N` never runs more than N of them at once.
///
/// A directive that declares work items keeps its own slot and runs items on it; it adds helper threads only for
/// slots it can take without waiting (`tryAcquire`), so nested use can never deadlock.
public final class ThreadBudget: @unchecked Sendable {
    /// Number of slots (the `-j` value).
    public let size: Int
    private let condition = NSCondition()
    private var free: Int

    /// A budget of `size` slots, 1...4096.
    public init(_ size: Int) {
        precondition((1...4096).contains(size), "thread budget \(size) outside 1...4096")
        self.size = size; free = size
    }

    /// Takes a slot, waiting for one when all are in use.
    public func acquire() {
        condition.lock(); defer { condition.unlock() }
        while free == 0 { condition.wait() }
        free -= 1
    }

    /// Takes a slot if one is free now.
    public func tryAcquire() -> Bool {
        condition.lock(); defer { condition.unlock() }
        guard free > 0 else { return false }
        free -= 1
        return true
    }

    /// Returns a slot.
    public func release() {
        condition.lock(); free += 1; condition.signal(); condition.unlock()
    }

    /// Runs `body` holding one slot.
    public func withSlot<T>(_ body: () throws -> T) rethrows -> T {
        acquire(); defer { release() }
        return try body()
    }
}

/// Where the results of work items are kept between runs; the renderer supplies one per directive (files under
/// `.cache/items/<directive key>/<stage>/<index>.json`), which makes an interrupted render resume where it stopped and
/// lets `replicate work --shard i/n` split a directive's items over processes.
///
/// Payloads are the JSON that `workItems` encodes (the item's result and its run time); the store only keeps bytes.
public protocol WorkItemStore: AnyObject, Sendable {
    /// The stored payload of an item, or nil when it is not stored (or its file fails verification).
    func load(stage: String, index: Int) -> Data?
    /// Stores a freshly computed item's payload, with its run time in seconds.
    func store(stage: String, index: Int, payload: Data, seconds: Double)
    /// Whether this process computes item `index` of a stage of `count` items (false for another shard's items).
    func owns(stage: String, index: Int, count: Int) -> Bool
    /// Called once per `workItems` call, before any item runs.
    func begin(stage: String, count: Int)
}

/// Thrown by `workItems` in a sharded run (`replicate work --shard i/n`) after this shard has computed its own items,
/// when items of other shards are not stored yet: the directive is finished later, by `replicate render`.
public struct WorkItemsDeferred: Error, CustomStringConvertible, Sendable {
    public let stage: String
    public let missing: Int
    public init(stage: String, missing: Int) { self.stage = stage; self.missing = missing }
    public var description: String { "stage '\(stage)': \(missing) item(s) belong to other shards and are not computed yet" }
}

/// The cached form of one item: its result and how long it took.
struct WorkItemRecord<T: Codable>: Codable {
    var result: T
    var seconds: Double
}

/// The JSON coding of everything the result cache stores (directive entries and work-item records): sorted keys, so
/// the bytes are stable, and non-finite numbers as the strings "nan", "+inf" and "-inf", so a NaN result can be cached.
public enum CacheJSON {
    public static func encoder() -> JSONEncoder {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return enc
    }
    public static func decoder() -> JSONDecoder {
        let dec = JSONDecoder()
        dec.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return dec
    }
}

extension AnalysisContext {

    /// Runs `count` independent work items of one stage and returns their results in index order.
    ///
    /// Item `i` gets `WorkItem(stage:index:seed:)`, whose `childSeed` depends only on (seed, stage, i); the body must
    /// draw all its randomness from it and must not depend on other items, so results do not depend on which process
    /// or thread ran an item, nor on the order. An analysis using this declares `AnalysisDescriptor(itemized: true)`.
    ///
    /// - With a renderer-supplied `itemStore`, stored items are read back instead of recomputed and every computed
    ///   item is stored as soon as it finishes, so a killed render resumes without recomputing finished items; in a
    ///   sharded run, items owned by other shards are skipped (`WorkItemsDeferred` when any is missing afterwards).
    /// - Items run concurrently: on the calling thread plus helpers for free slots of `budget` (the `-j` budget), or
    ///   on every core when there is no budget.
    /// - Every result goes through its JSON encoding (also when freshly computed), so a resumed render returns the
    ///   same bits as an uninterrupted one.
    ///
    /// `stage` names the item set inside the analysis (letters, digits, `_-.`); an analysis with several stages
    /// calls this once per stage with different names. `count` must be in 0...10_000_000.
    public func workItems<T: Codable>(_ stage: String, count: Int, seed: UInt64,
                                      _ body: (WorkItem) throws -> T) throws -> [T] {
        guard WorkItem.isValidStage(stage) else {
            throw AnalysisFailure("work-item stage name '\(stage)' must be 1–64 characters of letters, digits, '_', '-', '.'")
        }
        guard (0...10_000_000).contains(count) else {
            throw AnalysisFailure("work-item stage '\(stage)': count \(count) is outside 0...10000000")
        }
        let store = itemStore
        store?.begin(stage: stage, count: count)
        let decoder = CacheJSON.decoder()
        var slots = [T?](repeating: nil, count: count)
        var pending = [Int]()
        for i in 0..<count {
            if let payload = store?.load(stage: stage, index: i),
               let record = try? decoder.decode(WorkItemRecord<T>.self, from: payload) {
                slots[i] = record.result
            } else if store?.owns(stage: stage, index: i, count: count) ?? true {
                pending.append(i)
            }
        }
        let stored = slots.lazy.filter { $0 != nil }.count
        if count > 0 && !pending.isEmpty {
            progress("\(stage): \(pending.count) of \(count) item(s) to compute" + (stored > 0 ? " (\(stored) stored)" : ""))
        }
        try runPending(stage: stage, count: count, seed: seed, pending: pending, store: store, into: &slots, body)
        let missing = slots.lazy.filter { $0 == nil }.count
        if missing > 0 { throw WorkItemsDeferred(stage: stage, missing: missing) }
        return slots.map { $0! }
    }

    private func runPending<T: Codable>(stage: String, count: Int, seed: UInt64, pending: [Int], store: WorkItemStore?,
                                        into slots: inout [T?], _ body: (WorkItem) throws -> T) throws {
        guard !pending.isEmpty else { return }
        let shared = ItemRun<T>(pending: pending, count: count)
        let progress = self.progress
        try withoutActuallyEscaping(body) { body in
            let work: @Sendable () -> Void = {
                let encoder = CacheJSON.encoder(), decoder = CacheJSON.decoder()
                while let i = shared.next() {
                    let start = Date()
                    do {
                        let value = try body(WorkItem(stage: stage, index: i, seed: seed))
                        let seconds = Date().timeIntervalSince(start)
                        let payload = try encoder.encode(WorkItemRecord(result: value, seconds: seconds))
                        // The value as it comes back from its encoding: identical whether fresh or read from a store.
                        let record = try decoder.decode(WorkItemRecord<T>.self, from: payload)
                        store?.store(stage: stage, index: i, payload: payload, seconds: seconds)
                        if let line = shared.finish(i, record.result) { progress("\(stage): \(line)") }
                    } catch {
                        shared.fail(i, error)
                    }
                }
            }
            let helpers = min(pending.count, budget.map { _ in pending.count } ?? ProcessInfo.processInfo.activeProcessorCount) - 1
            let group = DispatchGroup()
            for _ in 0..<max(0, helpers) {
                if let budget { guard budget.tryAcquire() else { break } }
                group.enter()
                let b = budget
                Thread.detachNewThread { work(); b?.release(); group.leave() }
            }
            work()
            group.wait()
        }
        if let (_, error) = shared.firstError { throw error }
        for (i, v) in shared.results { slots[i] = v }
    }
}

/// Shared state of one stage's pending items across the threads that run them.
private final class ItemRun<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [Int]
    private var position = 0
    private(set) var results = [Int: T]()
    private var errors = [(Int, Error)]()
    private let total: Int
    private var done = 0
    private var lastReport = Date()

    init(pending: [Int], count: Int) { queue = pending; total = pending.count }

    /// The next item to run, or nil when none is left or an item failed.
    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard errors.isEmpty, position < queue.count else { return nil }
        position += 1
        return queue[position - 1]
    }

    /// Records a result; returns a progress line every few seconds and at the end.
    func finish(_ i: Int, _ value: T) -> String? {
        lock.lock(); defer { lock.unlock() }
        results[i] = value; done += 1
        let now = Date()
        guard done == total || now.timeIntervalSince(lastReport) >= 5 else { return nil }
        lastReport = now
        return "\(done)/\(total) item(s) computed"
    }

    func fail(_ i: Int, _ error: Error) { lock.lock(); errors.append((i, error)); lock.unlock() }

    /// The error of the lowest-indexed failed item (deterministic whatever the thread timing).
    var firstError: (Int, Error)? { lock.lock(); defer { lock.unlock() }; return errors.min { $0.0 < $1.0 } }
}
