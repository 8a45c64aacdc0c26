import AnalysisKit
import XCTest
@testable import RINE

/// `replicate describe` gives every parameter of the module's analyses a one-line meaning.
final class RINEParameterHelpTests: XCTestCase {
    func testEveryParameterHasAMeaning() {
        XCTAssertEqual(RINECatalog.analyses.parameterHelpProblems(table: RINECatalog.parameterHelp), [])
    }
}
