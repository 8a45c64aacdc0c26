import Foundation
import Numerics
import ElementwiseKernels

/// Cache-blocked reverse-over-reverse differentiation for scalar-output MLPs (`Dense`, activation, …, `Dense` → 1):
/// `evaluate` gives f(x) and ∇ₓf for a batch, `accumulateGradients` adds the parameter gradients of a loss L(f, ∇ₓf)
/// to the network's `Parameter.grad`. Rows are processed in tiles so that, for moderate widths, a tile's intermediates stay in cache;
/// activation derivatives are computed inside the tile loops instead of separate passes, and tiles are shared out to
/// `threads` threads with private gradient accumulators (summed in thread order, so a given thread count is
/// deterministic). Same mathematics as `Sequential.forwardWithInputGradient` / `backwardWithInputGradient`.
public final class TiledInputGradient {
    public let network: Sequential
    public let tileRows: Int
    public let threads: Int
    private let dense: [Dense]
    private let kinds: [Activation.Kind]
    private let inputs: Int
    private let widths: [Int]           // hidden widths n_0 … n_{L−2}
    // Tape for the last `evaluate`: per hidden layer, h_l = σ(z_l) and (except the last, where it is the output weights
    // in every row) u_l = ∂f/∂h_l, rows × n_l each.
    private var hTape = [UnsafeMutablePointer<Float>](), uTape = [UnsafeMutablePointer<Float>]()
    private var capacity = 0
    private var input: UnsafeMutablePointer<Float>? = nil
    /// Rows of the last `evaluate`.
    public private(set) var rows = 0
    private let scratch: [Scratch]

    /// Per-thread buffers: tile temporaries and private gradient accumulators.
    private final class Scratch {
        let v, vbar, ubar, prev, dh, dz, broadcast: UnsafeMutablePointer<Float>
        let zbar: [UnsafeMutablePointer<Float>]
        var grads: [[Float]]
        init(tile: Int, width: Int, hidden: Int, parameterSizes: [Int]) {
            func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
                let p = UnsafeMutablePointer<Float>.allocate(capacity: n); p.initialize(repeating: 0, count: n); return p
            }
            let n = tile * width
            v = buffer(n); vbar = buffer(n); ubar = buffer(n); prev = buffer(n); dh = buffer(n); dz = buffer(n); broadcast = buffer(n)
            zbar = (0..<hidden).map { _ in buffer(n) }
            grads = parameterSizes.map { [Float](repeating: 0, count: $0) }
        }
        deinit { for p in [v, vbar, ubar, prev, dh, dz, broadcast] + zbar { p.deallocate() } }

