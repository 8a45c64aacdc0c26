/// An error in a directive's parameters, located at a line of the report (or the directive's opening line).
public struct ParameterError: Error, CustomStringConvertible, Sendable {
    public var key: String?
    public var line: Int?
    public var message: String
    public init(key: String?, line: Int?, message: String) { self.key = key; self.line = line; self.message = message }
    public var description: String {
        var s = ""
        if let line { s += "line \(line): " }
        if let key { s += "parameter '\(key)': " }
        return s + message
    }
}

/// The `key: value` parameters of a directive, with typed accessors that report the offending line.
public final class Parameters: @unchecked Sendable {
    public struct Entry: Sendable {
        public var value: String
        public var line: Int?
        public init(value: String, line: Int?) { self.value = value; self.line = line }
    }
    public let entries: [String: Entry]
    private var used = Set<String>()

    /// Set by `replicate describe`: accessors record what they read, with defaults and ranges, instead of real values.
    public let probe: ParameterProbe?

    public init(_ entries: [String: Entry]) { self.entries = entries; probe = nil }
    /// Empty parameters that record every accessor call (see `ParameterProbe`).
    public init(probing probe: ParameterProbe) { entries = [:]; self.probe = probe }
    public convenience init(_ plain: [String: String]) {
        self.init(plain.mapValues { Entry(value: $0, line: nil) })
    }

    /// Raw text of a parameter, if present.
    public func raw(_ key: String) -> String? { used.insert(key); return entries[key]?.value }

    private func fail(_ key: String, _ message: String) -> ParameterError {
        ParameterError(key: key, line: entries[key]?.line, message: message)
    }

    public func string(_ key: String, default d: String? = nil) throws -> String {
        if let v = raw(key) { return v }
        probe?.note(key, "text", d, nil)
        if let d { return d }
        throw ParameterError(key: key, line: nil, message: "required parameter is missing")
    }

    public func int(_ key: String, default d: Int? = nil, range: ClosedRange<Int>? = nil) throws -> Int {
        guard let v = raw(key) else {
            probe?.note(key, "integer", d.map(String.init), range.map { "\($0.lowerBound)...\($0.upperBound)" }
                        ?? (Parameters.isSeed(key) ? "≥ 0" : nil))
            if let d { return d }
            throw ParameterError(key: key, line: nil, message: "required parameter is missing")
        }
        guard let x = Int(v.trimmingCharacters(in: .whitespaces)) else { throw fail(key, "expected an integer, got '\(v)'") }
        if let range, !range.contains(x) { throw fail(key, "\(x) is outside \(range.lowerBound)...\(range.upperBound)") }
        if Parameters.isSeed(key), x < 0 { throw fail(key, "a seed must be a non-negative integer, got \(x)") }
        return x
    }

    /// Parameters named `seed` or ending in `_seed`/`Seed` seed random streams: the project-wide rule is that they are
    /// non-negative (a negative one would otherwise be reinterpreted as a huge unsigned seed without a word).
    static func isSeed(_ key: String) -> Bool { key == "seed" || key.hasSuffix("_seed") || key.hasSuffix("Seed") }

    /// Largest size accepted in an integer list (`samples: [...]` and the like) unless an analysis bounds it itself:
    /// one billion, so a typo such as an extra zero is reported instead of attempting a terabyte allocation.
    public static let largestListInteger = 1_000_000_000

    public func double(_ key: String, default d: Double? = nil, range: ClosedRange<Double>? = nil) throws -> Double {
        guard let v = raw(key) else {
            probe?.note(key, "number", d.map { "\($0)" }, range.map { "\($0.lowerBound)...\($0.upperBound)" })
            if let d { return d }
            throw ParameterError(key: key, line: nil, message: "required parameter is missing")
        }
        guard let x = Double(v.trimmingCharacters(in: .whitespaces)), x.isFinite else {
            throw fail(key, "expected a number, got '\(v)'")
        }
        if let range, !range.contains(x) { throw fail(key, "\(x) is outside \(range.lowerBound)...\(range.upperBound)") }
        return x
    }

