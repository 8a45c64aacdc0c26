import XCTest
import AnalysisKit
@testable import Retina

final class CatalogTests: XCTestCase {
    func testAnalysesAreRegisteredWithTheirDataset() {
        let names = RetinaCatalog.analyses.map(\.name)
        XCTAssertEqual(Set(names), ["retina.fig1", "retina.fig2", "retina.coarse", "retina.mstar_calibration", "retina.bottleneck"])
        XCTAssertTrue(RetinaCatalog.analyses.filter { $0.name != "retina.mstar_calibration" }
            .allSatisfy { $0.datasets == ["retina/bint_fishmovie32_100.mat"] })
        XCTAssertEqual(RetinaCatalog.analyses.first { $0.name == "retina.mstar_calibration" }?.datasets, [])
    }

    func testBottleneckRangesAreCheckedBeforeAnyDataIsRead() {
        let a = RetinaCatalog.analyses.first { $0.name == "retina.bottleneck" }!
        for bad in [["states": "3, 2"], ["states": "0, 1"], ["states": "2, 2"], ["partners": "0"], ["partners": "17"], ["restarts": "0"], ["seed": "-1"],
                    ["states": "256"], ["splits": "0"], ["orders": "10"], ["orders": "2, 1"], ["cost_splits": "1"],
                    ["train_fraction": "0.95"], ["ridge": "-1"]] {
            let ctx = AnalysisContext(parameters: Parameters(bad))
            XCTAssertThrowsError(try a.run(ctx), "\(bad)") { XCTAssertEqual(($0 as? ParameterError)?.key, bad.keys.first, "\(bad): \($0)") }
        }
    }

    func testBadParametersAreReportedBeforeAnyDataIsRead() {
        let coarse = RetinaCatalog.analyses.first { $0.name == "retina.coarse" }!
        for bad in [["method": "soft"], ["m_grid": "5, 3"], ["steps": "4"], ["typo": "1"]] {
            let ctx = AnalysisContext(parameters: Parameters(bad))
            XCTAssertThrowsError(try coarse.run(ctx), "\(bad)") { XCTAssertTrue($0 is ParameterError, "\(bad): \($0)") }
        }
    }
}
