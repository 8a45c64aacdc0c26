/// Benchmarks for the RINE module (filled in by its owner).
func runRINEBenchmarks() throws {
    print("no RINE benchmarks yet")
}
