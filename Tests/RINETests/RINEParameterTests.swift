import AnalysisKit
import Foundation
import XCTest
@testable import RINE

/// `replicate describe` gives every parameter of the module's analyses a one-line meaning (issue 13 §5), and the probe
/// of every analysis stops: each reads and checks all its parameters before it trains.
final class RINEParameterHelpTests: XCTestCase {
    func testEveryParameterHasAMeaning() {
        let start = Date()
        XCTAssertEqual(RINECatalog.analyses.parameterHelpProblems(table: RINECatalog.parameterHelp), [])
        XCTAssertLessThan(Date().timeIntervalSince(start), 5, "the probes of the six analyses must stop at once")
    }

    func testTheProbeSeesTheNetworkAndScheduleParameters() {
        let keys = Set(RINEAnalyses.canonical.probeParameters().items.map(\.key))
        XCTAssertTrue(keys.isSuperset(of: ["betas", "seeds", "samples", "seed", "epochs", "batch", "learning_rate", "weight_decay",
                                           "momentum", "hidden"]), "\(keys.sorted())")
        let premotor = RINEAnalyses.premotor.probeParameters()
        XCTAssertTrue(premotor.finished)
        XCTAssertEqual(premotor.items.first { $0.key == "beta" }?.range, "0.0...100000.0")
    }
}

/// Misspelt keys and out-of-range values are `ParameterError`s under their own key and at their line, raised before any
/// sampling, data loading or training (issue 14 §4): each case below would otherwise train for seconds to minutes.
final class RINEParameterCheckTests: XCTestCase {
    /// Thrown by the test's data resolvers: an analysis touched data before it checked its parameters.
    struct DataTouched: Error {}

    /// Runs `analysis` with `lines` as a directive body (the k-th line at report line 10 + k) and returns what it threw.
    func failure(_ analysis: AnalysisDescriptor, _ lines: [(String, String)],
                 file: StaticString = #filePath, line: UInt = #line) -> (error: ParameterError?, line: Int?) {
        var entries = [String: Parameters.Entry]()
        for (k, kv) in lines.enumerated() { entries[kv.0] = Parameters.Entry(value: kv.1, line: 10 + k) }
        // The reach analysis resolves its `data:` file (cheap: a path) before rejectUnused; loading it must come after.
        let ctx = AnalysisContext(parameters: Parameters(entries), dataset: { _ in throw DataTouched() },
                                  resolveData: { spec, _ in DataInput(spec: spec, isManifestID: true, path: "/nonexistent/\(spec)", sha256: "") })
        let start = Date()
        defer { XCTAssertLessThan(Date().timeIntervalSince(start), 2, "\(analysis.name) \(lines): checked too late", file: file, line: line) }
        do {
            _ = try analysis.run(ctx)
            XCTFail("\(analysis.name) \(lines): no error", file: file, line: line)
        } catch let e as ParameterError {
            return (e, e.line)
        } catch {
            XCTFail("\(analysis.name) \(lines): \(error) instead of a ParameterError", file: file, line: line)
        }
        return (nil, nil)
    }

    /// The error names `key` and points at its line.
    func assertRejected(_ analysis: AnalysisDescriptor, _ key: String, _ value: String, among others: [(String, String)] = [],
                        message: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let lines = others + [(key, value)]
        let (e, at) = failure(analysis, lines, file: file, line: line)
        XCTAssertEqual(e?.key, key, "\(analysis.name) \(key): \(value) → \(e.map(\.description) ?? "nil")", file: file, line: line)
        XCTAssertEqual(at, 10 + others.count, "\(analysis.name) \(key): the error's line", file: file, line: line)
        if let message {
            XCTAssertTrue(e?.message.contains(message) ?? false, "\(e.map(\.description) ?? "nil") lacks '\(message)'", file: file, line: line)
        }
    }

    /// The report's own directive bodies, each with one misspelt key added.
    func testUnknownKeyIsNamedBeforeTraining() {
        let cases: [(AnalysisDescriptor, [(String, String)], String, String)] = [
            (RINEAnalyses.canonical, [("betas", "[0, 5, 15, 50, 200, 1000]"), ("seeds", "5"), ("samples", "10000"), ("seed", "1")], "seedss", "seeds"),
            (RINEAnalyses.ablation, [("beta", "15"), ("seeds", "3"), ("seed", "2")], "betta", "beta"),
            (RINEAnalyses.synthetic, [("classes", "[4, 5, 6, 7, 8]"), ("noise_inputs", "[1, 2, 3, 10, 20]"), ("learning_rates", "[0.01, 0.005]"),
                                      ("samples", "10000"), ("seed", "3")], "epoch", "epochs"),
            (RINEAnalyses.reach, [("groups", "4"), ("grouping", "direction"), ("splits", "6"), ("epochs", "150"), ("patience", "30"), ("seed", "5")],
             "surogate", "surrogate"),
            (RINEAnalyses.premotor, [("windows", "4"), ("neurons", "97"), ("trials_per_target", "91"), ("replicates", "3"), ("epochs", "100"),
                                     ("readout_epoch", "50"), ("seed", "6")],
             "trials_per_targets", "trials_per_target"),
            (RINEAnalyses.fashion, [("widths", "[4, 8, 14, 20, 28]"), ("betas", "[0, 50]"), ("seeds", "3"), ("train", "10000"), ("test", "2000"),
                                    ("epochs", "12"), ("blur_sigma", "1.5"), ("fft_cutoff", "4"), ("fixed_beta", "true"), ("seed", "7")],
             "fft_cutof", "fft_cutoff"),
        ]
        for (a, body, typo, meant) in cases {
            assertRejected(a, typo, "1", among: body, message: "unknown parameter for this analysis (did you mean '\(meant)'?)")
        }
    }

