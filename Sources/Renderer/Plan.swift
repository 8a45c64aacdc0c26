import AnalysisKit
import Foundation

/// One `{run}` directive in `replicate plan`: whether it still has to be computed, and its estimated cost.
public struct PlanEntry: Sendable {
    /// `report#ordinal`.
    public let slot: String
    public let line: Int
    public let analysis: String
    /// Cached (nothing to compute), to compute, or not runnable (an unknown analysis or a bad dataset).
    public enum Status: Sendable, Equatable { case cached, toCompute, invalid(String) }
    public let status: Status
    /// Work items not stored yet, per stage (itemized analyses whose item counts are known from an earlier run).
    public var missingItems: [(stage: String, missing: Int, count: Int)] = []
    /// Estimated compute seconds of what is left (nil: unknown).
    public var estimate: Double?
    /// Where the estimate comes from.
    public var basis: String
    /// The estimate is only a lower bound (a laptop run time standing in for larger settings).
    public var lowerBound = false
}

extension ReportRenderer {
    /// The cache key of a directive, or why it cannot be run.
    func cacheKey(_ d: Directive, analysisName: String) -> Result<(CacheKey, AnalysisDescriptor), ReportDiagnostic> {
        let file = project.displayPath(project.reportsFolder)
        guard let analysis = project.registry[analysisName] else {
            return .failure(ReportDiagnostic(file: file, line: d.line, message: "unknown analysis '\(analysisName)'"))
        }
        var dataHashes = [String: String]()
        for id in analysis.datasets {
            guard let locator = project.datasets else {
                return .failure(ReportDiagnostic(file: file, line: d.line, message: "dataset '\(id)' needed but \(project.datasetsProblem)"))
            }
            do { dataHashes[id] = try locator.checksum(id) } catch {
                return .failure(ReportDiagnostic(file: file, line: d.line, message: "\(error)"))
            }
        }
        return .success((CacheKey(analysis: analysisName, parameters: d.canonicalBody(profile: project.profile), datasets: dataHashes,
                                  build: analysis.codeIdentity.map { "sources:" + $0 } ?? BuildIdentity.current), analysis))
    }

    /// What a render of the named reports would compute, with cost estimates from `.cache/timings/`: for a directive
    /// with a timing under its own key, the mean item time times the missing items (itemized) or its last run time;
    /// otherwise the last run time of the same directive slot under other parameters or code; otherwise unknown.
    /// A cached result counts as cached when its recorded input files are unchanged. Nothing in the cache is written.
    public func plan(_ names: [String]) -> [PlanEntry] {
        let cache = ResultCache(folder: project.cacheFolder)
        let timings = TimingStore(cacheFolder: project.cacheFolder)
        var entries = [PlanEntry]()
        for name in names {
            guard let source = try? readSource(name).text else { continue }
            var ordinal = 0
            for d in MarkdownDocument.directives(in: source, file: name).directives {
                guard case .run(let analysisName) = d.kind else { continue }
                ordinal += 1
                let slot = project.slot(name, ordinal)
                let key: CacheKey
                switch cacheKey(d, analysisName: analysisName) {
                case .failure(let why):
                    entries.append(PlanEntry(slot: slot, line: d.line, analysis: analysisName, status: .invalid(why.message), basis: "")); continue
                case .success(let (k, _)): key = k
                }
                if project.useCache, let hit = cache.peek(key),
                   (hit.inputs ?? []).allSatisfy({ $0.change(locator: project.datasets, manifestProblem: project.datasetsProblem) == nil }) {
                    entries.append(PlanEntry(slot: slot, line: d.line, analysis: analysisName, status: .cached, estimate: 0, basis: "cached"))
                    continue
                }
                var entry = PlanEntry(slot: slot, line: d.line, analysis: analysisName, status: .toCompute, estimate: nil, basis: "unknown (never run)")
                let keyHash = key.hash
                if let t = timings.load(keyHash) {
                    if t.stages.isEmpty {
                        entry.estimate = t.seconds
                        entry.basis = t.seconds == nil ? "unknown (never finished)" : "previous run"
                    } else {
                        let items = ItemCache(cacheFolder: project.cacheFolder, keyHash: keyHash, readStored: true, shard: nil, log: { _ in })
                        var total = 0.0, known = true
                        for stage in t.stages {
                            let missing = project.useCache
                                ? (0..<stage.count).filter { items.storedPayload(stage: stage.name, index: $0, warn: false) == nil }.count
                                : stage.count
                            entry.missingItems.append((stage.name, missing, stage.count))
                            if let mean = stage.meanSeconds { total += Double(missing) * mean } else if missing > 0 { known = false }
                        }
                        entry.estimate = known ? total : nil
                        entry.basis = known ? "item times of earlier runs" : "unknown (no item finished yet)"
                    }
                } else if let t = timings.lastForSlot(slot), let seconds = t.seconds {
                    entry.estimate = seconds
                    entry.basis = "last run of this directive with other parameters or code"
                } else if let old = cache.previousKey(slot: slot), let hit = cache.peek(old) {
                    // Caches written before timings existed: the run time stored with the slot's last result.
                    entry.estimate = hit.seconds
                    entry.basis = "last cached run of this directive with other parameters or code"
                } else if project.profile != Profiles.laptop, let seconds = Self.laptopSeconds(timings: timings, cache: cache, slot: "\(name)#\(ordinal)") {
                    // Another profile: the laptop run of the same directive, exact when the block has no lines for
                    // this profile, otherwise a lower bound (the paper's settings are larger).
                    entry.estimate = seconds
                    let same = d.canonicalBody(profile: project.profile) == d.canonicalBody
                    entry.basis = same ? "no \(project.profile) lines: the laptop run's time" : "laptop run's time (a lower bound for the \(project.profile) settings)"
                    if !same { entry.lowerBound = true }
                }
                entries.append(entry)
            }
        }
        return entries
    }

