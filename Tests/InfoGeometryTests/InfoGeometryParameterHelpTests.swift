import AnalysisKit
import XCTest
import InfoGeometry

/// `replicate describe` gives every parameter of the module's analyses a one-line meaning (issue 13 §5).
final class InfoGeometryParameterHelpTests: XCTestCase {
    func testEveryParameterHasAMeaning() {
        XCTAssertEqual(InfoGeometryCatalog.analyses.parameterHelpProblems(table: InfoGeometryCatalog.parameterHelp), [])
    }
}
