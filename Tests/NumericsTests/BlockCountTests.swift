import XCTest
@testable import Numerics

/// Issue 14 §4: `BlockJackknife.blocks` must return a block count that `error` and `leaveOneBlockOut` accept (n ≥ K),
/// whatever τ_int the data give: an anti-correlated series has τ_int < 1, down to the 10⁻⁹ floor of
/// `IntegratedAutocorrelation`, and 12 samples asked for 20 blocks (a precondition the -Ounchecked build does not check).
final class BlockCountTests: XCTestCase {
    func testBlocksNeverExceedTheSamples() throws {
        XCTAssertEqual(BlockJackknife.blocks(samples: 12, tau: 1e-9), 12)
        XCTAssertEqual(BlockJackknife.blocks(samples: 19, tau: 0.1), 19)
        XCTAssertNil(BlockJackknife.blocks(samples: 3, tau: 1e-9), "fewer than 4 samples cannot make 4 blocks")
        XCTAssertEqual(BlockJackknife.blocks(samples: 1000, tau: 1e-9), 20, "the maximum still applies")
        XCTAssertEqual(BlockJackknife.blocks(samples: 1000, tau: 10), 20)
        XCTAssertEqual(BlockJackknife.blocks(samples: 300, tau: 10), 6, "unchanged where the samples do not bind")
        let alternating = (0..<12).map { $0 % 2 == 0 ? 1.0 : -1.0 }
        let tau = IntegratedAutocorrelation(series: [alternating]).tau
        let k = try XCTUnwrap(BlockJackknife.blocks(samples: 12, tau: tau))
        XCTAssertLessThanOrEqual(k, 12)
        XCTAssertEqual(BlockJackknife.leaveOneBlockOut(count: 12, blocks: k) { $0.count }.count, k)
    }
}
