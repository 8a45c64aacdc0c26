import Numerics

/// A network layer with explicit forward and backward passes over a batch (samples in rows).
///
/// Layers keep what backward needs from the last forward call. The tangent methods propagate input-space tangent
/// vectors alongside activations (forward-mode) and backpropagate through them, so a loss may depend on ∂f/∂x.
public protocol Layer: AnyObject {
    /// Output for a batch; `training` selects batch statistics in batch normalisation.
    func forward(_ x: Matrix<Float>, training: Bool) -> Matrix<Float>
    /// Given ∂L/∂output, accumulates parameter gradients and returns ∂L/∂input.
    func backward(_ gradOutput: Matrix<Float>) -> Matrix<Float>
    var parameters: [Parameter] { get }
    /// Forward with tangents: returns the output and the pushed-forward tangents (one matrix per direction).
    func forwardTangent(_ x: Matrix<Float>, _ tangents: [Matrix<Float>]) -> (Matrix<Float>, [Matrix<Float>])
    /// Backward through `forwardTangent`, given gradients for the output and for each output tangent.
    func backwardTangent(_ gradOutput: Matrix<Float>, _ gradTangents: [Matrix<Float>]) -> (Matrix<Float>, [Matrix<Float>])
}

/// Elementwise helpers on matrices used by the layers.
extension Matrix where T == Float {
    @inlinable func zipMap(_ other: Matrix<Float>, _ f: (Float, Float) -> Float) -> Matrix<Float> {
        precondition(rows == other.rows && cols == other.cols, "shape mismatch \(rows)x\(cols) vs \(other.rows)x\(other.cols)")
        var out = Matrix<Float>(rows: rows, cols: cols)
        data.withUnsafeBufferPointer { a in other.data.withUnsafeBufferPointer { b in out.data.withUnsafeMutableBufferPointer { o in
            for i in 0..<o.count { o[i] = f(a[i], b[i]) }
        } } }
        return out
    }
    @inlinable func map(_ f: (Float) -> Float) -> Matrix<Float> {
        var out = Matrix<Float>(rows: rows, cols: cols)
        data.withUnsafeBufferPointer { a in out.data.withUnsafeMutableBufferPointer { o in
            for i in 0..<o.count { o[i] = f(a[i]) }
        } }
        return out
    }
    /// Column sums (length `cols`).
    func columnSums() -> [Float] {
        var s = [Float](repeating: 0, count: cols)
        data.withUnsafeBufferPointer { a in s.withUnsafeMutableBufferPointer { o in
            for i in 0..<rows { let base = i * cols; for j in 0..<cols { o[j] += a[base + j] } }
        } }
        return s
    }
}
