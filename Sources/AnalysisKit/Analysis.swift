import Foundation

/// What an analysis gets when it runs: its parameters, resolved dataset files and a progress sink.
public struct AnalysisContext: @unchecked Sendable {
    public let parameters: Parameters
    /// Resolves a dataset id from the manifest (e.g. `retina/bint_fishmovie32_100.mat`) to a verified file.
    public let dataset: (String) throws -> URL
    /// Prints a progress line; long analyses should call it every few seconds.
    public let progress: (String) -> Void
    /// Resolves a `data:` parameter (manifest id or path); use `dataFile(_:default:)` rather than calling it directly.
    public let resolveData: DataResolver
    /// Where `workItems` keeps item results (set by the renderer for itemized analyses; nil runs every item).
    public var itemStore: WorkItemStore? = nil
    /// The command's thread budget (`-j`); `workItems` runs helper threads only for its free slots. Nil: every core.
    public var budget: ThreadBudget? = nil
    public init(parameters: Parameters, dataset: @escaping (String) throws -> URL = { id in
                    throw ParameterError(key: nil, line: nil, message: "no dataset resolver for \(id)") },
                progress: @escaping (String) -> Void = { _ in },
                resolveData: DataResolver? = nil) {
        self.parameters = parameters; self.dataset = dataset; self.progress = progress
        if let resolveData { self.resolveData = resolveData }
        else {
            // Without a renderer: manifest ids through `dataset`, anything else as a path from the working directory.
            let manifestLookUp = dataset
            self.resolveData = { spec, line in
                if let url = try? manifestLookUp(spec) {
                    return DataInput(spec: spec, isManifestID: true, path: url.path, sha256: "")
                }
                let url = URL(fileURLWithPath: spec)
                guard FileManager.default.isReadableFile(atPath: url.path) else {
                    throw ParameterError(key: "data", line: line, message: "no such data file or manifest id '\(spec)'")
                }
                return DataInput(spec: spec, isManifestID: false, path: url.path, sha256: "")
            }
        }
    }
}

/// A named computation that a report directive `{run NAME}` can invoke.
public struct AnalysisDescriptor: Sendable {
    public let name: String
    public let summary: String
    /// One line of meaning per parameter key, shown by `replicate describe` (see `documented(by:)`).
    public var parameterHelp: [String: String] = [:]
    /// Keys of `parameterHelp` that come from the module's `"*"` lines (meant for every analysis of the module, read
    /// by some of them), not from lines of this analysis (see `documented(by:)`).
    public var moduleWideParameters: Set<String> = []
    /// Dataset ids (manifest keys) the analysis reads; their checksums enter the cache key.
    public let datasets: [String]
    public let run: @Sendable (AnalysisContext) throws -> AnalysisOutput
    /// Identity of the code behind the analysis (a hash of its module's sources and their dependencies); it enters the
    /// cache key in place of the whole executable's hash, so editing one module re-runs only that module's directives.
    public var codeIdentity: String?
    /// True when the analysis splits its work with `AnalysisContext.workItems`: the renderer then caches every item
    /// (`.cache/items/`), resumes interrupted runs and lets `replicate work --shard` split the items over processes.
    /// It does not enter the cache key.
    public var itemized: Bool
    /// The Swift module that declares the analysis (the one whose sources `codeIdentity` hashes, with their
    /// dependencies), e.g. `RenormalizedMI`; `--explain` names it when the code identity changes. Taken from the
    /// `#fileID` of the `init` call, so each module's descriptors carry their own module without saying so.
    public var codeModule: String
    public init(name: String, summary: String, datasets: [String] = [], codeIdentity: String? = nil, itemized: Bool = false,
                module: String = #fileID, run: @escaping @Sendable (AnalysisContext) throws -> AnalysisOutput) {
        self.name = name; self.summary = summary; self.datasets = datasets; self.codeIdentity = codeIdentity
        self.itemized = itemized; self.run = run
        codeModule = module.split(separator: "/", maxSplits: 1).first.map(String.init) ?? module
    }
}

extension Array where Element == AnalysisDescriptor {
    /// The descriptors with `hash` as their code identity (see the SourceIdentity build plugin).
    public func identified(by hash: String) -> [AnalysisDescriptor] {
        map { var d = $0; d.codeIdentity = hash; return d }
    }
}

/// The set of analyses known to the renderer.
public struct AnalysisRegistry: Sendable {
    public private(set) var byName: [String: AnalysisDescriptor] = [:]
    public init(_ descriptors: [AnalysisDescriptor] = []) { for d in descriptors { register(d) } }
    public mutating func register(_ d: AnalysisDescriptor) {
        precondition(byName[d.name] == nil, "analysis \(d.name) registered twice")
        byName[d.name] = d
    }
    public subscript(name: String) -> AnalysisDescriptor? { byName[name] }
    public var names: [String] { byName.keys.sorted() }
    /// The code identity of every module with analyses (`codeModule` → `codeIdentity`; when one module's analyses carry
    /// different identities, the least). `--explain` compares it with the one stored at the last run.
    public var moduleIdentities: [String: String] {
        var out = [String: String]()
        for d in byName.values { if let id = d.codeIdentity { out[d.codeModule] = min(out[d.codeModule] ?? id, id) } }
        return out
    }
}

/// An analysis failed for a reason the reader should see (bad data, failed convergence).
public struct AnalysisFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ message: String) { description = message }
}
