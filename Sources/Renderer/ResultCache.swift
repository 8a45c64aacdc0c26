import AnalysisKit
import DataFiles
import Foundation

/// What determines a directive's result; its hash is the cache key.
struct CacheKey: Codable, Equatable {
    var analysis: String
    var parameters: String
    var datasets: [String: String]
    var build: String
    /// Environment variables that change numbers (BLAS kernel and thread counts), as set when the result was computed.
    var environment: [String: String] = CacheKey.numericEnvironment()

    /// The variables of the environment that can change a result's numbers at run time (the BLAS kernel and its
    /// threads), with the value in effect: `replicate` runs BLAS on one thread when OPENBLAS_NUM_THREADS is unset, so
    /// unset and "1" are the same key, and `make reports` and a direct `replicate render` share cached results.
    static let numericVariables = ["OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"]
    static let effectiveDefaults = ["OPENBLAS_NUM_THREADS": "1"]
    static func numericEnvironment() -> [String: String] {
        let env = ProcessInfo.processInfo.environment
        return Dictionary(uniqueKeysWithValues: numericVariables.compactMap { k in (env[k] ?? effectiveDefaults[k]).map { (k, $0) } })
    }

    var hash: String {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        return sha256Hex(try! enc.encode(self))
    }

    /// Human-readable list of what changed relative to an earlier key. `module` is the analysis' module; `modules` and
    /// `oldModules` are the code identities of every module now and at the earlier run (`SlotRecord`), from which a
    /// changed code identity is told apart as this module's alone or shared with others.
    ///
    /// `components` and `oldComponents` are the per-target hashes of the module's code now and at the earlier run
    /// (`<Module>SourceIdentity.components`, kept in the `SlotRecord`), from which the target(s) whose code changed are
    /// named: "Numerics changed (dependency of RINE)".
    func differences(from old: CacheKey, module: String? = nil, modules: [String: String] = [:],
                     oldModules: [String: String]? = nil, components: [String: String]? = nil,
                     oldComponents: [String: String]? = nil) -> [String] {
        var d = [String]()
        if analysis != old.analysis { d.append("analysis changed (\(old.analysis) → \(analysis))") }
        if parameters != old.parameters { d.append("parameters changed") }
        if datasets != old.datasets { d.append("input data changed") }
        if build != old.build {
            d.append(CacheKey.codeChange(from: old.build, to: build, module: module, modules: modules, oldModules: oldModules,
                                         components: components, oldComponents: oldComponents))
        }
        for k in Set(environment.keys).union(old.environment.keys).sorted() where environment[k] != old.environment[k] {
            d.append("environment variable \(k) changed (\(old.environment[k] ?? "unset") → \(environment[k] ?? "unset"))")
        }
        return d
    }
}

extension CacheKey {
    /// Why a directive's code identity changed, naming its module: "code of module RenormalizedMI changed (sources
    /// 1a2b3c4d… → 5e6f7a8b…; the other modules' code is unchanged: …)". A module's identity hashes its sources and
    /// those of the modules it depends on, so when every other module's identity changed too the change is most
    /// likely in code they share.
    static func codeChange(from old: String, to new: String, module: String?, modules: [String: String],
                           oldModules: [String: String]?, components: [String: String]? = nil,
                           oldComponents: [String: String]? = nil) -> String {
        let prefix = "sources:"
        guard new.hasPrefix(prefix), old.hasPrefix(prefix) else {
            if new.hasPrefix(prefix) { return "code of module \(module ?? "?") changed (the earlier result was keyed to the whole executable)" }
            return "the executable changed (the analysis has no per-module code identity)"
        }
        let name = module ?? "of the analysis"
        var s = "code of module \(name) changed (sources \(old.dropFirst(prefix.count).prefix(8))… → \(new.dropFirst(prefix.count).prefix(8))…"
        if let components {
            if let oldComponents {
                s += "; " + componentChanges(components, oldComponents, module: module)
            } else {
                s += "; unknown components (the earlier run recorded no per-target hashes)"
            }
        }
        if let oldModules {
            let others = modules.keys.filter { $0 != module && oldModules[$0] != nil }.sorted()
            let changed = others.filter { oldModules[$0] != modules[$0] }, same = others.filter { oldModules[$0] == modules[$0] }
            if !changed.isEmpty && same.isEmpty {
                s += "; so did every other module's (\(changed.joined(separator: ", "))): most likely code they share, e.g. AnalysisKit or Numerics"
            } else if !changed.isEmpty {
                s += "; also changed: \(changed.joined(separator: ", ")); unchanged: \(same.joined(separator: ", "))"
            } else if !same.isEmpty {
                s += "; the other modules' code is unchanged: \(same.joined(separator: ", "))"
            }
        }
        return s + ")"
    }
}

