import AnalysisKit
import XCTest
@testable import RenormalizedMI

/// Issue 14 §4: `rmi.wavepacket noise: []` segfaulted; empty, non-numeric and out-of-range lists and negative seeds are
/// parameter errors naming the key, raised before any sampling.
final class WavePacketParameterTests: XCTestCase {
    func error(_ parameters: [String: String]) -> ParameterError? {
        do { _ = try RMIAnalyses.wavePacket.run(AnalysisContext(parameters: Parameters(parameters))); return nil }
        catch let e as ParameterError { return e }
        catch { XCTFail("not a ParameterError: \(error)"); return nil }
    }

    func testBadNoiseListsAndSeedsAreParameterErrors() {
        XCTAssertEqual(error(["noise": "[]"])?.key, "noise")
        XCTAssertEqual(error(["noise": ""])?.key, "noise")
        XCTAssertEqual(error(["noise": "[0.1, nan]"])?.key, "noise")
        XCTAssertEqual(error(["noise": "[0.1, -0.2]"])?.key, "noise")
        XCTAssertEqual(error(["crossing_noise": "[]"])?.key, "crossing_noise")
        XCTAssertEqual(error(["crossing_noise": "[0.1, 0.2, 0.3]"])?.key, "crossing_noise", "fewer than 4 crossing levels")
        XCTAssertEqual(error(["seed": "-1"])?.key, "seed")
        XCTAssertEqual(error(["samples": "100000000000"])?.key, "samples")
    }
}
