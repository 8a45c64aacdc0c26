import XCTest
@testable import RenormalizedMI
final class RenormalizedMIModuleTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
