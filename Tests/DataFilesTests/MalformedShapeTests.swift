import XCTest
@testable import DataFiles

/// Crafted files whose shapes are negative, overflow or exceed the data: each must throw a DataFileError naming the
/// file (issue 14 §5), never trap or allocate the claimed size.
final class MalformedShapeTests: XCTestCase {
    func npy(shape: String, payload: Int = 16) -> [UInt8] {
        NPYArray.header(shapeText: shape) + [UInt8](repeating: 0, count: payload)
    }

    func assertFileError(_ body: () throws -> Void, mentions name: String, _ line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { e in
            guard let d = e as? DataFileError else { return XCTFail("not a DataFileError: \(e)", line: line) }
            XCTAssertEqual(d.file, name, line: line)
        }
    }

    func testNPYShapes() throws {
        XCTAssertEqual(try NPYArray(bytes: npy(shape: "(2,)"), name: "ok.npy").count, 2)
        assertFileError({ _ = try NPYArray(bytes: npy(shape: "(-1, 2)"), name: "neg.npy") }, mentions: "neg.npy")
        assertFileError({ _ = try NPYArray(bytes: npy(shape: "(4611686018427387904, 4)"), name: "ovf.npy") }, mentions: "ovf.npy")
        assertFileError({ _ = try NPYArray(bytes: npy(shape: "(100000000000,)"), name: "huge.npy") }, mentions: "huge.npy")
        assertFileError({ _ = try NPYArray(bytes: npy(shape: "(3,)"), name: "short.npy") }, mentions: "short.npy")
    }

    func testIDXShapes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ dims: [UInt32], payload: Int) throws -> URL {
            let b = IDXFile.encoded(dimensions: dims.map(Int.init), bytes: [UInt8](repeating: 1, count: payload))
            let url = dir.appendingPathComponent("f\(dims.count)-\(payload).idx")
            try Data(b).write(to: url)
            return url
        }
        XCTAssertEqual(try IDXFile(contentsOf: try write([2, 3], payload: 6)).dimensions, [2, 3])
        let huge = try write([0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: 4)
        assertFileError({ _ = try IDXFile(contentsOf: huge) }, mentions: huge.path)
        let short = try write([10, 10], payload: 5)
        assertFileError({ _ = try IDXFile(contentsOf: short) }, mentions: short.path)
    }
}

/// `NPYArray.encoded` is the one .npy writer the tests use; it must read back exactly.
final class NPYEncodingTests: XCTestCase {
    func testEncodedArraysReadBackExactly() throws {
        for shape in [[5], [2, 3], [2, 1, 4], [0, 3]] {
            let n = shape.reduce(1, *)
            let values = (0..<n).map { Double($0) * 0.37 - 1 } + []
            let a = try NPYArray(bytes: NPYArray.encoded(values, shape: shape), name: "rt.npy")
            XCTAssertEqual(a.shape, shape)
            XCTAssertEqual(a.data, values)
            XCTAssertEqual(a.dtype, "<f8")
        }
        XCTAssertEqual(NPYArray.header(shapeText: "(1,)").count % 64, 0)
    }
}