    /// The last known run time of a laptop slot (timings, else the cached result of its last key).
    static func laptopSeconds(timings: TimingStore, cache: ResultCache, slot: String) -> Double? {
        if let t = timings.lastForSlot(slot), let s = t.seconds { return s }
        if let old = cache.previousKey(slot: slot), let hit = cache.peek(old) { return hit.seconds }
        return nil
    }

    /// The plan as text: one line per directive to compute, then the total in core-hours (each directive and each
    /// work item holds one thread-budget slot, so the sum of run times is the core time at `-j N`).
    public static func formatPlan(_ entries: [PlanEntry], profile: String) -> String {
        var lines = [String]()
        func time(_ s: Double?) -> String {
            guard let s else { return "unknown" }
            return s < 120 ? String(format: "%.1f s", s) : s < 7200 ? String(format: "%.1f min", s / 60) : String(format: "%.2f h", s / 3600)
        }
        for e in entries {
            switch e.status {
            case .cached: continue
            case .invalid(let why): lines.append("  \(e.slot) (line \(e.line)) \(e.analysis): cannot run: \(why)")
            case .toCompute:
                let items = e.missingItems.map { "\($0.stage): \($0.missing) of \($0.count) items" }.joined(separator: ", ")
                lines.append("  \(e.slot) (line \(e.line)) \(e.analysis): \(time(e.estimate)) [\(e.basis)]" + (items.isEmpty ? "" : "; \(items)"))
            }
        }
        let todo = entries.filter { $0.status == .toCompute }
        let known = todo.compactMap(\.estimate).reduce(0, +)
        let unknown = todo.filter { $0.estimate == nil }.count
        let bounds = todo.filter(\.lowerBound).count
        let cached = entries.filter { $0.status == .cached }.count
        let items = todo.flatMap(\.missingItems).map(\.missing).reduce(0, +)
        lines.append("profile \(profile): \(todo.count) of \(entries.count) directive(s) to compute (\(cached) cached), \(items) work item(s) missing; "
                     + String(format: "%.3f core-hours", known / 3600)
                     + (bounds > 0 ? " (at least: \(bounds) estimate(s) are laptop times standing in for larger settings)" : "")
                     + (unknown > 0 ? " + \(unknown) directive(s) of unknown cost" : ""))
        return lines.joined(separator: "\n")
    }
}
