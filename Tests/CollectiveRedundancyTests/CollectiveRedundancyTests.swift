import XCTest
@testable import CollectiveRedundancy
final class CollectiveRedundancyModuleTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
