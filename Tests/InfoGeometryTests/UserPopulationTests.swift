import XCTest
import AnalysisKit
import Numerics
@testable import InfoGeometry

/// `geometry.gaussian` on a population given as files (issue 13): W and Σₓ from CSV, Σₙ = noise_variance · I.
final class UserPopulationTests: XCTestCase {
    override class func setUp() { super.setUp(); TestBLAS.begin() }
    override class func tearDown() { TestBLAS.end(); super.tearDown() }

    func testGaussianAnalysisReadsUserMatrices() throws {
        let dir = FileManager.default.temporaryDirectory
        let tag = "geometry-\(ProcessInfo.processInfo.processIdentifier)"
        let wURL = dir.appendingPathComponent("\(tag)-W.csv"), sURL = dir.appendingPathComponent("\(tag)-S.csv")
        try "1,0,0\n0,1,0\n1,1,1\n0.5,-0.5,0\n".write(to: wURL, atomically: true, encoding: .utf8)
        try "2,0.5,0\n0.5,1,0\n0,0,0.5\n".write(to: sURL, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: wURL); try? FileManager.default.removeItem(at: sURL) }
        let out = try GaussianAnalysis.run(AnalysisContext(parameters: Parameters(
            ["tuning_file": wURL.path, "covariance_file": sURL.path, "noise_variance": "0.3", "intervals": "200"])))
        let pop = try GaussianLinearPopulation(priorCovariance: Matrix([[2, 0.5, 0], [0.5, 1, 0], [0, 0, 0.5]]),
                                               weights: Matrix([[1, 0, 0], [0, 1, 0], [1, 1, 1], [0.5, -0.5, 0]]),
                                               noiseCovariance: 0.3 * Matrix<Double>.identity(4))
        let mi = out.values.first { $0.name == "geometry.gauss_mi" }!.value
        XCTAssertEqual(mi, try pop.mutualInformation(), accuracy: 1e-12)
        // A covariance of the wrong size is an error naming the parameter.
        XCTAssertThrowsError(try GaussianAnalysis.run(AnalysisContext(parameters: Parameters(
            ["tuning_file": sURL.path, "covariance_file": wURL.path]))))
        XCTAssertThrowsError(try GaussianAnalysis.run(AnalysisContext(parameters: Parameters(["covariance_file": sURL.path]))))
    }

    /// The new names (`data:`, `covariance:`, `noise_covariance:`) and the old ones give the same population; both at once
    /// is an error; a matrix of the wrong shape is an error naming the file, the expected and the found shape.
    func testGaussianDataParameterAndShapeErrors() throws {
        let dir = FileManager.default.temporaryDirectory
        let tag = "geometry-data-\(ProcessInfo.processInfo.processIdentifier)"
        let wURL = dir.appendingPathComponent("\(tag)-W.npy"), sURL = dir.appendingPathComponent("\(tag)-S.csv")
        let nURL = dir.appendingPathComponent("\(tag)-N.csv")
        try npy(shape: [4, 3], [1, 0, 0, 0, 1, 0, 1, 1, 1, 0.5, -0.5, 0]).write(to: wURL)
        try "2,0.5,0\n0.5,1,0\n0,0,0.5\n".write(to: sURL, atomically: true, encoding: .utf8)
        try "0.3,0,0,0\n0,0.3,0,0\n0,0,0.3,0.1\n0,0,0.1,0.3\n".write(to: nURL, atomically: true, encoding: .utf8)
        defer { for u in [wURL, sURL, nURL] { try? FileManager.default.removeItem(at: u) } }
        func mi(_ params: [String: String]) throws -> Double {
            try GaussianAnalysis.run(AnalysisContext(parameters: Parameters(params.merging(["intervals": "200"]) { a, _ in a })))
                .values.first { $0.name == "geometry.gauss_mi" }!.value
        }
        var sn = 0.3 * Matrix<Double>.identity(4); sn[2, 3] = 0.1; sn[3, 2] = 0.1
        let pop = try GaussianLinearPopulation(priorCovariance: Matrix([[2, 0.5, 0], [0.5, 1, 0], [0, 0, 0.5]]),
                                               weights: Matrix([[1, 0, 0], [0, 1, 0], [1, 1, 1], [0.5, -0.5, 0]]), noiseCovariance: sn)
        let new = try mi(["data": wURL.path, "covariance": sURL.path, "noise_covariance": nURL.path])
        XCTAssertEqual(new, try pop.mutualInformation(), accuracy: 1e-12)
        XCTAssertEqual(try mi(["tuning_file": wURL.path, "covariance_file": sURL.path, "noise_covariance_file": nURL.path]), new)
        XCTAssertThrowsError(try mi(["data": wURL.path, "tuning_file": wURL.path])) { e in
            XCTAssertTrue("\(e)".contains("tuning_file") && "\(e)".contains("data"), "\(e)")
        }
        // Σₓ of the wrong size: the message names the file, the expected 3 × 3 and the found 4 × 4.
        XCTAssertThrowsError(try mi(["data": wURL.path, "covariance": nURL.path])) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains(nURL.lastPathComponent) && m.contains("expected a 3 × 3") && m.contains("found 4 × 4"), m)
        }
        XCTAssertThrowsError(try mi(["data": wURL.path, "noise_covariance": sURL.path])) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains(sURL.lastPathComponent) && m.contains("expected a 4 × 4") && m.contains("found 3 × 3"), m)
        }
        XCTAssertThrowsError(try mi(["covariance": sURL.path])) { e in XCTAssertTrue("\(e)".contains("data:"), "\(e)") }
    }

    /// `geometry.patches` on a user's .npy image stack: the patches and their covariance come from that file (a smooth
    /// synthetic image set), the old `images_file` name gives the same numbers, and a stack of the wrong shape is an
    /// error naming the file, the expected shape and the one found.
    func testPatchesReadUserImages() throws {
        let dir = FileManager.default.temporaryDirectory
        let tag = "geometry-img-\(ProcessInfo.processInfo.processIdentifier)"
        let good = dir.appendingPathComponent("\(tag)-good.npy"), flat = dir.appendingPathComponent("\(tag)-flat.npy")
        let labels = dir.appendingPathComponent("\(tag)-labels.csv")
        defer { for u in [good, flat, labels] { try? FileManager.default.removeItem(at: u) } }
        var rng = Xoshiro256(seed: 5)
        let n = 40, side = 12
        var pixels = [Double]()
        for _ in 0..<n {
            let a = rng.normal(), b = rng.normal(), c = rng.normal()
            for i in 0..<side { for j in 0..<side { pixels.append(a * sin(Double(i) / 2) + b * cos(Double(j) / 3) + 0.3 * c + 0.05 * rng.normal()) } }
        }
        try npy(shape: [n, side, side], pixels).write(to: good)
        try npy(shape: [n, side * side], pixels).write(to: flat)
        try (0..<n).map { "\($0 % 3)" }.joined(separator: "\n").write(to: labels, atomically: true, encoding: .utf8)
        let base = ["side": "4", "patches": "400", "images": "40", "orientations": "2", "wavelengths": "4", "top": "2"]
        func run(_ extra: [String: String]) throws -> AnalysisOutput {
            try PatchAnalysis.run(AnalysisContext(parameters: Parameters(base.merging(extra) { _, b in b })))
        }
        let out = try run(["data": good.path, "labels": labels.path])
        // The closed-form MI of the population on these patches, recomputed here from the same patches.
        let images = try GeometryData.images(good, limit: n, minSide: 4)
        XCTAssertEqual(images.side, side)
        XCTAssertEqual(Double(images.images[3][5]), pixels[3 * side * side + 5], accuracy: 1e-6)
        var r2 = Xoshiro256(seed: 1)
        let x = try PatchGeometry.patches(from: images.images, imageSide: side, patchSide: 4, count: 400, rng: &r2)
        var cov = x.covariance()
        cov = SymmetricMatrix.shifted(cov, by: 1e-4 * SymmetricMatrix.trace(cov) / Double(cov.rows))
        let w = PatchGeometry.gaborBank(side: 4, orientations: 2, wavelengths: [4], sigma: 2)
        let pop = try GaussianLinearPopulation(priorCovariance: cov, weights: w, noiseCovariance: 0.05 * Matrix<Double>.identity(w.rows))
        let mi = out.values.first { $0.name == "geometry.patch_mi" }?.value
        XCTAssertNotNil(mi)
        if let mi { XCTAssertEqual(mi, try pop.mutualInformation(), accuracy: 1e-9 * max(1, mi)) }
        XCTAssertEqual(try run(["images_file": good.path]).values.map(\.value), out.values.map(\.value))
        // Wrong shapes: a flat (N, S²) array, too few labels.
        XCTAssertThrowsError(try run(["data": flat.path])) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains(flat.lastPathComponent) && m.contains("(N, S, S)") && m.contains("[\(n), \(side * side)]"), m)
        }
        XCTAssertThrowsError(try run(["data": good.path, "side": "16"])) { e in XCTAssertTrue("\(e)".contains("S ≥ 16"), "\(e)") }
        XCTAssertThrowsError(try run(["data": good.path, "labels": good.path])) { e in XCTAssertTrue("\(e)".contains(good.lastPathComponent), "\(e)") }
    }

    /// A little-endian float64 .npy file.
    private func npy(shape: [Int], _ values: [Double]) -> Data {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(dims)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var d = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let len = UInt16(header.utf8.count)
        d.append(contentsOf: [UInt8(len & 0xFF), UInt8(len >> 8)])
        d.append(contentsOf: Array(header.utf8))
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { d.append(contentsOf: $0) } }
        return d
    }
}
