import Foundation
import Numerics

AllocatorTuning.keepLargeBuffersInHeap()

/// Benchmarks, one entry per kernel or paper; `bench all` runs them all, `bench NAME...` selected ones.
let benchmarks: [(name: String, run: () throws -> Void)] = [
    ("numerics", runNumericsBenchmarks),
    ("nn", runNeuralNetBenchmarks),
    ("retina", runRetinaBenchmarks),
    ("geometry", runInfoGeometryBenchmarks),
    ("rmi", runRenormalizedMIBenchmarks),
    ("rine", runRINEBenchmarks),
    ("collective", runCollectiveRedundancyBenchmarks),
]

let requested = Array(CommandLine.arguments.dropFirst())
let selected = requested.isEmpty || requested == ["all"] ? benchmarks.map(\.name) : requested
for name in selected {
    guard let b = benchmarks.first(where: { $0.name == name }) else {
        FileHandle.standardError.write("unknown benchmark '\(name)'; known: \(benchmarks.map(\.name).joined(separator: ", "))\n".data(using: .utf8)!)
        exit(2)
    }
    print("== \(b.name)")
    do { try b.run() } catch { print("benchmark \(name) failed: \(error)"); exit(1) }
}
