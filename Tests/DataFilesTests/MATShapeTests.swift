import Foundation
import XCTest
@testable import DataFiles

/// MAT v5 files whose dimensions are negative or overflow, and tables whose columns hold no finite number (issue 14 §5):
/// each is an error naming the file.
final class MATShapeAndNaNTests: XCTestCase {
    /// A MAT v5 file with one uncompressed double matrix of the given dimensions and `payload` data bytes.
    func mat(dims: [Int32], payload: Int, values: [Double]? = nil) -> [UInt8] {
        func u32(_ x: UInt32) -> [UInt8] { withUnsafeBytes(of: x.littleEndian, Array.init) }
        func padded(_ b: [UInt8]) -> [UInt8] { b + [UInt8](repeating: 0, count: (8 - b.count % 8) % 8) }
        var header = Array("MATLAB 5.0 MAT-file, test".utf8)
        header += [UInt8](repeating: 0x20, count: 116 - header.count) + [UInt8](repeating: 0, count: 8) + [0x00, 0x01]
        header += Array("IM".utf8)
        var m = u32(6) + u32(8) + u32(6) + u32(0)                                  // array flags: class double
        let dimBytes = dims.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
        m += u32(5) + u32(UInt32(dimBytes.count)) + padded(dimBytes)               // dimensions (miINT32)
        m += u32(1 << 16 | 1) + Array("x".utf8) + [0, 0, 0]                        // name, small element
        let data = values.map { $0.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }
            ?? [UInt8](repeating: 0, count: payload)
        m += u32(9) + u32(UInt32(data.count)) + padded(data)                       // miDOUBLE data
        return header + u32(14) + u32(UInt32(m.count)) + m
    }

    func assertFileError(_ body: () throws -> Void, mentions name: String, _ line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { e in
            guard let d = e as? DataFileError else { return XCTFail("not a DataFileError: \(e)", line: line) }
            XCTAssertEqual(d.file, name, line: line)
        }
    }

    func testMATDimensions() throws {
        XCTAssertEqual(try MATFile(bytes: mat(dims: [2, 1], payload: 16), name: "ok.mat").variable("x").dimensions, [2, 1])
        assertFileError({ _ = try MATFile(bytes: mat(dims: [-1, 2], payload: 16), name: "neg.mat") }, mentions: "neg.mat")
        assertFileError({ _ = try MATFile(bytes: mat(dims: [Int32.max, Int32.max, Int32.max], payload: 16), name: "ovf.mat") },
                        mentions: "ovf.mat")
        assertFileError({ _ = try MATFile(bytes: mat(dims: [100_000, 100_000], payload: 16), name: "huge.mat") }, mentions: "huge.mat")
    }

    func testAllNaNColumnIsAnErrorNamingTheFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nan-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("a,b\n1,nan\n2,NaN\n".utf8).write(to: url)
        XCTAssertThrowsError(try NumericTable(contentsOf: url)) { e in
            XCTAssertEqual((e as? DataFileError)?.file, url.path)
            XCTAssertTrue("\(e)".contains("column 1 ('b') has no finite value"), "\(e)")
        }
        try Data("1,nan\n2,3\n".utf8).write(to: url)
        XCTAssertEqual(try NumericTable(contentsOf: url).rows, 2, "a gap is not an error")
    }

    /// NaN or infinite elements in a MAT array that must be finite, and non-integer or out-of-range labels, are errors
    /// naming the file, the variable and the first bad element (issue 14 §5: all-NaN data returned numbers; `Int(NaN)`
    /// trapped in the reach-data reader).
    func testNonFiniteAndNonIntegerMATDataAreErrorsNamingTheFile() throws {
        let ok = try MATFile(bytes: mat(dims: [2, 2], payload: 32, values: [1, 2, 3, 4]), name: "ok.mat").variable("x")
        XCTAssertEqual(try ok.finiteData(), [1, 2, 3, 4])
        XCTAssertEqual(try ok.integerData(in: 1...8), [1, 2, 3, 4])
        XCTAssertEqual(ok.file, "ok.mat")

        let allNaN = try MATFile(bytes: mat(dims: [2, 2], payload: 32, values: [.nan, .nan, .nan, .nan]), name: "nan.mat")
        XCTAssertThrowsError(try allNaN.variable("x").finiteData()) { e in
            XCTAssertEqual((e as? DataFileError)?.file, "nan.mat")
            XCTAssertTrue("\(e)".contains("4 of 4 elements NaN or infinite, the first at index [0, 0]"), "\(e)")
        }
        let oneInf = try MATFile(bytes: mat(dims: [2, 2], payload: 32, values: [1, 2, .infinity, 4]), name: "inf.mat")
        XCTAssertThrowsError(try oneInf.variable("x").finiteData()) { e in
            XCTAssertTrue("\(e)".contains("1 of 4 elements NaN or infinite, the first at index [0, 1]"), "\(e)")
        }
        XCTAssertThrowsError(try oneInf.variable("x").integerData(in: 1...8)) { e in
            XCTAssertEqual((e as? DataFileError)?.file, "inf.mat")
        }
        let frac = try MATFile(bytes: mat(dims: [1, 3], payload: 24, values: [1, 2.5, 9]), name: "frac.mat").variable("x")
        XCTAssertThrowsError(try frac.integerData(in: 1...8)) { e in
            XCTAssertTrue("\(e)".contains("holds 2.5 at index [0, 1]; expected integers in 1...8"), "\(e)")
        }
        let big = try MATFile(bytes: mat(dims: [1, 2], payload: 16, values: [1, 9]), name: "big.mat").variable("x")
        XCTAssertThrowsError(try big.integerData(in: 1...8))
        // A missing variable names the file, not "MAT file".
        XCTAssertThrowsError(try MATFile(bytes: mat(dims: [1, 1], payload: 8), name: "one.mat").variable("y")) { e in
            XCTAssertEqual((e as? DataFileError)?.file, "one.mat")
        }
    }
}
