import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Localization
import JSONRPC

/// Replays transcripts written by `contact-importd --record` (format in TranscriptRecorder and
/// protocol/README.md). Each `start` line begins a session against a fresh server (same binary,
/// a fresh temporary workspace, the recorded `--session-ttl`/`--max-sessions`). The client's
/// messages are sent in order; after each one the replayer waits for as many server messages as
/// the recording shows before the next client message, and compares them with `JSONMatcher`
/// (volatile-value rule). Messages may arrive in another order than recorded (requests run
/// concurrently, timers fire when they fire): a message that matches nothing yet stays pending
/// for the next groups; whatever is still pending at `exit` or at the end is reported. An `exit`
/// line checks the exit code.
///
/// Client messages may use `${WORKSPACE}` (the fresh workspace) and `${TRANSCRIPT_DIR}` (the
/// transcript's folder) in strings, so a recorded absolute path can be made portable;
/// `initializationOptions.workspace` always becomes the fresh workspace, and a numeric
/// `processId` of `initialize` becomes the replayer's own pid.
public struct TranscriptReplayer: Sendable {
    public let daemonPath: String
    public let timeout: TimeInterval

    public init(daemonPath: String, timeout: TimeInterval = 30) {
        self.daemonPath = daemonPath
        self.timeout = timeout
    }

    public struct Report: Sendable {
        public var sessions = 0
        public var comparedMessages = 0
        /// One readable block per problem; empty when the transcript matched.
        public var problems: [String] = []
        /// What was sent and received, for `--verbose`.
        public var log = ""
        public var passed: Bool { problems.isEmpty }
        public var diff: String { problems.joined(separator: "\n\n") }
    }

    public struct TranscriptError: Error, CustomStringConvertible {
        public let description: String
    }

    public func replay(file: String) throws -> Report {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let directory = DaemonLocator.parentDirectory(file)
        return try replay(text: text, transcriptDirectory: directory.isEmpty ? "." : directory)
    }

