import Foundation
import XCTest

extension XCTestCase {
    /// Writes `bytes` to a file of the temporary directory named after the process and `name`, removed when the test
    /// ends. One helper for the RINE tests that read generated user files.
    func temporaryFile(prefix: String, _ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
        try Data(bytes).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
