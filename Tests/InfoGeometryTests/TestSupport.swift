import Foundation
import Numerics

/// One OpenBLAS thread while this module's tests run. They parallelise over replicates (`Parallel.map`, and the ring
/// oracle over its ln γ nodes) and call BLAS on small matrices inside every task; OpenBLAS's own threads then contend with
/// those tasks (its workers spin in sched_yield). Measured on the shared 2-core machine with a bare `swift test`:
/// `LNPExactTests.testReplicateErrorIsCalibrated` took 12 s of CPU but 521 s of wall time with the default thread count.
/// The command line sets one thread the same way (`ReplicateCommand`), and `make test` exports OPENBLAS_NUM_THREADS=1; an
/// explicit OPENBLAS_NUM_THREADS is respected. Each test class restores the previous count when it finishes.
enum TestBLAS {
    nonisolated(unsafe) static var saved: [Int] = []
    static func begin() {
        saved.append(BLASThreads.current)
        if ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil { BLASThreads.set(1) }
    }
    static func end() { if let n = saved.popLast() { BLASThreads.set(n) } }
}
