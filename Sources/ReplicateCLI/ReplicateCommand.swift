import AnalysisKit
import ArgumentParser
import Foundation
import Numerics
import Renderer

/// The `replicate` command line as a library: a package with analyses of its own calls
/// `ReplicateCLI.main(registry:)` from its executable and gets `render`, `check`, `accept`, `list` and `describe` over
/// its registry (see examples/own-analysis).
public enum ReplicateCLI {
    /// Parses the process arguments and runs the subcommand against `registry`; exits the process when done.
    /// `codeComponents`: per analysis module, the hash of each target behind its code identity
    /// (`<Module>SourceIdentity.components`, e.g. `paperCodeComponents`), so `--explain` can name the changed target.
    public static func main(registry: AnalysisRegistry, codeComponents: [String: [String: String]] = [:],
                            version: String = "replicate 0.11.0") -> Never {
        AllocatorTuning.keepLargeBuffersInHeap()
        // Analyses parallelise over independent tasks; BLAS runs single-threaded inside each (override with OPENBLAS_NUM_THREADS).
        if ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil { BLASThreads.set(1) }
        activeRegistry = registry
        activeCodeComponents = codeComponents
        RenderEnvironment.blas = BLASInfo.current.description
        Replicate.configuration.version = version
        do {
            var command = try Replicate.parseAsRoot()
            try command.run()
            exit(0)
        } catch { Replicate.exit(withError: error) }
    }
}

/// The registry the subcommands run against (set once by `ReplicateCLI.main` before parsing).
nonisolated(unsafe) var activeRegistry = AnalysisRegistry([])
/// The per-target code hashes of the registry's modules (set with it).
nonisolated(unsafe) var activeCodeComponents = [String: [String: String]]()

/// Command-line entry point: render, check and accept replication reports.
struct Replicate: ParsableCommand {
    nonisolated(unsafe) static var configuration = CommandConfiguration(
        commandName: "replicate",
        abstract: "Render and check the paper-replication reports.",
        version: "replicate 0.11.0",
        subcommands: [Render.self, Check.self, Accept.self, List.self, Describe.self, Plan.self, Work.self, Slurm.self])
}

/// Options shared by the subcommands that run reports.
struct ProjectOptions: ParsableArguments {
    @Option(help: "Project root (default: the current directory).") var root: String = "."
    @Option(help: "Folder with the report Markdown files (default: <root>/reports).") var reports: String?
    @Option(help: "Output folder for HTML pages (default: <root>/site).") var site: String?
    @Flag(help: "Ignore cached directive results.") var noCache = false
    @Flag(help: "Say why each directive re-ran.") var explain = false
    @Option(help: "Cache folder (default: <root>/.cache); share one between `work` shards and the final `render`.")
    var cache: String?
    @Option(name: [.customShort("j"), .customLong("jobs")],
            help: "Run up to N directives and work items at once (one global thread budget, 1...1024); N > 1 runs BLAS on one thread.")
    var jobs: Int = 1
    @Option(help: "Parameter profile: laptop (default) or paper (the run blocks' profile.paper.* lines; pages in site/paper/, values in reports/<name>.paper.values.json).")
    var profile: String = Profiles.laptop

    mutating func validate() throws {
        guard (1...1024).contains(jobs) else { throw ValidationError("-j \(jobs) is outside 1...1024") }
        guard Profiles.known.contains(profile) else {
            throw ValidationError("unknown profile '\(profile)'; profiles: \(Profiles.known.joined(separator: ", "))")
        }
    }

    func project() -> ReportProject {
        let rootURL = URL(fileURLWithPath: root)
        if jobs > 1 { ParallelEnvironment.singleThreadedBLAS() }
        var p = ReportProject(root: rootURL, registry: activeRegistry,
                              reportsFolder: reports.map { URL(fileURLWithPath: $0) },
                              siteFolder: site.map { URL(fileURLWithPath: $0) },
                              cacheFolder: cache.map { URL(fileURLWithPath: $0) }, profile: profile)
        p.useCache = !noCache
        p.explain = explain
        p.codeComponents = activeCodeComponents
        p.budget = ThreadBudget(jobs)
        return p
    }

    func names(_ requested: [String], in project: ReportProject) throws -> [String] {
        let all = try project.reportNames()
        if requested.isEmpty { return all }
        return try requested.map { r in
            let n = URL(fileURLWithPath: r).lastPathComponent.replacingOccurrences(of: ".md", with: "")
            guard all.contains(n) else { throw ValidationError("no report '\(r)' in \(project.reportsFolder.path); reports: \(all.joined(separator: ", "))") }
            return n
        }
    }
}

