import XCTest
import AnalysisKit
@testable import Retina

final class CatalogTests: XCTestCase {
    func testAnalysesAreRegisteredWithTheirDataset() {
        let names = RetinaCatalog.analyses.map(\.name)
        XCTAssertEqual(Set(names), ["retina.fig1", "retina.fig2", "retina.coarse", "retina.mstar_calibration"])
        XCTAssertTrue(RetinaCatalog.analyses.filter { $0.name != "retina.mstar_calibration" }
            .allSatisfy { $0.datasets == ["retina/bint_fishmovie32_100.mat"] })
        XCTAssertEqual(RetinaCatalog.analyses.first { $0.name == "retina.mstar_calibration" }?.datasets, [])
    }

    func testBadParametersAreReportedBeforeAnyDataIsRead() {
        let coarse = RetinaCatalog.analyses.first { $0.name == "retina.coarse" }!
        for bad in [["method": "soft"], ["m_grid": "5, 3"], ["steps": "4"], ["typo": "1"]] {
            let ctx = AnalysisContext(parameters: Parameters(bad))
            XCTAssertThrowsError(try coarse.run(ctx), "\(bad)") { XCTAssertTrue($0 is ParameterError, "\(bad): \($0)") }
        }
    }
}
