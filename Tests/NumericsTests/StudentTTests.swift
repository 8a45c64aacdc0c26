import XCTest
import Numerics

/// Student's t quantiles against tabulated values (R's qt), and the one-σ point that the t-corrected errors use.
final class StudentTTests: XCTestCase {
    func testQuantilesMatchTables() {
        XCTAssertEqual(StudentT.quantile(0.975, dof: 4), 2.776445, accuracy: 1e-5)
        XCTAssertEqual(StudentT.quantile(0.95, dof: 10), 1.812461, accuracy: 1e-5)
        XCTAssertEqual(StudentT.oneSigmaQuantile(dof: 2), 1.321257, accuracy: 1e-4)
        // ν = 1 is Cauchy: the quantile at p is tan(π (p − ½)).
        XCTAssertEqual(StudentT.oneSigmaQuantile(dof: 1), tan(Double.pi * (0.5 * erf(1 / 2.0.squareRoot()))), accuracy: 1e-6)
        XCTAssertEqual(StudentT.oneSigmaQuantile(dof: 400), 1, accuracy: 2e-3)
    }
}
