import Foundation

/// The memory an analysis may plan to hold at once, checked from its parameters before anything is allocated
/// (issue 14 §4: sizes bounded by what memory allows). Each parameter has its own range, but products of parameters
/// (replicates × samples × agents, …) can ask for far more than the machine has; an analysis computes that product
/// and calls `Parameters.requireMemory` before it allocates.
public enum MemoryBudget {
    /// Half the machine's physical memory: the rest is left to the renderer, the cache and directives running beside.
    public static var bytes: Double { Double(ProcessInfo.processInfo.physicalMemory) / 2 }

    /// `bytes` in GB with one decimal, for messages.
    public static func describe(_ bytes: Double) -> String { String(format: "%.1f GB", bytes / 1e9) }
}

extension Parameters {
    /// Throws a ParameterError at the line of the first of `keys` the directive sets (else the first key) when the
    /// planned allocation `bytes` exceeds `MemoryBudget.bytes`; `what` says what the bytes hold (e.g. "20 replicates
    /// × 3 systems × 10⁴ samples of 35 agents").
    public func requireMemory(_ bytes: Double, for what: String, keys: [String], budget: Double = MemoryBudget.bytes) throws {
        guard bytes > budget || !bytes.isFinite else { return }
        let key = keys.first { entries[$0] != nil } ?? keys.first
        throw ParameterError(key: key, line: key.flatMap { entries[$0]?.line },
                             message: "\(what) need \(MemoryBudget.describe(bytes)) in memory; at most \(MemoryBudget.describe(budget)) (half this machine's memory): lower \(keys.joined(separator: " or "))")
    }
}
