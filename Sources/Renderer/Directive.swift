import AnalysisKit

/// A fenced block in a report that the renderer executes: `{run NAME}` or the built-in `{compare}`.
public struct Directive: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case run(String), compare }
    public let kind: Kind
    /// Line of the opening fence (1-based).
    public let line: Int
    /// Body lines with their 1-based line numbers in the report.
    public let body: [(text: String, line: Int)]

    public static func == (a: Directive, b: Directive) -> Bool {
        a.kind == b.kind && a.line == b.line && a.body.map(\.text) == b.body.map(\.text) && a.body.map(\.line) == b.body.map(\.line)
    }

    /// Parses an info string: `{run NAME}` or `{compare}`; nil for ordinary code blocks.
    static func kind(fromInfo info: String) -> Result<Kind, DirectiveSyntaxError>? {
        let t = info.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("{") else { return nil }
        guard t.hasSuffix("}") else { return .failure(DirectiveSyntaxError("directive '\(t)' is missing its closing '}'")) }
        let inner = t.dropFirst().dropLast().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch inner.first {
        case "run":
            guard inner.count == 2 else { return .failure(DirectiveSyntaxError("expected '{run NAME}', got '\(t)'")) }
            return .success(.run(inner[1]))
        case "compare":
            guard inner.count == 1 else { return .failure(DirectiveSyntaxError("'{compare}' takes no arguments")) }
            return .success(.compare)
        default:
            return .failure(DirectiveSyntaxError("unknown directive '\(t)'; expected {run NAME} or {compare}"))
        }
    }

    /// `key: value` lines as parameters; blank lines and `#` comments are skipped. Lines
    /// `profile.<P>.<key>: value` give `key` its value under profile P (`--profile P`): they replace the plain line of
    /// the same key when rendering with P, and are dropped under every other profile (so the laptop parameters, and
    /// their cache key, are what they were without the profile lines). An unknown profile name is an error at its line.
    func parameters(profile: String = Profiles.laptop) throws -> Parameters {
        var entries = [String: Parameters.Entry]()
        var overrides = [String: Parameters.Entry]()
        for (text, line) in body {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("#") { continue }
            guard let colon = t.firstIndex(of: ":") else {
                throw ParameterError(key: nil, line: line, message: "malformed parameter line '\(t)': expected 'key: value'")
            }
            let key = t[..<colon].trimmingCharacters(in: .whitespaces)
            let value = t[t.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
                throw ParameterError(key: nil, line: line, message: "malformed parameter name '\(key)'")
            }
            if let (p, k) = try Self.profileKey(key, line: line) {
                if overrides["\(p).\(k)"] != nil { throw ParameterError(key: key, line: line, message: "parameter given twice") }
                overrides["\(p).\(k)"] = Parameters.Entry(value: value, line: line)
                continue
            }
            if entries[key] != nil { throw ParameterError(key: key, line: line, message: "parameter given twice") }
            entries[key] = Parameters.Entry(value: value, line: line)
        }
        for (pk, entry) in overrides where pk.hasPrefix(profile + ".") {
            entries[String(pk.dropFirst(profile.count + 1))] = entry
        }
        return Parameters(entries)
    }

    /// For `profile.<P>.<key>`: (P, key), checking P; nil for an ordinary key.
    static func profileKey(_ key: String, line: Int?) throws -> (String, String)? {
        guard key.hasPrefix("profile.") else { return nil }
        let rest = key.dropFirst("profile.".count)
        guard let dot = rest.firstIndex(of: "."), !rest[rest.index(after: dot)...].isEmpty else {
            throw ParameterError(key: key, line: line, message: "expected 'profile.<profile>.<parameter>: value'")
        }
        let p = String(rest[..<dot]), k = String(rest[rest.index(after: dot)...])
        guard Profiles.known.contains(p), p != Profiles.laptop else {
            throw ParameterError(key: key, line: line, message: "unknown profile '\(p)'; profiles with their own lines: "
                                 + Profiles.known.filter { $0 != Profiles.laptop }.joined(separator: ", "))
        }
        return (p, k)
    }

    /// Normalised text of the body for cache keys: parameter lines sorted, comments and blanks dropped. Under a profile
    /// its `profile.<P>.<key>` lines replace the plain lines of their keys (as `key: value`) and every profile line is
    /// dropped, so a block's laptop key does not change when profile lines are added to it.
    var canonicalBody: String { canonicalBody(profile: Profiles.laptop) }

    func canonicalBody(profile: String) -> String {
        var plain = [String](), overrides = [String: String]()
        for t in body.map({ $0.text.trimmingCharacters(in: .whitespaces) }) where !t.isEmpty && !t.hasPrefix("#") {
            let key = t.firstIndex(of: ":").map { t[..<$0].trimmingCharacters(in: .whitespaces) }
            if let key, key.hasPrefix("profile.") {
                let rest = key.dropFirst("profile.".count)
                if let dot = rest.firstIndex(of: "."), rest[..<dot] == profile {
                    let k = String(rest[rest.index(after: dot)...])
                    overrides[k] = t[t.index(after: t.firstIndex(of: ":")!)...].trimmingCharacters(in: .whitespaces)
                }
                continue
            }
            plain.append(t)
        }
        if !overrides.isEmpty {
            plain = plain.filter { t in
                guard let c = t.firstIndex(of: ":") else { return true }
                return overrides[t[..<c].trimmingCharacters(in: .whitespaces)] == nil
            } + overrides.map { "\($0.key): \($0.value)" }
        }
        return plain.sorted().joined(separator: "\n")
    }
}

import Foundation

/// A malformed directive info string.
struct DirectiveSyntaxError: Error { let message: String; init(_ m: String) { message = m } }
