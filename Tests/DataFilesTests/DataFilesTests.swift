import Foundation
import XCTest
@testable import DataFiles

/// Project root, from this file's location (Tests/DataFilesTests/...).
let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

final class SHA256Tests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(sha256Hex(Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(sha256Hex(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Data(String(repeating: "a", count: 1_000_000).utf8)
        XCTAssertEqual(sha256Hex(long), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        var chunked = SHA256Hasher()
        for i in stride(from: 0, to: long.count, by: 77) { chunked.update(long[i..<min(i + 77, long.count)]) }
        XCTAssertEqual(chunked.finalizeHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

/// The verified file for a dataset of the manifest, or a skip when the file is on none of the search paths (real data
/// is never committed, so a checkout without ../shared/datasets cannot run these tests). A file that is present but
/// does not match its checksum is a failure.
func locateOrSkip(_ id: String) throws -> URL {
    let locator = try DatasetLocator.standard(projectRoot: projectRoot)
    guard isOnSearchPath(id, locator) else {
        throw XCTSkip("dataset \(id) is not on the search path (\(locator.searchPaths.map(\.path).joined(separator: ", ")))")
    }
    return try locator.locate(id)
}

/// Whether some file named `id` exists on the locator's search path (checksum not checked).
func isOnSearchPath(_ id: String, _ locator: DatasetLocator) -> Bool {
    locator.searchPaths.contains { FileManager.default.fileExists(atPath: $0.appendingPathComponent(id).path) }
}

final class LocatorTests: XCTestCase {
    func testFindsAndVerifiesRealDatasets() throws {
        let locator = try DatasetLocator.standard(projectRoot: projectRoot)
        var found = 0
        for e in locator.manifest.datasets {
            guard isOnSearchPath(e.id, locator) else { continue }
            XCTAssertNoThrow(try locator.locate(e.id), e.id)
            found += 1
        }
        if found == 0 { throw XCTSkip("no dataset of the manifest is on the search path") }
    }

    func testMissingAndCorruptFilesGiveClearErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loc-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("x"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let entry = DatasetEntry(id: "x/a.bin", sha256: sha256Hex(Data("good".utf8)), description: "", source: "", license: "",
                                 obtain: "ask the lab")
        let locator = DatasetLocator(manifest: DatasetManifest(datasets: [entry]), searchPaths: [dir])
        XCTAssertThrowsError(try locator.locate("x/a.bin")) { e in
            XCTAssertTrue("\(e)".contains(dir.appendingPathComponent("x/a.bin").path), "\(e)")
            XCTAssertTrue("\(e)".contains("ask the lab"))
        }
        try Data("bad".utf8).write(to: dir.appendingPathComponent("x/a.bin"))
        XCTAssertThrowsError(try locator.locate("x/a.bin")) { e in XCTAssertTrue("\(e)".contains("expected \(entry.sha256)"), "\(e)") }
        XCTAssertThrowsError(try locator.locate("nope")) { e in XCTAssertTrue("\(e)".contains("not in datasets/manifest.json")) }
        try Data("good".utf8).write(to: dir.appendingPathComponent("x/a.bin"))
        XCTAssertEqual(try locator.locate("x/a.bin").lastPathComponent, "a.bin")
    }
}

final class ReaderTests: XCTestCase {

    func testRetinaMAT() throws {
        let mat = try MATFile(contentsOf: locateOrSkip("retina/bint_fishmovie32_100.mat"))
        let bint = try mat.variable("bint")
        XCTAssertEqual(bint.dimensions, [297, 160, 953])
        XCTAssertEqual(bint.classType, .double) // class double, stored as uint8
        let raw = try XCTUnwrap(bint.uint8Data)
        XCTAssertEqual(raw.count, 297 * 160 * 953)
        XCTAssertTrue(raw.allSatisfy { $0 <= 1 })
        let rate = Double(raw.reduce(0) { $0 + Int($1) }) / Double(raw.count)
        XCTAssertGreaterThan(rate, 0.001); XCTAssertLessThan(rate, 0.2)
        XCTAssertThrowsError(try mat.variable("nothere"))
    }

    func testReachMAT() throws {
        let mat = try MATFile(contentsOf: locateOrSkip("reach/ReachData.mat"))
        let r = try mat.variable("R"), d = try mat.variable("direction")
        XCTAssertEqual(r.dimensions, [143, 158])
        XCTAssertEqual(d.count, 158)
        XCTAssertEqual(Set(d.data), Set((1...8).map(Double.init)))
        XCTAssertTrue(r.data.allSatisfy { $0 >= 0 && $0.isFinite })
    }

    func testFishNPY() throws {
        let a = try NPYArray(contentsOf: locateOrSkip("fish/zebrafish_15_trajectories.npy"))
        XCTAssertEqual(a.shape, [1000, 15, 2]); XCTAssertEqual(a.dtype, "<f8")
        let nan = a.data.filter(\.isNaN).count
        XCTAssertGreaterThan(nan, 0); XCTAssertLessThan(Double(nan) / Double(a.count), 0.01)
        let b = try NPYArray(contentsOf: locateOrSkip("fish/zebrafish_100_test_trajectories.npy"))
        XCTAssertEqual(b.shape, [300, 100, 2])
        XCTAssertEqual(Double(b.data.filter(\.isNaN).count) / Double(b.count), 0.058, accuracy: 0.01)
    }

    func testNPYAndMATRejectGarbage() {
        XCTAssertThrowsError(try NPYArray(bytes: Array("hello world".utf8))) { e in XCTAssertTrue("\(e)".contains("bad magic")) }
        XCTAssertThrowsError(try MATFile(bytes: [UInt8](repeating: 0, count: 200))) { e in XCTAssertTrue("\(e)".contains("not a MAT v5")) }
    }

    func testFashionMNISTIfInstalled() throws {
        let dir = FashionMNIST.defaultDirectory
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("t10k-images-idx3-ubyte.gz").path) else {
            throw XCTSkip("dataset-fashion-mnist is not installed")
        }
        let f = try FashionMNIST(images: dir.appendingPathComponent("t10k-images-idx3-ubyte.gz"),
                                 labels: dir.appendingPathComponent("t10k-labels-idx1-ubyte.gz"), limit: 100)
        XCTAssertEqual(f.images.count, 100); XCTAssertEqual(f.images[0].count, 784)
        XCTAssertEqual(f.labels[0], 9) // the first test image is an ankle boot
    }
}