/// Renders reports to HTML (all of them by default) and writes the index page.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run report directives and write HTML pages and figures.")
    @OptionGroup var options: ProjectOptions
    @Argument(help: "Report names (default: all).") var reports: [String] = []
    @Flag(help: "Write single-file pages: stylesheet (and KaTeX when math is left to the browser) inlined instead of linked from site/assets/.")
    var selfContained = false

    func run() throws {
        var project = options.project()
        project.selfContained = selfContained
        var renderer = ReportRenderer(project: project)
        let names = try options.names(reports, in: project)
        renderer.progress = ProgressCounter(total: renderer.countRunDirectives(names))
        // With -j N, every report's directives run first, at once, under the thread budget; the pages follow in order.
        if options.jobs > 1 { renderer.prepare(names) }
        // Every report is rendered even when an earlier one fails; the index lists every report (reports not rendered
        // now keep the status of their last render).
        let (results, indexProblem) = renderer.renderAll(names)
        let failed = results.filter { !$0.diagnostics.isEmpty }
        for r in results {
            let drift = r.checks.filter { $0.status != .ok }.count
            print("\(r.name): \(r.diagnostics.isEmpty ? "ok" : "\(r.diagnostics.count) error(s)")"
                  + (r.hasStoredValues ? (drift == 0 ? ", values match" : ", \(drift) value(s) differ from stored") : ", no stored values"))
        }
        print("pages in \(project.siteFolder.path)")
        if let indexProblem { print("ERROR \(indexProblem)") }
        if !failed.isEmpty || indexProblem != nil { throw ExitCode(1) }
    }
}

/// Recomputes reports and compares every value with its stored value and tolerance.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute every reported value (without the cache) and compare it with its stored value; fail on drift.")
    @OptionGroup var options: ProjectOptions
    @Flag(help: "Reuse cached directive results instead of recomputing (faster, but cannot catch a stale cache).")
    var cached = false
    @Argument(help: "Report names (default: all).") var reports: [String] = []

    func run() throws {
        var project = options.project()
        // A regression check recomputes: a cached result could hide a drift (an input or build the key missed).
        project.useCache = cached && !options.noCache
        var renderer = ReportRenderer(project: project)
        let names = try options.names(reports, in: project)
        renderer.progress = ProgressCounter(total: renderer.countRunDirectives(names))
        if options.jobs > 1 { renderer.prepare(names) }
        var failures = 0
        for name in names {
            // An unreadable report is a failure of this report; the later ones are still checked.
            let r: ReportResult
            do { r = try renderer.compute(name) } catch {
                print("\n\(name)\nERROR \(error)\nFAIL \(name): cannot be read")
                failures += 1; continue
            }
            print("\n\(name)")
            print(CheckTable.format(r.checks))
            for d in r.diagnostics { print("ERROR \(d)") }
            if !r.hasStoredValues { print("no stored values: run `replicate accept \(name)` after review") }
            let bad = r.checks.filter { $0.status != .ok }.count + r.diagnostics.count + (r.hasStoredValues ? 0 : 1)
            print(bad == 0 ? "PASS \(name): \(r.checks.count) values within tolerance" : "FAIL \(name): \(bad) problem(s)")
            failures += bad
        }
        if failures > 0 {
            print("\nCHECK FAILED: \(failures) problem(s). If a change is intended, review it and run `replicate accept REPORT`.")
            throw ExitCode(1)
        }
    }
}

/// Stores the current values of reports as the new reference, keeping the old values in their history.
struct Accept: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Store the current values of REPORT as the reference (after review).",
        discussion: "A full accept also drops the stored values the report no longer produces and names each one (review "
            + "them first: `check` lists them as STALE; git keeps the old file). --keep-stale keeps them instead, marked "
            + "retired with their history. --only KEY accepts just those values and never drops or retires any. Nothing "
            + "is written unless every named report computes without errors; each values file is replaced in one atomic step.")
    @OptionGroup var options: ProjectOptions
    @Option(name: .customLong("only"), help: "Accept only these value names (never drops stale values).") var only: [String] = []
    @Flag(name: .customLong("keep-stale"), help: "Keep stored values the report no longer produces (marked retired) instead of dropping them.")
    var keepStale = false
    @Argument(help: "Report names.") var reports: [String]

    func run() throws {
        let project = options.project()
        let renderer = ReportRenderer(project: project)
        var results = [ReportResult]()
        // Compute every report first: one with errors stops the command before any values file is written.
        for name in try options.names(reports, in: project) {
            let r = try renderer.compute(name)
            // An unreadable values file does not block accept: accept rewrites it (git keeps the old one).
            let blocking = r.diagnostics.filter { $0 != r.valuesProblem }
            if !blocking.isEmpty {
                for d in blocking { print("ERROR \(d)") }
                print("not accepting \(name): fix its errors first")
                throw ExitCode(1)
            }
            results.append(r)
        }
        try ValueStore.withLock(project, warn: { print($0) }) {
            let plans = try results.map {
                try ValueStore.plan($0, at: project.valuesURL($0.name), only: only.isEmpty ? nil : Set(only),
                                   stale: keepStale ? .keep : .prune)
            }
            for (r, plan) in zip(results, plans) {
                try plan.write()
                print("\(r.name): \(plan.changes.isEmpty ? "no changes" : "")")
                for c in plan.changes { print("  \(c)") }
                if !plan.dropped.isEmpty {
                    print("  \(plan.dropped.count) stale value(s) dropped (--keep-stale keeps them)")
                }
            }
        }
    }
}

