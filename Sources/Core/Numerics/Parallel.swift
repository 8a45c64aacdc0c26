import Foundation

/// Deterministic parallel loops: results land in preallocated slots by index, so the output does not depend on the
/// number of threads or the order in which tasks finish.
public enum Parallel {
    /// `[body(0), body(1), …, body(n − 1)]`, computed concurrently.
    public static func map<T>(_ n: Int, _ body: (Int) throws -> T) rethrows -> [T] {
        guard n > 0 else { return [] }
        let slots = UnsafeMutablePointer<T?>.allocate(capacity: n)
        slots.initialize(repeating: nil, count: n)
        defer { slots.deinitialize(count: n); slots.deallocate() }
        let errors = UnsafeMutablePointer<Error?>.allocate(capacity: n)
        errors.initialize(repeating: nil, count: n)
        defer { errors.deinitialize(count: n); errors.deallocate() }
        try withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: n) { i in
                do { slots[i] = try body(i) } catch { errors[i] = error }
            }
            for i in 0..<n { if let e = errors[i] { throw e } }
        }
        return (0..<n).map { slots[$0]! }
    }
}
