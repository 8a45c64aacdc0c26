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
    ("prose", runProseBenchmarks),
]

/// The CPU's model name and family/model numbers from /proc/cpuinfo ("unknown CPU" elsewhere).
func cpuModel() -> String {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
    func field(_ key: String) -> String? {
        info.split(separator: "\n").first { $0.hasPrefix(key) && $0.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix(":") }
            .map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) }
    }
    let cores = info.split(separator: "\n").filter { $0.hasPrefix("processor") }.count
    return "\(field("model name") ?? "unknown CPU") (family \(field("cpu family") ?? "?"), model \(field("model") ?? "?"), \(cores) logical cores)"
}

print("CPU: \(cpuModel())")
print("BLAS: \(BLASInfo.current) [\(BLASInfo.current.config)]"
      + (BLASInfo.current.requestedCore.map { ", OPENBLAS_CORETYPE=\($0)" } ?? ", library's own kernel choice"))

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