    public func bool(_ key: String, default d: Bool? = nil) throws -> Bool {
        guard let v = raw(key) else {
            probe?.note(key, "true/false", d.map { "\($0)" }, nil)
            if let d { return d }
            throw ParameterError(key: key, line: nil, message: "required parameter is missing")
        }
        switch v.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off": return false
        default: throw fail(key, "expected true or false, got '\(v)'")
        }
    }

    private func list(_ key: String) -> [String]? {
        guard let v = raw(key) else { return nil }
        var s = v.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("[") && s.hasSuffix("]") { s = String(s.dropFirst().dropLast()) }
        return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public func doubles(_ key: String, default d: [Double]? = nil) throws -> [Double] {
        guard let items = list(key) else {
            probe?.note(key, "list of numbers", d.map { "\($0)" }, "non-empty")
            if let d { return d }
            throw ParameterError(key: key, line: nil, message: "required parameter is missing")
        }
        guard !items.isEmpty else { throw fail(key, "expected a non-empty list of numbers, got '\(raw(key) ?? "")'") }
        return try items.map { item in
            guard let x = Double(item), x.isFinite else { throw fail(key, "expected a list of numbers, '\(item)' is not a number") }
            return x
        }
    }

    public func ints(_ key: String, default d: [Int]? = nil) throws -> [Int] {
        guard let items = list(key) else {
            probe?.note(key, "list of integers", d.map { "\($0)" }, "non-empty, |x| ≤ \(Parameters.largestListInteger)")
            if let d { return d }
            throw ParameterError(key: key, line: nil, message: "required parameter is missing")
        }
        guard !items.isEmpty else { throw fail(key, "expected a non-empty list of integers, got '\(raw(key) ?? "")'") }
        return try items.map { item in
            guard let x = Int(item) else { throw fail(key, "expected a list of integers, '\(item)' is not an integer") }
            guard abs(x) <= Parameters.largestListInteger else {
                throw fail(key, "\(x) is larger than \(Parameters.largestListInteger), the largest size a list entry may have")
            }
            return x
        }
    }

    /// Keys present in the directive but never read by the analysis: almost always a typo.
    public var unusedKeys: [String] { entries.keys.filter { !used.contains($0) }.sorted() }

    /// Throws for the first parameter that the analysis did not read.
    public func rejectUnused() throws {
        if probe != nil { throw ParameterProbe.Stop() }
        if let k = unusedKeys.first {
            let hint = Suggestion.closest(to: k, among: used).map { " (did you mean '\($0)'?)" } ?? ""
            throw fail(k, "unknown parameter for this analysis\(hint)")
        }
    }
}

import Foundation

/// The parameters an analysis reads, found by running it on empty, probing parameters until it has read them all
/// (it stops at `rejectUnused()` or at its first data access) — `replicate describe`.
public final class ParameterProbe: @unchecked Sendable {
    /// One parameter: name, type, default (nil when required) and accepted range.
    public struct Item: Sendable, Equatable { public var key: String; public var type: String; public var defaultValue: String?; public var range: String? }
    /// Thrown to end a probing run once the parameters are read.
    public struct Stop: Error { public init() {} }
    private let lock = NSLock()
    private var list = [Item]()
    public init() {}
    func note(_ key: String, _ type: String, _ d: String?, _ range: String?) {
        lock.lock(); defer { lock.unlock() }
        if !list.contains(where: { $0.key == key }) { list.append(Item(key: key, type: type, defaultValue: d, range: range)) }
    }
    public var items: [Item] { lock.lock(); defer { lock.unlock() }; return list }
}

/// "Did you mean": the candidate closest to a misspelt name by edit distance, if it is close enough to be a typo.
public enum Suggestion {
    public static func closest<S: Sequence>(to name: String, among candidates: S) -> String? where S.Element == String {
        let limit = max(2, name.count / 3)
        var best: (name: String, distance: Int)? = nil
        for c in candidates {
            let d = distance(name.lowercased(), c.lowercased())
            guard d <= limit else { continue }
            if let b = best, b.distance < d || (b.distance == d && b.name <= c) { continue }
            best = (c, d)
        }
        return best?.name
    }

    /// Levenshtein distance (insertions, deletions, substitutions).
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]; row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let keep = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = keep
            }
        }
        return row[b.count]
    }
}
