import AnalysisKit
import XCTest
import CollectiveRedundancy

/// `replicate describe` gives every parameter of the module's analyses a one-line meaning (issue 13 §5).
final class CollectiveRedundancyParameterHelpTests: XCTestCase {
    func testEveryParameterHasAMeaning() {
        XCTAssertEqual(CollectiveRedundancyCatalog.analyses.parameterHelpProblems(table: CollectiveRedundancyCatalog.parameterHelp), [])
    }
}
