import Foundation
import JSONRPC
import TestSupport

/// Sequential request/response round trips over pipes against the real daemon: one request in
/// flight at a time, so the figure is pure latency (framing, parsing, dispatch, one write each
/// way, thread wake-ups). Target: at least 20,000 round trips per second for a small request.
///
/// The main figures use a synchronous client on this thread (write the request, read until the
/// response is framed), so they measure the daemon rather than a client's threads; the last line
/// repeats one case through `ClientConnection` (reader thread + waiting caller), as our clients
/// and tests talk to it.
func runRPCBenchmark() throws {
    let daemon = try DaemonLocator.daemonPath()
    let workspace = try TemporaryDirectory(prefix: "contact-import-bench-rpc")
    let arguments = ["--workspace", workspace.file("ws"), "--log-level", "error", "--enable-test-methods"]
    print("daemon: \(daemon)")

    let server = try SynchronousPipeClient(executable: daemon, arguments: arguments)
    _ = try server.roundTrip(Message.request(id: 0, method: "initialize", params: ["locale": "en"]).json)
    try server.send(Message.notification(method: "initialized", params: [:]).json)
    let cases: [(name: String, method: String, params: JSONValue?)] = [
        ("$/test/sleep 0 ms (full dispatch, no work)", "$/test/sleep", ["milliseconds": 0, "steps": 1]),
        ("fields/list (dispatch + SQLite read)", "fields/list", nil),
        ("unknown method (answered by the reader)", "bench/none", nil),
    ]
    for benchmark in cases {
        var nextID = 1
        let figures = try measure(count: 10_000) {
            nextID += 1
            _ = try server.roundTrip(Message.request(id: RequestID(nextID), method: benchmark.method,
                                                     params: benchmark.params).json)
        }
        print("\(benchmark.name): \(figures)")
    }
    try server.send(Message.request(id: 1_000_000, method: "shutdown", params: nil).json)
    try server.send(Message.notification(method: "exit", params: nil).json)
    server.wait()

    let client = try ClientConnection.spawn(executable: daemon, arguments: arguments)
    _ = try client.request("initialize", ["locale": "en"])
    try client.notify("initialized", [:])
    let figures = try measure(count: 10_000) {
        _ = try client.requestResult("$/test/sleep", ["milliseconds": 0, "steps": 1])
    }
    print("$/test/sleep 0 ms through ClientConnection: \(figures)")
    _ = try client.requestResult("shutdown")
    try client.notify("exit")
    _ = client.waitForExit(timeout: 5)
}

/// Round trips per second of `count` sequential `$/test/sleep 0` requests through
/// `ClientConnection` to a fresh daemon (the issue table's figure, measured once per run of
/// `contact-import-bench import`).
func clientConnectionRoundTrips(count: Int) throws -> Double {
    let workspace = try TemporaryDirectory(prefix: "contact-import-bench-rpc")
    let client = try ClientConnection.spawn(executable: try DaemonLocator.daemonPath(),
                                            arguments: ["--workspace", workspace.file("ws"), "--log-level", "error", "--enable-test-methods"])
    _ = try client.request("initialize", ["locale": "en"])
    try client.notify("initialized", [:])
    for _ in 0..<500 { _ = try client.requestResult("$/test/sleep", ["milliseconds": 0, "steps": 1]) }
    let clock = ContinuousClock()
    let started = clock.now
    for _ in 0..<count { _ = try client.requestResult("$/test/sleep", ["milliseconds": 0, "steps": 1]) }
    let elapsed = clock.now - started
    _ = try client.requestResult("shutdown")
    try client.notify("exit")
    _ = client.waitForExit(timeout: 5)
    return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

/// Three rounds of `count` sequential round trips; prints every round's rate and the latency
/// percentiles of all of them together. Rounds differ a lot on a shared machine (other builds
/// take the cores), so one number alone would mislead.
private func measure(count: Int, _ body: () throws -> Void) throws -> String {
    for _ in 0..<500 { try body() }
    func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }
    var latencies: [Duration] = []
    latencies.reserveCapacity(count * 3)
    var rates: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<3 {
        let started = clock.now
        for _ in 0..<count {
            let before = clock.now
            try body()
            latencies.append(clock.now - before)
        }
        rates.append(Double(count) / (microseconds(clock.now - started) / 1e6))
    }
    latencies.sort()
    let rounds = rates.map { String(format: "%.0f", $0) }.joined(separator: " / ")
    return "\(rounds) round trips/s"
        + String(format: ", median %.1f µs, p99 %.1f µs (3 × %d sequential requests)",
                 microseconds(latencies[latencies.count / 2]), microseconds(latencies[latencies.count * 99 / 100]), count)
}

/// The smallest possible client: the calling thread writes a request and reads the daemon's
/// stdout until one message is framed.
private final class SynchronousPipeClient {
    struct Closed: Error {}

    let process = Process()
    let input: Int32
    let output: Int32
    var framer = MessageFramer(framing: .contentLength, maxBodyBytes: Int.max)
    var pending: [[UInt8]] = []
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)

    init(executable: String, arguments: [String]) throws {
        FileDescriptorIO.ignoreSIGPIPE()
        let stdin = Pipe(), stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        input = stdin.fileHandleForWriting.fileDescriptor
        output = stdout.fileHandleForReading.fileDescriptor
    }

    deinit { chunk.deallocate() }

    func send(_ message: JSONValue) throws {
        try FileDescriptorIO.writeAll(input, MessageFramer.frame(message.serializedBytes(), framing: .contentLength))
    }

    func roundTrip(_ message: JSONValue) throws -> [UInt8] {
        try send(message)
        var events: [MessageFramer.Event] = []
        while pending.isEmpty {
            let count = try FileDescriptorIO.read(output, into: chunk)
            guard count > 0 else { throw Closed() }
            events.removeAll(keepingCapacity: true)
            framer.push(UnsafeRawBufferPointer(rebasing: chunk[0..<count]), into: &events)
            for case .message(let body) in events { pending.append(body) }
        }
        return pending.removeFirst()
    }

    func wait() { process.waitUntilExit() }
}
