import XCTest
@testable import Retina
final class RetinaModuleTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