extension CacheKey {
    /// The targets whose own hash differs between two `components` maps: "Numerics changed (dependency of RINE)",
    /// "RINE's own sources changed", "X added (new dependency of RINE)", "X removed (no longer a dependency of RINE)".
    static func componentChanges(_ new: [String: String], _ old: [String: String], module: String?) -> String {
        let name = module ?? "the analysis' module"
        var out = [String]()
        for t in Set(new.keys).union(old.keys).sorted() where new[t] != old[t] {
            let own = t == module
            switch (old[t], new[t]) {
            case (nil, _): out.append(own ? "\(t)'s own sources added" : "\(t) added (new dependency of \(name))")
            case (_, nil): out.append(own ? "\(t)'s own sources removed" : "\(t) removed (no longer a dependency of \(name))")
            default: out.append(own ? "\(t)'s own sources changed" : "\(t) changed (dependency of \(name))")
            }
        }
        // Same per-target hashes but another whole hash: files moved between targets.
        return out.isEmpty ? "no target's own hash changed (files moved between targets?)" : out.joined(separator: ", ")
    }
}

/// What the slot file of a directive keeps besides its last key (same JSON object; not part of the key): the
/// directive's module and the code identities of every module at that run, for `--explain`.
struct SlotRecord: Codable {
    var codeModule: String?
    var moduleIdentities: [String: String]?
    /// The per-target hashes of the module's code at that run (`<Module>SourceIdentity.components`); nil in slot files
    /// written before they existed, or when the registry gave none.
    var codeComponents: [String: String]? = nil
}

/// A data file a directive read, as recorded when it ran: its identity (path or manifest id with sha256) and the size
/// and modification time that let a warm render tell cheaply whether the file may have changed.
struct RecordedInput: Codable, Equatable {
    var input: DataInput
    var size: Int
    var modified: Double

    init(_ input: DataInput) throws {
        let a = try FileManager.default.attributesOfItem(atPath: input.path)
        self.input = input
        size = (a[.size] as? NSNumber)?.intValue ?? -1
        modified = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    }

    /// Nil when the file is unchanged; otherwise why the cached result is stale. Re-hashes only when size or
    /// modification time differ, so a warm render costs one stat per input.
    func change(locator: DatasetLocator?, manifestProblem: String = "datasets/manifest.json is missing") -> String? {
        if input.isManifestID {
            guard let locator else { return "\(manifestProblem) (needed for '\(input.spec)')" }
            guard let sha = try? locator.checksum(input.spec) else { return "'\(input.spec)' is no longer in datasets/manifest.json" }
            if sha != input.sha256 { return "manifest checksum of '\(input.spec)' changed" }
        }
        guard let a = try? FileManager.default.attributesOfItem(atPath: input.path) else {
            return "input file \(input.path) is missing"
        }
        let size = (a[.size] as? NSNumber)?.intValue ?? -1
        let modified = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        if size == self.size && modified == self.modified { return nil }
        guard let sha = try? sha256Hex(fileAt: URL(fileURLWithPath: input.path)) else { return "input file \(input.path) cannot be read" }
        return sha == input.sha256 ? nil : "input file \(input.path) changed (sha256 \(input.sha256.prefix(12))… → \(sha.prefix(12))…)"
    }
}

/// A cached directive result with the time its computation took and the data files it read.
struct CacheEntry: Codable {
    var output: AnalysisOutput
    var seconds: Double
    var inputs: [RecordedInput]? = nil
}

/// Directive results on disk under `.cache/`, keyed by `CacheKey.hash`, plus the last key per directive slot for `--explain`.
///
/// An entry file is one header line `{"key": <key hash>, "sha256": <sha256 of the payload>}` followed by the payload, the
/// JSON of the `CacheEntry`. `load` verifies both: an entry that was edited by hand, truncated or copied over another
/// key's file is not served (the directive recomputes, with a warning). Non-finite numbers are stored as the strings
/// "nan", "+inf" and "-inf", so a result holding NaN can be cached. Entries written before the header existed (one JSON
/// object, no newline) are served once and rewritten with their header.
struct ResultCache {
    let folder: URL

    enum Lookup { case hit(CacheEntry), miss, invalid(String) }

    struct Header: Codable, Equatable { var key: String; var sha256: String }

    func entryURL(_ key: CacheKey) -> URL { folder.appendingPathComponent("results/\(key.hash).json") }

