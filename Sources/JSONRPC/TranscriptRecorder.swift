import FoundationEssentials
import ThreadSupport
#if canImport(Glibc)
import Glibc
#endif

/// Appends every message in and out of a connection to a file, one JSON object per line, in the
/// order they crossed the wire (see protocol/README.md, "Transcripts"):
///
///     {"event":"start","framing":"content-length","server":{...}}
///     {"direction":"in","message":{...}}            a message the client sent
///     {"direction":"in","raw":"not json"}           a body that was not JSON
///     {"direction":"in","event":"oversized","bytes":N} / {"direction":"in","event":"badHeader"}
///     {"direction":"out","message":{...}}           a message the server sent
///     {"event":"exit","code":0}
public final class TranscriptRecorder: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = ThreadLock()
    private let serverInfo: JSONValue
    private var started = false

    /// Opens `path` for appending (created if missing). `serverInfo` goes into the start line so
    /// a replay can start the server with the same options.
    public init(path: String, serverInfo: JSONValue) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileDescriptorIO.Failure(errno: errno) }
        self.descriptor = descriptor
        self.serverInfo = serverInfo
    }

    deinit { close(descriptor) }

    public func start(framing: MessageFramer.Framing) {
        lock.lock()
        defer { lock.unlock() }
        guard !started else { return }
        started = true
        append(["event": "start", "framing": .string(framing.rawValue), "server": serverInfo])
    }

    public func incoming(_ message: JSONValue) { write(["direction": "in", "message": message]) }
    public func incomingRaw(_ body: [UInt8]) {
        write(["direction": "in", "raw": .string(String(decoding: body, as: UTF8.self))])
    }
    public func incomingEvent(_ event: String, _ details: [String: JSONValue] = [:]) {
        var line = details
        line["direction"] = "in"
        line["event"] = .string(event)
        write(.object(line))
    }
    public func outgoing(_ message: JSONValue) { write(["direction": "out", "message": message]) }
    public func exit(code: Int32) { write(["event": "exit", "code": .int(Int(code))]) }

    private func write(_ line: JSONValue) {
        lock.lock()
        defer { lock.unlock() }
        append(line)
    }

    private func append(_ line: JSONValue) {
        var bytes = line.serializedBytes()
        bytes.append(0x0A)
        _ = try? FileDescriptorIO.writeAll(descriptor, bytes)
    }
}
