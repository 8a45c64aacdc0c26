import Foundation
import NeuralNet
import Numerics

/// Settings of a RINE optimisation (Eq. 9 / A10): network shape, optimiser and the β schedule.
public struct RINEConfig: Sendable {
    public var hidden = [25, 15]
    public var batchNorm = true
    public var useAdam = false
    public var learningRate: Float = 0.01
    /// Learning rate multiplied by this after every epoch.
    public var learningRateDecay: Float = 0.97
    public var momentum: Float = 0.9
    public var weightDecay: Float = 0.005
    public var batchSize = 128
    public var epochs = 30
    public var beta: Double = 15
    /// β_e = β(1 − γ^e) when true (Eq. A9, γ = 0.97); constant β otherwise.
    public var scheduleBeta = true
    public var gamma = 0.97
    public init() {}

    public func beta(atEpoch e: Int) -> Double { scheduleBeta ? beta * (1 - pow(gamma, Double(e))) : beta }
}

/// Result of one RINE run: the redundancy estimate on held-out data and its training history.
public struct RINEResult: Sendable {
    /// I∩ = H(Y) − mean test cross-entropy (bits).
    public let redundancy: Double
    /// Mean test cross-entropy of each source's decoder (bits).
    public let crossEntropies: [Double]
    /// Mean absolute difference between the decoders' softmax outputs on the test set, averaged over samples and classes
    /// (summed over pairs of sources).
    public let distance: Double
    /// Per epoch: (test redundancy, test distance).
    public let history: [(Double, Double)]
    /// Per epoch: mean over sources of the test cross-entropy (nats), the quantity the authors log as 'valid' loss.
    public let testCrossEntropyNats: [Double]
    /// Per test sample: H(Y) − mean cross-entropy (bits), for per-class breakdowns.
    public let perSampleRedundancy: [Double]
    /// Per epoch: each source's test cross-entropy (bits).
    public var testCrossEntropiesPerEpoch: [[Double]] = []
    /// Per epoch, with a validation split: the RINE objective at the final β on the validation data,
    /// (1/n) Σ CEᵢ + β D (nats). Empty without one.
    public var validationObjective: [Double] = []
    /// Per epoch, with a validation split: each source's validation cross-entropy (bits). Empty without one.
    public var validationCrossEntropiesPerEpoch: [[Double]] = []
    /// With a validation split: the epoch (index into `history`) of the lowest watched validation quantity (the objective,
    /// or the cross-entropy alone: `EarlyStopping.Criterion`).
    public var bestEpoch: Int? = nil

    /// The test readout at epoch `e` (index into `history`): I∩ (bits), each decoder's cross-entropy (bits) and D.
    public func readout(atEpoch e: Int) -> (redundancy: Double, crossEntropies: [Double], distance: Double) {
        (history[e].0, testCrossEntropiesPerEpoch[e], history[e].1)
    }
}

/// Early stopping on a validation split: after every epoch the RINE objective at the final β,
/// (1/n) Σ CEᵢ + β D, is evaluated on held-out training trials; training stops once it (or, with `.crossEntropy`, the
/// validation cross-entropy (1/n) Σ CEᵢ alone) has not improved for `patience` epochs, and the test readout of the best
/// epoch is the estimate (`RINEResult.bestEpoch`). The objective at the final β, not the scheduled one, so that epochs
/// are compared on the same loss.
public struct EarlyStopping: Sendable {
    /// What is watched on the validation split.
    public enum Criterion: Sendable {
        /// The RINE objective at the final β, (1/n) Σ CEᵢ + β D (nats).
        case objective
        /// The mean validation cross-entropy (1/n) Σ CEᵢ alone, without the penalty.
        case crossEntropy
    }
    public var patience: Int
    public var criterion: Criterion
    public init(patience: Int, criterion: Criterion = .objective) {
        precondition(patience >= 1, "patience must be ≥ 1 epoch")
        self.patience = patience
        self.criterion = criterion
    }

    /// The epoch this rule picks on a validation history `objective` (one value per epoch): the best epoch when training
    /// stops, i.e. once `patience` epochs have passed without a strictly lower value (ties keep the earlier epoch), as
    /// `RINETrainer.run` does. Training is identical up to its stop, so on the history of a run stopped with a longer
    /// patience this is the epoch a run with this patience would have picked.
    public func stoppingEpoch(_ objective: [Double]) -> Int? {
        guard !objective.isEmpty else { return nil }
        var best = 0
        for e in objective.indices {
            if objective[e] < objective[best] { best = e }
            if e - best >= patience { break }
        }
        return best
    }
}

/// Trains one decoder network per source with the RINE loss (1/n) Σ CEᵢ + β D(f₁, …, fₙ), where D sums over pairs of
/// sources the mean (over samples and classes) absolute difference of the softmax outputs, and reads out
/// I∩ = H(Y) − (1/n) Σ CEᵢ on held-out data, with H(Y) the entropy the caller passes (`RINEReadout` gives the choices).
public struct RINETrainer {
    public var config: RINEConfig
    public init(config: RINEConfig) { self.config = config }

