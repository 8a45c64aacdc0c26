import Foundation
import Numerics

/// Views of 28 × 28 images used as RINE sources: left/right crops and low-/high-pass components.
public enum ImageViews {
    /// Columns [0, w) (left) or [28 − w, 28) (right) of each image, flattened.
    public static func crop(_ images: [[Float]], width w: Int, left: Bool) -> Matrix<Float> {
        let cols = left ? Array(0..<w) : Array((28 - w)..<28)
        var m = Matrix<Float>(rows: images.count, cols: 28 * w)
        for (i, img) in images.enumerated() {
            var k = 0
            for r in 0..<28 { for c in cols { m[i, k] = img[r * 28 + c]; k += 1 } }
        }
        return m
    }

    /// Separable Gaussian blur with standard deviation `sigma` pixels (zero padding).
    public static func blur(_ img: [Float], sigma: Double) -> [Float] {
        let radius = Int((3 * sigma).rounded(.up))
        let kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let norm = kernel.reduce(0, +)
        var tmp = [Float](repeating: 0, count: 784), out = tmp
        for r in 0..<28 { for c in 0..<28 {
            var s: Float = 0
            for (o, k) in kernel.enumerated() { let cc = c + o - radius; if cc >= 0 && cc < 28 { s += k * img[r * 28 + cc] } }
            tmp[r * 28 + c] = s / norm
        } }
        for r in 0..<28 { for c in 0..<28 {
            var s: Float = 0
            for (o, k) in kernel.enumerated() { let rr = r + o - radius; if rr >= 0 && rr < 28 { s += k * tmp[rr * 28 + c] } }
            out[r * 28 + c] = s / norm
        } }
        return out
    }

    /// Low-pass (blurred) and high-pass (image minus blur) versions, flattened.
    public static func frequencySplit(_ images: [[Float]], sigma: Double) -> (low: Matrix<Float>, high: Matrix<Float>) {
        var low = Matrix<Float>(rows: images.count, cols: 784), high = low
        for (i, img) in images.enumerated() {
            let b = blur(img, sigma: sigma)
            for k in 0..<784 { low[i, k] = b[k]; high[i, k] = img[k] - b[k] }
        }
        return (low, high)
    }
}
