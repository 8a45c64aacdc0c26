import Foundation
import Numerics

/// The fluctuating 1-D lattice field with a randomly placed wave packet (Fig. 2 of the paper):
/// x_j = ξ_j + exp(−(j − j̄)²/δj²), j = o…o+N−1, ξ_j ~ N(0, σ²), j̄ ~ U[jMin, jMax]. The text numbers the sites
/// j = 1…N (origin o = 1); the authors' code numbers them 0…N−1 (o = 0).
public struct WavePacket: Sendable {
    public var sites = 100
    /// Index of the first site (1 as in the paper's text, 0 as in the authors' code).
    public var origin = 1
    public var width = 9.0
    public var centreRange = (30.0, 70.0)
    public var noise: Double
    public init(noise: Double) { self.noise = noise }

    /// `count` samples, one row of `sites` values each.
    public func samples(_ count: Int, rng: inout Xoshiro256) -> [[Double]] {
        (0..<count).map { _ in
            let c = rng.uniform(centreRange.0, centreRange.1)
            return (origin..<(origin + sites)).map { j in noise * rng.normal() + exp(-pow(Double(j) - c, 2) / (width * width)) }
        }
    }
}

/// The candidate features of Fig. 2b with their gradients with respect to the field.
public enum WavePacketFeature: String, CaseIterable, Sendable {
    case averageField = "average field Σx_j/N"
    case position = "position Σ j x_j/N"
    case intensityPosition = "Σ j x_j²/N"
    case normalisedPosition = "Σ j x_j²/Σ x_i²"
    case pca = "first principal component"

    /// Value and gradient of the feature for one sample; `pcaAxis` is needed for `.pca`. Site x[k] has index
    /// j = k + `origin` (1 as in the text's Σ_{j=1}^N; 0 as in the authors' code). The origin changes Σ j x_j and
    /// Σ j x_j² by a multiple of Σ x_j and Σ x_j² (different features), but Σ j x_j²/Σ x_i² only by a constant.
    public func evaluate(_ x: [Double], pcaAxis: [Double]?, origin: Int = 1) -> (Double, [Double]) {
        let n = Double(x.count), o = Double(origin)
        switch self {
        case .averageField:
            return (x.reduce(0, +) / n, [Double](repeating: 1 / n, count: x.count))
        case .position:
            var s = 0.0
            for (j, v) in x.enumerated() { s += (Double(j) + o) * v }
            return (s / n, (0..<x.count).map { (Double($0) + o) / n })
        case .intensityPosition:
            var s = 0.0
            for (j, v) in x.enumerated() { s += (Double(j) + o) * v * v }
            return (s / n, x.enumerated().map { 2 * (Double($0.offset) + o) * $0.element / n })
        case .normalisedPosition:
            var num = 0.0, den = 0.0
            for (j, v) in x.enumerated() { num += (Double(j) + o) * v * v; den += v * v }
            let f = num / den
            return (f, x.enumerated().map { 2 * $0.element * (Double($0.offset) + o - f) / den })
        case .pca:
            let a = pcaAxis!
            return (zip(a, x).reduce(0) { $0 + $1.0 * $1.1 }, a)
        }
    }

    /// Top principal axis of the samples (unit vector).
    public static func principalAxis(_ samples: [[Double]]) throws -> [Double] {
        let m = Matrix(samples).covariance()
        let (_, vecs) = try m.symmetricEigen()
        return vecs.column(m.cols - 1)
    }
}
