import AnalysisKit
import XCTest
import Retina

/// `replicate describe` gives every parameter of the module's analyses a one-line meaning (issue 13 §5).
final class RetinaParameterHelpTests: XCTestCase {
    func testEveryParameterHasAMeaning() {
        XCTAssertEqual(RetinaCatalog.analyses.parameterHelpProblems(table: RetinaCatalog.parameterHelp), [])
    }
}
