import AnalysisKit
import DataFiles
import Foundation
import Numerics
import XCTest
@testable import RINE

/// `rine.fashion` on the user's own images (issue 13 §1): data / labels / test_data / test_labels as paths, in a table
/// (CSV) or IDX format, and shape errors naming the file, the expected and the found shape.
final class FashionDataTests: XCTestCase {
    func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> URL { try temporaryFile(prefix: "rine-fashion", name, bytes) }

    /// An unsigned-byte IDX file with the given dimensions.
    func idx(_ dims: [Int], _ bytes: [UInt8]) -> [UInt8] { IDXFile.encoded(dimensions: dims, bytes: bytes) }

    /// n generated 28 × 28 images: class c lights row block c of both halves (so both crops know the class), plus noise.
    func images(_ n: Int, seed: UInt64) -> (pixels: [[UInt8]], labels: [Int]) {
        var rng = Xoshiro256(seed: seed)
        var px = [[UInt8]](), labels = [Int]()
        for i in 0..<n {
            let c = i % 10
            labels.append(c)
            px.append((0..<784).map { k in
                let row = k / 28
                return UInt8(min(255, (row / 3 == c ? 200 : 0) + rng.int(below: 40)))
            })
        }
        return (px, labels)
    }

    func run(_ parameters: [String: String]) throws -> AnalysisOutput {
        try RINEAnalyses.fashion.run(AnalysisContext(parameters: Parameters(parameters)))
    }

    let fast: [String: String] = ["widths": "[14]", "betas": "[0]", "seeds": "1", "epochs": "20", "hidden": "[8]", "train": "200", "test": "100", "learning_rate": "0.02"]

    /// A CSV training set and an IDX test set, generated here: the analysis reads them (not Fashion-MNIST), names the
    /// file in the caption, uses the entropy of the given test labels, and finds the class shared by both crops.
    func testOwnImagesInCSVAndIDX() throws {
        let tr = images(200, seed: 1), te = images(100, seed: 2)
        let trainCSV = try temporaryFile("train.csv", Array(tr.pixels.map { $0.map(String.init).joined(separator: ",") }.joined(separator: "\n").utf8))
        let trainLabels = try temporaryFile("train-labels.csv", Array(tr.labels.map(String.init).joined(separator: "\n").utf8))
        let testIDX = try temporaryFile("test-images.idx", idx([100, 28, 28], te.pixels.flatMap { $0 }))
        let testLabels = try temporaryFile("test-labels.idx", idx([100], te.labels.map(UInt8.init)))
        var p = fast
        p["data"] = trainCSV.path; p["labels"] = trainLabels.path; p["test_data"] = testIDX.path; p["test_labels"] = testLabels.path
        let out = try run(p)
        XCTAssertTrue(out.figures[0].caption.contains("rine-fashion-\(ProcessInfo.processInfo.processIdentifier)-train.csv (200 training / 100 test images"), out.figures[0].caption)
        XCTAssertTrue(out.tables[0].caption.contains(String(format: "H(Y) of the test labels = %.3f bits", log2(10.0))), out.tables[0].caption)
        let v = try XCTUnwrap(out.values.first { $0.name == "rine.fashion_crop_w14_beta0" })
        XCTAssertTrue(v.value.isFinite)
        XCTAssertGreaterThan(v.value, 0.5, "both crops see the lit row block of the class")
    }

