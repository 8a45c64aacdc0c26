import XCTest
import Foundation
@testable import Renderer

/// `InlineSVG`'s byte scanners against the regular expressions they replaced (kept here as the reference): the same
/// output on edge cases (quotes that do not match, empty ids, word characters before `id=`, `url(#…)` and both
/// `href` quotes, text around and between matches, multi-byte UTF-8) and, when a render has left them, on every kept
/// figure SVG of the project (`figures/*/*.svg`).
final class InlineSVGScannerTests: XCTestCase {
    private static let idPattern = try! NSRegularExpression(pattern: "\\bid=(['\"])([^'\"]+)\\1")
    private static let refPattern = try! NSRegularExpression(pattern: "(href=['\"]#|url\\(#)([^'\")]+)")

    private static func reference(_ re: NSRegularExpression, _ text: String, _ transform: ([String]) -> String) -> String {
        let ns = text as NSString
        var out = "", last = 0
        for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            out += transform((0..<m.numberOfRanges).map { m.range(at: $0).location == NSNotFound ? "" : ns.substring(with: m.range(at: $0)) })
            last = m.range.location + m.range.length
        }
        return out + ns.substring(from: last)
    }

    private func check(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        var seenRef = [String: Int](), seenNew = [[UInt8]: Int]()
        let refIDs = Self.reference(Self.idPattern, text) { g in
            let n = seenRef[g[2], default: 0]; seenRef[g[2]] = n + 1
            return "id=\(g[1])P-\(g[2])\(n == 0 ? "" : "-\(n + 1)")\(g[1])"
        }
        let newIDs = InlineSVG.replaceIDs(Array(text.utf8)) { id in
            let n = seenNew[id, default: 0]; seenNew[id] = n + 1
            return Array("P-".utf8) + id + (n == 0 ? [] : Array("-\(n + 1)".utf8))
        }
        XCTAssertEqual(String(decoding: newIDs, as: UTF8.self), refIDs, "ids", file: file, line: line)
        let refRefs = Self.reference(Self.refPattern, refIDs) { $0[1] + "P-" + $0[2] }
        let newRefs = InlineSVG.replaceRefs(Array(refIDs.utf8)) { Array("P-".utf8) + $0 }
        XCTAssertEqual(String(decoding: newRefs, as: UTF8.self), refRefs, "refs", file: file, line: line)
    }

    func testScannersMatchTheRegularExpressionsOnEdgeCases() {
        for t in ["", "id=", "id='", "id=''", "id='a\"", "id=\"a'b\"", "grid='x'", "xml:id='x'", " id='a' id=\"a\" id='a'",
                  "<g id='gpPt0'/><use xlink:href='#gpPt0'/><use href=\"#x y\"/>", "fill=\"url(#grad1)\" url(#) url(#a'b)",
                  "href='#' href=\"#a)\" href=#a", "σid='a' _id='b' 9id='c' -id='d'", "id='multi\nline'", "url(#σ-α) id='é'",
                  "tail id='x"] {
            check(t)
        }
    }

    func testScannersMatchTheRegularExpressionsOnKeptFigures() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("figures")
        let fm = FileManager.default
        guard let dirs = try? fm.contentsOfDirectory(atPath: root.path) else { return }
        var files = 0
        for d in dirs.sorted() {
            for f in ((try? fm.contentsOfDirectory(atPath: root.appendingPathComponent(d).path)) ?? []).sorted() where f.hasSuffix(".svg") {
                check(String(decoding: try Data(contentsOf: root.appendingPathComponent(d).appendingPathComponent(f)), as: UTF8.self))
                files += 1
            }
        }
        print("InlineSVGScannerTests: \(files) kept figures compared")
    }
}
