import Foundation
import Numerics

/// Loss functions returning the mean loss and its gradient with respect to the network output.
public enum Loss {
    /// Row-wise softmax of logits.
    public static func softmax(_ logits: Matrix<Float>) -> Matrix<Float> {
        var p = logits
        let c = logits.cols
        p.data.withUnsafeMutableBufferPointer { a in
            for i in 0..<logits.rows {
                let base = i * c
                var m = -Float.infinity
                for j in 0..<c { m = max(m, a[base + j]) }
                var s: Float = 0
                for j in 0..<c { let e = exp(a[base + j] - m); a[base + j] = e; s += e }
                for j in 0..<c { a[base + j] /= s }
            }
        }
        return p
    }

    /// Given softmax probabilities p and ∂L/∂p, returns ∂L/∂logits = p ⊙ (g − Σⱼ gⱼ pⱼ).
    public static func softmaxBackward(probabilities p: Matrix<Float>, gradProbabilities g: Matrix<Float>) -> Matrix<Float> {
        var out = Matrix<Float>(rows: p.rows, cols: p.cols)
        let c = p.cols
        for i in 0..<p.rows {
            var dot: Float = 0
            for j in 0..<c { dot += g.data[i * c + j] * p.data[i * c + j] }
            for j in 0..<c { out.data[i * c + j] = p.data[i * c + j] * (g.data[i * c + j] - dot) }
        }
        return out
    }

    /// Result of softmax cross-entropy: mean loss (nats), ∂(mean loss)/∂logits, probabilities and per-sample losses.
    public struct CrossEntropy {
        public let loss: Float
        public let gradient: Matrix<Float>
        public let probabilities: Matrix<Float>
        public let perSample: [Float]
    }

    /// Softmax cross-entropy of logits against integer labels, averaged over the batch (natural log).
    public static func softmaxCrossEntropy(_ logits: Matrix<Float>, labels: [Int]) -> CrossEntropy {
        precondition(labels.count == logits.rows, "\(labels.count) labels for \(logits.rows) rows")
        let p = softmax(logits)
        var g = p, per = [Float](repeating: 0, count: logits.rows)
        let c = logits.cols, n = Float(logits.rows)
        for i in 0..<logits.rows {
            let y = labels[i]
            precondition(y >= 0 && y < c, "label \(y) outside 0..<\(c)")
            // −log softmax through log-sum-exp, exact even for large margins.
            var m = -Float.infinity
            for j in 0..<c { m = max(m, logits.data[i * c + j]) }
            var s: Float = 0
            for j in 0..<c { s += exp(logits.data[i * c + j] - m) }
            per[i] = m + log(s) - logits.data[i * c + y]
            g.data[i * c + y] -= 1
        }
        for k in g.data.indices { g.data[k] /= n }
        return CrossEntropy(loss: per.reduce(0, +) / n, gradient: g, probabilities: p, perSample: per)
    }

    /// Mean squared error ½·mean over samples of ‖pred − target‖² … reported as mean over all elements; gradient matches.
    public static func meanSquaredError(_ pred: Matrix<Float>, _ target: Matrix<Float>) -> (loss: Float, gradient: Matrix<Float>) {
        precondition(pred.rows == target.rows && pred.cols == target.cols)
        let n = Float(pred.data.count)
        var g = Matrix<Float>(rows: pred.rows, cols: pred.cols)
        var s: Float = 0
        for i in pred.data.indices {
            let d = pred.data[i] - target.data[i]
            s += d * d; g.data[i] = 2 * d / n
        }
        return (s / n, g)
    }
}
