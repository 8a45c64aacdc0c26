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

    /// Low-pass and high-pass images by a box in the 2-D discrete Fourier domain: the low-pass image keeps the
    /// frequencies with |k_row| ≤ `cutoff` and |k_col| ≤ `cutoff` (cycles per 28 pixels, both signs), the high-pass image
    /// is the rest (image − low). Separable DFT of size 28 (exact, O(28³) per image).
    public static func fftBoxSplit(_ images: [[Float]], cutoff: Int) -> (low: Matrix<Float>, high: Matrix<Float>) {
        precondition((0...14).contains(cutoff), "cutoff must be in 0…14")
        let n = 28
        let keep = (0..<n).map { k in min(k, n - k) <= cutoff }
        var cosT = [Double](repeating: 0, count: n * n)
        for j in 0..<n { for k in 0..<n { cosT[j * n + k] = cos(2 * Double.pi * Double(j * k % n) / Double(n)) } }
        // Low-pass L = P X P, with P the real symmetric projector onto the kept frequencies (the box is separable).
        var proj = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n {
            var s = 0.0
            for k in 0..<n where keep[k] { s += cosT[((i - j + n) % n) * n + k] }
            proj[i * n + j] = s / Double(n)
        } }
        var low = Matrix<Float>(rows: images.count, cols: n * n), high = low
        for (m, img) in images.enumerated() {
            var tmp = [Double](repeating: 0, count: n * n)
            for r in 0..<n { for c in 0..<n { var s = 0.0; for j in 0..<n { s += Double(img[r * n + j]) * proj[j * n + c] }; tmp[r * n + c] = s } }
            for r in 0..<n { for c in 0..<n {
                var s = 0.0
                for i in 0..<n { s += proj[r * n + i] * tmp[i * n + c] }
                low[m, r * n + c] = Float(s); high[m, r * n + c] = img[r * n + c] - Float(s)
            } }
        }
        return (low, high)
    }
}
