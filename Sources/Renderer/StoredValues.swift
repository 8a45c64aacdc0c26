import AnalysisKit
import Foundation

/// One accepted value in `reports/<name>.values.json`, with the values it replaced.
public struct StoredValue: Codable, Equatable {
    public struct Past: Codable, Equatable { public var value: Double; public var error: Double?; public var commit: String }
    public var value: Double
    public var error: Double?
    /// `absolute` or `relative`.
    public var toleranceKind: String
    public var tolerance: Double
    public var history: [Past]
    /// True for a value the report no longer produces: kept with its history, ignored by `check`.
    public var retired: Bool?

    public var asTolerance: Tolerance { toleranceKind == "relative" ? .relative(tolerance) : .absolute(tolerance) }

    init(_ s: Scalar, history: [Past]) {
        value = s.value; error = s.error; self.history = history
        switch s.tolerance {
        case .absolute(let t): toleranceKind = "absolute"; tolerance = t
        case .relative(let t): toleranceKind = "relative"; tolerance = t
        }
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
        try AtomicFile.write(try enc.encode(self) + Data("\n".utf8), to: url)
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
