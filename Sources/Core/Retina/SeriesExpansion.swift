import Foundation
import Numerics

/// The series expansion of the effective field, Eq (2), truncated at a given order: order 1 keeps h0, order 2 adds the
/// pairwise couplings J⁽²⁾_{0j}, order k adds all products of k − 1 partner spins. For K = 8 partners the parameter
/// counts are 1, 9, 37, 93, 163 for orders 1…5. Fitted by maximum likelihood (= minimum code length, Eq 8) with
/// Newton's method on the pattern counts and a weak ridge on the couplings.
public struct SeriesExpansion: Sendable {
    public let partners: Int
    public let order: Int
    /// The subsets of partners (bit masks) whose product is a feature; the empty set is h0.
    public let terms: [Int]
    public var parameterCount: Int { terms.count }

    public init(partners k: Int, order: Int) {
        precondition(k >= 1 && k <= 16 && order >= 1)
        partners = k; self.order = order
        terms = (0..<(1 << k)).filter { $0.nonzeroBitCount <= order - 1 }
            .sorted { ($0.nonzeroBitCount, $0) < ($1.nonzeroBitCount, $1) }
    }

    /// Design matrix over all 2^K states: X[x, t] = ∏_{j ∈ terms[t]} σ_j(x).
    func design() -> Matrix<Double> {
        var x = Matrix<Double>(rows: 1 << partners, cols: terms.count)
        for s in 0..<(1 << partners) { for (t, mask) in terms.enumerated() where s & mask == mask { x[s, t] = 1 } }
        return x
    }

    /// Maximum-likelihood fit to counts over the 2^K states; returns ĥ_eff for every state (nats).
    public func fit(_ joint: BinaryJoint, ridge: Double = 1.0, maxIterations: Int = 30) throws -> [Double] {
        precondition(joint.size == 1 << partners)
        let x = design()
        let ns = (0..<joint.size).map { joint.n0[$0] + joint.n1[$0] }
        let total = ns.reduce(0, +), ones = joint.n1.reduce(0, +)
        guard total > 0 else { throw RetinaError("no samples to fit the series expansion") }
        let p = x.cols
        var beta = [Double](repeating: 0, count: p)
        beta[0] = log(max(ones, 0.5) / max(total - ones, 0.5))
        func fields(_ b: [Double]) -> [Double] { Matrix.product(x, Matrix(rows: p, cols: 1, data: b)).data }
        // Penalised log-likelihood (nats); Newton steps are halved until it increases.
        func objective(_ b: [Double]) -> Double {
            let h = fields(b)
            var l = 0.0
            for s in 0..<joint.size where ns[s] > 0 {
                let sp = h[s] > 0 ? h[s] + log1p(exp(-h[s])) : log1p(exp(h[s]))
                l += joint.n1[s] * h[s] - ns[s] * sp
            }
            for t in 1..<p { l -= 0.5 * ridge * b[t] * b[t] }
            return l
        }
        var current = objective(beta)
        for _ in 0..<maxIterations {
            let h = fields(beta)
            var grad = [Double](repeating: 0, count: p)
            var xw = x
            for s in 0..<joint.size {
                let mu = 1 / (1 + exp(-h[s]))
                let r = joint.n1[s] - ns[s] * mu
                let w = (ns[s] * mu * (1 - mu)).squareRoot()
                for t in 0..<p {
                    let v = x[s, t]
                    if v != 0 { grad[t] += v * r }
                    xw[s, t] = v * w
                }
            }
            var hess = Matrix.product(xw, transA: true, xw)
            for t in 1..<max(p, 1) { grad[t] -= ridge * beta[t]; hess[t, t] += ridge }
            hess[0, 0] += 1e-9
            let step = try hess.solve(grad)
            var scale = 1.0, accepted = false, trial = beta, value = current
            for _ in 0..<40 {
                trial = (0..<p).map { beta[$0] + scale * step[$0] }
                value = objective(trial)
                if value >= current - 1e-12 * abs(current) { accepted = true; break }
                scale /= 2
            }
            if !accepted { break }
            let maxStep = (0..<p).reduce(0.0) { max($0, abs(scale * step[$1])) }
            beta = trial
            let gain = value - current
            current = value
            if maxStep < 1e-6 || gain < 1e-10 * max(1, abs(current)) { break }
        }
        return Matrix.product(x, Matrix(rows: p, cols: 1, data: beta)).data
    }

    /// Mean code length (bits per sample) of σ0 under the model ĥ, Eq (8), evaluated on `joint`.
    public static func codeLength(_ h: [Double], on joint: BinaryJoint) -> Double {
        var s = 0.0
        for x in 0..<joint.size where joint.n0[x] + joint.n1[x] > 0 {
            let softplus = h[x] > 0 ? h[x] + log1p(exp(-h[x])) : log1p(exp(h[x]))
            s += -joint.n1[x] * h[x] + (joint.n0[x] + joint.n1[x]) * softplus
        }
        return s / joint.total / log(2)
    }

    /// The coding cost C = (L_approx − L_min)/(L_ind − L_min), Eq (9): L_min is the conditional entropy H(σ0|{σj}) of
    /// the evaluation data (plug-in), L_ind the code length of the independent model ĥ = h0.
    public static func codingCost(approx: [Double], independent: [Double], on joint: BinaryJoint) -> Double {
        let lmin = conditionalEntropy(joint)
        return (codeLength(approx, on: joint) - lmin) / (codeLength(independent, on: joint) - lmin)
    }

    /// Plug-in H(σ0 | x) in bits.
    public static func conditionalEntropy(_ j: BinaryJoint) -> Double {
        var s = 0.0
        for x in 0..<j.size { s += BinaryInfo.nH(j.n1[x], j.n0[x] + j.n1[x]) }
        return s / j.total / log(2)
    }
}
