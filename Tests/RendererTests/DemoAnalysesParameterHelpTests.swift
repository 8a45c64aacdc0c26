import AnalysisKit
import XCTest
import DemoAnalyses

/// `replicate describe` gives every parameter of the module's analyses a one-line meaning (issue 13 §5).
final class DemoAnalysesParameterHelpTests: XCTestCase {
    func testEveryParameterHasAMeaning() {
        XCTAssertEqual(DemoCatalog.analyses.parameterHelpProblems(table: DemoCatalog.parameterHelp), [])
    }
}
