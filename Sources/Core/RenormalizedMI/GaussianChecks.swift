import Foundation
import Numerics

/// Closed-form checks of Ĩ for linear features of a bivariate normal x ~ N(0, Σ).
public enum GaussianChecks {
    /// Exact Ĩ of f = cos θ x₁ + sin θ x₂ (unit gradient): the entropy ½ ln(2πe vᵀΣv).
    public static func exactLinear(_ sigma: Matrix<Double>, angle: Double) -> Double {
        let v = [cos(angle), sin(angle)]
        var q = 0.0
        for a in 0..<2 { for b in 0..<2 { q += v[a] * sigma[a, b] * v[b] } }
        return 0.5 * log(2 * Double.pi * M_E * q)
    }

    /// Samples of N(0, Σ) through the Cholesky factor.
    public static func samples(_ sigma: Matrix<Double>, count: Int, rng: inout Xoshiro256) throws -> [[Double]] {
        let l = try sigma.cholesky()
        return (0..<count).map { _ in
            let z = (0..<sigma.rows).map { _ in rng.normal() }
            return (0..<sigma.rows).map { i in (0...i).reduce(0) { $0 + l[i, $1] * z[$1] } }
        }
    }

    /// Ĩ of a reparametrised linear feature g(f(x)) from samples: histogram entropy of g(f) minus ⟨ln|g′(f)|·|∇f|⟩.
    public static func estimate(_ x: [[Double]], angle: Double, bins: Int,
                                g: (Double) -> Double = { $0 }, dg: (Double) -> Double = { _ in 1 }) -> Double {
        let v = [cos(angle), sin(angle)]
        let f = x.map { v[0] * $0[0] + v[1] * $0[1] }
        let y = f.map(g)
        let h = HistogramEntropy.entropy(y, bins: bins).value
        let logGrad = f.reduce(0) { $0 + log(abs(dg($1))) } / Double(f.count)
        return h - logGrad
    }
}

/// Ĩ of the unit linear features f_θ = cos θ x₁ + sin θ x₂ over a grid of angles, and the best one with errors.
///
/// The maximum is located by a least-squares parabola Ĩ(θ) ≈ c₀ + c₁u + c₂u² (u = θ − θ_k) over the scan points within
/// `window` of the grid maximum θ_k; θ̂ = θ_k − c₁/2c₂ and Ĩ_max = c₀ − c₁²/4c₂. Their standard errors are random-halves
/// errors of the whole procedure (the window's estimates and the fit redone on each half, `HalvesErrors`), which include
/// the bin-range variance that the delta method misses.
public struct AngleScan: Sendable {
    public var angles: [Double]
    public var values: [Double]
    public var best: Double, bestError: Double
    public var bestAngle: Double, bestAngleError: Double

    public init(_ x: [[Double]], angles: [Double], bins: Int, window: Double = 0.3, rule: HistogramRule = .linear,
                splits: Int = HalvesErrors.defaultSplits) {
        precondition(angles.count >= 3 && !x.isEmpty)
        func feature(_ t: Double, _ s: [[Double]]) -> [Double] { let c = cos(t), si = sin(t); return s.map { c * $0[0] + si * $0[1] } }
        self.angles = angles
        let values = angles.map { Stats.mean(EntropyInfluence.oneDimensional(feature($0, x), bins: bins, rule: rule)) }
        self.values = values
        let k = values.indices.max { values[$0] < values[$1] }!
        let window = angles.indices.filter { abs(angles[$0] - angles[k]) <= window + 1e-12 }
        precondition(window.count >= 3, "the window holds fewer than 3 scan points")
        // A = (XᵀX)⁻¹Xᵀ for the design rows (1, u, u²).
        let u = window.map { angles[$0] - angles[k] }
        var xtx = [[Double]](repeating: [0, 0, 0], count: 3)
        for v in u { let r = [1, v, v * v]; for a in 0..<3 { for b in 0..<3 { xtx[a][b] += r[a] * r[b] } } }
        let inv = Self.inverse3(xtx)
        let a = (0..<3).map { row in u.map { v in inv[row][0] + inv[row][1] * v + inv[row][2] * v * v } }
        let k0 = angles[k]
        func fit(_ w: [Double]) -> [Double] {
            let c = (0..<3).map { row in zip(a[row], w).reduce(0) { $0 + $1.0 * $1.1 } }
            return [k0 - c[1] / (2 * c[2]), c[0] - c[1] * c[1] / (4 * c[2])]
        }
        let main = fit(window.map { values[$0] })
        bestAngle = main[0]; best = main[1]
        if splits > 0 {
            let windowFeatures = window.map { feature(angles[$0], x) }
            let e = HalvesErrors.errors(count: x.count, splits: splits) { idx in
                fit(windowFeatures.map { EntropyInfluence.mean($0, indices: idx, bins: bins, rule: rule) })
            }
            bestAngleError = e[0]; bestError = e[1]
        } else {
            bestAngleError = .nan; bestError = .nan
        }
    }

    static func inverse3(_ m: [[Double]]) -> [[Double]] {
        let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        var r = [[Double]](repeating: [0, 0, 0], count: 3)
        for i in 0..<3 {
            for j in 0..<3 {
                let a = [0, 1, 2].filter { $0 != j }, b = [0, 1, 2].filter { $0 != i }
                let minor = m[a[0]][b[0]] * m[a[1]][b[1]] - m[a[0]][b[1]] * m[a[1]][b[0]]
                r[i][j] = ((i + j) % 2 == 0 ? 1 : -1) * minor / det
            }
        }
        return r
    }
}