    /// Shape, count and label errors are ParameterErrors at the file's key naming the file, the expected and the found shape.
    func testShapeMismatchNamesFileExpectedAndFound() throws {
        let good = images(20, seed: 3)
        let csv = try temporaryFile("ok.csv", Array(good.pixels.map { $0.map(String.init).joined(separator: ",") }.joined(separator: "\n").utf8))
        let labels = try temporaryFile("ok-labels.csv", Array(good.labels.map(String.init).joined(separator: "\n").utf8))
        let narrow = try temporaryFile("narrow.csv", Array(good.pixels.map { $0.dropLast().map(String.init).joined(separator: ",") }.joined(separator: "\n").utf8))
        let big = try temporaryFile("big.idx", idx([20, 32, 32], [UInt8](repeating: 0, count: 20 * 32 * 32)))
        let short = try temporaryFile("short-labels.csv", Array(good.labels.dropLast(2).map(String.init).joined(separator: "\n").utf8))
        let badLabel = try temporaryFile("bad-labels.csv", Array((["12"] + good.labels.dropFirst().map(String.init)).joined(separator: "\n").utf8))
        func failure(_ files: [String: String]) -> ParameterError? {
            var p = fast
            p["data"] = csv.path; p["labels"] = labels.path; p["test_data"] = csv.path; p["test_labels"] = labels.path
            for (k, v) in files { p[k] = v }
            do { _ = try run(p); XCTFail("\(files): no error"); return nil }
            catch let e as ParameterError { return e }
            catch { XCTFail("\(files): \(error) instead of a ParameterError"); return nil }
        }
        var e = failure(["data": narrow.path])
        XCTAssertEqual(e?.key, "data")
        XCTAssertTrue(e?.message.contains("\(narrow.path): expected a table of shape (images, 784)") ?? false, e?.description ?? "")
        XCTAssertTrue(e?.message.contains("found (20, 783)") ?? false, e?.description ?? "")
        e = failure(["test_data": big.path])
        XCTAssertEqual(e?.key, "test_data")
        XCTAssertTrue(e?.message.contains("\(big.path): expected IDX images of dimensions [n, 28, 28]") ?? false, e?.description ?? "")
        XCTAssertTrue(e?.message.contains("found [20, 32, 32]") ?? false, e?.description ?? "")
        e = failure(["labels": short.path])
        XCTAssertEqual(e?.key, "labels")
        XCTAssertTrue(e?.message.contains("has 18 labels but \(csv.path) has 20 images") ?? false, e?.description ?? "")
        e = failure(["test_labels": badLabel.path])
        XCTAssertEqual(e?.key, "test_labels")
        XCTAssertTrue(e?.message.contains("row 1 holds 12") ?? false, e?.description ?? "")
        e = failure(["data": "/nonexistent/images.csv"])
        XCTAssertEqual(e?.key, "data")
    }

    /// NaN passed the pixel range test (every comparison with NaN is false; issue 14 §4, audit F1): a non-finite pixel
    /// is an error at the file's key naming the file, the row and the pixel.
    func testNonFinitePixelIsAnErrorNamingFileRowAndPixel() throws {
        let good = images(20, seed: 4)
        var values = good.pixels.flatMap { $0.map(Double.init) }
        values[2 * 784 + 99] = .nan
        let npy = try temporaryFile("nan.npy", NPYArray.encoded(values, shape: [20, 784]))
        let labels = try temporaryFile("nan-labels.csv", Array(good.labels.map(String.init).joined(separator: "\n").utf8))
        let goodCSV = try temporaryFile("finite.csv", Array(good.pixels.map { $0.map(String.init).joined(separator: ",") }.joined(separator: "\n").utf8))
        var p = fast
        p["data"] = npy.path; p["labels"] = labels.path; p["test_data"] = goodCSV.path; p["test_labels"] = labels.path
        XCTAssertThrowsError(try run(p)) { e in
            let pe = e as? ParameterError
            XCTAssertEqual(pe?.key, "data", "\(e)")
            for text in [npy.path, "row 3, pixel 100", "nan", "finite"] { XCTAssertTrue(pe?.message.contains(text) ?? false, "\(text): \(e)") }
        }
        values[2 * 784 + 99] = -.infinity
        let inf = try temporaryFile("inf.npy", NPYArray.encoded(values, shape: [20, 784]))
        p["data"] = inf.path
        XCTAssertThrowsError(try run(p)) { e in XCTAssertTrue("\(e)".contains("row 3, pixel 100"), "\(e)") }
    }
}
