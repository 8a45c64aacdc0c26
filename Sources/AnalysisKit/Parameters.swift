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

    public init(_ entries: [String: Entry]) { self.entries = entries }
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
        if let d { return d }
        throw ParameterError(key: key, line: nil, message: "required parameter is missing")
    }

    public func int(_ key: String, default d: Int? = nil, range: ClosedRange<Int>? = nil) throws -> Int {
        guard let v = raw(key) else {
            if let d { return d }
            throw ParameterError(key: key, line: nil, message: "required parameter is missing")
        }
        guard let x = Int(v.trimmingCharacters(in: .whitespaces)) else { throw fail(key, "expected an integer, got '\(v)'") }
        if let range, !range.contains(x) { throw fail(key, "\(x) is outside \(range.lowerBound)...\(range.upperBound)") }
        return x
    }

    public func double(_ key: String, default d: Double? = nil, range: ClosedRange<Double>? = nil) throws -> Double {
        guard let v = raw(key) else {
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
            if let d { return d }
            throw ParameterError(key: key, line: nil, message: "required parameter is missing")
        }
        return try items.map { item in
            guard let x = Double(item), x.isFinite else { throw fail(key, "expected a list of numbers, '\(item)' is not a number") }
            return x
        }
    }

    public func ints(_ key: String, default d: [Int]? = nil) throws -> [Int] {
        guard let items = list(key) else {
            if let d { return d }
            throw ParameterError(key: key, line: nil, message: "required parameter is missing")
        }
        return try items.map { item in
            guard let x = Int(item) else { throw fail(key, "expected a list of integers, '\(item)' is not an integer") }
            return x
        }
    }

    /// Keys present in the directive but never read by the analysis: almost always a typo.
    public var unusedKeys: [String] { entries.keys.filter { !used.contains($0) }.sorted() }

    /// Throws for the first parameter that the analysis did not read.
    public func rejectUnused() throws {
        if let k = unusedKeys.first { throw fail(k, "unknown parameter for this analysis") }
    }
}

import Foundation