        /// Fills `broadcast` with one copy of the output weights per tile row: u_{L−2} = ∂f/∂h_{L−2} is the same for
        /// every row. Done once per `evaluate` / `accumulateGradients`, since the weights are fixed during a call.
        func broadcast(_ w: [Float], rows: Int) {
            let n = w.count
            w.withUnsafeBufferPointer { w in for i in 0..<rows { for j in 0..<n { broadcast[i * n + j] = w[j] } } }
        }
    }

    /// `network` must alternate Dense and Activation layers and end in a Dense layer with one output. The default tile
    /// of 512 rows was the best or near-best of the sizes tried (96–1024 rows) for widths 32 and 150 on a 2 MB-L2 Xeon.
    public init(network: Sequential, tileRows: Int = 512, threads: Int = 1) {
        precondition(tileRows > 0 && threads > 0)
        var dense = [Dense](), kinds = [Activation.Kind]()
        for (i, l) in network.layers.enumerated() {
            if i % 2 == 0, let d = l as? Dense { dense.append(d) }
            else if i % 2 == 1, let a = l as? Activation { kinds.append(a.kind) }
            else { preconditionFailure("TiledInputGradient needs alternating Dense and Activation layers") }
        }
        precondition(dense.count == kinds.count + 1 && dense.count >= 2 && dense.last!.outputs == 1,
                     "TiledInputGradient needs at least one hidden layer and a scalar output")
        self.network = network; self.tileRows = tileRows; self.threads = threads
        self.dense = dense; self.kinds = kinds
        inputs = dense[0].inputs
        let hiddenWidths = dense.dropLast().map(\.outputs)
        widths = hiddenWidths
        let width = max(hiddenWidths.max()!, dense[0].inputs)
        let sizes = dense.flatMap { [$0.weight.value.count, $0.bias.value.count] }
        scratch = (0..<threads).map { _ in Scratch(tile: tileRows, width: width, hidden: kinds.count, parameterSizes: sizes) }
    }

    deinit { release() }

    private func release() {
        for p in hTape + uTape { p.deallocate() }
        input?.deallocate()
        hTape = []; uTape = []; input = nil; capacity = 0
    }

    private func reserve(_ n: Int) {
        guard n > capacity else { return }
        release()
        hTape = widths.map { UnsafeMutablePointer<Float>.allocate(capacity: n * $0) }
        uTape = widths.dropLast().map { UnsafeMutablePointer<Float>.allocate(capacity: n * $0) }
        input = .allocate(capacity: n * inputs)
        capacity = n
    }

    /// Applies `kernel` specialised for the activation `kind` (so the elementwise loops vectorise).
    @inline(__always) private static func dispatch<R>(_ kind: Activation.Kind, _ kernel: (any SlopeRule.Type) -> R) -> R {
        switch kind {
        case .tanh: return kernel(TanhSlopes.self)
        case .sigmoid: return kernel(SigmoidSlopes.self)
        case .relu: return kernel(ReluSlopes.self)
        case .identity: return kernel(IdentitySlopes.self)
        case .softplus: return kernel(SoftplusSlopes.self)
        }
    }

    /// Tiles [t·T/threads, (t+1)·T/threads) for thread t.
    private func forEachTile(_ body: @escaping (Scratch, Int, Int) -> Void) {
        let tiles = (rows + tileRows - 1) / tileRows
        let run = { (t: Int) in
            for tile in (t * tiles / self.threads)..<((t + 1) * tiles / self.threads) {
                let lo = tile * self.tileRows
                body(self.scratch[t], lo, min(self.rows, lo + self.tileRows) - lo)
            }
        }
        if threads == 1 { run(0) } else { _ = Parallel.map(threads) { run($0) } }
    }

    /// f(x) (rows) and ∇ₓf (rows × inputs, row-major) for `x` (rows × inputs, row-major); records the tape.
    public func evaluate(_ x: [Float]) -> (f: [Float], gradient: [Float]) {
        precondition(x.count % inputs == 0 && !x.isEmpty, "input size must be a multiple of \(inputs)")
        rows = x.count / inputs
        reserve(rows)
        x.withUnsafeBufferPointer { input!.update(from: $0.baseAddress!, count: x.count) }
        var f = [Float](repeating: 0, count: rows), g = [Float](repeating: 0, count: rows * inputs)
        let weights = dense.map(\.weight.value), biases = dense.map(\.bias.value)
        for s in scratch { s.broadcast(weights[widths.count], rows: tileRows) }
        f.withUnsafeMutableBufferPointer { fp in g.withUnsafeMutableBufferPointer { gp in
            let fOut = fp.baseAddress!, gOut = gp.baseAddress!
            forEachTile { s, lo, r in
                self.forwardTile(s, lo, r, weights, biases, fOut + lo, gOut + lo * self.inputs)
            }
        } }
        return (f, g)
    }

    private func forwardTile(_ s: Scratch, _ lo: Int, _ r: Int, _ weights: [[Float]], _ biases: [[Float]],
                             _ fOut: UnsafeMutablePointer<Float>, _ gOut: UnsafeMutablePointer<Float>) {
        let hidden = widths.count
        var a = UnsafePointer(input! + lo * inputs), k = inputs
        for l in 0..<hidden {
            let n = widths[l], h = hTape[l] + lo * n, kind = kinds[l]
            biases[l].withUnsafeBufferPointer { b in
                for i in 0..<r { for j in 0..<n { h[i * n + j] = b[j] } }
            }
            weights[l].withUnsafeBufferPointer { w in Float.gemm(false, false, r, n, k, 1, a, k, w.baseAddress!, n, 1, h, n) }
            switch kind {
            case .tanh: ek_tanh_inplace(h, r * n)
            default: let act = Activation(kind); for i in 0..<(r * n) { h[i] = act.value(h[i]) }
            }
            a = UnsafePointer(h); k = n
        }
        // Output layer and the reverse pass: u_{L−2} = w_{L−1}ᵀ, v_l = u_l ⊙ σ′, u_{l−1} = v_l W_lᵀ, ∇ₓf = v_0 W_0ᵀ.
        let last = widths[hidden - 1], hLast = hTape[hidden - 1] + lo * last
        weights[hidden].withUnsafeBufferPointer { w in Float.gemm(false, false, r, 1, last, 1, hLast, last, w.baseAddress!, 1, 0, fOut, 1) }
        let b = biases[hidden][0]
        for i in 0..<r { fOut[i] += b }
        let uLast = s.broadcast
        for l in stride(from: hidden - 1, through: 0, by: -1) {
            let n = widths[l], h = hTape[l] + lo * n, u = l == hidden - 1 ? uLast : uTape[l] + lo * n, kind = kinds[l]
            Self.dispatch(kind) { rule in slopeProduct(rule, s.v, u, h, r * n) }
            let kPrev = l == 0 ? inputs : widths[l - 1]
            let target = l == 0 ? gOut : uTape[l - 1] + lo * kPrev
            weights[l].withUnsafeBufferPointer { w in
                Float.gemm(false, true, r, kPrev, n, 1, s.v, n, w.baseAddress!, n, 0, target, kPrev)
            }
        }
    }

    /// Adds to the network's parameter gradients those of a loss with ∂L/∂f = `gradOutput` (rows) and
    /// ∂L/∂(∇ₓf) = `gradGradient` (rows × inputs), for the batch of the last `evaluate`.
    public func accumulateGradients(gradOutput: [Float], gradGradient: [Float]) {
        precondition(gradOutput.count == rows && gradGradient.count == rows * inputs, "gradients must match the last evaluate")
        let weights = dense.map(\.weight.value)
        for s in scratch {
            s.broadcast(weights[widths.count], rows: tileRows)
            for p in s.grads.indices { for i in s.grads[p].indices { s.grads[p][i] = 0 } }
        }
        gradOutput.withUnsafeBufferPointer { fb in gradGradient.withUnsafeBufferPointer { gb in
            let fBar = fb.baseAddress!, gBar = gb.baseAddress!
            forEachTile { s, lo, r in self.backwardTile(s, lo, r, weights, fBar + lo, gBar + lo * self.inputs) }
        } }
        let params = dense.flatMap { [$0.weight, $0.bias] }
        for s in scratch {
            for (p, acc) in zip(params, s.grads) { for i in acc.indices { p.grad[i] += acc[i] } }
        }
    }

    private func backwardTile(_ s: Scratch, _ lo: Int, _ r: Int, _ weights: [[Float]],
                              _ fBar: UnsafePointer<Float>, _ gBar: UnsafePointer<Float>) {
        let hidden = widths.count
        // Adjoint of the reverse pass, walking forwards: ū_{−1} = ∂L/∂(∇ₓf).
        var ubarPrev = gBar, kPrev = inputs
        for l in 0..<hidden {
            let n = widths[l], h = hTape[l] + lo * n, kind = kinds[l]
            let u = l == hidden - 1 ? s.broadcast : uTape[l] + lo * n
            Self.dispatch(kind) { rule in slopeProduct(rule, s.v, u, h, r * n) }
            s.grads[2 * l].withUnsafeMutableBufferPointer { gw in                      // W̄_l += ū_{l−1}ᵀ v_l
                Float.gemm(true, false, kPrev, n, r, 1, ubarPrev, kPrev, s.v, n, 1, gw.baseAddress!, n)
            }
            weights[l].withUnsafeBufferPointer { w in                                 // v̄_l = ū_{l−1} W_l
                Float.gemm(false, false, r, n, kPrev, 1, ubarPrev, kPrev, w.baseAddress!, n, 0, s.vbar, n)
            }
            let zbar = s.zbar[l], ubar = l % 2 == 0 ? s.ubar : s.prev
            Self.dispatch(kind) { rule in slopeAdjoint(rule, zbar, ubar, s.vbar, u, h, r * n) }
            ubarPrev = UnsafePointer(ubar); kPrev = n
        }
        // u_{L−2} = w_{L−1}ᵀ for every row, so W̄_{L−1} += column sums of ū_{L−2}.
        let last = widths[hidden - 1], hLast = hTape[hidden - 1] + lo * last
        s.grads[2 * hidden].withUnsafeMutableBufferPointer { gw in
            for i in 0..<r { for j in 0..<last { gw[j] += ubarPrev[i * last + j] } }
            for i in 0..<r { for j in 0..<last { gw[j] += hLast[i * last + j] * fBar[i] } } // ordinary term h_{L−2}ᵀ f̄
        }
        s.grads[2 * hidden + 1].withUnsafeMutableBufferPointer { gb in for i in 0..<r { gb[0] += fBar[i] } }
        // Ordinary backward pass with the second-order terms z̄_l injected.
        weights[hidden].withUnsafeBufferPointer { w in
            for i in 0..<r { for j in 0..<last { s.dh[i * last + j] = fBar[i] * w[j] } }
        }
        for l in stride(from: hidden - 1, through: 0, by: -1) {
            let n = widths[l], h = hTape[l] + lo * n, kind = kinds[l], zbar = s.zbar[l]
            Self.dispatch(kind) { rule in slopeBackward(rule, s.dz, s.dh, zbar, h, r * n) }
            let k = l == 0 ? inputs : widths[l - 1]
            let a = l == 0 ? UnsafePointer(input! + lo * inputs) : UnsafePointer(hTape[l - 1] + lo * k)
            s.grads[2 * l].withUnsafeMutableBufferPointer { gw in                      // W̄_l += a_{l−1}ᵀ δz_l
                Float.gemm(true, false, k, n, r, 1, a, k, s.dz, n, 1, gw.baseAddress!, n)
            }
            s.grads[2 * l + 1].withUnsafeMutableBufferPointer { gb in
                for i in 0..<r { for j in 0..<n { gb[j] += s.dz[i * n + j] } }
            }
            if l > 0 {
                weights[l].withUnsafeBufferPointer { w in                             // δh_{l−1} = δz_l W_lᵀ
                    Float.gemm(false, true, r, k, n, 1, s.dz, n, w.baseAddress!, n, 0, s.dh, k)
                }
            }
        }
    }
}

