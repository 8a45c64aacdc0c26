import Foundation
import XCTest
import AnalysisKit
@testable import CollectiveRedundancy

/// Issue 14 §4: products of parameters that are each in range (replicates × samples × agents) are checked against
/// the memory budget before any simulation, as an error at the parameter's line.
final class MemoryBudgetTests: XCTestCase {
    func testRequireMemoryNamesTheKeyAndTheSizes() throws {
        let p = Parameters(["replicates": Parameters.Entry(value: "1000", line: 7)])
        XCTAssertNoThrow(try p.requireMemory(1e9, for: "runs", keys: ["replicates"], budget: 2e9))
        XCTAssertThrowsError(try p.requireMemory(3e9, for: "1000 runs", keys: ["duration", "replicates"], budget: 2e9)) { error in
            let e = error as! ParameterError
            XCTAssertEqual(e.key, "replicates"); XCTAssertEqual(e.line, 7)
            XCTAssertTrue(e.message.contains("3.0 GB") && e.message.contains("2.0 GB"), e.message)
        }
        XCTAssertThrowsError(try p.requireMemory(.infinity, for: "x", keys: ["replicates"], budget: 2e9))
    }

    /// 1000 replicates of the four multi-group systems (140 agents) over 10⁵ samples would hold ≈ 0.9 TB: rejected
    /// at once, before the first simulation step (else this
    /// test would simulate for days).
    func testReplicatesBeyondMemoryAreRejectedBeforeSimulating() throws {
        let params = ["tag": "big", "replicates": "1000", "duration": "100000", "sample_interval": "1"]
        XCTAssertThrowsError(try ReplicateAnalysis.descriptor.run(AnalysisContext(parameters: Parameters(params)))) { error in
            let e = error as! ParameterError
            XCTAssertEqual(e.key, "replicates")
            XCTAssertTrue(e.message.contains("GB"), e.message)
        }
    }
}
