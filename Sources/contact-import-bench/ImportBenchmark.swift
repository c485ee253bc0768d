func runImportBenchmark() throws {
    print("not measured yet")
}