/// σ′ and σ″ of an activation expressed through its output h = σ(z).
protocol SlopeRule { static func slopes(_ h: Float) -> (Float, Float) }
enum TanhSlopes: SlopeRule { @inline(__always) static func slopes(_ h: Float) -> (Float, Float) { let s = 1 - h * h; return (s, -2 * h * s) } }
enum SigmoidSlopes: SlopeRule { @inline(__always) static func slopes(_ h: Float) -> (Float, Float) { let s = h * (1 - h); return (s, s * (1 - 2 * h)) } }
enum ReluSlopes: SlopeRule { @inline(__always) static func slopes(_ h: Float) -> (Float, Float) { (h > 0 ? 1 : 0, 0) } }
enum IdentitySlopes: SlopeRule { @inline(__always) static func slopes(_ h: Float) -> (Float, Float) { (1, 0) } }
enum SoftplusSlopes: SlopeRule { @inline(__always) static func slopes(_ h: Float) -> (Float, Float) { let s = 1 - exp(-h); return (s, s * (1 - s)) } }

/// out = u ⊙ σ′
private func slopeProduct(_ rule: any SlopeRule.Type, _ out: UnsafeMutablePointer<Float>, _ u: UnsafeMutablePointer<Float>,
                          _ h: UnsafeMutablePointer<Float>, _ count: Int) {
    if rule == TanhSlopes.self { return ek_tanh_slope_product(out, u, h, count) }
    func open<R: SlopeRule>(_: R.Type) { for i in 0..<count { out[i] = u[i] * R.slopes(h[i]).0 } }
    open(rule)
}