    public func replay(text: String, transcriptDirectory: String = ".") throws -> Report {
        var entries: [JSONValue] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = String(line).whitespaceTrimmed()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            do {
                entries.append(try JSONValue.parse(trimmed))
            } catch {
                throw TranscriptError(description: "line \(number + 1) is not JSON: \(error)")
            }
        }
        var report = Report()
        var sessionStart: Int?
        for (index, entry) in entries.enumerated() where entry["event"] == "start" && entry["direction"] == nil {
            if let start = sessionStart { try replaySession(Array(entries[start..<index]), directory: transcriptDirectory, into: &report) }
            sessionStart = index
        }
        guard let start = sessionStart else {
            throw TranscriptError(description: "no {\"event\":\"start\"} line: not a transcript")
        }
        try replaySession(Array(entries[start...]), directory: transcriptDirectory, into: &report)
        return report
    }

    private func replaySession(_ entries: [JSONValue], directory: String, into report: inout Report) throws {
        report.sessions += 1
        let session = report.sessions
        guard let start = entries.first else { return }
        let framing = MessageFramer.Framing(rawValue: start["framing"]?.stringValue ?? "") ?? .contentLength
        let server = start["server"] ?? [:]
        let workspace = try TemporaryDirectory(prefix: "contact-importd-replay")
        let workspacePath = workspace.file("workspace")
        var arguments = ["--workspace", workspacePath]
        if let ttl = server["sessionTtlSeconds"]?.intValue { arguments += ["--session-ttl", String(ttl)] }
        if let maximum = server["maxSessions"]?.intValue { arguments += ["--max-sessions", String(maximum)] }
        if server["testMethods"] == .bool(true) { arguments.append("--enable-test-methods") }
        let client = try ClientConnection.spawn(executable: daemonPath, arguments: arguments, framing: framing)
        defer {
            client.closeInput()
            if client.waitForExit(timeout: 5) == nil { client.terminate() }
        }
        var matcher = JSONMatcher()
        var index = 1
        var sawExit = false
        // Server messages received but not yet matched: a notification the server sends on its
        // own (a timer) may arrive a group earlier or later than recorded.
        var pool: [JSONValue] = []
        func problem(_ text: String) {
            report.problems.append("session \(session): \(text)")
        }
        func reportLeftovers(_ when: String) {
            for extra in pool { problem("unexpected message \(when):\n  + \(extra.serialized)") }
            pool.removeAll()
        }
        while index < entries.count {
            let entry = entries[index]
            index += 1
            if entry["event"] == "exit" {
                sawExit = true
                let expectedCode = entry["code"]?.intValue ?? 0
                guard let code = client.waitForExit(timeout: timeout) else {
                    problem("the server did not exit (expected exit code \(expectedCode))")
                    return
                }
                if Int(code) != expectedCode { problem("exit code \(code), expected \(expectedCode)") }
                while let extra = client.nextMessage(timeout: 0.05) { pool.append(extra) }
                reportLeftovers("before exit")
                continue
            }
            guard entry["direction"] == "in" else { continue }
            let outgoing = try send(entry, client: client, framing: framing, matcher: matcher, workspace: workspacePath,
                                    directory: directory)
            report.log += ">> \(outgoing)\n"
            var expected: [JSONValue] = []
            while index < entries.count, entries[index]["direction"] == "out" {
                expected.append(entries[index]["message"] ?? .null)
                index += 1
            }
            while pool.count < expected.count, let message = client.nextMessage(timeout: timeout) {
                pool.append(message)
                report.log += "<< \(message.serialized)\n"
            }
            var failures: [String] = []
            for wanted in expected {
                if let found = pool.firstIndex(where: { matcher.matches(expected: wanted, actual: $0) }) {
                    pool.remove(at: found)
                    report.comparedMessages += 1
                    continue
                }
                // Not here yet, or different. If its counterpart (same id or method) is here, it is
                // different; otherwise give the server a little longer before showing the diff.
                var matched = false
                while counterpart(of: wanted, in: pool) == nil, let message = client.nextMessage(timeout: min(timeout, 5)) {
                    report.log += "<< \(message.serialized)\n"
                    if matcher.matches(expected: wanted, actual: message) {
                        matched = true
                        report.comparedMessages += 1
                        break
                    }
                    pool.append(message)
                }
                if matched { continue }
                if let closest = closestCandidate(to: wanted, in: pool) {
                    var probe = matcher
                    let details = probe.match(expected: wanted, actual: pool[closest])
                    failures.append("  - expected: \(wanted.serialized)\n  + received: \(pool[closest].serialized)\n"
                        + details.map { "    \($0)" }.joined(separator: "\n"))
                    pool.remove(at: closest)
                } else {
                    failures.append("  - missing: \(wanted.serialized)")
                }
            }
            if !failures.isEmpty {
                let sent = outgoing.count > 200 ? String(outgoing.prefix(200)) + "…" : outgoing
                problem("after sending \(sent)\n" + failures.joined(separator: "\n"))
            }
        }
        if !sawExit {
            client.closeInput()
            _ = client.waitForExit(timeout: timeout)
            while let extra = client.nextMessage(timeout: 0.05) { pool.append(extra) }
            reportLeftovers("at the end of the session")
        }
    }

    /// A received response with the same id as `wanted`, or a notification with the same method.
    private func counterpart(of wanted: JSONValue, in pool: [JSONValue]) -> Int? {
        if let method = wanted["method"] { return pool.firstIndex { $0["method"] == method } }
        let id = wanted["id"] ?? .null
        return pool.firstIndex { $0["method"] == nil && $0["id"] == id }
    }

    /// The received message most like `wanted`: its counterpart, else the oldest.
    private func closestCandidate(to wanted: JSONValue, in pool: [JSONValue]) -> Int? {
        counterpart(of: wanted, in: pool) ?? (pool.isEmpty ? nil : 0)
    }

    /// Sends one recorded client entry and returns a one-line description of it.
    private func send(_ entry: JSONValue, client: ClientConnection, framing: MessageFramer.Framing, matcher: JSONMatcher,
                      workspace: String, directory: String) throws -> String {
        if let message = entry["message"] {
            let prepared = Self.replacingProcessID(
                Self.expandPlaceholders(matcher.substitute(message), workspace: workspace, directory: directory))
            try client.send(prepared)
            return prepared.serialized
        }
        if let raw = entry["raw"]?.stringValue {
            try client.sendRaw(MessageFramer.frame(Array(raw.utf8), framing: framing))
            return "raw \(raw)"
        }
        switch entry["event"]?.stringValue {
        case "oversized":
            // Re-create a body of the recorded size; the server skips it without buffering.
            let bytes = entry["bytes"]?.intValue ?? (MessageFramer.defaultMaxBodyBytes + 1)
            if framing == .contentLength {
                try client.sendRaw(Array("Content-Length: \(bytes)\r\n\r\n".utf8))
            }
            try client.sendSpaces(bytes)
            if framing == .newlineDelimited { try client.sendRaw([0x0A]) }
            return "oversized body of \(bytes) bytes"
        case "badHeader":
            try client.sendRaw(Array("Content-Length: bogus\r\n\r\n".utf8))
            return "bad header"
        default:
            throw TranscriptError(description: "unknown client entry \(entry.serialized)")
        }
    }

    /// `initialize`'s `processId` names the recording client, long gone at replay; the server
    /// would see a dead parent and exit. A number becomes the replayer's own pid (alive for the
    /// whole replay); null, absent or another type is sent as recorded.
    static func replacingProcessID(_ message: JSONValue) -> JSONValue {
        guard message["method"] == "initialize", case .object(var members) = message,
              case .object(var params)? = members["params"], case .int? = params["processId"] else { return message }
        params["processId"] = .int(Int(getpid()))
        members["params"] = .object(params)
        return .object(members)
    }

    static func expandPlaceholders(_ value: JSONValue, workspace: String, directory: String, key: String? = nil) -> JSONValue {
        switch value {
        case .string(let text):
            if key == "workspace" { return .string(workspace) }
            return .string(text.replacingEvery("${WORKSPACE}", with: workspace)
                .replacingEvery("${TRANSCRIPT_DIR}", with: directory))
        case .array(let elements):
            return .array(elements.map { expandPlaceholders($0, workspace: workspace, directory: directory, key: key) })
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (name, member) in members {
                result[name] = expandPlaceholders(member, workspace: workspace, directory: directory, key: name)
            }
            return .object(result)
        default:
            return value
        }
    }
}