    func testCanonicalAndAblationRanges() {
        for a in [RINEAnalyses.canonical, RINEAnalyses.ablation] {
            assertRejected(a, "epochs", "0")
            assertRejected(a, "samples", "1000000000000")
            assertRejected(a, "hidden", "[25, 100000000]", message: "layer width")
            assertRejected(a, "hidden", "[8, 8, 8, 8, 8, 8, 8]", message: "entries")
            assertRejected(a, "hidden", "[]", message: "non-empty")
            assertRejected(a, "learning_rate", "-0.01")
            assertRejected(a, "momentum", "1.5")
            assertRejected(a, "batch", "0")
            assertRejected(a, "seed", "-1", message: "non-negative")
        }
        assertRejected(RINEAnalyses.canonical, "betas", "[0, 5, -15]", message: "got -15")
        assertRejected(RINEAnalyses.canonical, "betas", "[1e9]")
        assertRejected(RINEAnalyses.canonical, "epochs", "4", message: "last-5 readout")
        assertRejected(RINEAnalyses.canonical, "seeds", "1")
        assertRejected(RINEAnalyses.ablation, "beta", "-1")
    }

    func testSyntheticRanges() {
        let a = RINEAnalyses.synthetic
        assertRejected(a, "beta", "-5")
        assertRejected(a, "epochs", "0")
        assertRejected(a, "classes", "[4, 9]")
        assertRejected(a, "noise_inputs", "[1]", message: "entries")
        assertRejected(a, "noise_inputs", "[1, 100000]")
        assertRejected(a, "learning_rates", "[0.01, 0]")
        assertRejected(a, "common_inputs", "[0, 1000000000]")
        assertRejected(a, "samples", "100000000")
        assertRejected(a, "cosine_samples", "5")
        assertRejected(a, "train_fraction", "1")
        // Each in range, together too large: 10⁶ samples × (1 + 1000) inputs × 2 sources.
        assertRejected(a, "samples", "1000000", among: [("noise_inputs", "[1, 1000]")], message: "more than the")
    }

    func testSmallDataRanges() {
        for a in [RINEAnalyses.premotor, RINEAnalyses.reach] {
            assertRejected(a, "beta", "-1")
            assertRejected(a, "gamma", "1.5")
            assertRejected(a, "lr_decay", "0")
            assertRejected(a, "learning_rate", "0")
            assertRejected(a, "weight_decay", "-0.1")
            assertRejected(a, "epochs", "0")
            assertRejected(a, "hidden", "[0]")
        }
        assertRejected(RINEAnalyses.reach, "splits", "1000")
        assertRejected(RINEAnalyses.premotor, "replicates", "1000")
        assertRejected(RINEAnalyses.premotor, "replicates", "1")
        assertRejected(RINEAnalyses.premotor, "plan_correlation", "1")
        assertRejected(RINEAnalyses.premotor, "plan_sd", "0")
        assertRejected(RINEAnalyses.premotor, "momentum", "1.5")
        assertRejected(RINEAnalyses.premotor, "readout_epoch", "0")
        assertRejected(RINEAnalyses.premotor, "readout_epoch", "120", among: [("epochs", "100")], message: "must not exceed epochs")
        assertRejected(RINEAnalyses.premotor, "trials_per_target", "1000000000")
        assertRejected(RINEAnalyses.premotor, "trials_per_target", "10000", among: [("windows", "20"), ("neurons", "1000")], message: "more than the")
        assertRejected(RINEAnalyses.premotor, "neurons", "0")
        assertRejected(RINEAnalyses.premotor, "windows", "1")
        assertRejected(RINEAnalyses.reach, "grouping", "random")
        assertRejected(RINEAnalyses.reach, "patience", "0")
        assertRejected(RINEAnalyses.reach, "validation_fraction", "0.9")
    }

    func testFashionRanges() {
        let a = RINEAnalyses.fashion
        assertRejected(a, "widths", "[4, 29]")
        assertRejected(a, "betas", "[0, -50]")
        assertRejected(a, "train", "1000000")
        assertRejected(a, "test", "0")
        assertRejected(a, "hidden", "[64, 100000]")
        assertRejected(a, "epochs", "0")
        assertRejected(a, "learning_rate", "-1")
        assertRejected(a, "gamma", "1")
        assertRejected(a, "fixed_beta", "true", among: [("betas", "[0]")], message: "needs a β > 0")
    }
}