    func lookup(_ key: CacheKey) -> Lookup {
        let url = entryURL(key)
        guard let data = try? Data(contentsOf: url) else { return .miss }
        let bytes = [UInt8](data)
        guard let newline = bytes.firstIndex(of: 0x0A) else {
            // The format before entries carried a header: served once, then rewritten with one.
            guard let entry = try? CacheJSON.decoder().decode(CacheEntry.self, from: data) else {
                return .invalid("cache entry \(url.lastPathComponent) cannot be decoded")
            }
            try? store(entry, for: key)
            return .hit(entry)
        }
        let payload: Data
        switch Self.verifiedPayload(bytes, newline: newline, key: key.hash, file: url.lastPathComponent) {
        case .success(let p): payload = p
        case .failure(let why): return .invalid(why.message)
        }
        guard let entry = try? CacheJSON.decoder().decode(CacheEntry.self, from: payload) else {
            return .invalid("cache entry \(url.lastPathComponent) cannot be decoded")
        }
        return .hit(entry)
    }

    /// The entry of `key` if it is valid, without rewriting entries of the old format (for `replicate plan`).
    func peek(_ key: CacheKey) -> CacheEntry? {
        guard let data = try? Data(contentsOf: entryURL(key)) else { return nil }
        let bytes = [UInt8](data)
        guard bytes.contains(0x0A) else { return try? CacheJSON.decoder().decode(CacheEntry.self, from: data) }
        guard case .success(let payload) = Self.verifiedPayload(bytes, key: key.hash, file: entryURL(key).lastPathComponent) else { return nil }
        return try? CacheJSON.decoder().decode(CacheEntry.self, from: payload)
    }

    func load(_ key: CacheKey) -> CacheEntry? {
        if case .hit(let e) = lookup(key) { return e }
        return nil
    }

    func store(_ entry: CacheEntry, for key: CacheKey) throws {
        try AtomicFile.write(Self.framed(try CacheJSON.encoder().encode(entry), key: key.hash), to: entryURL(key))
    }

    /// Why a framed file was not served.
    struct Rejection: Error { var message: String }

    /// A payload behind its header line `{"key": key, "sha256": sha256(payload)}`: the format of every cache file.
    static func framed(_ payload: Data, key: String) -> Data {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        let header = try! enc.encode(Header(key: key, sha256: sha256Hex(payload)))
        return header + Data([0x0A]) + payload
    }

    /// The payload of a framed file when its header names `key` and its sha256 matches; otherwise why not.
    static func verifiedPayload(_ bytes: [UInt8], newline: Int? = nil, key: String, file: String) -> Result<Data, Rejection> {
        guard let newline = newline ?? bytes.firstIndex(of: 0x0A) else {
            return .failure(Rejection(message: "cache entry \(file) has no header"))
        }
        let payload = Data(bytes[(newline + 1)...])
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(bytes[..<newline])) else {
            return .failure(Rejection(message: "cache entry \(file) has no valid header"))
        }
        guard header.key == key else {
            return .failure(Rejection(message: "cache entry \(file) belongs to another key (\(header.key.prefix(12))…)"))
        }
        guard header.sha256 == sha256Hex(payload) else {
            return .failure(Rejection(message: "cache entry \(file) fails its content hash (edited or truncated)"))
        }
        return .success(payload)
    }

    private func slotURL(_ slot: String) -> URL {
        folder.appendingPathComponent("slots/\(slot.replacingOccurrences(of: "/", with: "_")).json")
    }

    func previousKey(slot: String) -> CacheKey? {
        guard let data = try? Data(contentsOf: slotURL(slot)) else { return nil }
        return try? JSONDecoder().decode(CacheKey.self, from: data)
    }

    /// The module record kept beside the slot's last key (nil fields for a slot file written before it existed).
    func previousRecord(slot: String) -> SlotRecord? {
        guard let data = try? Data(contentsOf: slotURL(slot)) else { return nil }
        return try? JSONDecoder().decode(SlotRecord.self, from: data)
    }

    /// Stores the slot's key, with `record` as extra fields of the same JSON object.
    func remember(_ key: CacheKey, slot: String, record: SlotRecord = SlotRecord()) throws {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        var object = try JSONSerialization.jsonObject(with: try enc.encode(key)) as? [String: Any] ?? [:]
        if let extra = try JSONSerialization.jsonObject(with: try enc.encode(record)) as? [String: Any] {
            for (k, v) in extra where object[k] == nil { object[k] = v }
        }
        try AtomicFile.writeIfChanged(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), to: slotURL(slot))
    }
}

/// Identity of the running build: the sha256 of the executable, so results recompute whenever the core changes.
enum BuildIdentity {
    static let current: String = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return (try? sha256Hex(fileAt: exe)) ?? "unknown-build"
    }()
}
