import CBLAS

/// Process-level tuning for numerical work.
public enum AllocatorTuning {
    /// Keeps large temporary buffers (batch activations of a few MB) in the heap instead of fresh mmap'd pages, which
    /// otherwise cost a page fault per 4 KiB on every training step. Call once at program start.
    public static func keepLargeBuffersInHeap() {
        _ = mallopt(M_MMAP_THRESHOLD, 256 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 512 << 20)
    }
}

/// Threading of the BLAS library.
public enum BLASThreads {
    /// Sets OpenBLAS's thread count. Analyses that parallelise over independent tasks use 1 to avoid oversubscription.
    public static func set(_ n: Int) { openblas_set_num_threads(Int32(n)) }
    public static var current: Int { Int(openblas_get_num_threads()) }
}