    /// `train`/`test`: one input matrix per source (samples in rows) and labels; `entropyY` in bits.
    /// With `validation` and `stopping`, training stops early on the validation objective (see `EarlyStopping`); the
    /// random stream is used exactly as without them.
    public func run(train: (x: [Matrix<Float>], y: [Int]), test: (x: [Matrix<Float>], y: [Int]), classes: Int,
                    entropyY: Double, validation: (x: [Matrix<Float>], y: [Int])? = nil, stopping: EarlyStopping? = nil,
                    rng: inout Xoshiro256) -> RINEResult {
        precondition((validation == nil) == (stopping == nil), "early stopping needs both a validation split and a patience")
        let n = train.x.count
        precondition(n >= 1 && test.x.count == n)
        let nets = (0..<n).map { i in
            Sequential.mlp(widths: [train.x[i].cols] + config.hidden + [classes], activation: .relu,
                           batchNorm: config.batchNorm, initialization: .pytorch, rng: &rng)
        }
        let optimizers: [Optimizer] = nets.map { _ in
            config.useAdam ? Adam(learningRate: config.learningRate, weightDecay: config.weightDecay) as Optimizer
                           : SGD(learningRate: config.learningRate, momentum: config.momentum, weightDecay: config.weightDecay) as Optimizer
        }
        var history = [(Double, Double)](), ceNats = [Double](), cePerEpoch = [[Double]](), valObjective = [Double](), valCE = [[Double]]()
        var best: (epoch: Int, objective: Double)? = nil
        let count = train.y.count
        for epoch in 0..<config.epochs {
            let beta = Float(config.beta(atEpoch: epoch))
            for opt in optimizers { opt.learningRate = config.learningRate * pow(config.learningRateDecay, Float(epoch)) }
            for batch in miniBatches(count: count, batchSize: config.batchSize, rng: &rng) where batch.count > 1 {
                let labels = batch.map { train.y[$0] }
                let ces = (0..<n).map { i in Loss.softmaxCrossEntropy(nets[i].forward(train.x[i].selectingRows(batch), training: true), labels: labels) }
                var grads = ces.map { ce in Matrix<Float>(rows: ce.gradient.rows, cols: ce.gradient.cols, data: ce.gradient.data.map { $0 / Float(n) }) }
                if beta > 0 && n > 1 {
                    let b = Float(batch.count * classes) // D averages over samples and classes
                    var gp = (0..<n).map { _ in Matrix<Float>(rows: batch.count, cols: classes) }
                    for i in 0..<n { for j in (i + 1)..<n {
                        for k in 0..<(batch.count * classes) {
                            let d = ces[i].probabilities.data[k] - ces[j].probabilities.data[k]
                            let s: Float = d > 0 ? 1 : (d < 0 ? -1 : 0)
                            gp[i].data[k] += beta * s / b; gp[j].data[k] -= beta * s / b
                        }
                    } }
                    for i in 0..<n {
                        let gl = Loss.softmaxBackward(probabilities: ces[i].probabilities, gradProbabilities: gp[i])
                        for k in 0..<gl.data.count { grads[i].data[k] += gl.data[k] }
                    }
                }
                for i in 0..<n { nets[i].backward(grads[i]); optimizers[i].step(nets[i].parameters) }
            }
            let eval = evaluate(nets, test, classes: classes, entropyY: entropyY)
            history.append((eval.redundancy, eval.distance))
            ceNats.append(eval.ces.reduce(0, +) / Double(n) * M_LN2)
            cePerEpoch.append(eval.ces)
            if let validation, let stopping {
                let v = evaluate(nets, validation, classes: classes, entropyY: 0)
                let objective = v.ces.reduce(0, +) / Double(n) * M_LN2 + config.beta * v.distance
                valObjective.append(objective)
                valCE.append(v.ces)
                let watched = stopping.criterion == .objective ? objective : v.ces.reduce(0, +) / Double(n) * M_LN2
                if best == nil || watched < best!.objective { best = (epoch, watched) }
                if epoch - best!.epoch >= stopping.patience { break }
            }
        }
        let e = evaluate(nets, test, classes: classes, entropyY: entropyY)
        var r = RINEResult(redundancy: e.redundancy, crossEntropies: e.ces, distance: e.distance, history: history,
                           testCrossEntropyNats: ceNats, perSampleRedundancy: e.perSample)
        r.testCrossEntropiesPerEpoch = cePerEpoch
        r.validationObjective = valObjective
        r.validationCrossEntropiesPerEpoch = valCE
        r.bestEpoch = best?.epoch
        return r
    }

    func evaluate(_ nets: [Sequential], _ test: (x: [Matrix<Float>], y: [Int]), classes: Int, entropyY: Double)
        -> (redundancy: Double, ces: [Double], distance: Double, perSample: [Double]) {
        let n = nets.count, m = test.y.count
        let outs = (0..<n).map { Loss.softmaxCrossEntropy(nets[$0].forward(test.x[$0], training: false), labels: test.y) }
        let ces = outs.map { Double($0.loss) / M_LN2 }
        var dist = 0.0
        for i in 0..<n { for j in (i + 1)..<n {
            dist += zip(outs[i].probabilities.data, outs[j].probabilities.data).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) } / Double(m * classes)
        } }
        let perSample = (0..<m).map { s in entropyY - outs.reduce(0.0) { $0 + Double($1.perSample[s]) } / Double(n) / M_LN2 }
        return (entropyY - ces.reduce(0, +) / Double(n), ces, dist, perSample)
    }
}

/// Splits row-aligned inputs and labels into train/test by a seeded permutation.
public func trainTestSplit(_ x: [Matrix<Float>], _ y: [Int], trainFraction: Double, rng: inout Xoshiro256)
    -> (train: (x: [Matrix<Float>], y: [Int]), test: (x: [Matrix<Float>], y: [Int])) {
    let perm = rng.permutation(y.count)
    let k = Int((Double(y.count) * trainFraction).rounded())
    let tr = Array(perm[0..<k]), te = Array(perm[k...])
    return ((x.map { $0.selectingRows(tr) }, tr.map { y[$0] }), (x.map { $0.selectingRows(te) }, te.map { y[$0] }))
}
