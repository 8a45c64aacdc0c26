/// Benchmarks for the Retina module (filled in by its owner).
func runRetinaBenchmarks() throws {
    print("no Retina benchmarks yet")
}
