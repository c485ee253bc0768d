import Foundation
import JSONRPC
import TestSupport
import XCTest

/// Runs a shell command line and returns its stdout, stderr and exit status.
struct ShellResult {
    let stdout: String
    let stderr: String
    let status: Int32
}

func runShell(_ script: String, environment: [String: String] = [:], timeout: TimeInterval = 30) throws -> ShellResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", script]
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in environment { merged[key] = value }
    process.environment = merged
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Drain both pipes while the process runs so a chatty child cannot block on a full pipe.
    let outData = ByteSink(), errData = ByteSink()
    let group = DispatchGroup()
    for (pipe, sink) in [(out, outData), (err, errData)] {
        group.enter()
        Thread.detachNewThread {
            sink.append(pipe.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
    }
    let deadline = Date(timeIntervalSinceNow: timeout)
    while process.isRunning && Date() < deadline { usleep(5_000) }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    _ = group.wait(timeout: .now() + 5)
    return ShellResult(stdout: outData.text, stderr: errData.text, status: process.terminationStatus)
}

final class ByteSink: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.lock(); data.append(more); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}

func shellQuote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

func framed(_ json: JSONValue) -> [UInt8] { MessageFramer.frame(json.serializedBytes(), framing: .contentLength) }

func request(_ id: Int, _ method: String, _ params: JSONValue? = nil) -> JSONValue {
    Message.request(id: RequestID(id), method: method, params: params).json
}

/// Skips a test about what only the SQLite workspace has (its files, its modes, its locks) on the
/// PostgreSQL pass of the wire suite.
func requireSQLite(_ what: String) throws {
    if TestEngine.current != .sqlite { throw XCTSkip("SQLite only: \(what)") }
}
