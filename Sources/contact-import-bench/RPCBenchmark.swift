func runRPCBenchmark() throws {
    print("not measured yet")
}
