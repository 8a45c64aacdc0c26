import XCTest
@testable import RINE
final class RINEModuleTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
