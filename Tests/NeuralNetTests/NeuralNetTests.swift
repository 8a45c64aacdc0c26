import XCTest
@testable import NeuralNet
final class NeuralNetModuleTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
