import AnalysisKit
import Foundation

/// One accepted value in `reports/<name>.values.json`, with the values it replaced.
public struct StoredValue: Codable, Equatable {
    public struct Past: Codable, Equatable {
        public var value: Double; public var error: Double?; public var commit: String
        init(value: Double, error: Double?, commit: String) { self.value = value; self.error = error; self.commit = commit }
        enum CodingKeys: String, CodingKey { case value, error, commit, nonFinite }
        public init(from d: Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            let flags = try c.decodeIfPresent([String: String].self, forKey: .nonFinite) ?? [:]
            value = try NonFinite.decode(c, .value, flags["value"]) ?? .nan
            error = try NonFinite.decode(c, .error, flags["error"])
            commit = try c.decode(String.self, forKey: .commit)
        }
        public func encode(to e: Encoder) throws {
            var c = e.container(keyedBy: CodingKeys.self)
            var flags = [String: String]()
            try NonFinite.encode(value, &c, .value, &flags, "value")
            if let error { try NonFinite.encode(error, &c, .error, &flags, "error") }
            try c.encode(commit, forKey: .commit)
            if !flags.isEmpty { try c.encode(flags, forKey: .nonFinite) }
        }
        public static func == (a: Past, b: Past) -> Bool {
            NonFinite.same(a.value, b.value) && NonFinite.same(a.error, b.error) && a.commit == b.commit
        }
    }
    public var value: Double
    public var error: Double?
    /// `absolute` or `relative`.
    public var toleranceKind: String
    public var tolerance: Double
    public var history: [Past]
    /// True for a value the report no longer produces: kept with its history, ignored by `check`.
    public var retired: Bool?

    enum CodingKeys: String, CodingKey { case value, error, toleranceKind, tolerance, history, retired, nonFinite }
    /// A non-finite value or error is written as JSON null with `"nonFinite": {"value": "nan"}` (or "+inf", "-inf"),
    /// so a directive that reports NaN can be accepted and checked (NaN matches only NaN).
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        let flags = try c.decodeIfPresent([String: String].self, forKey: .nonFinite) ?? [:]
        guard let v = try NonFinite.decode(c, .value, flags["value"]) else {
            throw DecodingError.valueNotFound(Double.self, .init(codingPath: c.codingPath + [CodingKeys.value],
                                                                 debugDescription: "null value without a nonFinite flag"))
        }
        value = v
        error = try NonFinite.decode(c, .error, flags["error"])
        toleranceKind = try c.decode(String.self, forKey: .toleranceKind)
        tolerance = try c.decode(Double.self, forKey: .tolerance)
        history = try c.decode([Past].self, forKey: .history)
        retired = try c.decodeIfPresent(Bool.self, forKey: .retired)
    }
    public func encode(to e: Encoder) throws {
        var c = e.container(keyedBy: CodingKeys.self)
        var flags = [String: String]()
        try NonFinite.encode(value, &c, .value, &flags, "value")
        if let error { try NonFinite.encode(error, &c, .error, &flags, "error") }
        try c.encode(toleranceKind, forKey: .toleranceKind)
        try c.encode(tolerance, forKey: .tolerance)
        try c.encode(history, forKey: .history)
        try c.encodeIfPresent(retired, forKey: .retired)
        if !flags.isEmpty { try c.encode(flags, forKey: .nonFinite) }
    }
    public static func == (a: StoredValue, b: StoredValue) -> Bool {
        NonFinite.same(a.value, b.value) && NonFinite.same(a.error, b.error) && a.toleranceKind == b.toleranceKind
            && a.tolerance == b.tolerance && a.history == b.history && a.retired == b.retired
    }

    public var asTolerance: Tolerance { toleranceKind == "relative" ? .relative(tolerance) : .absolute(tolerance) }

    init(_ s: Scalar, history: [Past]) {
        value = s.value; error = s.error; self.history = history
        switch s.tolerance {
        case .absolute(let t): toleranceKind = "absolute"; tolerance = t
        case .relative(let t): toleranceKind = "relative"; tolerance = t
        }
    }
}

