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
    usage: contact-import-bench [--reference-dir DIR] [--runs N] [--curve] [--cache-dir DIR] [--workspace CONNINFO] [\(benchmarks.map(\.name).joined(separator: "|"))]...

    Runs the named benchmarks (all when none is named) and prints their figures. The speed
    ratios come from the shared reference scripts in DIR (default: ../shared/bench next to
    this repository, \(ReferenceScripts.defaultDirectory)).

    import: issue 13's table on gen_contacts.py's files (200,000 rows against 1,000,000
    contacts), medians of --runs N runs (default 3), the plain ref_import.py import in the same
    run as the ratio's denominator; --curve adds review and commit times for 10k/50k/200k rows
    against 0/100k/1M/5M contacts. Generated files and loaded workspaces are cached in
    --cache-dir (default $IMPORT_BENCH_CACHE or /tmp/contact-import-bench-cache).
    --workspace runs the import benchmark on a PostgreSQL database instead (a URI or conninfo;
    each run loads the same contacts into a schema of its own, dropped afterwards).

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
    case "--runs":
        guard let count = arguments.popFirst().flatMap({ Int($0) }), count > 0 else {
            print("--runs needs a positive number\n\n" + usage)
            exit(2)
        }
        ImportBenchSettings.chosen.withLock { $0.runs = count }
    case "--curve":
        ImportBenchSettings.chosen.withLock { $0.curve = true }
    case "--cache-dir":
        guard let directory = arguments.popFirst() else {
            print("--cache-dir needs a folder\n\n" + usage)
            exit(2)
        }
        ImportBenchSettings.chosen.withLock { $0.cacheDirectory = directory }
    case "--workspace":
        guard let workspace = arguments.popFirst() else {
            print("--workspace needs a PostgreSQL URI or conninfo\n\n" + usage)
            exit(2)
        }
        BenchWorkspace.chosen.withLock { $0 = workspace }
    case "--reference-dir":
        guard let directory = arguments.popFirst() else {
            print("--reference-dir needs a folder\n\n" + usage)
            exit(2)
        }
        ReferenceScripts.chosenDirectory.withLock { $0 = directory }
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
