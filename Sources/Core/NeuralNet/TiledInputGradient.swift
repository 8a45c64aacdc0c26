import Foundation
import Numerics
import ElementwiseKernels

/// Cache-blocked reverse-over-reverse differentiation for scalar-output MLPs (`Dense`, activation, …, `Dense` → 1):
/// `evaluate` gives f(x) and ∇ₓf for a batch, `accumulateGradients` adds the parameter gradients of a loss L(f, ∇ₓf)
/// to the network's `Parameter.grad`. Rows are processed in tiles so that, for moderate widths, a tile's intermediates stay in cache;
/// activation derivatives are computed inside the tile loops instead of separate passes. With `threads` > 1 the threads
/// take tiles from a shared queue (a thread that is descheduled does not hold back the others) and each tile's parameter
/// gradients go to that tile's own accumulator, summed in tile order afterwards: the result does not depend on the thread
/// count (2, 3, … give the same bits; 1 thread accumulates in one buffer and may differ in the last bits).
/// Same mathematics as `Sequential.forwardWithInputGradient` / `backwardWithInputGradient`.
///
/// For tanh networks on AVX-512 CPUs (`fused`), the products with the weight matrices W_l and W_lᵀ run on the
/// `DenseTileKernels` with the elementwise step of each product applied before the tile is stored: the forward
/// h_l = tanh(a W_l + b_l), the reverse u_{l−1} = v_l W_lᵀ with v_{l−1} = u_{l−1} ⊙ σ′, the adjoint v̄_l = ū_{l−1} W_l
/// with z̄_l and ū_l, and the backward δh_{l−1} = δz_l W_lᵀ with δz_{l−1} and the bias gradient. v_l is kept on the
/// tape instead of being recomputed. Each product is one fused-multiply-add chain per element, so the results equal
/// the OpenBLAS SkylakeX path bit for bit on the tile shapes tested (rows a multiple of 16); the weight gradients
/// W̄_l += aᵀb are unpacked kernels too, summed in that library's depth blocks.
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
    // Fused path: v_l = u_l ⊙ σ′ per hidden layer (rows × n_l), and W_l, W_lᵀ packed for the kernels.
    private var vTape = [UnsafeMutablePointer<Float>]()
    private var packed = [UnsafeMutablePointer<Float>](), packedT = [UnsafeMutablePointer<Float>?]()
    /// Whether the fused AVX-512 kernels are in use (tanh hidden layers, a CPU with AVX-512 F, `fusedKernels`).
    public let fused: Bool
    private var capacity = 0
    private var input: UnsafeMutablePointer<Float>? = nil
    /// Rows of the last `evaluate`.
    public private(set) var rows = 0
    private let scratch: [Scratch]
    private let parameterSizes: [Int]
    /// With threads > 1: one gradient accumulator per tile of the last `accumulateGradients` (grown on demand).
    private var tileGradients = [Gradients]()

    /// Parameter-gradient accumulators, one array per parameter (W_0, b_0, W_1, …).
    private final class Gradients {
        var grads: [[Float]]
        init(_ sizes: [Int]) { grads = sizes.map { [Float](repeating: 0, count: $0) } }
        func zero() { for p in grads.indices { for i in grads[p].indices { grads[p][i] = 0 } } }
    }

    /// Per-thread buffers: tile temporaries, and the gradient accumulator the current tile adds to (the thread's own
    /// with 1 thread, the tile's with several).
    private final class Scratch {
        let v, vbar, ubar, prev, dh, dz, broadcast: UnsafeMutablePointer<Float>
        let zbar: [UnsafeMutablePointer<Float>]
        var sink: Gradients
        init(tile: Int, width: Int, hidden: Int, parameterSizes: [Int]) {
            func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
                let p = UnsafeMutablePointer<Float>.allocate(capacity: n); p.initialize(repeating: 0, count: n); return p
            }
            let n = tile * width
            v = buffer(n); vbar = buffer(n); ubar = buffer(n); prev = buffer(n); dh = buffer(n); dz = buffer(n); broadcast = buffer(n)
            zbar = (0..<hidden).map { _ in buffer(n) }
            sink = Gradients(parameterSizes)
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
    /// `fusedKernels: false` keeps every product on BLAS (the reference path).
    public init(network: Sequential, tileRows: Int = 512, threads: Int = 1, fusedKernels: Bool = true) {
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
        parameterSizes = sizes
        scratch = (0..<threads).map { _ in Scratch(tile: tileRows, width: width, hidden: kinds.count, parameterSizes: sizes) }
        fused = fusedKernels && kinds.allSatisfy { $0 == .tanh } && dtk_available() != 0
        if fused {
            packed = dense.dropLast().map { dtk_alloc(dtk_packed_count(Int32($0.inputs), Int32($0.outputs)))! }
            packedT = dense.dropLast().enumerated().map { l, d in
                l == 0 ? nil : dtk_alloc(dtk_packed_count(Int32(d.outputs), Int32(d.inputs)))
            }
        }
    }

    deinit {
        release()
        for p in packed { dtk_free(p) }
        for p in packedT { if let p { dtk_free(p) } }
    }

    /// Packs W_l (and W_lᵀ for l ≥ 1) of the hidden layers for the fused kernels.
    private func packWeights(_ weights: [[Float]]) {
        for l in 0..<widths.count {
            let k = Int32(l == 0 ? inputs : widths[l - 1]), n = Int32(widths[l])
            weights[l].withUnsafeBufferPointer { w in
                dtk_pack(w.baseAddress!, n, k, n, 0, packed[l])
                if let t = packedT[l] { dtk_pack(w.baseAddress!, n, n, k, 1, t) }
            }
        }
    }

    private func release() {
        for p in hTape + uTape + vTape { p.deallocate() }
        input?.deallocate()
        hTape = []; uTape = []; vTape = []; input = nil; capacity = 0
    }

    private func reserve(_ n: Int) {
        guard n > capacity else { return }
        release()
        hTape = widths.map { UnsafeMutablePointer<Float>.allocate(capacity: n * $0) }
        uTape = widths.dropLast().map { UnsafeMutablePointer<Float>.allocate(capacity: n * $0) }
        if fused { vTape = widths.map { UnsafeMutablePointer<Float>.allocate(capacity: n * $0) } }
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

    private var tileCount: Int { (rows + tileRows - 1) / tileRows }

    /// Every tile once: in order on one thread; with several, each thread takes the next tile from a shared counter.
    /// With `perTileGradients` each tile adds its parameter gradients to `tileGradients[tile]`.
    private func forEachTile(perTileGradients: Bool = false, _ body: @escaping (Scratch, Int, Int) -> Void) {
        let tiles = tileCount
        if threads == 1 {
            for tile in 0..<tiles {
                let lo = tile * tileRows
                body(scratch[0], lo, min(rows, lo + tileRows) - lo)
            }
            return
        }
        let queue = TileQueue()
        _ = Parallel.map(threads) { t in
            let s = self.scratch[t]
            while let tile = queue.next(below: tiles) {
                if perTileGradients { s.sink = self.tileGradients[tile] }
                let lo = tile * self.tileRows
                body(s, lo, min(self.rows, lo + self.tileRows) - lo)
            }
        }
    }

    /// The shared tile counter of `forEachTile`.
    private final class TileQueue: @unchecked Sendable {
        private var nextTile = 0
        private let lock = NSLock()
        func next(below n: Int) -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard nextTile < n else { return nil }
            defer { nextTile += 1 }
            return nextTile
        }
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
        if fused { packWeights(weights) }
        f.withUnsafeMutableBufferPointer { fp in g.withUnsafeMutableBufferPointer { gp in
            let fOut = fp.baseAddress!, gOut = gp.baseAddress!
            forEachTile { s, lo, r in
                if self.fused { self.forwardTileFused(s, lo, r, weights, biases, fOut + lo, gOut + lo * self.inputs) }
                else { self.forwardTile(s, lo, r, weights, biases, fOut + lo, gOut + lo * self.inputs) }
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

    /// `forwardTile` on the fused kernels (tanh layers): the same operations in the same order.
    private func forwardTileFused(_ s: Scratch, _ lo: Int, _ r: Int, _ weights: [[Float]], _ biases: [[Float]],
                                  _ fOut: UnsafeMutablePointer<Float>, _ gOut: UnsafeMutablePointer<Float>) {
        let hidden = widths.count, r32 = Int32(r)
        var a = UnsafePointer(input! + lo * inputs), k = inputs
        for l in 0..<hidden {
            let n = widths[l], h = hTape[l] + lo * n
            biases[l].withUnsafeBufferPointer { b in
                dtk_gemm_bias_tanh(r32, Int32(n), Int32(k), a, Int32(k), packed[l], b.baseAddress!, h, Int32(n))
            }
            a = UnsafePointer(h); k = n
        }
        let last = widths[hidden - 1], hLast = hTape[hidden - 1] + lo * last
        weights[hidden].withUnsafeBufferPointer { w in Float.gemm(false, false, r, 1, last, 1, hLast, last, w.baseAddress!, 1, 0, fOut, 1) }
        let b = biases[hidden][0]
        for i in 0..<r { fOut[i] += b }
        // v_{L−2} = w_{L−1}ᵀ ⊙ σ′; then u_{l−1} = v_l W_lᵀ and v_{l−1} = u_{l−1} ⊙ σ′ in one kernel; ∇ₓf = v_0 W_0ᵀ.
        ek_tanh_slope_product(vTape[hidden - 1] + lo * last, s.broadcast, hLast, r * last)
        for l in stride(from: hidden - 1, through: 1, by: -1) {
            let n = widths[l], kPrev = widths[l - 1]
            dtk_gemm_tanh_slope(r32, Int32(kPrev), Int32(n), vTape[l] + lo * n, Int32(n), packedT[l]!,
                                hTape[l - 1] + lo * kPrev, uTape[l - 1] + lo * kPrev, vTape[l - 1] + lo * kPrev, Int32(kPrev))
        }
        let n0 = widths[0]
        weights[0].withUnsafeBufferPointer { w in
            Float.gemm(false, true, r, inputs, n0, 1, vTape[0] + lo * n0, n0, w.baseAddress!, n0, 0, gOut, inputs)
        }
    }

    /// Adds to the network's parameter gradients those of a loss with ∂L/∂f = `gradOutput` (rows) and
    /// ∂L/∂(∇ₓf) = `gradGradient` (rows × inputs), for the batch of the last `evaluate`.
    public func accumulateGradients(gradOutput: [Float], gradGradient: [Float]) {
        precondition(gradOutput.count == rows && gradGradient.count == rows * inputs, "gradients must match the last evaluate")
        let weights = dense.map(\.weight.value)
        let perTile = threads > 1
        if perTile {
            while tileGradients.count < tileCount { tileGradients.append(Gradients(parameterSizes)) }
            for g in tileGradients.prefix(tileCount) { g.zero() }
        }
        for s in scratch {
            s.broadcast(weights[widths.count], rows: tileRows)
            if !perTile { s.sink.zero() }
        }
        if fused { packWeights(weights) }
        gradOutput.withUnsafeBufferPointer { fb in gradGradient.withUnsafeBufferPointer { gb in
            let fBar = fb.baseAddress!, gBar = gb.baseAddress!
            forEachTile(perTileGradients: perTile) { s, lo, r in
                if self.fused { self.backwardTileFused(s, lo, r, weights, fBar + lo, gBar + lo * self.inputs) }
                else { self.backwardTile(s, lo, r, weights, fBar + lo, gBar + lo * self.inputs) }
            }
        } }
        let params = dense.flatMap { [$0.weight, $0.bias] }
        for g in perTile ? Array(tileGradients.prefix(tileCount)) : [scratch[0].sink] {
            for (p, acc) in zip(params, g.grads) { for i in acc.indices { p.grad[i] += acc[i] } }
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
            s.sink.grads[2 * l].withUnsafeMutableBufferPointer { gw in                      // W̄_l += ū_{l−1}ᵀ v_l
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
        s.sink.grads[2 * hidden].withUnsafeMutableBufferPointer { gw in
            for i in 0..<r { for j in 0..<last { gw[j] += ubarPrev[i * last + j] } }
            for i in 0..<r { for j in 0..<last { gw[j] += hLast[i * last + j] * fBar[i] } } // ordinary term h_{L−2}ᵀ f̄
        }
        s.sink.grads[2 * hidden + 1].withUnsafeMutableBufferPointer { gb in for i in 0..<r { gb[0] += fBar[i] } }
        // Ordinary backward pass with the second-order terms z̄_l injected.
        weights[hidden].withUnsafeBufferPointer { w in
            for i in 0..<r { for j in 0..<last { s.dh[i * last + j] = fBar[i] * w[j] } }
        }
        for l in stride(from: hidden - 1, through: 0, by: -1) {
            let n = widths[l], h = hTape[l] + lo * n, kind = kinds[l], zbar = s.zbar[l]
            Self.dispatch(kind) { rule in slopeBackward(rule, s.dz, s.dh, zbar, h, r * n) }
            let k = l == 0 ? inputs : widths[l - 1]
            let a = l == 0 ? UnsafePointer(input! + lo * inputs) : UnsafePointer(hTape[l - 1] + lo * k)
            s.sink.grads[2 * l].withUnsafeMutableBufferPointer { gw in                      // W̄_l += a_{l−1}ᵀ δz_l
                Float.gemm(true, false, k, n, r, 1, a, k, s.dz, n, 1, gw.baseAddress!, n)
            }
            s.sink.grads[2 * l + 1].withUnsafeMutableBufferPointer { gb in
                for i in 0..<r { for j in 0..<n { gb[j] += s.dz[i * n + j] } }
            }
            if l > 0 {
                weights[l].withUnsafeBufferPointer { w in                             // δh_{l−1} = δz_l W_lᵀ
                    Float.gemm(false, true, r, k, n, 1, s.dz, n, w.baseAddress!, n, 0, s.dh, k)
                }
            }
        }
    }

    /// W̄ (k × n) += aᵀ b over the r rows of a tile, summed in the depth blocks of OpenBLAS's SkylakeX sgemm (448 rows,
    /// halves rounded to 16) above its small-matrix bound k·n·r ≤ 10⁶, so the sums equal that library's bit for bit.
    @inline(__always) private static func weightGradient(_ k: Int, _ n: Int, _ r: Int, _ a: UnsafePointer<Float>,
                                                         _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) {
        let blocked = Double(k) * Double(n) * Double(r) > 1e6
        dtk_gemm_tn_accumulate(Int32(k), Int32(n), Int32(r), a, Int32(k), b, Int32(n), c, Int32(n), blocked ? 448 : 0, 16)
    }

    /// `backwardTile` on the fused kernels (tanh layers): the same operations in the same order, with v_l read from
    /// the tape, and δz_{l−1} with its bias gradient produced by the kernel that computes δh_{l−1}.
    private func backwardTileFused(_ s: Scratch, _ lo: Int, _ r: Int, _ weights: [[Float]],
                                   _ fBar: UnsafePointer<Float>, _ gBar: UnsafePointer<Float>) {
        let hidden = widths.count, r32 = Int32(r)
        var ubarPrev = gBar, kPrev = inputs
        for l in 0..<hidden {
            let n = widths[l], h = hTape[l] + lo * n, v = vTape[l] + lo * n
            let u = l == hidden - 1 ? s.broadcast : uTape[l] + lo * n
            s.sink.grads[2 * l].withUnsafeMutableBufferPointer { gw in                      // W̄_l += ū_{l−1}ᵀ v_l
                Self.weightGradient(kPrev, n, r, ubarPrev, v, gw.baseAddress!)
            }
            let zbar = s.zbar[l], ubar = l % 2 == 0 ? s.ubar : s.prev
            dtk_gemm_tanh_adjoint(r32, Int32(n), Int32(kPrev), ubarPrev, Int32(kPrev), packed[l], u, h, zbar, ubar, Int32(n))
            ubarPrev = UnsafePointer(ubar); kPrev = n
        }
        let last = widths[hidden - 1], hLast = hTape[hidden - 1] + lo * last
        s.sink.grads[2 * hidden].withUnsafeMutableBufferPointer { gw in
            for i in 0..<r { for j in 0..<last { gw[j] += ubarPrev[i * last + j] } }
            for i in 0..<r { for j in 0..<last { gw[j] += hLast[i * last + j] * fBar[i] } }
        }
        s.sink.grads[2 * hidden + 1].withUnsafeMutableBufferPointer { gb in for i in 0..<r { gb[0] += fBar[i] } }
        weights[hidden].withUnsafeBufferPointer { w in
            for i in 0..<r { for j in 0..<last { s.dh[i * last + j] = fBar[i] * w[j] } }
        }
        // δz of the last hidden layer elementwise; below it, each δz comes with the product that feeds it.
        var dz = s.dz, spare = s.dh
        ek_tanh_slope_backward(dz, s.dh, s.zbar[hidden - 1], hLast, r * last)
        s.sink.grads[2 * (hidden - 1) + 1].withUnsafeMutableBufferPointer { gb in
            for i in 0..<r { for j in 0..<last { gb[j] += dz[i * last + j] } }
        }
        for l in stride(from: hidden - 1, through: 0, by: -1) {
            let n = widths[l], k = l == 0 ? inputs : widths[l - 1]
            let a = l == 0 ? UnsafePointer(input! + lo * inputs) : UnsafePointer(hTape[l - 1] + lo * k)
            s.sink.grads[2 * l].withUnsafeMutableBufferPointer { gw in                      // W̄_l += a_{l−1}ᵀ δz_l
                Self.weightGradient(k, n, r, a, dz, gw.baseAddress!)
            }
            if l > 0 {                                                               // δh_{l−1} = δz_l W_lᵀ → δz_{l−1}
                s.sink.grads[2 * (l - 1) + 1].withUnsafeMutableBufferPointer { gb in
                    dtk_gemm_tanh_backward(r32, Int32(k), Int32(n), dz, Int32(n), packedT[l]!, hTape[l - 1] + lo * k,
                                           s.zbar[l - 1], spare, Int32(k), gb.baseAddress!)
                }
                swap(&dz, &spare)
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
