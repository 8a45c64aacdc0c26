import Foundation
import Numerics
import AnalysisKit
import DataFiles

/// Independent groups of scalar elements with a known Gaussian-copula redundancy: element i of group g is
/// x_i(t) = √ρ_g f_g(t) + √(1 − ρ_g) e_i(t), with the group factor f_g and the own terms e_i independent unit-variance
/// AR(1) processes of coefficient φ (τ_int = (1 + φ)/(1 − φ)). Within group g corr(x_i, x_j) = ρ_g, across groups 0,
/// so the true correlation matrix C — and with it every r(A) and the score of every partition — is known exactly.
///
/// The default, a pair with ρ = 0.95 and a group of four with ρ = 0.5, is one where the true partition beats the whole
/// system: r(S) is the entropy-weighted mean of the groups' r, the m = 2 score their plain mean, so the smaller group
/// must be the more redundant one (for equal groups with equal ρ the two tie, report 004's central argument).
public struct GroupedFactorExample: Sendable {
    public let groups: [Int]
    public let rhos: [Double], phi: Double
    public init(groupSizes: [Int] = [2, 4], rhos: [Double] = [0.95, 0.5], phi: Double = 0.9) {
        precondition(groupSizes.count == rhos.count && rhos.allSatisfy { (0..<1).contains($0) })
        groups = groupSizes.enumerated().flatMap { g, k in [Int](repeating: g, count: k) }
        self.rhos = rhos; self.phi = phi
    }
    /// The true correlation matrix C of the n elements.
    public var correlation: Matrix<Double> {
        let n = groups.count
        var c = Matrix<Double>(rows: n, cols: n)
        for i in 0..<n { for j in 0..<n { c[i, j] = i == j ? 1 : (groups[i] == groups[j] ? rhos[groups[i]] : 0) } }
        return c
    }
    /// T samples (rows) × n elements, the processes started from their stationary distribution.
    public func samples(_ T: Int, rng: inout Xoshiro256) -> Matrix<Double> {
        let n = groups.count, k = (groups.max() ?? 0) + 1
        let s = (1 - phi * phi).squareRoot(), a = rhos.map { $0.squareRoot() }, b = rhos.map { (1 - $0).squareRoot() }
        var f = (0..<k).map { _ in rng.normal() }, e = (0..<n).map { _ in rng.normal() }
        var x = Matrix<Double>(rows: T, cols: n)
        for t in 0..<T {
            for i in 0..<n { x[t, i] = a[groups[i]] * f[groups[i]] + b[groups[i]] * e[i] }
            for g in 0..<k { f[g] = phi * f[g] + s * rng.normal() }
            for i in 0..<n { e[i] = phi * e[i] + s * rng.normal() }
        }
        return x
    }
}

/// Delete-one-block jackknife errors over time (Numerics `BlockJackknife`, blocks ≥ 5 τ_int from the pooled
/// τ_int of all columns) of r(S) and of the scores r̄ = (1/m) Σ_j r(A_j) of given hard partitions of one
/// autocorrelated recording: each leave-one-block-out model is rescored on the same labels, so the error is that of
/// the score of a fixed partition (the search that chose the labels is not repeated). Nil errors when fewer than
/// 4 blocks fit. Calibrated in `CompressAnalysisTests.testJackknifeErrorsAreCalibrated`.
public struct RedundancyJackknife: Sendable {
    public let tau: IntegratedAutocorrelation
    public let blocks: Int?
    /// Error of r(S), all elements.
    public let wholeError: Double?
    /// Error of each partition's score, in the order given.
    public let scoreErrors: [Double]?

