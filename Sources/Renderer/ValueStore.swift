import AnalysisKit
import Foundation

/// Accepting values: writes a report's current values as the stored reference.
public enum ValueStore {
    /// What a full `accept` does with stored values the report no longer produces ("stale": its directive was removed
    /// or no longer reports that name). `accept --only` leaves them alone under either policy.
    public enum StalePolicy {
        /// Drop them from the values file, naming each (the default: the file then holds exactly what the report
        /// produces; the dropped entries and their history stay in git).
        case prune
        /// Keep them, marked `retired` with their history (`accept --keep-stale`); `check` ignores them.
        case keep
    }

    /// A values file as `accept` would leave it, not yet written.
    public struct Acceptance {
        public let url: URL
        public let stored: StoredValues
        /// Human-readable lines, one per change (empty: nothing to write unless the file is missing).
        public let changes: [String]
        /// The stale names dropped (policy `.prune`), sorted.
        public let dropped: [String]
        /// Whether `write()` has anything to write.
        public var needsWrite: Bool { !changes.isEmpty || !FileManager.default.fileExists(atPath: url.path) }
        /// Writes the values file in one atomic, durable step: the old file or the new one, never a mixture.
        public func write() throws { if needsWrite { try stored.write(url) } }
    }

    /// Runs `body` holding `<cacheFolder>/.accept.lock`, so that two `accept` commands at once do not each read the
    /// old values file and the later write lose the earlier one's changes.
    public static func withLock<T>(_ project: ReportProject, warn: (String) -> Void = { _ in }, _ body: () throws -> T) throws -> T {
        try FileLock.withLock(project.cacheFolder.appendingPathComponent(".accept.lock"), warn: warn, body)
    }

    /// Updates the values file and returns human-readable lines describing each change.
    public static func accept(_ result: ReportResult, at url: URL, only: Set<String>?, stale: StalePolicy = .prune) throws -> [String] {
        let a = try plan(result, at: url, only: only, stale: stale)
        try a.write()
        return a.changes
    }

    /// The values file `accept` would write, computed without writing anything (so a command accepting several
    /// reports can refuse all of them before it writes any). Throws when `only` names a value the report does not
    /// produce.
    public static func plan(_ result: ReportResult, at url: URL, only: Set<String>?, stale: StalePolicy = .prune) throws -> Acceptance {
        var changes = [String]()
        var dropped = [String]()
        var stored: StoredValues
        do { stored = try StoredValues.load(url) ?? StoredValues(values: [:]) } catch let d as ReportDiagnostic {
            // A corrupt values file is repaired: rewritten from the current values (git keeps the old file).
            stored = StoredValues(values: [:])
            changes.append("values file was unreadable and is rewritten (\(d.message))")
        }
        if let only {
            let produced = Set(result.scalars.map(\.name))
            let unknown = only.subtracting(produced).sorted()
            if !unknown.isEmpty {
                throw ReportDiagnostic(file: url.path, line: 1, message: "--only names values this report does not produce: \(unknown.joined(separator: ", "))")
            }
        }
        let commit = Provenance.gitCommit(in: url.deletingLastPathComponent())
        for s in result.scalars where only?.contains(s.name) ?? true {
            if let old = stored.values[s.name], old.retired == true {
                stored.values[s.name] = StoredValue(s, history: old.history + [StoredValue.Past(value: old.value, error: old.error, commit: commit)])
                changes.append("\(s.name): produced again, \(old.value) → \(s.value)")
            } else if let old = stored.values[s.name] {
                let fresh = StoredValue(s, history: old.history)
                let sameNumbers = NonFinite.same(fresh.value, old.value) && NonFinite.same(fresh.error, old.error)
                if sameNumbers && fresh.tolerance == old.tolerance && fresh.toleranceKind == old.toleranceKind { continue }
                var history = old.history
                if !sameNumbers {
                    history.append(StoredValue.Past(value: old.value, error: old.error, commit: commit))
                }
                stored.values[s.name] = StoredValue(s, history: history)
                changes.append("\(s.name): \(old.value) → \(s.value)")
            } else {
                stored.values[s.name] = StoredValue(s, history: [])
                changes.append("\(s.name): new, \(s.value)")
            }
        }
        if only == nil {
            let produced = Set(result.scalars.map(\.name))
            for name in stored.values.keys.sorted() where !produced.contains(name) {
                guard let old = stored.values[name] else { continue }
                switch stale {
                case .prune:
                    stored.values[name] = nil
                    dropped.append(name)
                    let past = old.history.isEmpty ? "" : ", \(old.history.count) past value(s)"
                    changes.append("\(name): dropped (no longer produced\(old.retired == true ? ", was retired" : ""); last value \(old.value)\(past); git keeps it)")
                case .keep where old.retired != true:
                    stored.values[name]?.retired = true
                    changes.append("\(name): retired (no longer produced; kept with its history)")
                case .keep: break
                }
            }
        }
        // Written even without changes, so that a report with no values gets a (empty) reference and can pass `check`.
        return Acceptance(url: url, stored: stored, changes: changes, dropped: dropped)
    }
}

/// Plain-text table of check results for the terminal.
public enum CheckTable {
    public static func format(_ checks: [ValueCheck]) -> String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.6g", $0) } ?? "—" }
        let rows = [["name", "value", "stored", "difference", "tolerance", "status"]]
            + checks.map { [$0.name, f($0.value), f($0.stored), f($0.difference), $0.tolerance, $0.status.rawValue] }
        let widths = (0..<6).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { r in r.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
            .joined(separator: "  ") }.joined(separator: "\n")
    }
}
