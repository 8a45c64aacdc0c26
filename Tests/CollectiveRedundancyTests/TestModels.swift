import Numerics
@testable import CollectiveRedundancy

/// Block-diagonal correlation: blocks of 1-D elements of the given sizes with within-block correlation ρ.
func blockModel(_ sizes: [Int], rho: Double) throws -> GaussianRedundancy {
    let n = sizes.reduce(0, +)
    var c = Matrix<Double>.identity(n)
    var start = 0
    for s in sizes {
        for a in start..<(start + s) { for b in start..<(start + s) where a != b { c[a, b] = rho } }
        start += s
    }
    return try GaussianRedundancy(correlation: c, elementDimension: 1)
}
