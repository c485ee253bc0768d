func runWorkspaceBenchmark() throws {
    print("not measured yet")
}