/// Describes one analysis: summary, datasets, code identity and the parameters it reads (found by a probing run).
struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show an analysis' parameters (type, default, range) and datasets.")
    @Argument(help: "Analysis name, e.g. retina.coarse.") var name: String

    func run() throws {
        guard let a = activeRegistry[name] else {
            let hint = Suggestion.closest(to: name, among: activeRegistry.names).map { " Did you mean '\($0)'?" } ?? ""
            throw ValidationError("unknown analysis '\(name)'.\(hint) `replicate list` shows them all.")
        }
        print("\(a.name): \(a.summary)")
        if !a.datasets.isEmpty { print("datasets: \(a.datasets.joined(separator: ", "))") }
        if let id = a.codeIdentity { print("code identity: \(id.prefix(16))… (sha256 of its module's sources)") }
        // Run the analysis on empty, probing parameters: it records each parameter it reads and stops at the check for
        // unknown parameters or at its first data access. A probe that has not stopped after 3 s is cut short.
        let (items, finished) = a.probeParameters(timeout: 3)
        print("parameters (name, type, default, range — meaning):")
        for item in items {
            let meaning = a.parameterHelp[item.key].map { " — \($0)" } ?? ""
            print("  \(item.key): \(item.type), default \(item.defaultValue ?? "required")\(item.range.map { ", range \($0)" } ?? "")\(meaning)")
        }
        if !finished { print("  (the analysis read these before it started computing; it may read more later)") }
        // Documented parameters the probe did not reach: read only when given (optional data files, alternative modes).
        let seen = Set(items.map(\.key))
        let later = a.parametersReadOnlyWhenGiven(probed: seen)
        if !later.isEmpty {
            print("read only when given:")
            for key in later { print("  \(key) — \(a.parameterHelp[key]!)") }
        }
    }
}

/// Lists the registered analyses.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the analyses reports can run.")
    func run() throws {
        for name in activeRegistry.names { print("\(name)\t\(activeRegistry[name]!.summary)") }
    }
}

/// Process-wide settings for concurrent runs.
enum ParallelEnvironment {
    /// With `-j N > 1` the budget's threads are the only parallelism: OpenBLAS runs on one thread
    /// (`openblas_set_num_threads(1)`), and OPENBLAS_NUM_THREADS is set to 1 so the cache key says so.
    static func singleThreadedBLAS() {
        if let given = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"], given != "1" {
            FileHandle.standardError.write(Data("note: -j > 1 runs BLAS on one thread (OPENBLAS_NUM_THREADS=\(given) ignored)\n".utf8))
        }
        setenv("OPENBLAS_NUM_THREADS", "1", 1)
        BLASThreads.set(1)
    }
}

/// Computes a deterministic share of the work (for job arrays) into the cache, without writing pages.
struct Work: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute shard i of n of the directives and work items into the cache (then `replicate render` reduces and renders).",
        discussion: "Directive k (0-based over the {run} directives of the reports, in order) belongs to shard k mod n; item j of an itemized directive k to shard (k + j) mod n. Every shard must be given the same reports.")
    @OptionGroup var options: ProjectOptions
    @Option(help: "The shard to compute, i/n with 0 ≤ i < n (default 0/1: everything).") var shard: String = "0/1"
    @Argument(help: "Report names (default: all).") var reports: [String] = []

    mutating func validate() throws {
        do { _ = try Shard(parsing: shard) } catch { throw ValidationError("--shard: \(error)") }
    }

    func run() throws {
        let s = try Shard(parsing: shard)
        var project = options.project()
        project.shard = s.count == 1 ? nil : s
        var renderer = ReportRenderer(project: project)
        let names = try options.names(reports, in: project)
        let summary = renderer.prepare(names)
        for d in summary.problems { print("ERROR \(d)") }
        for n in summary.unreadable { print("ERROR cannot read report \(n)") }
        print("shard \(s): \(summary.directives) directive(s): \(summary.computed) computed, \(summary.cached) cached, "
              + "\(summary.deferred) left to other shards or to the render, \(summary.failed) failed; "
              + "\(summary.itemsComputed) work item(s) computed; cache \(project.cacheFolder.path)")
        if summary.failed > 0 || !summary.unreadable.isEmpty { throw ExitCode(1) }
    }
}