    public init(data: Matrix<Double>, elementDimension d: Int, authors: Bool = false, partitions: [(labels: [Int], m: Int)]) throws {
        let n = data.cols / d
        tau = IntegratedAutocorrelation(columnsOf: data)
        blocks = BlockJackknife.blocks(samples: data.rows, tau: tau.tau)
        guard let K = blocks else { wholeError = nil; scoreErrors = nil; return }
        let left = try BlockJackknife.leaveOneBlockOut(count: data.rows, blocks: K) { idx -> [Double] in
            let g = try Shared.redundancy(data.selectingRows(idx), elementDimension: d, authors: authors).0
            return [g.relativeRedundancy(Array(0..<n))] + partitions.map { Shared.score(g, labels: $0.labels, m: $0.m) }
        }
        wholeError = BlockJackknife.errorFrom(leaveOut: left.map { $0[0] })
        scoreErrors = partitions.indices.map { k in BlockJackknife.errorFrom(leaveOut: left.map { $0[k + 1] }) }
    }
}

/// collective.compress: the paper's general method on any set of multivariate trajectories — the Gaussian-copula
/// redundancy r(S) of all n elements and the redundancy-compression curve, best r̄(m) = (1/m) Σ_j r(A_j) over hard
/// partitions into m components, with block-jackknife errors over time (blocks ≥ 5 τ_int) on r(S) and on the score
/// of each m's best partition (labels held fixed), and the labels at the peak. `data:` is a samples × (n·d) table
/// (.npy or CSV, element i in columns i·d ..< (i+1)·d); without it, a generated example with a known answer.
enum CompressAnalysis {
    static let descriptor = AnalysisDescriptor(name: "collective.compress",
        summary: "Gaussian-copula redundancy r(S) and redundancy compression (best r̄ vs m, labels) of any samples × (elements·d) table, with block-jackknife errors") { ctx in
        let p = ctx.parameters
        let given = p.raw("data") != nil
        let d = try p.int("element_dimension", default: 1, range: 1...16)
        let inits = try p.int("initialisations", default: 20, range: 1...10000)
        let mcSamples = try p.int("samples", default: 20, range: 1...10000)
        let exactLimit = try p.int("exact_up_to", default: 10, range: 0...15)
        let authors = try Shared.authorsNormalisation(p)
        let seed = UInt64(try p.int("seed", default: 1, range: 0...Int(Int32.max)))
        let length = try p.int("length", default: 4000, range: 200...100_000)
        let name = try Shared.valueTag(p, key: "name", default: given ? "data" : "example")
        let maxMGiven = p.entries["max_components"] != nil || p.probe != nil
        let maxMRaw = maxMGiven ? try p.int("max_components", default: 6, range: 1...20) : nil
        if p.probe == nil {
            if given && p.entries["length"] != nil {
                throw ParameterError(key: "length", line: p.entries["length"]?.line, message: "length sets the generated example's samples; the data: file sets its own")
            }
            if !given && p.entries["element_dimension"] != nil {
                throw ParameterError(key: "element_dimension", line: p.entries["element_dimension"]?.line, message: "the generated example has scalar elements; element_dimension describes a data: file")
            }
        }
        // the data: the user's table, or the generated example (its truth known)
        var data: Matrix<Double>
        var example: GroupedFactorExample? = nil
        if given {
            let url = try ctx.dataFile("data", default: "")
            try p.rejectUnused()
            let table = try NumericTable(contentsOf: url)
            guard table.columns % d == 0 else {
                throw DataFileError(file: url.path, message: "expected samples × (elements · \(d)) columns for element_dimension \(d), found \(table.rows) × \(table.columns)")
            }
            let n = table.columns / d
            guard (2...64).contains(n) else {
                throw DataFileError(file: url.path, message: "expected 2–64 elements of dimension \(d), found \(n) (\(table.rows) × \(table.columns))")
            }
            guard table.rows >= table.columns + 10 else {
                throw DataFileError(file: url.path, message: "expected at least \(table.columns + 10) samples (rows) for \(table.columns) columns, found \(table.rows)")
            }
            data = Matrix(rows: table.rows, cols: table.columns, data: table.values)
        } else {
            try p.rejectUnused()
            let ex = GroupedFactorExample()
            var rng = Xoshiro256(seed: seed).child(0)
            data = ex.samples(length, rng: &rng)
            example = ex
        }
        let n = data.cols / d, T = data.rows
        let maxM = maxMRaw ?? min(6, n)
        guard maxM <= n else {
            throw ParameterError(key: "max_components", line: p.entries["max_components"]?.line, message: "at most the \(n) elements, got \(maxM)")
        }
        let prefix = "collective.compress_\(name)_"
        ctx.progress("\(prefix): \(T) samples × \(n) elements of dimension \(d)")
        let (model, offset) = try Shared.redundancy(data, elementDimension: d, authors: authors)
        let curve = ComponentCurve.compute(model: model, maxComponents: maxM, initialisations: inits, exact: n <= exactLimit,
                                           samples: mcSamples, seed: seed + 1, progress: ctx.progress)
        let rAll = model.relativeRedundancy(Array(0..<n))
        // errors: delete-one-block jackknife over time; each block's model rescored on the same labels
        let jack = try RedundancyJackknife(data: data, elementDimension: d, authors: authors,
                                           partitions: curve.results.enumerated().map { ($1.labels, curve.components[$0]) })
        let tau = jack.tau, K = jack.blocks, rErr = jack.wholeError, curveErr = jack.scoreErrors
        let peakIndex = curve.components.firstIndex(of: curve.peak)!
        let peakLabels = curve.results[peakIndex].labels
        // Deterministic for given data and seed; the last digits follow the BLAS/LAPACK kernel (measured 4.6e-6 on the
        // fish r(S) between an Intel SkylakeX and an AMD Zen kernel, 2026-12-03): 2e-5 guards drift, far below the errors.
        let drift = Tolerance.absolute(2e-5)
        var out = AnalysisOutput()
        out.values.append(Scalar(prefix + "elements", Double(n), significantFigures: 3, tolerance: .absolute(0)))
        out.values.append(Scalar(prefix + "samples", Double(T), significantFigures: 6, tolerance: .absolute(0)))
        out.values.append(Scalar(prefix + "tau", tau.tau, significantFigures: 3, tolerance: drift))
        out.values.append(Scalar(prefix + "ess", tau.effectiveSamples(T), significantFigures: 3, tolerance: .relative(1e-4)))
        out.values.append(Scalar(prefix + "blocks", Double(K ?? 0), significantFigures: 3, tolerance: .absolute(0)))
        out.values.append(Scalar(prefix + "r_all", rAll, error: rErr, significantFigures: 3, tolerance: drift))
        out.values.append(Scalar(prefix + "peak_m", Double(curve.peak), significantFigures: 2, tolerance: .absolute(0)))
        out.values.append(Scalar(prefix + "peak_score", curve.best[peakIndex], error: curveErr?[peakIndex], significantFigures: 3, tolerance: drift))
        var rows: [[String]] = []
        func pm(_ v: Double, _ e: Double?) -> String { e.map { String(format: "%.4f ± %.4f", v, $0) } ?? Shared.fmt(v) }
        for (k, m) in curve.components.enumerated() {
            let r = curve.results[k]
            out.values.append(Scalar(prefix + "best_m\(m)", curve.best[k], error: curveErr?[k], significantFigures: 3, tolerance: drift))
            rows.append(["\(m)", pm(curve.best[k], curveErr?[k]), r.labels.map(String.init).joined(separator: " ")])
        }
        var truthRows: [[String]] = []
        if let ex = example {
            let truth = try GaussianRedundancy(correlation: ex.correlation, elementDimension: 1)
            let trueAll = truth.relativeRedundancy(Array(0..<n))
            let m0 = (ex.groups.max() ?? 0) + 1
            let trueScore = Shared.score(truth, labels: ex.groups, m: m0)
            let agree = m0 <= maxM ? labelAgreement(labels: curve.results[m0 - 1].labels, groups: ex.groups) : .nan
            out.values.append(Scalar(prefix + "r_all_true", trueAll, significantFigures: 4, tolerance: .absolute(1e-12)))
            out.values.append(Scalar(prefix + "groups_score_true", trueScore, significantFigures: 4, tolerance: .absolute(1e-12)))
            if let e = rErr { out.values.append(Scalar(prefix + "r_all_pull", (rAll - trueAll) / e, significantFigures: 2, tolerance: .absolute(1e-3))) }
            if m0 <= maxM, let e = curveErr?[m0 - 1] {
                out.values.append(Scalar(prefix + "groups_score_pull", (curve.best[m0 - 1] - trueScore) / e, significantFigures: 2, tolerance: .absolute(1e-3)))
            }
            out.values.append(Scalar(prefix + "label_agreement", agree, significantFigures: 3, tolerance: .absolute(0)))
            truthRows = [["r(S), all \(n) elements", Shared.fmt(trueAll), pm(rAll, rErr), rErr.map { String(format: "%+.2f", (rAll - trueAll) / $0) } ?? "–"],
                         ["r̄ of the true \(m0) groups (m = \(m0))", Shared.fmt(trueScore),
                          m0 <= maxM ? pm(curve.best[m0 - 1], curveErr?[m0 - 1]) : "–",
                          m0 <= maxM ? (curveErr?[m0 - 1]).map { String(format: "%+.2f", (curve.best[m0 - 1] - trueScore) / $0) } ?? "–" : "–"],
                         ["label agreement with the true groups at m = \(m0)", "1", agree.isNaN ? "–" : Shared.fmt(agree, 3), ""]]
        }
        let errNote = K.map { "± is the delete-one-block jackknife error over time (\($0) blocks of ≥ 5 τ_int; τ_int = \(String(format: "%.1f", tau.tau)) samples, \(String(format: "%.0f", tau.effectiveSamples(T))) effective samples), each block's model rescored on the same labels" }
            ?? "no error: fewer than 4 blocks of 5 τ_int fit (τ_int = \(String(format: "%.1f", tau.tau)) samples of \(T))"
        let source = example == nil ? "the data: file" : "the generated example (independent groups of 2 and 4 scalar elements, within-group correlations ρ = 0.95 and 0.5, AR(1) φ = 0.9, seed \(seed))"
        out.tables.append(Table(id: "compress-\(name)", caption: "Redundancy compression of \(source): best r̄ over hard partitions into m components (\(inits) initialisations, Δd \(n <= exactLimit ? "exact" : "Monte Carlo, \(mcSamples) samples")), \(authors ? "authors' normalisation (offset q = \(Shared.fmt(offset)))" : "Gaussian-copula normalisation"). \(errNote). Labels: the component of each element.",
                                columns: ["m", "best r̄", "labels"], rows: rows))
        if !truthRows.isEmpty {
            out.tables.append(Table(id: "compress-\(name)-truth", caption: "The generated example against its exact values (from the true correlation matrix); pull = (estimate − truth)/error. The estimator's finite-sample bias is positive and of order (variables/samples).",
                                    columns: ["quantity", "exact", "estimate", "pull"], rows: truthRows))
        }
        out.figures.append(Figure(id: "compress-\(name)", caption: "Best average component redundancy r̄ against the number of components m (\(source)); error bars: block jackknife over time.",
                                  altText: "Best r̄ against m, peaking at m = \(curve.peak).",
                                  panels: [Panel(title: "redundancy compression", xLabel: "components m", yLabel: "best r̄",
                                                 series: [Series(label: "best r̄", style: curveErr == nil ? .linesPoints : .errorLines,
                                                                 x: curve.components.map(Double.init), y: curve.best, yError: curveErr)])]))
        out.notes.append("\(T) samples × \(n) elements (d = \(d)), m ≤ \(maxM), \(inits) initialisations, seed \(seed); peak at m = \(curve.peak), labels \(peakLabels.map(String.init).joined(separator: " "))")
        return out
    }
}
