/// Benchmarks for the Numerics module (filled in by its owner).
func runNumericsBenchmarks() throws {
    print("no Numerics benchmarks yet")
}
