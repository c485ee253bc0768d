import Foundation
import JSONRPC
import TestSupport

/// Sequential request/response round trips over pipes against the real daemon: one request in
/// flight at a time, so the figure is pure latency (framing, parsing, dispatch, one write each
/// way, thread wake-ups). Target: at least 20,000 round trips per second for a small request.
func runRPCBenchmark() throws {
    let daemon = try DaemonLocator.daemonPath()
    let workspace = try TemporaryDirectory(prefix: "contact-import-bench-rpc")
    let client = try ClientConnection.spawn(executable: daemon, arguments: [
        "--workspace", workspace.file("ws"), "--log-level", "error", "--enable-test-methods",
    ])
    defer {
        _ = try? client.requestResult("shutdown")
        try? client.notify("exit")
        _ = client.waitForExit(timeout: 5)
    }
    _ = try client.request("initialize", ["locale": "en", "processId": .null])
    try client.notify("initialized", [:])
    print("daemon: \(daemon)")

    let cases: [(name: String, method: String, params: JSONValue?)] = [
        ("fields/list (handler + SQLite read)", "fields/list", nil),
        ("$/test/sleep 0 ms (handler task, no work)", "$/test/sleep", ["milliseconds": 0, "steps": 1]),
        ("unknown method (answered by the reader)", "bench/none", nil),
    ]
    for benchmark in cases {
        for _ in 0..<500 { _ = try client.requestResult(benchmark.method, benchmark.params) }
        let count = 20_000
        var latencies: [Duration] = []
        latencies.reserveCapacity(count)
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<count {
            let before = clock.now
            _ = try client.requestResult(benchmark.method, benchmark.params)
            latencies.append(clock.now - before)
        }
        let elapsed = clock.now - started
        latencies.sort()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let perSecond = Double(count) / seconds
        func microseconds(_ duration: Duration) -> String {
            let value = Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
            return String(format: "%.1f µs", value)
        }
        print(String(format: "%@: %.0f round trips/s", benchmark.name, perSecond)
            + ", median \(microseconds(latencies[count / 2])), p99 \(microseconds(latencies[count * 99 / 100]))"
            + " (\(count) sequential requests)")
    }
}
