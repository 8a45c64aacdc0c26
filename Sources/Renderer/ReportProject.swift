import AnalysisKit
import DataFiles
import Foundation

/// Where a project's reports, outputs and cache live, and which analyses it can run.
public struct ReportProject {
    public let root: URL
    public let reportsFolder: URL
    public let siteFolder: URL
    public let figuresFolder: URL
    public let cacheFolder: URL
    public let registry: AnalysisRegistry
    /// Resolves dataset ids; nil when the project has no manifest (then analyses needing data fail clearly).
    public let datasets: DatasetLocator?
    /// Why `datasets` is nil: the manifest is missing, or it exists but cannot be read or parsed (reported as corrupt).
    public let datasetsProblem: String
    /// Per analysis module (`AnalysisDescriptor.codeModule`), the hashes of each target behind its code identity
    /// (`<Module>SourceIdentity.components`: the module and each target it depends on). Kept with each cached result,
    /// so that `--explain` names the target whose code changed; empty when the registry's packages give none.
    public var codeComponents: [String: [String: String]] = [:]
    public var useCache = true
    public var explain = false
    /// Pages that inline everything they load (stylesheet, KaTeX's stylesheet, fonts and scripts when math is left to
    /// the browser) and work as single files (`render --self-contained`); otherwise they link `site/assets/`.
    public var selfContained = false
    /// Typeset math when writing pages (KaTeX run by Node.js, MathML output), so that pages carry no KaTeX; falls back
    /// to KaTeX in the browser when Node or KaTeX is missing.
    public var buildTimeMath = true
    /// The command's thread budget (`-j N`): directives and work items each hold a slot while they compute.
    public var budget = ThreadBudget(1)
    /// Set by `replicate work --shard i/n`: only this shard's directives and work items are computed.
    public var shard: Shard? = nil
    /// Progress and diagnostics sink (stderr by default).
    public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

    /// The parameter profile (`Profiles`); other than laptop, pages go to `site/<profile>/`, figures to
    /// `figures/<profile>/` and values to `reports/<name>.<profile>.values.json`.
    public let profile: String

    public init(root: URL, registry: AnalysisRegistry, reportsFolder: URL? = nil, siteFolder: URL? = nil,
                figuresFolder: URL? = nil, cacheFolder: URL? = nil, profile: String = Profiles.laptop) {
        self.root = root.standardizedFileURL
        self.registry = registry
        self.profile = profile
        let site = siteFolder ?? root.appendingPathComponent("site")
        let figures = figuresFolder ?? root.appendingPathComponent("figures")
        self.reportsFolder = reportsFolder ?? root.appendingPathComponent("reports")
        self.siteFolder = profile == Profiles.laptop ? site : site.appendingPathComponent(profile)
        self.figuresFolder = profile == Profiles.laptop ? figures : figures.appendingPathComponent(profile)
        self.cacheFolder = cacheFolder ?? root.appendingPathComponent(".cache")
        let manifest = root.appendingPathComponent("datasets/manifest.json")
        do {
            datasets = try DatasetLocator.standard(projectRoot: root); datasetsProblem = ""
        } catch {
            datasets = nil
            datasetsProblem = FileManager.default.fileExists(atPath: manifest.path)
                ? "datasets/manifest.json is corrupt: \(error)" : "datasets/manifest.json is missing"
        }
    }

    /// Report names (file names without `.md`) in the reports folder, sorted.
    public func reportNames() throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: reportsFolder.path)
        return files.filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.sorted()
    }

    public func sourceURL(_ name: String) -> URL { reportsFolder.appendingPathComponent("\(name).md") }
    public func valuesURL(_ name: String) -> URL {
        reportsFolder.appendingPathComponent(profile == Profiles.laptop ? "\(name).values.json" : "\(name).\(profile).values.json")
    }
    /// The cache slot of a report's k-th `{run}` directive (`report#k`, with `@profile` under another profile).
    func slot(_ name: String, _ ordinal: Int) -> String {
        profile == Profiles.laptop ? "\(name)#\(ordinal)" : "\(name)#\(ordinal)@\(profile)"
    }
    /// Path shown in diagnostics, relative to the project root when possible.
    func displayPath(_ url: URL) -> String {
        let p = url.standardizedFileURL.path, r = root.path + "/"
        return p.hasPrefix(r) ? String(p.dropFirst(r.count)) : p
    }
}
