import AnalysisKit
import DataFiles
import Foundation
import Numerics

extension RMIAnalyses {
    // MARK: general analysis: Ĩ of given features on any samples

    static let features = AnalysisDescriptor(
        name: "rmi.features",
        summary: "Ĩ(x, f(x)) of a user's feature on a user's samples (.npy or CSV): values and gradients given, or PCA / linear / mean features of raw samples",
        run: { ctx in
            let p = ctx.parameters
            let layout = try p.string("layout", default: "feature_gradient")
            guard ["feature_gradient", "samples"].contains(layout) else {
                throw ParameterError(key: "layout", line: p.entries["layout"]?.line, message: "layout must be 'feature_gradient' or 'samples'")
            }
            let dimension = try p.int("dimension", default: 1, range: 1...2)
            let ruleName = try p.string("rule", default: "linear")
            guard let rule = HistogramRule(rawValue: ruleName) else {
                throw ParameterError(key: "rule", line: p.entries["rule"]?.line, message: "rule must be 'linear' or 'hard'")
            }
            let bins = try p.int("bins", default: dimension == 1 ? 100 : 30, range: 3...100_000)
            let splits = try p.int("splits", default: HalvesErrors.defaultSplits, range: 1...500)
            let prefix = try p.string("name", default: "rmi.features")
            let featureName = try p.string("feature", default: "pca")
            let linearWeights = try p.doubles("weights", default: [])
            // The table: a user's file, or (without `data:`) a generated example with a known answer.
            let table: NumericTable
            var source: String
            if p.raw("data") != nil {
                let url = try ctx.dataFile("data", default: "")
                try p.rejectUnused() // seed and samples belong to the generated example only
                table = try NumericTable(contentsOf: url)
                source = url.lastPathComponent
            } else {
                // Example: x ~ N(0, I₂), f = x₁ + 0.3x₁³, a bijection of x₁, so Ĩ = H(x₁) = ½ ln 2πe.
                var rng = Xoshiro256(seed: UInt64(try p.int("seed", default: 7)))
                let n = try p.int("samples", default: 100_000, range: 100...10_000_000)
                try p.rejectUnused()
                var v = [Double]()
                for _ in 0..<n { let a = rng.normal(); _ = rng.normal(); v += [a + 0.3 * a * a * a, 1 + 0.9 * a * a, 0] }
                table = NumericTable(rows: n, columns: 3, values: v)
                source = "generated example f = x₁ + 0.3x₁³ of x ~ N(0, I₂) (exact Ĩ = ½ ln 2πe = 1.4189)"
            }
            let n = table.rows
            guard n >= 10 else { throw ParameterError(key: "data", line: p.entries["data"]?.line, message: "need at least 10 samples, found \(n)") }
            // Every column is read (features and gradients, or the samples' coordinates): a NaN or ±∞ anywhere would
            // reach the histograms' bin index `Int(NaN)` (a trap, or undefined behaviour in an -Ounchecked build), so it
            // is an error naming the file, the row and the column, before anything is allocated (issue 14, audit M1).
            if let at = table.values.firstIndex(where: { !$0.isFinite }) {
                let r = at / table.columns, c = at % table.columns
                let name = table.columnNames.flatMap { c < $0.count ? " ('\($0[c])')" : nil } ?? ""
                let role = layout == "samples" ? "sample coordinate"
                    : c < dimension ? (dimension == 1 ? "feature value" : "feature value f\(c + 1)") : "gradient component"
                throw ParameterError(key: "data", line: p.entries["data"]?.line,
                                     message: "\(source): data row \(r + 1), column \(c)\(name) (\(role)) is \(table.values[at]); rmi.features needs finite values in every column")
            }
            var y1 = [Double](repeating: 0, count: n), y2 = [Double](), logGrad = [Double](repeating: 0, count: n)
            if layout == "feature_gradient" {
                let needed = dimension == 1 ? "1 + N columns (f, ∂f/∂x₁…∂f/∂x_N)" : "2 + 2N columns (f₁, f₂, ∇f₁, ∇f₂)"
                let inputs = dimension == 1 ? table.columns - 1 : (table.columns - 2) / 2
                guard inputs >= 1, dimension == 1 || (table.columns - 2) % 2 == 0 else {
                    throw ParameterError(key: "data", line: p.entries["data"]?.line, message: "\(source): expected \(needed), found \(table.columns) columns")
                }
                if dimension == 2 { y2 = [Double](repeating: 0, count: n) }
                for i in 0..<n {
                    y1[i] = table[i, 0]
                    if dimension == 1 {
                        var q = 0.0
                        for k in 1...inputs { q += table[i, k] * table[i, k] }
                        logGrad[i] = 0.5 * log(q)
                    } else {
                        y2[i] = table[i, 1]
                        let a = (0..<inputs).map { table[i, 2 + $0] }, b = (0..<inputs).map { table[i, 2 + inputs + $0] }
                        logGrad[i] = RenormalizedMI.logGramRoot(a, b)
                    }
                }
            } else {
                guard dimension == 1 else { throw ParameterError(key: "dimension", line: nil, message: "layout 'samples' makes 1-D features") }
                let d = table.columns
                var axis: [Double]
                switch featureName {
                case "pca":
                    let rowsArray = (0..<n).map { i in (0..<d).map { table[i, $0] } }
                    let (_, vecs) = try Matrix(rowsArray).covariance().symmetricEigen()
                    axis = vecs.column(d - 1)
                case "linear":
                    guard linearWeights.count == d else {
                        throw ParameterError(key: "weights", line: p.entries["weights"]?.line, message: "need \(d) weights, one per column; found \(linearWeights.count)")
                    }
                    axis = linearWeights
                case "mean": axis = [Double](repeating: 1 / Double(d), count: d)
                default: throw ParameterError(key: "feature", line: p.entries["feature"]?.line, message: "feature must be 'pca', 'linear' or 'mean'")
                }
                let norm = 0.5 * log(axis.reduce(0) { $0 + $1 * $1 })
                for i in 0..<n {
                    var s = 0.0
                    for k in 0..<d { s += axis[k] * table[i, k] }
                    y1[i] = s; logGrad[i] = norm
                }
                source += ", feature \(featureName)"
            }
            guard logGrad.allSatisfy({ $0.isFinite }) else {
                throw ParameterError(key: "data", line: p.entries["data"]?.line, message: "\(source): a gradient is zero (or the Jacobian singular) at some sample; Ĩ is −∞ there")
            }
            // Random-halves errors (`splits` partitions) for every bin choice.
            func estimate(_ b: Int) -> RMIEstimate {
                dimension == 1 ? RenormalizedMI.estimate(values: y1, logGradient: logGrad, bins: b, rule: rule, splits: splits)
                               : RenormalizedMI.estimate2D(y1, y2, logGradient: logGrad, bins: b, rule: rule, splits: splits)
            }
            let choices = [max(3, bins / 3), bins, 3 * bins]
            let all = choices.map(estimate)
            let main = all[1]
            let table2 = Table(id: "features-\(prefix)",
                               caption: "Ĩ of the feature on \(n) samples (\(source)); \(dimension)-D, \(rule.rawValue) histogram. Errors: random-halves standard errors (\(splits) partitions) for i.i.d. samples (calibrated in the tests).",
                               columns: ["bins", "Ĩ (nats)", "H(y) (nats)", "⟨ln √det(∇f·∇f)⟩"],
                               rows: zip(choices, all).map { ["\($0)", ValueText.pm($1.value, $1.error), ValueText.pm($1.entropy, $1.entropyError), String(format: "%.4f", $1.logGradient)] })
            let spread = SystematicSpread(low: all.map(\.value).min()!, high: all.map(\.value).max()!,
                                          over: "bins \(choices.map(String.init).joined(separator: ", "))")
            return AnalysisOutput(tables: [table2], values: [
                Scalar("\(prefix)_value", main.value, error: main.error, significantFigures: 4, unit: "nats", systematic: spread),
                Scalar("\(prefix)_entropy", main.entropy, error: main.entropyError, significantFigures: 4, unit: "nats"),
                Scalar("\(prefix)_samples", Double(n), significantFigures: 6),
            ], notes: [source])
        })
}
