import AnalysisKit
import Foundation

/// Accepting values: writes a report's current values as the stored reference.
public enum ValueStore {
    /// Updates the values file and returns human-readable lines describing each change.
    public static func accept(_ result: ReportResult, at url: URL, only: Set<String>?) throws -> [String] {
        var changes = [String]()
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
            for name in stored.values.keys.sorted() where !produced.contains(name) && stored.values[name]?.retired != true {
                stored.values[name]?.retired = true
                changes.append("\(name): retired (no longer produced; kept with its history)")
            }
        }
        // Written even without changes, so that a report with no values gets a (empty) reference and can pass `check`.
        if !changes.isEmpty || !FileManager.default.fileExists(atPath: url.path) { try stored.write(url) }
        return changes
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