/// z̄ = v̄ ⊙ u ⊙ σ″ and ū = v̄ ⊙ σ′
private func slopeAdjoint(_ rule: any SlopeRule.Type, _ zbar: UnsafeMutablePointer<Float>, _ ubar: UnsafeMutablePointer<Float>,
                          _ vbar: UnsafeMutablePointer<Float>, _ u: UnsafeMutablePointer<Float>, _ h: UnsafeMutablePointer<Float>, _ count: Int) {
    if rule == TanhSlopes.self { return ek_tanh_slope_adjoint(zbar, ubar, vbar, u, h, count) }
    func open<R: SlopeRule>(_: R.Type) {
        for i in 0..<count { let (d1, d2) = R.slopes(h[i]); zbar[i] = vbar[i] * u[i] * d2; ubar[i] = vbar[i] * d1 }
    }
    open(rule)
}

/// δz = δh ⊙ σ′ + z̄
private func slopeBackward(_ rule: any SlopeRule.Type, _ dz: UnsafeMutablePointer<Float>, _ dh: UnsafeMutablePointer<Float>,
                           _ zbar: UnsafeMutablePointer<Float>, _ h: UnsafeMutablePointer<Float>, _ count: Int) {
    if rule == TanhSlopes.self { return ek_tanh_slope_backward(dz, dh, zbar, h, count) }
    func open<R: SlopeRule>(_: R.Type) { for i in 0..<count { dz[i] = dh[i] * R.slopes(h[i]).0 + zbar[i] } }
    open(rule)
}
