/// What the pages say about the numerical environment that computed them. The command line fills it in (the renderer
/// itself does not link the BLAS); the provenance footer prints it. Cached results are keyed to the same BLAS kernel
/// and thread count (see `ResultCache`), so the line describes every number on the page.
public enum RenderEnvironment {
    /// The BLAS library, version, kernel family and thread count, e.g. "OpenBLAS 0.3.21, SkylakeX kernels, 1 thread".
    nonisolated(unsafe) public static var blas: String?
}
