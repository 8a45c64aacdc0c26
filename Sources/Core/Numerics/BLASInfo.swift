import CBLAS
import Foundation

/// Provenance of the BLAS in use: library and version (`openblas_get_config`), the kernel family OpenBLAS selected
/// (`openblas_get_corename`, e.g. Prescott, Haswell, SkylakeX; set by `OPENBLAS_CORETYPE`, see bench/blas-coretype.sh)
/// and its thread count.
public struct BLASInfo: Sendable, Equatable, CustomStringConvertible {
    /// Library build string, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64".
    public let config: String
    /// Kernel family in use.
    public let core: String
    /// Threads OpenBLAS uses (OPENBLAS_NUM_THREADS).
    public let threads: Int
    /// `OPENBLAS_CORETYPE` of the environment, if set.
    public let requestedCore: String?

    /// Library name and version, the first two words of `config` ("OpenBLAS 0.3.21").
    public var library: String { config.split(separator: " ").prefix(2).joined(separator: " ") }

    /// The BLAS this process runs.
    public static var current: BLASInfo {
        BLASInfo(config: openblas_get_config().map { String(cString: $0) } ?? "unknown",
                 core: openblas_get_corename().map { String(cString: $0) } ?? "unknown",
                 threads: Int(openblas_get_num_threads()),
                 requestedCore: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"])
    }

    /// One line for benchmarks and page footers: "OpenBLAS 0.3.21, SkylakeX kernels, 1 thread".
    public var description: String {
        "\(library), \(core) kernels, \(threads) thread\(threads == 1 ? "" : "s")"
    }
}
