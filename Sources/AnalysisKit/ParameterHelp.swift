import Foundation

extension Array where Element == AnalysisDescriptor {
    /// The descriptors with their parameters' meanings attached: `table[analysis name][parameter key]` is one line of
    /// what the parameter means (units, and how it enters the method), shown by `replicate describe`. Lines under the
    /// name `"*"` hold for every analysis of the table (keys such as `seed` that mean the same throughout a module);
    /// an analysis' own line overrides them.
    /// The `"*"` keys that the analysis' own lines do not override are listed in `moduleWideParameters`: a probe
    /// that does not reach one of them says nothing about whether this analysis reads it.
    public func documented(by table: [String: [String: String]]) -> [AnalysisDescriptor] {
        let common = table["*"] ?? [:]
        return map { d in
            var d = d
            let own = table[d.name] ?? [:]
            d.parameterHelp.merge(common) { _, new in new }
            d.parameterHelp.merge(own) { _, new in new }
            d.moduleWideParameters.formUnion(common.keys.filter { own[$0] == nil })
            return d
        }
    }
}

extension AnalysisDescriptor {
    /// The parameters the analysis reads, found by running it on empty, probing parameters (`ParameterProbe`): it
    /// records each accessor call and stops at `rejectUnused()` or at its first data access. `finished` is false when
    /// the probe was still running after `timeout` seconds (the analysis may read more parameters later).
    public func probeParameters(timeout: Double = 3) -> (items: [ParameterProbe.Item], finished: Bool) {
        let probe = ParameterProbe()
        let context = AnalysisContext(parameters: Parameters(probing: probe), dataset: { _ in throw ParameterProbe.Stop() },
                                      resolveData: { _, _ in throw ParameterProbe.Stop() })
        let done = DispatchSemaphore(value: 0)
        let run = self.run
        Thread.detachNewThread { _ = try? run(context); done.signal() }
        let finished = done.wait(timeout: .now() + timeout) == .success
        return (probe.items, finished)
    }

    /// Documented keys the probe did not reach, which the analysis reads only when they are given (optional data
    /// files, alternative modes), given `probed`, the keys it did reach. Module-wide (`"*"`) keys are left out: a
    /// probe that does not reach one cannot tell "read only when given" from "never read by this analysis".
    public func parametersReadOnlyWhenGiven(probed: Set<String>) -> [String] {
        parameterHelp.keys.filter { !probed.contains($0) && !moduleWideParameters.contains($0) }.sorted()
    }

    /// Keys the probe found that have no line in `parameterHelp` (a test keeps every module's table complete).
    public func undocumentedParameters(timeout: Double = 3) -> [String] {
        probeParameters(timeout: timeout).items.map(\.key).filter { parameterHelp[$0] == nil }
    }
}

extension Array where Element == AnalysisDescriptor {
    /// What is wrong with a module's table of parameter meanings, as messages (empty when complete): a parameter the
    /// probe finds without a line, a probe that does not stop (the analysis starts work before reading and checking
    /// all its parameters) and a table entry for an analysis that does not exist. Each module's tests assert it empty.
    public func parameterHelpProblems(table: [String: [String: String]], timeout: Double = 10) -> [String] {
        var problems = [String]()
        for a in documented(by: table) {
            let (items, finished) = a.probeParameters(timeout: timeout)
            if !finished { problems.append("\(a.name): the probe did not stop within \(timeout) s") }
            let missing = items.map(\.key).filter { a.parameterHelp[$0] == nil }
            if !missing.isEmpty { problems.append("\(a.name): no meaning for \(missing.joined(separator: ", "))") }
        }
        let names = Set(map(\.name))
        for key in table.keys.sorted() where key != "*" && !names.contains(key) {
            problems.append("the table names an unknown analysis \(key)")
        }
        return problems
    }
}
