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
