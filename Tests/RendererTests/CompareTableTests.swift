import AnalysisKit
import Foundation
import XCTest
@testable import Renderer

/// The compare-row format and the three verdicts: agrees (|Δ| ≤ 2σ), agrees within tolerance, differs.
final class CompareTableTests: XCTestCase {
    func directive(_ rows: [String]) -> Directive {
        Directive(kind: .compare, line: 10, body: rows.enumerated().map { (text: $0.element, line: 11 + $0.offset) })
    }

    func verdicts(_ rows: [String], _ values: [Scalar]) -> (cells: [[String]], problems: [ReportDiagnostic], tally: VerdictTally) {
        let (parsed, parseProblems) = CompareTable.parse(directive(rows), file: "r.md")
        let (table, problems, tally) = CompareTable.table(parsed, values: Dictionary(uniqueKeysWithValues: values.map { ($0.name, $0) }), file: "r.md")
        XCTAssertEqual(table.columns, ["Claim", "Paper", "Ours", "Δ", "Δ/σ", "Tolerance", "Verdict"])
        return (table.rows, parseProblems + problems, tally)
    }

    func testAgreesWithinTwoSigmaOfOurError() {
        let (cells, problems, tally) = verdicts(["c | 1.00 | x | 0"], [Scalar("x", 1.03, error: 0.02)])
        XCTAssertEqual(problems, [])
        XCTAssertEqual(cells[0], ["c", "1.00", "1.030 ± 0.020", "+0.030", "1.5", "—", "agrees"])
        XCTAssertEqual(tally, VerdictTally(agrees: 1))
    }

    func testPaperErrorEntersTheCombinedSigma() {
        // Ours has no error; the paper's ± 0.03 alone makes Δ = 0.05 a 1.7σ difference.
        let (cells, problems, _) = verdicts(["c | 1.00 ± 0.03 | x | 0"], [Scalar("x", 1.05)])
        XCTAssertEqual(problems, [])
        XCTAssertEqual(cells[0][4], "1.7")
        XCTAssertEqual(cells[0][6], "agrees")
        // σ = √(0.03² + 0.04²) = 0.05: Δ = 0.11 is 2.2σ, differs.
        let (c2, _, t2) = verdicts(["c | 1.00 +- 0.03 | x | 0"], [Scalar("x", 1.11, error: 0.04)])
        XCTAssertEqual(c2[0][1], "1.00 ± 0.03")
        XCTAssertEqual(c2[0][4], "2.2")
        XCTAssertEqual(c2[0][6], "differs")
        XCTAssertEqual(t2, VerdictTally(differs: 1))
    }

    func testExactValuesAgreeOnlyToRoundingLevel() {
        let (cells, _, _) = verdicts(["c | 0.5 | x | 0", "d | 0.5 | y | 0"],
                                     [Scalar("x", 0.5 + 1e-14), Scalar("y", 0.5 + 1e-9)])
        XCTAssertEqual(cells[0][6], "agrees")
        XCTAssertEqual(cells[0][4], "— (σ = 0)")
        XCTAssertEqual(cells[1][6], "differs", "σ = 0 and Δ = 1e-9 is not a rounding-level difference")
    }

    func testAgreesWithinToleranceNeedsItsBasis() {
        let (cells, problems, tally) = verdicts(["RINE AND | 0.007 ± 0.001 | x | 0.05 | paper reads the value off a plot to ±0.05"],
                                                [Scalar("x", -0.013, error: 0.005)])
        XCTAssertEqual(problems, [])
        XCTAssertEqual(cells[0][3], "−0.020")
        XCTAssertEqual(cells[0][4], "−3.9")
        XCTAssertEqual(cells[0][5], "0.05 (paper reads the value off a plot to ±0.05)")
        XCTAssertEqual(cells[0][6], "agrees within tolerance")
        XCTAssertEqual(tally, VerdictTally(withinTolerance: 1))
    }

