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

let usage = """
    usage: contact-import-bench [--reference-dir DIR] [--workspace CONNINFO] [\(benchmarks.map(\.name).joined(separator: "|"))]...

    Runs the named benchmarks (all when none is named) and prints their figures. The speed
    ratios come from the shared reference scripts in DIR (default: ../shared/bench next to
    this repository, \(ReferenceScripts.defaultDirectory)). --workspace runs the import benchmark
    on a PostgreSQL database (a URI or conninfo; a schema of its own per run).

    Environment: IMPORT_BENCH_CONTACTS, IMPORT_BENCH_ROWS (import sizes), IMPORT_BENCH_PYTHON=0
    and WORKSPACE_BENCH_PYTHON=0 (skip the reference runs), WORKSPACE_BENCH_CONTACTS.
    """
var wanted = Set<String>()
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--help", "-h":
        print(usage)
        exit(0)
    case "--reference-dir":
        guard let directory = arguments.popFirst() else {
            print("--reference-dir needs a folder\n\n" + usage)
            exit(2)
        }
        ReferenceScripts.chosenDirectory.withLock { $0 = directory }
    case "--workspace":
        guard let workspace = arguments.popFirst() else {
            print("--workspace needs a PostgreSQL URI or conninfo\n\n" + usage)
            exit(2)
        }
        BenchWorkspace.chosen.withLock { $0 = workspace }
    default:
        guard benchmarks.contains(where: { $0.name == argument }) else {
            print("unknown benchmark \(argument)\n\n" + usage)
            exit(2)
        }
        wanted.insert(argument)
    }
}
for benchmark in benchmarks where wanted.isEmpty || wanted.contains(benchmark.name) {
    print("== \(benchmark.name)")
    do {
        try benchmark.run()
    } catch {
        print("benchmark \(benchmark.name) failed: \(error)")
        exit(1)
    }
}
