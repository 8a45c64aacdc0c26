import Numerics

/// A trainable tensor: its values and the gradient accumulated by backward passes.
public final class Parameter {
    public var value: [Float]
    public var grad: [Float]
    /// Whether weight decay applies (weights yes; biases and batch-norm shifts usually not, but PyTorch's SGD decays all).
    public let decays: Bool
    public init(_ value: [Float], decays: Bool = true) {
        self.value = value; grad = [Float](repeating: 0, count: value.count); self.decays = decays
    }
    public func zeroGrad() { for i in grad.indices { grad[i] = 0 } }
}

/// Weight initialisation schemes for dense layers.
public enum Initialization: Sendable {
    /// N(0, 2/fan_in), for ReLU networks.
    case he
    /// U(±√(6/(fan_in+fan_out))), for tanh networks.
    case glorot
    /// PyTorch's nn.Linear default: weights and biases U(±1/√fan_in).
    case pytorch
}