    func testDiffersBeyondTolerance() {
        let (cells, _, tally) = verdicts(["c | 0.007 ± 0.001 | x | 0.01 | paper gives two decimals"], [Scalar("x", -0.013, error: 0.005)])
        XCTAssertEqual(cells[0][6], "differs")
        XCTAssertEqual(tally, VerdictTally(differs: 1))
    }

    func testSystematicRangeIsShownBesideTheError() {
        let s = Scalar("m", 14.0, error: 0.6, significantFigures: 2,
                       systematic: SystematicSpread(low: 8, high: 14, over: "optimiser × criterion"))
        let (cells, _, _) = verdicts(["M* | 13 | m | 0"], [s])
        XCTAssertEqual(cells[0][2], "14.0 ± 0.6 [syst. 8–14]")
    }

    func testParseErrorsAreAtTheRowsLine() {
        let rows = [
            "tolerance inf | 1 | x | inf | basis",
            "tolerance nan | 1 | x | nan | basis",
            "negative tolerance | 1 | x | -0.1 | basis",
            "paper nan | nan | x | 0",
            "paper inf | inf | x | 0",
            "paper error negative | 1 ± -0.1 | x | 0",
            "paper error text | 1 ± lots | x | 0",
            "no basis | 1 | x | 0.1",
            "empty basis | 1 | x | 0.1 |",
            "three fields | 1 | x",
            "good | 1 | x | 0",
        ]
        let (parsed, problems) = CompareTable.parse(directive(rows), file: "r.md")
        XCTAssertEqual(parsed.map(\.claim), ["good"])
        XCTAssertEqual(problems.map(\.line), Array(11...20))
        XCTAssertTrue(problems[0].message.contains("tolerance 'inf' is not a finite non-negative number"), problems[0].message)
        XCTAssertTrue(problems[3].message.contains("paper value 'nan' is not a finite number"), problems[3].message)
        XCTAssertTrue(problems[7].message.contains("needs a 5th field, the tolerance basis"), problems[7].message)
        XCTAssertTrue(problems[0].description.hasPrefix("r.md:11: "), problems[0].description)
    }

    func testFourFieldRowWithZeroToleranceAndUnknownValue() {
        let (cells, problems, tally) = verdicts(["c | 1 | nope | 0"], [])
        XCTAssertEqual(cells[0][6], "missing")
        XCTAssertEqual(problems.map(\.line), [11])
        XCTAssertEqual(tally.total, 0)
    }

    func testIndexShowsTallyCheckStatusAndComputeTime() throws {
        let report = """
        # Tally

        ```{compare}
        exact | 0.7369655941662062 | demo.mi_exact | 0
        rounded | 0.737 | demo.mi_exact | 0.0005 | quoted to three decimals
        wrong | 0.5 | demo.mi_exact | 0
        ```

        ```{run demo.gaussian_mi}
        rho: 0.8
        samples: [50]
        repeats: 3
        ```
        """
        let (project, dir, _) = try makeProject(["t": report])
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = ReportRenderer(project: project)
        let r = try renderer.render("t")
        XCTAssertEqual(r.diagnostics, [])
        XCTAssertEqual(r.tally, VerdictTally(agrees: 1, withinTolerance: 1, differs: 1))
        try renderer.writeIndex([r])
        let index = try String(contentsOf: dir.appendingPathComponent("site/index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("<th>Agrees</th><th>Within tolerance</th><th>Differs</th>"))
        XCTAssertTrue(index.contains("<td>1</td><td>1</td><td>1</td>"), index)
        XCTAssertTrue(index.contains("no stored values"))
        XCTAssertNotNil(index.range(of: "<td>[0-9]+\\.[0-9] s</td>", options: .regularExpression))
        let page = try String(contentsOf: dir.appendingPathComponent("site/t.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("<td class=\"agrees-tol\">agrees within tolerance</td>"))
        XCTAssertTrue(page.contains("<td class=\"differs\">differs</td>"))
        XCTAssertTrue(page.contains("σ = √(σ_ours² + σ_paper²)"), "the caption states the rule")
    }
}
