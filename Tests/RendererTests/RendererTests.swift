import XCTest
@testable import Renderer
final class RendererModuleTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
