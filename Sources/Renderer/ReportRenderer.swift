import AnalysisKit
import DataFiles
import Foundation

/// The result of rendering (or only computing) one report.
public struct ReportResult {
    public let name: String
    public let title: String
    public let scalars: [Scalar]
    public internal(set) var diagnostics: [ReportDiagnostic]
    public let checks: [ValueCheck]
    public var hasStoredValues: Bool
    /// Verdicts of the report's compare rows.
    public var tally = VerdictTally()
    /// Total compute time of its directives (from the runs that produced cached results).
    public var computeSeconds = 0.0
    /// Set when the stored-values file is unreadable (also among `diagnostics`); `accept` may repair it.
    public var valuesProblem: ReportDiagnostic? = nil
    public var passed: Bool { diagnostics.isEmpty && hasStoredValues && checks.allSatisfy { $0.status == .ok } }
}

/// One executed directive: its output or the problem that stopped it, and how long it took.
struct DirectiveRun {
    let directive: Directive
    var output: AnalysisOutput?
    var seconds: Double
    var cached: Bool
    var problems: [ReportDiagnostic]
    /// In a sharded run: the directive was left to other shards (or waits for their work items).
    var deferred = false
    /// Work items computed by this run (itemized analyses).
    var itemsComputed = 0
}

/// Numbers the `[k/N]` progress lines across all reports of one command.
public final class ProgressCounter: @unchecked Sendable {
    public var total: Int
    public private(set) var done = 0
    private let lock = NSLock()
    public init(total: Int) { self.total = total }
    func advance() { lock.lock(); done += 1; lock.unlock() }
}

/// One `{run}` directive to execute, with its cache slot, progress label and position k among the command's
/// directives (for sharding; nil when not sharded).
struct DirectiveTask {
    var directive: Directive
    var analysisName: String
    var file: String
    var slot: String
    var label: String
    var position: Int?
}

/// The result slots of concurrently running directive tasks, handed out in task order.
final class RunSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [DirectiveRun?]
    private var position = 0
    init(_ n: Int) { slots = Array(repeating: nil, count: n) }
    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard position < slots.count else { return nil }
        position += 1
        return position - 1
    }
    func set(_ k: Int, _ run: DirectiveRun) { lock.lock(); slots[k] = run; lock.unlock() }
    var all: [DirectiveRun] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}

/// Directive runs computed ahead of their pages by `ReportRenderer.prepare`, by slot (`report#ordinal`).
final class PrecomputedRuns: @unchecked Sendable {
    var runs = [String: DirectiveRun]()
    func run(_ slot: String) -> DirectiveRun? { runs[slot] }
}

/// What `ReportRenderer.prepare` (and `replicate work`) did.
public struct WorkSummary: Sendable {
    public var directives = 0
    public var computed = 0
    public var cached = 0
    /// Left to other shards (or waiting for other shards' work items).
    public var deferred = 0
    public var failed = 0
    public var itemsComputed = 0
    public var unreadable = [String]()
    public var problems = [ReportDiagnostic]()
}

/// Renders reports: runs their directives (through the cache), writes figures, HTML pages and the index.
public struct ReportRenderer {
    public var project: ReportProject
    /// When set, progress lines count directives across every report of the command; otherwise per report.
    public var progress: ProgressCounter?
    /// Figures as a placeholder instead of through gnuplot (the fuzz test renders thousands of pages in memory).
    var figureStub = false
    /// Runs computed by `prepare`, used by the pages rendered next.
    var precomputed: PrecomputedRuns? = nil
    /// The formulas the pages of this renderer used (`MathStore` stale report after a render of every report).
    let mathUsage = MathUsage()
    public init(project: ReportProject) { self.project = project }

    /// Number of `{run}` directives in the given reports (for the `[k/N]` progress numbering).
    public func countRunDirectives(_ names: [String]) -> Int {
        names.reduce(0) { total, name in
            guard let source = try? readSource(name).text else { return total }
            return total + MarkdownDocument.directives(in: source, file: name).directives.filter {
                if case .run = $0.kind { return true } else { return false }
            }.count
        }
    }

    /// Runs every directive of a report and returns the runs with the report's scalars (no HTML written).
    /// Directives run concurrently under the thread budget when it has more than one slot; their order in the result
    /// (and everything built from it) is the report's order whatever finishes first.
    func execute(_ name: String, source: String)
        -> (runs: [DirectiveRun], scalars: [String: Scalar], problems: [ReportDiagnostic], unplaced: [ReportDiagnostic]) {
        let file = project.displayPath(project.sourceURL(name))
        let (directives, parseProblems) = MarkdownDocument.directives(in: source, file: file)
        var runs = [DirectiveRun]()
        let runnable = directives.filter { if case .run = $0.kind { return true } else { return false } }
        var ordinal = 0
        var tasks = [DirectiveTask](), taskSlots = [Int]()
        for d in directives {
            guard case .run(let analysisName) = d.kind else {
                runs.append(DirectiveRun(directive: d, output: nil, seconds: 0, cached: false, problems: [])); continue
            }
            ordinal += 1
            let slot = project.slot(name, ordinal)
            if let done = precomputed?.run(slot), done.directive == d {
                runs.append(done); continue
            }
            let label: String
            if let progress {
                progress.advance()
                label = "[\(progress.done)/\(max(progress.total, progress.done))] \(name): \(analysisName)"
            } else {
                label = "[\(ordinal)/\(runnable.count)] \(name): \(analysisName)"
            }
            taskSlots.append(runs.count)
            runs.append(DirectiveRun(directive: d, output: nil, seconds: 0, cached: false, problems: []))
            tasks.append(DirectiveTask(directive: d, analysisName: analysisName, file: file, slot: slot, label: label, position: nil))
        }
        for (k, r) in runConcurrently(tasks).enumerated() { runs[taskSlots[k]] = r }
        var scalars = [String: Scalar](), problems = parseProblems, unplaced = parseProblems
        for r in runs {
            problems += r.problems
            for s in r.output?.values ?? [] {
                if scalars[s.name] != nil {
                    let d = ReportDiagnostic(file: file, line: r.directive.line, message: "value '\(s.name)' is produced twice")
                    problems.append(d); unplaced.append(d)
                }
                scalars[s.name] = s
            }
        }
        return (runs, scalars, problems, unplaced)
    }

