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
    /// The cross-validated 2^K-state lookup table (`CodingCostSweep.lookupTable`): mean and sd of its test-set C.
    public var lookupTestMean: Double = .nan
    public var lookupTestSD: Double = .nan
    /// The expected finite-sample floor of the held-out C: the mean test-set C of the lookup table when the data are
    /// drawn from the all-data lookup table itself (the true model known, so C > 0 only from finite train and test
    /// sets; `CodingCostSweep.expectedFloor`), and the same for the true model itself (no fit: the test-set term only).
    public var floorLookup: Double = .nan
    public var floorTrueModel: Double = .nan
}

public enum CodingCostSweep {
    public static func run(_ counts: RepeatCounts, partners k: Int, orders: [Int], splits: Int, trainFraction: Double,
                           ridge: Double, rng: inout Xoshiro256) throws -> CodingCostResult {
        let models = orders.map { SeriesExpansion(partners: k, order: $0) }
        let all = counts.joint()
        let full = try fullCosts(all, partners: k, orders: orders, ridge: ridge)
        var tests = [[Double]](repeating: [], count: models.count)
        var lookup = [Double](), floorL = [Double](), floorT = [Double]()
        let nTrain = Int((Double(counts.repeats) * trainFraction).rounded())
        let truth = lookupTable(all).map { 1 / (1 + exp(-$0)) }
        var simRNG = rng.child(77)
        for _ in 0..<splits {
            let perm = rng.permutation(counts.repeats)
            let train = counts.joint(repeats: Array(perm[..<nTrain])), test = counts.joint(repeats: Array(perm[nTrain...]))
            let ind = try SeriesExpansion(partners: k, order: 1).fit(train, ridge: ridge)
            for (i, m) in models.enumerated() {
                tests[i].append(SeriesExpansion.codingCost(approx: try m.fit(train, ridge: ridge), independent: ind, on: test))
            }
            lookup.append(SeriesExpansion.codingCost(approx: lookupTable(train), independent: ind, on: test))
            let f = expectedFloor(truth: truth, train: train, test: test, draws: 2, rng: &simRNG)
            floorL.append(f.lookup); floorT.append(f.trueModel)
        }
        var result = CodingCostResult(parameters: models.map(\.parameterCount), full: full,
                                      testMean: tests.map(Stats.mean),
                                      testSD: tests.map { $0.count > 1 ? Stats.standardDeviation($0) : 0 })
        result.lookupTestMean = Stats.mean(lookup)
        result.lookupTestSD = lookup.count > 1 ? Stats.standardDeviation(lookup) : 0
        result.floorLookup = Stats.mean(floorL)
        result.floorTrueModel = Stats.mean(floorT)
        return result
    }

    /// C of each truncation fitted and evaluated on the same joint distribution (the "all data" cost of Eq 9).
    public static func fullCosts(_ joint: BinaryJoint, partners k: Int, orders: [Int], ridge: Double) throws -> [Double] {
        let ind = try SeriesExpansion(partners: k, order: 1).fit(joint, ridge: ridge)
        return try orders.map { SeriesExpansion.codingCost(approx: try SeriesExpansion(partners: k, order: $0).fit(joint, ridge: ridge),
                                                            independent: ind, on: joint) }
    }

    /// Random-halves error of the all-data C per order: `fullCosts` on both halves of `splits` random halvings of the
    /// repeats, error = sd of the half values (`Resampling.halvesError`, no /√2). The sd over train/test splits
    /// (`testSD`) is the spread of a held-out cost, not the error of the all-data one.
    public static func fullCostHalvesError(_ counts: RepeatCounts, partners k: Int, orders: [Int], splits: Int, ridge: Double,
                                           rng: inout Xoshiro256) -> [Double] {
        HalvesErrors.run(count: counts.repeats, splits: splits, rng: &rng) { half in
            (try? fullCosts(counts.joint(repeats: half), partners: k, orders: orders, ridge: ridge)) ?? orders.map { _ in .nan }
        }.errors
    }

    /// The full lookup table over the 2^K states (2^K parameters): ĥ(x) = ln((n1 + a p̄)/(n0 + a(1 − p̄))), each
    /// state's field shrunk by `pseudoCount` a to the overall rate p̄ (an unseen state gets the independent field).
    public static func lookupTable(_ j: BinaryJoint, pseudoCount a: Double = 1) -> [Double] {
        let t1 = j.n1.reduce(0, +), t = j.total
        let p = t > 0 ? min(max(t1 / t, 1e-9), 1 - 1e-9) : 0.5
        return (0..<j.size).map { log((j.n1[$0] + a * p) / (j.n0[$0] + a * (1 - p))) }
    }

    /// Expected held-out C when the model is known: σ0 redrawn in every state x of the train and test sets (their
    /// state counts kept) from P(σ0 = 1|x) = `truth[x]`; C of the lookup table fitted on the simulated train set, and
    /// C of the true model itself, on the simulated test set, with the independent code fitted on the simulated train
    /// set; mean over `draws`. Since the test set's own plug-in entropy is L_min, even the true model has C > 0: that
    /// is the floor, of order (states)/(2 N_test ln 2) over (L_ind − L_min), plus the fitting term for the table.
    public static func expectedFloor(truth: [Double], train: BinaryJoint, test: BinaryJoint, draws: Int,
                                     rng: inout Xoshiro256) -> (lookup: Double, trueModel: Double) {
        let h = truth.map { log(max($0, 1e-12) / max(1 - $0, 1e-12)) }
        var l = 0.0, tm = 0.0
        for _ in 0..<draws {
            func redraw(_ j: BinaryJoint) -> BinaryJoint {
                var n0 = [Double](), n1 = [Double]()
                for x in 0..<j.size {
                    let n = Int(j.n0[x] + j.n1[x])
                    let k = Double(binomial(n, truth[x], rng: &rng))
                    n0.append(Double(n) - k); n1.append(k)
                }
                return BinaryJoint(n0: n0, n1: n1)
            }
            let tr = redraw(train), te = redraw(test)
            let t1 = tr.n1.reduce(0, +)
            let h0 = log(max(t1, 0.5) / max(tr.total - t1, 0.5))
            let ind = [Double](repeating: h0, count: truth.count)
            l += SeriesExpansion.codingCost(approx: lookupTable(tr), independent: ind, on: te)
            tm += SeriesExpansion.codingCost(approx: h, independent: ind, on: te)
        }
        return (l / Double(draws), tm / Double(draws))
    }

    /// Binomial draw: inversion (sequential search) when n·min(p, 1 − p) ≤ 30, else the normal approximation
    /// N(np, np(1 − p)) rounded and clamped (its error in the expected plug-in KL is far below the splits' spread).
    static func binomial(_ n: Int, _ p: Double, rng: inout Xoshiro256) -> Int {
        guard n > 0, p > 0 else { return 0 }
        guard p < 1 else { return n }
        let q = min(p, 1 - p)
        let k: Int
        if Double(n) * q <= 30 {
            // Inversion: P(0) = (1 − q)^n, P(j + 1) = P(j) (n − j)/(j + 1) q/(1 − q).
            let u = rng.uniform()
            var pj = pow(1 - q, Double(n)), cdf = pj, j = 0
            while u > cdf && j < n { pj *= Double(n - j) / Double(j + 1) * q / (1 - q); j += 1; cdf += pj }
            k = j
        } else {
            let m = Double(n) * q, sd = (m * (1 - q)).squareRoot()
            k = min(n, max(0, Int((m + sd * rng.normal()).rounded())))
        }
        return p <= 0.5 ? k : n - k
    }
}
