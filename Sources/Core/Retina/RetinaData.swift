import Foundation
import AnalysisKit
import DataFiles
import Numerics

/// The dataset of the paper and a per-process cache of its decoded raster and pairwise informations.
enum RetinaData {
    static let datasetID = "retina/bint_fishmovie32_100.mat"
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: (SpikeRaster, [[Double]])] = [:]

    /// The spike raster named by the directive's `data:` parameter (a manifest id, a MAT v5 file with a `bint`
    /// variable or a .npy array, repeats × neurons × bins, relative to the report; default: the paper's recording) and the matrix
    /// of pairwise I(σi;σj), loaded once per process and file.
    static func load(_ context: AnalysisContext) throws -> (raster: SpikeRaster, mi: [[Double]]) {
        let url = try context.dataFile("data", default: datasetID)
        // Keyed by path, size and modification date, so a regenerated file is read again.
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let key = "\(url.path)|\((attributes?[.size] as? NSNumber)?.intValue ?? -1)|\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        lock.lock(); defer { lock.unlock() }
        if let c = cache[key] { return c }
        context.progress("reading \(url.lastPathComponent)")
        let raster = try SpikeRaster(contentsOf: url)
        try check(raster, file: url.path, context.parameters)
        let mi = PartnerRanking.pairwiseInformation(raster)
        cache[key] = (raster, mi)
        return (raster, mi)
    }

    /// What every retina analysis needs of a raster before any statistic is computed (issue 14 §4: the module is built
    /// with `-Ounchecked`, so the preconditions of `Resampling.randomHalves` (n ≥ 2), `SampleSizeExtrapolation` (n ≥ 2)
    /// and `Xoshiro256.int(below:)` (n > 0) must never be reached with the repeats of a user's file): at least 2 repeats
    /// (every error comes from random halves of the repeats) and a pairwise-information matrix that fits in memory.
    /// The readers already reject empty dimensions.
    static func check(_ raster: SpikeRaster, file: String, _ p: Parameters) throws {
        guard raster.repeats >= 2 else {
            throw DataFileError(file: file, message: "a spike raster needs at least 2 repeats (the errors come from random halves of the repeats), found \(raster.repeats) (shape: \(raster.repeats) repeats × \(raster.neurons) neurons × \(raster.bins) bins)")
        }
        let n = Double(raster.neurons)
        try p.requireMemory(8 * n * n + Double(raster.samples) * n / 8, for: "the pairwise informations of \(raster.neurons) cells",
                            keys: ["data"])
    }

    /// The `data:` of the directive as written (or the paper's recording), for messages about the raster's contents.
    static func name(_ context: AnalysisContext) -> String {
        context.parameters.entries["data"]?.value.trimmingCharacters(in: .whitespaces) ?? datasetID
    }

    /// Neuron chosen as σ0 for the single-cell examples: `neuron` if ≥ 0, else the cell whose 8 best partners share
    /// the most information with it.
    static func exampleNeuron(_ requested: Int, raster: SpikeRaster, mi: [[Double]]) throws -> Int {
        if requested >= 0 {
            guard requested < raster.neurons else { throw RetinaError("neuron \(requested) out of range 0..<\(raster.neurons)") }
            return requested
        }
        let s = firstGroupSummary(raster: raster, mi: mi)
        return s.information.indices.max { s.information[$0] < s.information[$1] || (s.information[$0] == s.information[$1] && $0 > $1) }!
    }

    /// For every σ0: I(σ0; S1) (bits), the number of the 256 states of its 8 best partners seen in the data, and the
    /// number of those seen with both values of σ0 (a finite empirical h_eff).
    static func firstGroupSummary(raster: SpikeRaster, mi: [[Double]]) -> (information: [Double], statesSeen: [Int], statesFinite: [Int]) {
        let perCell = Parallel.map(raster.neurons) { s0 -> (information: Double, seen: Int, finite: Int) in
            let partners = Array(PartnerRanking.ranked(mi, target: s0).prefix(8))
            let j = RepeatCounts(codes: raster.codes(partners), size: 256, target: raster.spikes[s0],
                                 repeats: raster.repeats, bins: raster.bins).joint()
            return (j.mutualInformation, j.statesSeen, (0..<256).filter { j.n0[$0] > 0 && j.n1[$0] > 0 }.count)
        }
        return (perCell.map(\.information), perCell.map(\.seen), perCell.map(\.finite))
    }
}

/// Formatting and small statistics helpers for the analyses.
enum Fmt {
    /// Significant figures that print an integer-valued scalar without decimals.
    static func intFigures(_ x: Double) -> Int { max(1, String(Int(abs(x).rounded())).count) }
    static func f(_ x: Double, _ d: Int = 3) -> String { x.isFinite ? String(format: "%.\(d)f", x) : "–" }
    /// Gaussian mixture density with per-point widths √(h² + e_i²): a KDE that takes each point's error bar into account.
    static func errorAwareDensity(_ x: [Double], errors: [Double], grid: [Double]) -> [Double] {
        let sd = Numerics_sd(x)
        let h = max(1.06 * sd * pow(Double(max(x.count, 1)), -0.2), 1e-3)
        return grid.map { g in
            var s = 0.0
            for (xi, ei) in zip(x, errors) {
                let w = (h * h + ei * ei).squareRoot()
                let z = (g - xi) / w
                s += exp(-0.5 * z * z) / (w * (2 * Double.pi).squareRoot())
            }
            return s / Double(max(x.count, 1))
        }
    }
    private static func Numerics_sd(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        let m = x.reduce(0, +) / Double(x.count)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
    }
}

/// A thread-safe count of finished tasks, for the progress messages of `Parallel.map` bodies. `Parallel.map` keeps
/// results in index order but has no notion of "how many are done", so this counter (and its lock) is the only shared
/// state of those loops; it never touches a result.
final class ProgressTally: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()
    /// Counts one more finished task and returns the new total.
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; count += 1; return count }
}