    /// Runs directive tasks, on `min(budget, tasks)` worker threads when the budget has more than one slot (each
    /// directive takes a budget slot while it computes), else one after another. Results are in task order.
    func runConcurrently(_ tasks: [DirectiveTask]) -> [DirectiveRun] {
        let workers = min(project.budget.size, tasks.count)
        guard workers > 1 else {
            return tasks.map { run($0.directive, analysisName: $0.analysisName, file: $0.file, slot: $0.slot, label: $0.label, position: $0.position) }
        }
        // Log lines come from several threads: one at a time.
        var worker = self
        let lock = NSLock(), sink = project.log
        worker.project.log = { line in lock.lock(); sink(line); lock.unlock() }
        let runner = worker
        let results = RunSlots(tasks.count)
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            Thread.detachNewThread {
                while let k = results.next() {
                    let t = tasks[k]
                    results.set(k, runner.run(t.directive, analysisName: t.analysisName, file: t.file, slot: t.slot, label: t.label, position: t.position))
                }
                group.leave()
            }
        }
        group.wait()
        return results.all
    }

    /// Computes the `{run}` directives of the named reports into the cache without writing pages, concurrently under
    /// the thread budget, and keeps the runs for the pages rendered next by this renderer (`render -j N` runs every
    /// report's directives at once this way). With `project.shard` set (`replicate work --shard i/n`) only that
    /// shard's directives and work items are computed: directive k (0-based, over the reports in order) belongs to
    /// shard k mod n, item j of an itemized directive k to shard (k + j) mod n.
    @discardableResult
    public mutating func prepare(_ names: [String]) -> WorkSummary {
        var tasks = [DirectiveTask]()
        var summary = WorkSummary()
        for name in names {
            guard let source = try? readSource(name).text else { summary.unreadable.append(name); continue }
            let file = project.displayPath(project.sourceURL(name))
            var ordinal = 0
            for d in MarkdownDocument.directives(in: source, file: file).directives {
                guard case .run(let analysisName) = d.kind else { continue }
                ordinal += 1
                tasks.append(DirectiveTask(directive: d, analysisName: analysisName, file: file, slot: project.slot(name, ordinal),
                                           label: "[\(tasks.count + 1)/N] \(name): \(analysisName)", position: tasks.count))
            }
        }
        tasks = tasks.map { var t = $0; t.label = t.label.replacingOccurrences(of: "/N]", with: "/\(tasks.count)]"); return t }
        let runs = runConcurrently(tasks)
        let store = PrecomputedRuns()
        for (t, r) in zip(tasks, runs) {
            store.runs[t.slot] = r
            if r.deferred { summary.deferred += 1 } else if !r.problems.isEmpty { summary.failed += 1 }
            else if r.cached { summary.cached += 1 } else { summary.computed += 1 }
            summary.itemsComputed += r.itemsComputed
            summary.problems += r.problems
        }
        summary.directives = tasks.count
        if project.shard == nil { precomputed = store }
        return summary
    }

    /// The data files one directive run opened, in order, without repeats (filled from the analysis' threads).
    final class InputLog: @unchecked Sendable {
        private let lock = NSLock()
        private var items = [RecordedInput]()
        func record(_ input: DataInput) throws {
            let r = try RecordedInput(input)
            lock.lock(); defer { lock.unlock() }
            if !items.contains(where: { $0.input.path == r.input.path }) { items.append(r) }
        }
        var recorded: [RecordedInput] { lock.lock(); defer { lock.unlock() }; return items }
    }

    /// Runs one directive through the cache. `position` is the directive's index k among the command's directives,
    /// which decides its shard in a sharded run (`project.shard`).
    func run(_ d: Directive, analysisName: String, file: String, slot: String, label: String, position: Int? = nil) -> DirectiveRun {
        var result = DirectiveRun(directive: d, output: nil, seconds: 0, cached: false, problems: [])
        func fail(_ line: Int?, _ message: String) -> DirectiveRun {
            result.problems.append(ReportDiagnostic(file: file, line: line ?? d.line, message: message))
            project.log("\(label) ... FAILED")
            return result
        }
        guard let analysis = project.registry[analysisName] else {
            let hint = Suggestion.closest(to: analysisName, among: project.registry.names).map { "did you mean '\($0)'? " } ?? ""
            return fail(d.line, "unknown analysis '\(analysisName)' (\(hint)see `replicate list`)")
        }
        let parameters: Parameters
        do { parameters = try d.parameters(profile: project.profile) } catch let e as ParameterError { return fail(e.line, e.unlocatedDescription) }
        catch { return fail(d.line, "\(error)") }
        var dataHashes = [String: String]()
        for id in analysis.datasets {
            guard let locator = project.datasets else { return fail(d.line, "dataset '\(id)' needed but \(project.datasetsProblem)") }
            do { dataHashes[id] = try locator.checksum(id) } catch { return fail(d.line, "\(error)") }
        }
        let key = CacheKey(analysis: analysisName, parameters: d.canonicalBody(profile: project.profile), datasets: dataHashes,
                           build: analysis.codeIdentity.map { "sources:" + $0 } ?? BuildIdentity.current)
        let cache = ResultCache(folder: project.cacheFolder)
        let locator = project.datasets, manifestProblem = project.datasetsProblem
        var staleInput: String? = nil
        var invalidEntry: String? = nil, cachedHit: CacheEntry? = nil
        if project.useCache {
            switch cache.lookup(key) {
            case .hit(let e): cachedHit = e
            case .invalid(let why): invalidEntry = why; project.log("\(label): warning: \(why); recomputing")
            case .miss: break
            }
        }
        if let hit = cachedHit {
            // The key holds the parameters; the files the analysis opened are checked here (one stat each, a re-hash
            // only when size or time changed), so a regenerated data file is never served from the cache.
            staleInput = (hit.inputs ?? []).lazy.compactMap { $0.change(locator: locator, manifestProblem: manifestProblem) }.first
            if staleInput == nil {
                result.output = hit.output; result.seconds = hit.seconds; result.cached = true
                project.log("\(label) ... cached")
                return result
            }
        }
        if project.explain {
            let why: String
            if !project.useCache { why = "caching disabled (--no-cache)" }
            else if let staleInput { why = staleInput }
            else if let invalidEntry { why = invalidEntry }
            else if let old = cache.previousKey(slot: slot) {
                let record = cache.previousRecord(slot: slot)
                let diffs = key.differences(from: old, module: analysis.codeModule, modules: project.registry.moduleIdentities,
                                            oldModules: record?.moduleIdentities,
                                            components: project.codeComponents[analysis.codeModule],
                                            oldComponents: record?.codeComponents)
                why = diffs.isEmpty ? "no cached result for the same key (cache cleared?)" : diffs.joined(separator: "; ")
            } else { why = "never computed before" }
            project.log("\(label): re-running because \(why)")
        } else if let staleInput {
            project.log("\(label): \(staleInput)")
        }
        if let shard = project.shard, let position, !analysis.itemized, !shard.ownsDirective(position) {
            result.deferred = true
            return result
        }
        project.log("\(label) ...")
        let log = project.log
        let inputs = InputLog()
        let reportFolder = project.reportsFolder
        let contextBase = AnalysisContext(parameters: parameters, dataset: { id in
            guard let locator else { throw AnalysisFailure(manifestProblem) }
            let url = try locator.locate(id)
            try inputs.record(DataInput(spec: id, isManifestID: true, path: url.path, sha256: try locator.checksum(id)))
            return url
        }, progress: { log("      \($0)") }, resolveData: { spec, line in
            // A manifest id when the manifest knows it; otherwise a path relative to the report's folder.
            if let locator, (try? locator.checksum(spec)) != nil {
                // missing or corrupt: reported at the parameter's line, like a path that does not exist
                let url: URL
                do { url = try locator.locate(spec) } catch { throw ParameterError(key: "data", line: line, message: "\(error)") }
                let input = DataInput(spec: spec, isManifestID: true, path: url.path, sha256: try locator.checksum(spec))
                try inputs.record(input)
                return input
            }
            let url = spec.hasPrefix("/") ? URL(fileURLWithPath: spec) : reportFolder.appendingPathComponent(spec)
            let path = url.standardizedFileURL.path
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ParameterError(key: "data", line: line,
                                     message: "no data file '\(spec)' (looked for \(path)) and no manifest id of that name"
                                         + (locator == nil && manifestProblem.contains("corrupt") ? " (\(manifestProblem))" : ""))
            }
            let input = DataInput(spec: spec, isManifestID: false, path: path, sha256: try sha256Hex(fileAt: URL(fileURLWithPath: path)))
            try inputs.record(input)
            return input
        })
        var context = contextBase
        context.budget = project.budget
        let keyHash = key.hash
        let items: ItemCache? = analysis.itemized
            ? ItemCache(cacheFolder: project.cacheFolder, keyHash: keyHash, readStored: project.useCache,
                        shard: project.shard.flatMap { s in position.map { (s, $0) } }, log: { log("\(label): \($0)") })
            : nil
        context.itemStore = items
        let timings = TimingStore(cacheFolder: project.cacheFolder)
        func recordTiming(_ seconds: Double?) {
            timings.record(DirectiveTiming(analysis: analysisName, slot: slot, seconds: seconds, stages: items?.stageTimings ?? []),
                           keyHash: keyHash)
        }
        let start = Date()
        do {
            // The directive holds one slot of the thread budget while it computes; its work items add helpers only
            // for free slots.
            let output = try project.budget.withSlot { try analysis.run(context) }
            try parameters.rejectUnused()
            result.seconds = Date().timeIntervalSince(start)
            result.output = output
            result.itemsComputed = items?.computed ?? 0
            try? cache.store(CacheEntry(output: output, seconds: result.seconds, inputs: inputs.recorded), for: key)
            try? cache.remember(key, slot: slot, record: SlotRecord(codeModule: analysis.codeModule,
                                                                   moduleIdentities: project.registry.moduleIdentities,
                                                                   codeComponents: project.codeComponents[analysis.codeModule]))
            recordTiming(result.seconds)
            project.log("\(label) ... \(String(format: "%.1f", result.seconds)) s"
                        + (items.map { " (\($0.computed) work item(s) computed)" } ?? ""))
        } catch let e as WorkItemsDeferred where project.shard != nil {
            result.deferred = true
            result.itemsComputed = items?.computed ?? 0
            recordTiming(nil)
            project.log("\(label) ... \(result.itemsComputed) work item(s) computed; the rest belong to other shards (\(e))")
        } catch let e as ParameterError {
            if items != nil { recordTiming(nil) }
            return fail(e.line, e.unlocatedDescription)
        } catch {
            if items != nil { recordTiming(nil) }
            return fail(d.line, "analysis \(analysisName) failed: \(error)")
        }
        return result
    }

    /// The page-level part of a report: compare tables, directive outputs (figures drawn only when `drawFigures`) and the
    /// prose transform. Every page-level problem (bad compare row, unknown `{{value}}`, unclosed `$`) is returned, so
    /// `check` and `accept` fail on exactly what `render` fails on.
    /// Without `drawFigures` (check, accept) the body is the page's text with figure captions instead of figures, only
    /// so that its math can be typeset and checked (`mathProblems`); with them, the page body.
    private func assemble(_ name: String, source: String, file: String, drawFigures: Bool)
        -> (result: ReportResult, body: String, footerRows: [String], proseMath: [ProseTransform.Math]) {
        let (runs, scalars, executeProblems, unplaced) = execute(name, source: source)
        var problems = executeProblems
        let figureFolder = project.figuresFolder.appendingPathComponent(name)
        var replacements = [Int: String]()
        var footerRows = [String]()
        var tally = VerdictTally()
        var seconds = 0.0
        var tableNumber = 0, figureNumber = 0
        var labels = [String: String]()   // cross-reference targets: "fig:<id>" → "Figure N", "tbl:<id>" → "Table N"
        // The figure files are published beside the page (site/figures/<report>/), so that site/ works on its own.
        let siteFigureFolder = project.siteFolder.appendingPathComponent("figures").appendingPathComponent(name)
        let figureHref = "figures/" + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name)
        for r in runs {
            var html = ""
            seconds += r.seconds
            switch r.directive.kind {
            case .compare:
                let (rows, parseProblems) = CompareTable.parse(r.directive, file: file)
                let (table, tableProblems, rowTally) = CompareTable.table(rows, values: scalars, file: file)
                tally.agrees += rowTally.agrees; tally.withinTolerance += rowTally.withinTolerance; tally.differs += rowTally.differs
                problems += parseProblems + tableProblems
                tableNumber += 1
                labels["tbl:" + table.id] = labels["tbl:" + table.id] ?? "Table \(tableNumber)"
                html += HTMLBlocks.table(table, verdictColumn: table.columns.count - 1, number: tableNumber)
                html += (parseProblems + tableProblems).map(HTMLBlocks.error).joined()
            case .run(let analysisName):
                if let out = r.output {
                    for t in out.tables {
                        tableNumber += 1
                        labels["tbl:" + t.id] = labels["tbl:" + t.id] ?? "Table \(tableNumber)"
                        html += HTMLBlocks.table(t, verdictColumn: nil, number: tableNumber)
                    }
                    for f in out.figures {
                        if !drawFigures { html += "<figure><figcaption>\(HTML.escape(f.caption))</figcaption></figure>"; continue }
                        if figureStub { html += "<figure id=\"fig-\(HTML.escape(f.id))\">\(HTML.escape(f.caption))</figure>"; continue }
                        do {
                            let svg = try GnuplotFigure.render(f, in: figureFolder)
                            try GnuplotFigure.publish(f, svg: svg, from: figureFolder, to: siteFigureFolder)
                            figureNumber += 1
                            labels["fig:" + f.id] = labels["fig:" + f.id] ?? "Figure \(figureNumber)"
                            let base = figureHref + "/" + GnuplotFigure.fileName(f.id)
                            html += HTMLBlocks.figure(f, svg: svg, number: figureNumber,
                                                      files: [("data (.dat)", base + ".dat"), ("gnuplot script (.gp)", base + ".gp"), ("SVG", base + ".svg")])
                        } catch {
                            let d = ReportDiagnostic(file: file, line: r.directive.line, message: "\(error)")
                            problems.append(d); html += HTMLBlocks.error(d)
                        }
                    }
                }
                html += r.problems.map(HTMLBlocks.error).joined()
                html += HTMLBlocks.parameters(analysis: analysisName, body: r.directive.body.map(\.text))
                let seeds = (try? r.directive.parameters(profile: project.profile).entries.filter { $0.key.lowercased().contains("seed") }
                    .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.value)" }.joined(separator: ", ")) ?? ""
                let notes = (r.output?.notes ?? []).joined(separator: "; ")
                footerRows.append("<tr><td>\(r.directive.line)</td><td>\(HTML.escape(analysisName))</td><td>\(String(format: "%.2f", r.seconds)) s</td>"
                                  + "<td>\(HTML.escape(seeds))</td><td>\(HTML.escape(notes))</td></tr>")
            }
            replacements[r.directive.line] = html
        }
        var prose = ProseTransform()
        let transformed = prose.apply(source, file: file, codeLines: MarkdownDocument.codeBlockLines(in: source)) { ref, following in
            let withError = ref.hasSuffix("±")
            let key = withError ? String(ref.dropLast()) : ref
            return scalars[key].map { ValueFormatting.prose($0, withError: withError, following: following) }
        }
        problems += prose.problems
        let xrefProblems = Self.crossReferenceProblems(prose.crossReferences, runs: runs, file: file)
        problems += xrefProblems
        var body = ""
        if drawFigures {
            // Directive lines are unchanged by the transform (it never adds or removes lines).
            body = prose.restoreMath(in: MarkdownDocument.html(transformed, replacements: replacements))
            let anchored = PageNavigation.anchorHeadings(PageNavigation.crossReferences(body, labels: labels))
            let links = PageNavigation.reportLinks(paper: PaperLinks.find(in: source), source: Self.sourceHref(name), sourceName: name + ".md")
            body = PageNavigation.insertingTOC(links + PageNavigation.tableOfContents(anchored.headings), into: anchored.html)
            let proseErrors = (unplaced + prose.problems + xrefProblems).map(HTMLBlocks.error).joined()
            if !proseErrors.isEmpty { body = proseErrors + body }
        } else if project.buildTimeMath && (PageMath.useNode || mathStoreExists) {
            body = prose.restoreMath(in: MarkdownDocument.html(transformed, replacements: replacements))
        }
        var stored: StoredValues? = nil
        var valuesProblem: ReportDiagnostic? = nil
        do { stored = try StoredValues.load(project.valuesURL(name)) } catch {
            let message = (error as? ReportDiagnostic)?.message ?? "\(error)"
            valuesProblem = ReportDiagnostic(file: project.displayPath(project.valuesURL(name)), line: 1, message: message)
            problems.append(valuesProblem!)
        }
        let list = scalars.values.sorted { $0.name < $1.name }
        let result = ReportResult(name: name, title: Self.title(of: source, fallback: name), scalars: list, diagnostics: problems,
                                  checks: ValueCheck.compare(list, stored), hasStoredValues: stored != nil,
                                  tally: tally, computeSeconds: seconds, valuesProblem: valuesProblem)
        return (result, body, footerRows, prose.math)
    }

    /// The prose's cross-references to no figure or table of the report: each an error at its line (the page still
    /// shows the reference, marked missing). Targets are every figure and table the directives produced (and the
    /// compare table, `@tbl:compare`), whether or not figures are drawn, so `check` fails on exactly what `render` does.
    static func crossReferenceProblems(_ refs: [(key: String, line: Int)], runs: [DirectiveRun], file: String) -> [ReportDiagnostic] {
        guard !refs.isEmpty else { return [] }
        var figures = [String](), tables = [String]()
        for r in runs {
            if case .compare = r.directive.kind { tables.append("compare") }
            for f in r.output?.figures ?? [] { figures.append(f.id) }
            for t in r.output?.tables ?? [] { tables.append(t.id) }
        }
        let known = Set(figures.map { "fig:" + $0 } + tables.map { "tbl:" + $0 })
        let failed = runs.contains { r in if case .run = r.directive.kind { return r.output == nil && !r.deferred } else { return false } }
        return refs.filter { !known.contains($0.key) }.map { ref in
            let isFigure = ref.key.hasPrefix("fig:")
            let id = String(ref.key.dropFirst(4)), pool = isFigure ? figures : tables
            let hint = Suggestion.closest(to: id, among: pool).map { " (did you mean '@\(isFigure ? "fig" : "tbl"):\($0)'?)" } ?? ""
            let list = pool.isEmpty ? "it has none" : "it has " + pool.prefix(12).joined(separator: ", ") + (pool.count > 12 ? ", …" : "")
            return ReportDiagnostic(file: file, line: ref.line, message: "unknown cross-reference '@\(ref.key)': no \(isFigure ? "figure" : "table") "
                + "with id '\(id)' in this report\(hint); \(list)" + (failed ? " (a directive of this report failed, which may be why)" : ""))
        }
    }

    /// Reads a report's source (line endings normalised, invalid UTF-8 reported at its line); an unreadable file is a
    /// diagnostic at its path.
    func readSource(_ name: String) throws -> (text: String, problems: [ReportDiagnostic]) {
        let sourceURL = project.sourceURL(name)
        do { return ReportSource.decode(try Data(contentsOf: sourceURL), file: project.displayPath(sourceURL)) } catch {
            throw ReportDiagnostic(file: project.displayPath(sourceURL), line: 1, message: "cannot read report: \(error.localizedDescription)")
        }
    }

    /// Computes a report and compares its values with the stored ones, without writing HTML or drawing figures.
    /// Its diagnostics include every page-level problem that `render` would report.
    public func compute(_ name: String) throws -> ReportResult {
        let source = try readSource(name)
        let file = project.displayPath(project.sourceURL(name))
        let parts = assemble(name, source: source.text, file: file, drawFigures: false)
        var result = parts.result
        result.diagnostics = source.problems + result.diagnostics
        // Math KaTeX cannot parse fails `check` as it fails `render`, at the same line.
        if project.buildTimeMath && (PageMath.useNode || mathStoreExists) && PageTemplate.hasClientMath(body: parts.body, footer: "") {
            let formulas = PageMath.extract(parts.body).formulas
            do {
                if let typeset = try buildTimeMath(formulas, page: file) {
                    result.diagnostics += Self.mathProblems(formulas, typeset, source: source.text, proseMath: parts.proseMath, file: file)
                }
            } catch {
                project.log("warning: \(error); math is not checked")
            }
        }
        return result
    }

    static func title(of source: String, fallback: String) -> String {
        for line in source.split(separator: "\n") where line.hasPrefix("# ") {
            return String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces)
        }
        return fallback
    }

    /// Renders one report to `site/<name>.html`, with figures under `figures/<name>/`.
    /// Holds the output tree's lock (`site/.render.lock`, `OutputLock`) throughout, so concurrent renders into one
    /// tree take turns; a lock file that cannot be opened is an error.
    public func render(_ name: String) throws -> ReportResult {
        try OutputLock.withLock(in: project.siteFolder, warn: project.log) { try renderLocked(name) }
    }

    /// Renders every named report, in order, whatever happens to one of them: a report that cannot be read or whose
    /// page cannot be written is a result with the error at its path (its page shows the error when it can be written),
    /// and the later reports and the index are still written. Callers exit non-zero when any result has diagnostics.
    /// The output lock is held from the first page to the index, so that a concurrent render into the same tree
    /// cannot leave pages of one version beside an index of another; a lock that cannot be taken fails every report
    /// (nothing is written).
    public func renderAll(_ names: [String]) -> (results: [ReportResult], indexProblem: ReportDiagnostic?) {
        do {
            return try OutputLock.withLock(in: project.siteFolder, warn: project.log) { renderAllLocked(names) }
        } catch {
            let d = ReportDiagnostic(file: project.displayPath(project.siteFolder.appendingPathComponent(".render.lock")), line: 1,
                                     message: "cannot render: \(error)")
            project.log(d.description)
            return (names.map { Self.failed($0, d) }, d)
        }
    }

    private func renderAllLocked(_ names: [String]) -> (results: [ReportResult], indexProblem: ReportDiagnostic?) {
        var results = [ReportResult]()
        for name in names {
            do { results.append(try renderLocked(name)) } catch {
                let d = (error as? ReportDiagnostic)
                    ?? ReportDiagnostic(file: project.displayPath(project.sourceURL(name)), line: 1, message: "cannot render: \(error)")
                project.log(d.description)
                results.append(Self.failed(name, d))
            }
        }
        reportStaleMath(names)
        do { try writeIndexLocked(results); return (results, nil) } catch {
            let d = ReportDiagnostic(file: project.displayPath(project.siteFolder.appendingPathComponent("index.html")), line: 1,
                                     message: "cannot write the index: \(error)")
            project.log(d.description)
            return (results, d)
        }
    }

    /// Removes temp files that killed renders left in the folders a render of `name` writes (`StaleTempFiles`).
    private func sweepStaleTempFiles(_ name: String?) {
        let assets = project.siteFolder.appendingPathComponent("assets")
        var folders = [project.siteFolder, project.siteFolder.appendingPathComponent("source"), assets]
        // The shared assets' folders (assets/katex, assets/katex/fonts).
        if let e = FileManager.default.enumerator(at: assets, includingPropertiesForKeys: [.isDirectoryKey]) {
            for case let u as URL in e where (try? u.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true { folders.append(u) }
        }
        if let name {
            folders += [project.figuresFolder.appendingPathComponent(name),
                        project.siteFolder.appendingPathComponent("figures").appendingPathComponent(name)]
        }
        for f in folders {
            for n in StaleTempFiles.sweep(f) { project.log("removed \(project.displayPath(f.appendingPathComponent(n))), left by a killed render") }
        }
    }

    /// The result of a report that could not be computed at all.
    static func failed(_ name: String, _ d: ReportDiagnostic) -> ReportResult {
        ReportResult(name: name, title: name, scalars: [], diagnostics: [d], checks: [], hasStoredValues: false)
    }

    private func renderLocked(_ name: String) throws -> ReportResult {
        sweepStaleTempFiles(name)
        let source: (text: String, problems: [ReportDiagnostic])
        do { source = try readSource(name) } catch {
            // An unreadable report still gets a page that says so.
            let d = (error as? ReportDiagnostic) ?? ReportDiagnostic(file: project.displayPath(project.sourceURL(name)), line: 1, message: "\(error)")
            let result = Self.failed(name, d)
            let page = finishPage(title: name, body: HTMLBlocks.error(d), footer: Provenance.common(root: project.root), nav: siteLinks(name),
                                  source: "", file: d.file).html
            try writeAssets()
            try AtomicFile.writeIfChanged(Data(page.utf8), to: project.siteFolder.appendingPathComponent("\(name).html"))
            project.log(d.description)
            return result
        }
        let (result, page) = self.page(name, source: source)
        try writeAssets()
        // The report's Markdown beside its page (linked from it as its source).
        try AtomicFile.writeIfChanged(Data(source.text.utf8), to: project.siteFolder.appendingPathComponent(Self.sourceHref(name)))
        try AtomicFile.writeIfChanged(Data(page.utf8), to: project.siteFolder.appendingPathComponent("\(name).html"))
        for p in result.diagnostics { project.log(p.description) }
        return result
    }

    /// The page of a report from its decoded source (no HTML written; figures drawn unless `figureStub`).
    func page(_ name: String, source: (text: String, problems: [ReportDiagnostic])) -> (ReportResult, String) {
        let parts = pagePartsAndMath(name, source: source)
        var result = parts.result, body = parts.body
        let footer = parts.footer, file = project.displayPath(project.sourceURL(name))
        let (html, mathProblems) = finishPage(title: result.title, body: body, footer: footer, nav: siteLinks(name), source: source.text,
                                              file: file, proseMath: parts.proseMath)
        if mathProblems.isEmpty { return (result, html) }
        // A formula KaTeX cannot parse is bad input: an error at its line, and in a box at the top of the page.
        result.diagnostics += mathProblems
        body = mathProblems.map(HTMLBlocks.error).joined() + body
        return (result, finishPage(title: result.title, body: body, footer: footer, nav: siteLinks(name), source: source.text, file: file).html)
    }

    /// An error for each formula KaTeX could not typeset, at its line: the line of the prose's math span with that TeX
    /// (the first such span), else the first line of `source` holding the formula's first line, else line 1 (math in
    /// analysis output). `check` and `render` report the same lines.
    static func mathProblems(_ formulas: [PageMath.Formula], _ typeset: [(html: String, error: String?)], source: String,
                             proseMath: [ProseTransform.Math], file: String) -> [ReportDiagnostic] {
        var problems = [ReportDiagnostic]()
        var lines: [Substring]? = nil
        for (f, t) in zip(formulas, typeset) {
            guard let error = t.error else { continue }
            var line = proseMath.first { $0.tex == f.tex && $0.display == f.display && $0.line > 0 }?.line
            if line == nil {
                if lines == nil { lines = source.split(separator: "\n", omittingEmptySubsequences: false) }
                let needle = f.tex.split(separator: "\n").first.map(String.init) ?? f.tex
                line = lines!.firstIndex { $0.contains(needle) }.map { $0 + 1 }
            }
            problems.append(ReportDiagnostic(file: file, line: line ?? 1, message: "math: KaTeX cannot typeset '\(f.tex)': \(error)"))
        }
        return problems
    }

    /// Writes the shared assets (`site/assets/`) that pages link; self-contained pages need none.
    func writeAssets() throws {
        if !project.selfContained { try PageTemplate.writeAssets(to: project.siteFolder) }
    }

    /// A complete page. Its math is typeset now (MathML, `PageMath`) when `project.buildTimeMath` and Node with KaTeX
    /// are available; otherwise, or when Node fails (a warning), KaTeX typesets it in the browser. Returns the page and
    /// an error for each formula KaTeX cannot parse, at the first line of `source` holding the formula (line 1 for
    /// formulas in analysis output).
    func finishPage(title: String, body: String, footer: String, nav: String, source: String, file: String,
                    proseMath: [ProseTransform.Math] = [])
        -> (html: String, problems: [ReportDiagnostic]) {
        var body = body, footer = footer, clientMath = true, problems = [ReportDiagnostic]()
        if project.buildTimeMath && (PageMath.useNode || mathStoreExists) && PageTemplate.hasClientMath(body: body, footer: footer) {
            let separator = "<!-- page footer -->"
            let (marked, formulas) = PageMath.extract(body + separator + footer)
            do {
                if let typeset = try buildTimeMath(formulas, page: file) {
                let parts = PageMath.restore(marked, typeset.map(\.html)).components(separatedBy: separator)
                if parts.count == 2 {
                    body = parts[0]; footer = parts[1]; clientMath = false
                    problems = Self.mathProblems(formulas, typeset, source: source, proseMath: proseMath, file: file)
                }
                }
            } catch {
                project.log("warning: \(error); math is left to KaTeX in the browser")
            }
        }
        let html = PageTemplate.page(title: title, body: body, footer: footer, nav: nav, selfContained: project.selfContained,
                                     clientMath: clientMath)
        return (html, problems)
    }

    var mathStoreURL: URL { MathStore.url(in: project.reportsFolder) }
    var mathStoreExists: Bool { FileManager.default.fileExists(atPath: mathStoreURL.path) }

    /// A page's formulas typeset at build time: by Node (and recorded in the math store when it is kept, `MathStore`),
    /// or without Node from the store when it holds every formula. Nil: the page leaves its math to the browser (a
    /// warning names the formulas the store lacks).
    func buildTimeMath(_ formulas: [PageMath.Formula], page: String) throws -> [(html: String, error: String?)]? {
        mathUsage.add(formulas)
        if PageMath.useNode {
            let typeset = try PageMath.typeset(formulas, cacheFolder: project.cacheFolder)
            if MathStore.updating(mathStoreURL) {
                do {
                    try MathStore.modify(mathStoreURL, lockFolder: project.cacheFolder, katex: PageMath.katexHash) { $0.record(formulas, typeset) }
                } catch { project.log("warning: cannot update \(project.displayPath(mathStoreURL)): \(error)") }
            }
            return typeset
        }
        guard let store = MathStore.load(mathStoreURL, warn: project.log) else { return nil }
        let (typeset, missing) = store.lookup(formulas)
        if let typeset { return typeset }
        let first = missing[0].tex.count > 60 ? String(missing[0].tex.prefix(60)) + "…" : missing[0].tex
        project.log("warning: \(page): \(missing.count) of \(formulas.count) formula(s) not in \(project.displayPath(mathStoreURL)) "
                    + "(first: '\(first)'); its math is left to KaTeX in the browser (render once with Node to add them)")
        return nil
    }

    /// After a render of every report: the store's entries no page used are reported, and with Node (which typeset
    /// every page now) removed, so the store holds exactly the site's formulas.
    func reportStaleMath(_ names: [String]) {
        guard let all = try? project.reportNames(), Set(names) == Set(all), let store = MathStore.load(mathStoreURL) else { return }
        let stale = store.stale(used: mathUsage.used)
        guard !stale.isEmpty else { return }
        let first = stale[0].tex.count > 60 ? String(stale[0].tex.prefix(60)) + "…" : stale[0].tex
        if PageMath.useNode && store.katex == PageMath.katexHash {
            do {
                try MathStore.modify(mathStoreURL, lockFolder: project.cacheFolder, katex: PageMath.katexHash) { s in
                    for f in stale { if f.display { s.display[f.tex] = nil } else { s.inline[f.tex] = nil } }
                }
                project.log("math store: removed \(stale.count) stale entr\(stale.count == 1 ? "y" : "ies") no page uses (first: '\(first)')")
            } catch { project.log("warning: cannot update \(project.displayPath(mathStoreURL)): \(error)") }
        } else {
            project.log("math store: \(stale.count) stale entr\(stale.count == 1 ? "y" : "ies") no page uses (first: '\(first)'); "
                        + "a render of every report with Node removes them")
        }
    }

    /// The index, previous and next links of a report's page (reports in name order, as the index lists them).
    func siteLinks(_ name: String) -> String {
        let names = (try? project.reportNames()) ?? [name]
        let reports = names.map { n -> (name: String, title: String) in
            let source = (try? String(contentsOf: project.sourceURL(n), encoding: .utf8)) ?? ""
            return (n, Self.title(of: source, fallback: n))
        }
        return PageNavigation.siteLinks(current: name, reports: reports)
    }

    /// Where a report's Markdown source is published, relative to the site folder.
    static func sourceHref(_ name: String) -> String { "source/\(name).md" }

    /// `target` relative to the folder `base` (both file URLs), with `/` separators, e.g. `../figures/000-retina`.
    static func relativePath(from base: URL, to target: URL) -> String {
        let b = base.standardizedFileURL.pathComponents, t = target.standardizedFileURL.pathComponents
        var k = 0
        while k < b.count && k < t.count && b[k] == t[k] { k += 1 }
        let parts = Array(repeating: "..", count: b.count - k) + t[k...]
        return parts.isEmpty ? "." : parts.map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? $0 }.joined(separator: "/")
    }

    /// The report-specific parts of its page: body and footer (the template around them is fixed).
    func pageParts(_ name: String, source: (text: String, problems: [ReportDiagnostic])) -> (ReportResult, String, String) {
        let p = pagePartsAndMath(name, source: source)
        return (p.result, p.body, p.footer)
    }

    /// `pageParts` and the prose's math spans (for the lines of math errors).
    func pagePartsAndMath(_ name: String, source: (text: String, problems: [ReportDiagnostic]))
        -> (result: ReportResult, body: String, footer: String, proseMath: [ProseTransform.Math]) {
        var (result, body, footerRows, proseMath) = assemble(name, source: source.text, file: project.displayPath(project.sourceURL(name)), drawFigures: true)
        result.diagnostics = source.problems + result.diagnostics
        body = source.problems.map(HTMLBlocks.error).joined() + body
        if project.profile != Profiles.laptop {
            body = "<p class=\"profile-banner\"><strong>Profile: \(HTML.escape(project.profile))</strong> — rendered with "
                + "<code>--profile \(HTML.escape(project.profile))</code>: every run block's <code>profile.\(HTML.escape(project.profile)).*</code> "
                + "lines replace its laptop-scale parameters (the paper's own settings); values are checked against "
                + "<code>\(HTML.escape(project.valuesURL(name).lastPathComponent))</code>.</p>\n" + body
        }
        return (result, body, Provenance.footer(rows: footerRows, result: result, root: project.root), proseMath)
    }

    /// Writes `site/index.html` listing every report in the reports folder with its check status at its last render
    /// (statuses of reports not rendered by this command are kept in `.cache/index-status.json`), under the output
    /// lock, so that two renders cannot interleave their reads and writes of the statuses or the page.
    public func writeIndex(_ results: [ReportResult]) throws {
        try OutputLock.withLock(in: project.siteFolder, warn: project.log) { try writeIndexLocked(results) }
    }

    private func writeIndexLocked(_ results: [ReportResult]) throws {
        sweepStaleTempFiles(nil)
        let statusURL = project.cacheFolder.appendingPathComponent(project.profile == Profiles.laptop ? "index-status.json" : "index-status.\(project.profile).json")
        var entries = (try? JSONDecoder().decode([String: IndexEntry].self, from: Data(contentsOf: statusURL))) ?? [:]
        for r in results { entries[r.name] = IndexEntry(r) }
        let names = (try? project.reportNames()) ?? results.map(\.name)
        entries = entries.filter { names.contains($0.key) }
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.writeIfChanged(try enc.encode(entries), to: statusURL)

        var body = "<h1>Paper replications</h1>\n<div class=\"table-wrap\"><table><caption>Reports at their last render: how many compare rows agree with the paper "
            + "(|Δ| ≤ 2σ), agree only within a tolerance justified by the paper's precision, or differ; the status of the "
            + "stored-value regression check (which guards our numbers, not the paper's claims); and the compute time of the "
            + "directives.</caption>\n"
        body += "<tr><th>Report</th><th>Agrees</th><th>Within tolerance</th><th>Differs</th><th>Values</th><th>Stored-value check</th><th>Compute time</th></tr>\n"
        for name in names.sorted() {
            let source = (try? String(contentsOf: project.sourceURL(name), encoding: .utf8)) ?? ""
            let e = entries[name] ?? IndexEntry(name: name, title: Self.title(of: source, fallback: name), values: nil,
                                                status: "not rendered yet", css: "status-none")
            func n(_ x: Int?) -> String { x.map(String.init) ?? "—" }
            body += "<tr><td><a href=\"\(HTML.escape(name)).html\">\(HTML.escape(e.title))</a></td>"
                + "<td>\(n(e.tally?.agrees))</td><td>\(n(e.tally?.withinTolerance))</td><td>\(n(e.tally?.differs))</td>"
                + "<td>\(n(e.values))</td><td><span class=\"\(e.css)\">\(HTML.escape(e.status))</span></td>"
                + "<td>\(e.seconds.map { String(format: "%.1f s", $0) } ?? "—")</td></tr>\n"
        }
        body += "</table></div>\n"
        let page = finishPage(title: "Paper replications", body: body, footer: Provenance.common(root: project.root), nav: "",
                              source: "", file: "index.html").html
        try writeAssets()
        try AtomicFile.writeIfChanged(Data(page.utf8), to: project.siteFolder.appendingPathComponent("index.html"))
    }
}

