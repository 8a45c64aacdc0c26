/// Benchmarks for the RenormalizedMI module (filled in by its owner).
func runRenormalizedMIBenchmarks() throws {
    print("no RenormalizedMI benchmarks yet")
}
