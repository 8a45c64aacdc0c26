import Numerics

/// Data-parallel copies of a network: each replica has its own layer state and gradients, so batch shards can run
/// on separate threads; gradients are then summed into the master and weights copied back out.
extension Sequential {
    /// An independent copy with the same weights (Dense and Activation layers only).
    public func replica() -> Sequential {
        Sequential(layers.map { layer -> Layer in
            if let d = layer as? Dense { return d.copy() }
            if let a = layer as? Activation { return Activation(a.kind) }
            preconditionFailure("replicas support Dense and Activation layers")
        })
    }

    /// Copies every parameter value from `master` (same architecture).
    public func loadParameters(from master: Sequential) {
        for (mine, theirs) in zip(parameters, master.parameters) { mine.value = theirs.value }
    }

    /// Adds this network's gradients into `master`'s and zeroes its own.
    public func addGradients(into master: Sequential) {
        for (mine, theirs) in zip(parameters, master.parameters) {
            for i in mine.grad.indices { theirs.grad[i] += mine.grad[i]; mine.grad[i] = 0 }
        }
    }
}

extension Dense {
    /// A copy with the same weights and fresh gradients.
    func copy() -> Dense {
        var rng = Xoshiro256(seed: 0)
        let d = Dense(inputs, outputs, initialization: .pytorch, rng: &rng)
        d.weight.value = weight.value; d.bias.value = bias.value
        return d
    }
}
