import XCTest
@testable import DataFiles
final class DataFilesModuleTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