/// Lists what a render would compute, with estimated costs from earlier run times, and the core-hours in total.
struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the directives and work items not yet cached, with cost estimates from their previous run times (.cache/timings), and the core-hours of each profile (of --profile only, when given).")
    @OptionGroup var options: ProjectOptions
    @Flag(help: "Plan only the profile given by --profile (default: every profile).") var onlyProfile = false
    @Argument(help: "Report names (default: all).") var reports: [String] = []

    func run() throws {
        let profiles = onlyProfile || options.profile != Profiles.laptop ? [options.profile] : Profiles.known
        for p in profiles {
            var o = options
            o.profile = p
            let project = o.project()
            let renderer = ReportRenderer(project: project)
            let names = try o.names(reports, in: project)
            print(ReportRenderer.formatPlan(renderer.plan(names), profile: p))
        }
    }
}

/// Writes (and submits) a Slurm job array of `replicate work` shards over a shared cache, and a dependent render job.
struct Slurm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write .slurm/work.sbatch (an array of `replicate work --shard i/N`) and .slurm/render.sbatch, submit the array, then the render with --dependency=afterok.")
    @OptionGroup var options: ProjectOptions
    @Option(help: "Number of array tasks (shards), 1...10000.") var shards: Int
    @Option(help: "Slurm partition (default: the cluster's default).") var partition: String?
    @Option(help: "Time limit per task, Slurm syntax (e.g. 2:00:00).") var time: String?
    @Option(help: "CPUs per task; each task runs `work -j` with this many threads, 1...1024.") var cpusPerTask: Int = 1
    @Option(help: "Folder for the scripts and the jobs' logs (default: <root>/.slurm).") var scriptDir: String?
    @Option(help: "The replicate executable the jobs run (default: this one).") var executable: String?
    @Flag(help: "Print the scripts and the sbatch commands instead of submitting.") var dryRun = false
    @Argument(help: "Report names (default: all).") var reports: [String] = []

    mutating func validate() throws {
        guard (1...10_000).contains(shards) else { throw ValidationError("--shards \(shards) is outside 1...10000") }
        guard (1...1024).contains(cpusPerTask) else { throw ValidationError("--cpus-per-task \(cpusPerTask) is outside 1...1024") }
        for (name, v) in [("partition", partition), ("time", time)] {
            if let v, v.isEmpty || v.contains(where: { $0.isWhitespace || $0 == "'" || $0 == "\"" }) {
                throw ValidationError("--\(name) '\(v)' must be one word without quotes")
            }
        }
    }

    func run() throws {
        let project = options.project()
        let names = try options.names(reports, in: project)
        let root = project.root.path
        let exe = executable.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let dir = URL(fileURLWithPath: scriptDir ?? project.root.appendingPathComponent(".slurm").path).standardizedFileURL
        let scripts = SlurmScripts(executable: exe, root: root, reportsFolder: project.reportsFolder.standardizedFileURL.path,
                                   siteFolder: (options.site.map { URL(fileURLWithPath: $0) } ?? project.root.appendingPathComponent("site")).standardizedFileURL.path,
                                   cache: project.cacheFolder.standardizedFileURL.path, scriptDir: dir.path,
                                   shards: shards, cpusPerTask: cpusPerTask, partition: partition, time: time, reports: names,
                                   profile: options.profile)
        let workURL = dir.appendingPathComponent("work.sbatch"), renderURL = dir.appendingPathComponent("render.sbatch")
        if dryRun {
            print("# \(workURL.path)\n\(scripts.work)\n# \(renderURL.path)\n\(scripts.render)")
            print("sbatch --parsable \(workURL.path)")
            print("sbatch --parsable --dependency=afterok:<array job id> \(renderURL.path)")
            return
        }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try AtomicFile.write(scripts.work, to: workURL)
        try AtomicFile.write(scripts.render, to: renderURL)
        let arrayJob = try SlurmScripts.sbatch(["--parsable", workURL.path])
        print("submitted work array \(arrayJob) (\(shards) task(s)): \(workURL.path)")
        let renderJob = try SlurmScripts.sbatch(["--parsable", "--dependency=afterok:\(arrayJob)", renderURL.path])
        print("submitted render \(renderJob) after \(arrayJob): \(renderURL.path)")
        print("logs in \(dir.path); pages in \(project.siteFolder.path) when job \(renderJob) ends")
    }
}
