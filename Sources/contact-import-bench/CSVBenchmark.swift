func runCSVBenchmark() throws {
    print("not measured yet")
}