/// Non-finite numbers in values files: JSON null plus a flag naming which of NaN, +∞, −∞ it was.
enum NonFinite {
    static func name(_ x: Double) -> String { x.isNaN ? "nan" : x > 0 ? "+inf" : "-inf" }
    static func value(_ flag: String) -> Double? { ["nan": .nan, "+inf": .infinity, "-inf": -.infinity][flag] }
    static func same(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return x == y || (x.isNaN && y.isNaN)
        default: return false
        }
    }
    static func encode<K: CodingKey>(_ x: Double, _ c: inout KeyedEncodingContainer<K>, _ key: K,
                                     _ flags: inout [String: String], _ flagName: String) throws {
        if x.isFinite { try c.encode(x, forKey: key) } else { try c.encodeNil(forKey: key); flags[flagName] = name(x) }
    }
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K, _ flag: String?) throws -> Double? {
        if let flag {
            guard let x = value(flag) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "nonFinite flag '\(flag)' is none of nan, +inf, -inf")
            }
            return x
        }
        return try c.decodeIfPresent(Double.self, forKey: key)
    }
}

/// The stored values of one report, read from and written to its `.values.json` file.
public struct StoredValues: Codable, Equatable {
    public var values: [String: StoredValue]

    public static func load(_ url: URL) throws -> StoredValues? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let decoded: StoredValues
        do { decoded = try JSONDecoder().decode(StoredValues.self, from: try Data(contentsOf: url)) } catch {
            throw ReportDiagnostic(file: url.path, line: 1, message: "stored values cannot be read (corrupt? `replicate accept` rewrites it): \(error)")
        }
        for (name, v) in decoded.values.sorted(by: { $0.key < $1.key }) {
            guard v.toleranceKind == "absolute" || v.toleranceKind == "relative" else {
                throw ReportDiagnostic(file: url.path, line: 1, message: "value '\(name)': toleranceKind '\(v.toleranceKind)' is neither 'absolute' nor 'relative'")
            }
            guard v.tolerance.isFinite, v.tolerance >= 0 else {
                throw ReportDiagnostic(file: url.path, line: 1, message: "value '\(name)': tolerance \(v.tolerance) is not a finite non-negative number")
            }
        }
        return decoded
    }

    public func write(_ url: URL) throws {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try enc.encode(self) + Data("\n".utf8), to: url, durable: true)
    }
}

/// The outcome of comparing one computed value with its stored counterpart.
public struct ValueCheck: Equatable {
    public enum Status: String { case ok = "ok", drift = "DRIFT", new = "NEW", stale = "STALE" }
    public let name: String
    public let value: Double?
    public let stored: Double?
    public let tolerance: String
    public let status: Status

    public var difference: Double? { (value != nil && stored != nil) ? value! - stored! : nil }

    /// Compares computed scalars with stored values; every mismatch, new or stale name is a failure.
    public static func compare(_ scalars: [Scalar], _ stored: StoredValues?) -> [ValueCheck] {
        var out = [ValueCheck]()
        let known = stored?.values ?? [:]
        for s in scalars.sorted(by: { $0.name < $1.name }) {
            guard let st = known[s.name] else {
                out.append(ValueCheck(name: s.name, value: s.value, stored: nil, tolerance: "—", status: .new)); continue
            }
            let tol = st.asTolerance
            let desc: String
            switch tol {
            case .absolute(let t): desc = "±\(String(format: "%.3g", t))"
            case .relative(let t): desc = "±\(String(format: "%.3g", t * 100))%"
            }
            out.append(ValueCheck(name: s.name, value: s.value, stored: st.value, tolerance: desc,
                                  status: tol.accepts(s.value, stored: st.value) ? .ok : .drift))
        }
        let produced = Set(scalars.map(\.name))
        for (name, st) in known.sorted(by: { $0.key < $1.key }) where !produced.contains(name) && st.retired != true {
            out.append(ValueCheck(name: name, value: nil, stored: st.value, tolerance: "—", status: .stale))
        }
        return out
    }
}
