/// Benchmarks for the NeuralNet module (filled in by its owner).
func runNeuralNetBenchmarks() throws {
    print("no NeuralNet benchmarks yet")
}
