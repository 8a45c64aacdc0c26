import AnalysisKit
import DemoAnalyses
import DataFiles
import Foundation
import XCTest
@testable import Renderer

/// Issue 14: a manifest dataset that is corrupted (present, wrong bytes) after a directive was cached is never served
/// from the warm cache. The directive fails at its line with the checksum error naming the file, in a new process
/// (a fresh locator) and in the same one (the locator re-verifies a file whose size or time changed).
final class CorruptDatasetCacheTests: XCTestCase {
    let report = "# Manifest data\n\n```{run demo.data_mean}\ndata: own/table.csv\ncolumn: 1\n```\n\nMean {{demo.data_mean}}.\n"
    let good = "a,b\n1,10\n2,20\n3,30\n"

    func project(_ dir: URL, box: LogBox) -> ReportProject {
        var p = ReportProject(root: dir, registry: AnalysisRegistry(DemoCatalog.analyses))
        p.log = { box.lines.append($0) }
        return p
    }

    func testACorruptedDatasetOnAWarmCacheIsAnErrorNotACachedValue() throws {
        let (_, dir, _) = try makeProject(["own": report])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("datasets/own/table.csv")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try good.write(to: file, atomically: true, encoding: .utf8)
        let sha = try sha256Hex(fileAt: file)
        let manifest = "{\"datasets\": [{\"id\": \"own/table.csv\", \"sha256\": \"\(sha)\", \"description\": \"test\", "
            + "\"source\": \"test\", \"license\": \"none\", \"obtain\": \"regenerate it\"}]}"
        try manifest.write(to: dir.appendingPathComponent("datasets/manifest.json"), atomically: true, encoding: .utf8)
        let box = LogBox()
        let same = ReportRenderer(project: project(dir, box: box))
        let first = try same.render("own")
        XCTAssertEqual(first.diagnostics, [], "\(box.lines)")
        XCTAssertEqual(first.scalars.first { $0.name == "demo.data_mean" }?.value, 20)
        XCTAssertEqual(try same.render("own").scalars.first { $0.name == "demo.data_mean" }?.value, 20)
        XCTAssertTrue(box.lines.contains { $0.contains("demo.data_mean ... cached") }, "\(box.lines)")

        // Corrupted in place: same size, other bytes, a later modification time.
        try "a,b\n1,90\n2,90\n3,90\n".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: file.path)
        for (label, renderer) in [("new process", ReportRenderer(project: project(dir, box: box))), ("same process", same)] {
            box.lines.removeAll()
            let r = try renderer.render("own")
            XCTAssertNil(r.scalars.first { $0.name == "demo.data_mean" && $0.value == 20 }, "\(label): the cached value was served")
            XCTAssertNil(r.scalars.first { $0.name == "demo.data_mean" && $0.value == 90 }, "\(label): the corrupt file was read")
            XCTAssertEqual(r.diagnostics.first?.line, 4, "\(label): \(r.diagnostics)")
            let message = r.diagnostics.first?.message ?? ""
            XCTAssertTrue(message.contains("own/table.csv") && message.contains("corrupt"), "\(label): \(message)")
            XCTAssertTrue(box.lines.contains { $0.contains("table.csv changed") }, "\(label): \(box.lines)")
        }
    }
}
