import XCTest
@testable import InfoGeometry
final class InfoGeometryModuleTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
