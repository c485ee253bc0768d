import Foundation
import JSONRPC

/// Replays transcripts written by `contact-importd --record` (format in TranscriptRecorder and
/// protocol/README.md). Each `start` line begins a session against a fresh server (same binary,
/// a fresh temporary workspace, the recorded `--session-ttl`/`--max-sessions`). The client's
/// messages are sent in order; after each one the replayer waits for as many server messages as
/// the recording shows before the next client message, and compares them with `JSONMatcher`
/// (volatile-value rule). Within such a group, messages may arrive in any order (requests run
/// concurrently). An `exit` line checks the exit code and that nothing else was sent.
///
/// Client messages may use `${WORKSPACE}` (the fresh workspace) and `${TRANSCRIPT_DIR}` (the
/// transcript's folder) in strings, so a recorded absolute path can be made portable;
/// `initializationOptions.workspace` always becomes the fresh workspace.
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
        let directory = (file as NSString).deletingLastPathComponent
        return try replay(text: text, transcriptDirectory: directory.isEmpty ? "." : directory)
    }

    public func replay(text: String, transcriptDirectory: String = ".") throws -> Report {
        var entries: [JSONValue] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
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
        func problem(_ text: String) {
            report.problems.append("session \(session): \(text)")
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
                while let extra = client.nextMessage(timeout: 0.05) {
                    problem("unexpected message before exit:\n  + \(extra.serialized)")
                }
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
            var received: [JSONValue] = []
            for _ in expected {
                guard let message = client.nextMessage(timeout: timeout) else { break }
                received.append(message)
                report.log += "<< \(message.serialized)\n"
            }
            report.comparedMessages += received.count
            compareGroup(expected: expected, received: received, after: outgoing, matcher: &matcher, problem: problem)
        }
        if !sawExit {
            client.closeInput()
            _ = client.waitForExit(timeout: timeout)
        }
    }

    /// Sends one recorded client entry and returns a one-line description of it.
    private func send(_ entry: JSONValue, client: ClientConnection, framing: MessageFramer.Framing, matcher: JSONMatcher,
                      workspace: String, directory: String) throws -> String {
        if let message = entry["message"] {
            let prepared = Self.expandPlaceholders(matcher.substitute(message), workspace: workspace, directory: directory)
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
            let chunk = [UInt8](repeating: UInt8(ascii: " "), count: 1 << 20)
            var remaining = bytes
            while remaining > 0 {
                let count = min(remaining, chunk.count)
                try client.sendRaw(Array(chunk[0..<count]))
                remaining -= count
            }
            if framing == .newlineDelimited { try client.sendRaw([0x0A]) }
            return "oversized body of \(bytes) bytes"
        case "badHeader":
            try client.sendRaw(Array("Content-Length: bogus\r\n\r\n".utf8))
            return "bad header"
        default:
            throw TranscriptError(description: "unknown client entry \(entry.serialized)")
        }
    }

    private func compareGroup(expected: [JSONValue], received: [JSONValue], after sent: String,
                              matcher: inout JSONMatcher, problem: (String) -> Void) {
        var unmatched = Array(received.indices)
        var failures: [String] = []
        for (position, wanted) in expected.enumerated() {
            // In order first; then any other message of the group (concurrent requests).
            let order = unmatched.sorted { abs($0 - position) < abs($1 - position) || ($0 == position) }
            var found: Int?
            for candidate in order where matcher.matches(expected: wanted, actual: received[candidate]) {
                found = candidate
                break
            }
            if let found {
                unmatched.removeAll { $0 == found }
                continue
            }
            guard let closest = unmatched.first(where: { $0 == position }) ?? unmatched.first else {
                failures.append("  - missing: \(wanted.serialized)")
                continue
            }
            var probe = matcher
            let details = probe.match(expected: wanted, actual: received[closest])
            unmatched.removeAll { $0 == closest }
            failures.append("  - expected: \(wanted.serialized)\n  + received: \(received[closest].serialized)\n"
                + details.map { "    \($0)" }.joined(separator: "\n"))
        }
        for extra in unmatched { failures.append("  + unexpected: \(received[extra].serialized)") }
        if !failures.isEmpty {
            problem("after sending \(sent.count > 200 ? String(sent.prefix(200)) + "…" : sent)\n" + failures.joined(separator: "\n"))
        }
    }

    static func expandPlaceholders(_ value: JSONValue, workspace: String, directory: String, key: String? = nil) -> JSONValue {
        switch value {
        case .string(let text):
            if key == "workspace" { return .string(workspace) }
            return .string(text.replacingOccurrences(of: "${WORKSPACE}", with: workspace)
                .replacingOccurrences(of: "${TRANSCRIPT_DIR}", with: directory))
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
