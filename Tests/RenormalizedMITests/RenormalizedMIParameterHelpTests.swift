import AnalysisKit
import XCTest
import RenormalizedMI

/// `replicate describe` gives every parameter of the module's analyses a one-line meaning (issue 13 §5).
final class RenormalizedMIParameterHelpTests: XCTestCase {
    func testEveryParameterHasAMeaning() {
        XCTAssertEqual(RenormalizedMICatalog.analyses.parameterHelpProblems(table: RenormalizedMICatalog.parameterHelp), [])
    }
}
