import AnalysisKit
import DataFiles
import Foundation
import Numerics

/// `mine.copula_mi`: the Gaussian-copula mutual information I(X;Y) between two columns of a table of numbers (CSV or
/// .npy, samples in rows), in bits: each column is mapped to Φ⁻¹(rank/(n+1)) and I = −½ log₂(1 − ρ²) of the
/// transformed pair, a lower bound on the MI for any monotone marginals. Its error is the spread over random halves
/// (`Resampling.randomHalves`, the project's calibrated rule).
public enum CopulaMI {
    public static let descriptor = AnalysisDescriptor(
        name: "mine.copula_mi",
        summary: "Gaussian-copula MI (bits) between two columns of a table (data: path or manifest id; x, y: 0-based columns)") { ctx in
        let p = ctx.parameters
        let url = try ctx.dataFile("data", default: "")
        let x = try p.int("x", default: 0, range: 0...100_000)
        let y = try p.int("y", default: 1, range: 0...100_000)
        let splits = try p.int("splits", default: 20, range: 1...10_000)
        let seed = try p.int("seed", default: 1, range: 0...Int(Int32.max))
        let table = try NumericTable(contentsOf: url)
        for (key, c) in [("x", x), ("y", y)] where c >= table.columns {
            throw ParameterError(key: key, line: p.entries[key]?.line,
                                 message: "column \(c) is out of range: \(url.lastPathComponent) has \(table.columns) column(s)")
        }
        guard table.rows >= 8 else {
            throw AnalysisFailure("\(url.lastPathComponent) has \(table.rows) rows; the copula MI needs at least 8")
        }
        let a = table.column(x), b = table.column(y)
        func mi(_ rows: [Int]) throws -> Double {
            let m = Matrix(rows: rows.count, cols: 2, data: rows.flatMap { [a[$0], b[$0]] })
            return try GaussianInformation.mutualInformation(GaussianInformation.copula(columnsOf: m).covariance(),
                                                              [0], [1], unit: .bits)
        }
        var rng = Xoshiro256(seed: UInt64(seed))
        let full = try mi(Array(0..<table.rows))
        let halves = try Resampling.randomHalves(count: table.rows, splits: splits, rng: &rng, statistic: mi)
        return AnalysisOutput(values: [Scalar("mine.copula_mi", full, error: halves.error, significantFigures: 3, unit: "bits"),
                                       Scalar("mine.rows", Double(table.rows), significantFigures: 4)],
                              notes: ["mine.copula_mi: columns \(x) and \(y) of \(url.lastPathComponent), \(table.rows) rows, error from \(splits) random-half splits"])
    }
}

/// One line of meaning per parameter, printed by `my-replicate describe mine.copula_mi`.
let parameterHelp: [String: [String: String]] = [
    "mine.copula_mi": [
        "data": "CSV table of numbers: a path relative to the report, or a manifest id",
        "x": "0-based column of the first variable",
        "y": "0-based column of the second variable",
        "splits": "random halves for the standard error",
        "seed": "seed of the random halves",
    ],
]

/// Every analysis of this package, with the module's code identity for the result cache and its parameters' meanings.
public let myAnalyses = [CopulaMI.descriptor].identified(by: MyAnalysesSourceIdentity.hash).documented(by: parameterHelp)
