import Foundation

// Each figure-producing benchmark lives in its own file and is listed here by name.
// `contact-import-bench` with no argument runs them all; `contact-import-bench csv rpc` runs some.
let benchmarks: [(name: String, run: () throws -> Void)] = [
    ("rpc", runRPCBenchmark),
    ("csv", runCSVBenchmark),
    ("workspace", runWorkspaceBenchmark),
    ("import", runImportBenchmark),
    ("open", runOpenBenchmark),
]

let wanted = Set(CommandLine.arguments.dropFirst())
for benchmark in benchmarks where wanted.isEmpty || wanted.contains(benchmark.name) {
    print("== \(benchmark.name)")
    do {
        try benchmark.run()
    } catch {
        print("benchmark \(benchmark.name) failed: \(error)")
        exit(1)
    }
}
