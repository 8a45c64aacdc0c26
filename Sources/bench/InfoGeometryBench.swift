/// Benchmarks for the InfoGeometry module (filled in by its owner).
func runInfoGeometryBenchmarks() throws {
    print("no InfoGeometry benchmarks yet")
}
