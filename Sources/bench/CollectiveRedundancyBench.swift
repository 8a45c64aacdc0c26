/// Benchmarks for the CollectiveRedundancy module (filled in by its owner).
func runCollectiveRedundancyBenchmarks() throws {
    print("no CollectiveRedundancy benchmarks yet")
}