/// A report's line in the index page, remembered between renders.
struct IndexEntry: Codable, Equatable {
    var name: String
    var title: String
    var values: Int?
    var status: String
    var css: String
    var tally: VerdictTally?
    var seconds: Double?

    init(name: String, title: String, values: Int?, status: String, css: String) {
        self.name = name; self.title = title; self.values = values; self.status = status; self.css = css
    }

    init(_ r: ReportResult) {
        name = r.name; title = r.title; values = r.scalars.count; tally = r.tally; seconds = r.computeSeconds
        if !r.diagnostics.isEmpty { status = "fail: \(r.diagnostics.count) error(s)"; css = "status-fail" }
        else if !r.hasStoredValues { status = "no stored values"; css = "status-none" }
        else if r.passed { status = "values match"; css = "status-pass" }
        else { status = "fail: \(r.checks.filter { $0.status != .ok }.count) value(s) differ"; css = "status-fail" }
    }
}

extension ParameterError {
    /// The message without its "line N: " prefix, for a diagnostic that already sits at that line
    /// ("reports/t.md:7: parameter 'rhoo': unknown parameter…", not "…:7: line 7: parameter…").
    var unlocatedDescription: String { line == nil ? description : (key.map { "parameter '\($0)': " } ?? "") + message }
}
