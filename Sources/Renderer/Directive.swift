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

    /// `key: value` lines as parameters; blank lines and `#` comments are skipped.
    func parameters() throws -> Parameters {
        var entries = [String: Parameters.Entry]()
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
            if entries[key] != nil { throw ParameterError(key: key, line: line, message: "parameter given twice") }
            entries[key] = Parameters.Entry(value: value, line: line)
        }
        return Parameters(entries)
    }

    /// Normalised text of the body for cache keys: parameter lines sorted, comments and blanks dropped.
    var canonicalBody: String {
        body.map { $0.text.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .sorted().joined(separator: "\n")
    }
}

import Foundation

/// A malformed directive info string.
struct DirectiveSyntaxError: Error { let message: String; init(_ m: String) { message = m } }
