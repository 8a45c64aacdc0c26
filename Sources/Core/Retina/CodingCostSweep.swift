import Foundation
import Numerics

/// Coding cost (Eq 9) of the truncated series expansions for one σ0 and its K partners: on all data (fit and evaluate
/// on everything) and on random train/test splits of the repeats (fit on a fraction, evaluate on the rest).
public struct CodingCostResult: Sendable {
    public var parameters: [Int]
    /// C on all data per order.
    public var full: [Double]
    /// Mean and standard deviation of the test-set C across splits, per order.
    public var testMean: [Double]
    public var testSD: [Double]
}

public enum CodingCostSweep {
    public static func run(_ counts: RepeatCounts, partners k: Int, orders: [Int], splits: Int, trainFraction: Double,
                           ridge: Double, rng: inout Xoshiro256) throws -> CodingCostResult {
        let models = orders.map { SeriesExpansion(partners: k, order: $0) }
        let all = counts.joint()
        let indAll = try SeriesExpansion(partners: k, order: 1).fit(all, ridge: ridge)
        let full = try models.map { SeriesExpansion.codingCost(approx: try $0.fit(all, ridge: ridge), independent: indAll, on: all) }
        var tests = [[Double]](repeating: [], count: models.count)
        let nTrain = Int((Double(counts.repeats) * trainFraction).rounded())
        for _ in 0..<splits {
            let perm = rng.permutation(counts.repeats)
            let train = counts.joint(repeats: Array(perm[..<nTrain])), test = counts.joint(repeats: Array(perm[nTrain...]))
            let ind = try SeriesExpansion(partners: k, order: 1).fit(train, ridge: ridge)
            for (i, m) in models.enumerated() {
                tests[i].append(SeriesExpansion.codingCost(approx: try m.fit(train, ridge: ridge), independent: ind, on: test))
            }
        }
        return CodingCostResult(parameters: models.map(\.parameterCount), full: full,
                                testMean: tests.map(Stats.mean),
                                testSD: tests.map { $0.count > 1 ? Stats.standardDeviation($0) : 0 })
    }
}
