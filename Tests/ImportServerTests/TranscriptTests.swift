import Foundation
import JSONRPC
import TestSupport
import XCTest

/// Replays every transcript under protocol/transcripts/ against the real binary, and pins down
/// the volatile-value rule of the replayer.
final class TranscriptTests: XCTestCase {
    private var transcriptsDirectory: String {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("protocol/transcripts").path
    }

    func testEveryTranscriptReplays() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: transcriptsDirectory)
            .filter { $0.hasSuffix(".jsonl") }.sorted()
        XCTAssertTrue(files.contains("lifecycle.jsonl"), "transcripts folder not found at \(transcriptsDirectory)")
        let replayer = TranscriptReplayer(daemonPath: try DaemonLocator.daemonPath())
        for file in files {
            let report = try replayer.replay(file: transcriptsDirectory + "/" + file)
            XCTAssertTrue(report.passed, "\(file) no longer matches:\n\(report.diff)")
            XCTAssertGreaterThan(report.comparedMessages, 0, file)
        }
    }

    func testAChangedAnswerFailsWithAReadableDiff() throws {
        let original = try String(contentsOfFile: transcriptsDirectory + "/lifecycle.jsonl", encoding: .utf8)
        let changed = original.replacingOccurrences(of: "\"resultRetentionDays\":7", with: "\"resultRetentionDays\":30")
        let report = try TranscriptReplayer(daemonPath: try DaemonLocator.daemonPath()).replay(text: changed)
        XCTAssertFalse(report.passed)
        XCTAssertTrue(report.diff.contains("at $.result.capabilities.importProvider.limits.resultRetentionDays: expected 30, got 7"),
                      report.diff)
        XCTAssertTrue(report.diff.contains("- expected:") && report.diff.contains("+ received:"), report.diff)
    }

    func testAWrongExitCodeFails() throws {
        let original = try String(contentsOfFile: transcriptsDirectory + "/lifecycle.jsonl", encoding: .utf8)
        let changed = original.replacingOccurrences(of: "{\"code\":1,\"event\":\"exit\"}", with: "{\"code\":0,\"event\":\"exit\"}")
        let report = try TranscriptReplayer(daemonPath: try DaemonLocator.daemonPath()).replay(text: changed)
        XCTAssertEqual(report.problems, ["session 3: exit code 1, expected 0"])
    }

    func testRecordThenReplayRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let transcript = directory.file("fresh.jsonl")
        let client = try WireClient(arguments: ["--record", transcript, "--enable-test-methods"])
        try client.initialize(locale: "pt")
        _ = try client.requestResult("$/test/sleep", ["milliseconds": 10, "steps": 1, "workDoneToken": 1])
        _ = try client.requestResult("nope")
        XCTAssertEqual(try client.shutdownAndExit(), 0)
        let report = try TranscriptReplayer(daemonPath: try DaemonLocator.daemonPath()).replay(file: transcript)
        XCTAssertTrue(report.passed, report.diff)
    }

    // MARK: the volatile-value rule

    func testIssuedIDsBindConsistently() {
        var matcher = JSONMatcher()
        XCTAssertTrue(matcher.matches(expected: ["sessionId": "s-1"], actual: ["sessionId": "a9f"]))
        XCTAssertTrue(matcher.matches(expected: ["result": ["sessionId": "s-1", "jobId": 4]],
                                      actual: ["result": ["sessionId": "a9f", "jobId": 1]]))
        XCTAssertFalse(matcher.matches(expected: ["sessionId": "s-1"], actual: ["sessionId": "other"]),
                       "the same recorded id must meet the same new id")
        XCTAssertFalse(matcher.matches(expected: ["sessionId": "s-2"], actual: ["sessionId": "a9f"]),
                       "two recorded ids cannot become one")
        XCTAssertFalse(matcher.matches(expected: ["jobId": 4], actual: ["jobId": "1"]), "ids keep their JSON type")
        XCTAssertEqual(matcher.substitute(["params": ["sessionId": "s-1", "other": "s-1"]]),
                       ["params": ["sessionId": "a9f", "other": "s-1"]])
        XCTAssertTrue(matcher.matches(expected: ["message": "Session s-1 expired"], actual: ["message": "Session a9f expired"]))
    }

    func testTimestampsPathsTagsAndVersionsAreVolatile() {
        var matcher = JSONMatcher()
        XCTAssertTrue(matcher.matches(
            expected: ["expiresAt": "2026-01-01T00:00:00Z", "version": "0.1.0", "importTag": "import-20260101-000000",
                       "resultFile": ["uri": "file:///tmp/a/files/result-1.csv"],
                       "message": "Cannot open the workspace at /tmp/x/ws: locked since 2026-01-01T00:00:00Z"],
            actual: ["expiresAt": "2027-02-03T04:05:06.789Z", "version": "0.2.0", "importTag": "import-20271231-235959-2",
                     "resultFile": ["uri": "file:///var/tmp/b/files/result-9.csv"],
                     "message": "Cannot open the workspace at /home/u/ws: locked since 2027-02-03T04:05:06Z"]))
        XCTAssertFalse(matcher.matches(expected: ["version": "0.1.0"], actual: ["version": 1]))
        XCTAssertFalse(matcher.matches(expected: ["importTag": "import-20260101-000000"], actual: ["importTag": "summer"]))
    }

    func testEverythingElseIsExact() {
        var matcher = JSONMatcher()
        XCTAssertFalse(matcher.matches(expected: ["id": 1], actual: ["id": 1.0]))
        XCTAssertFalse(matcher.matches(expected: ["id": 1], actual: ["id": "1"]))
        XCTAssertFalse(matcher.matches(expected: ["a": [1, 2]], actual: ["a": [2, 1]]))
        XCTAssertFalse(matcher.matches(expected: ["a": 1], actual: ["a": 1, "b": 2]))
        XCTAssertFalse(matcher.matches(expected: ["a": 1, "b": 2], actual: ["a": 1]))
        XCTAssertFalse(matcher.matches(expected: ["m": "Nombre"], actual: ["m": "Name"]))
    }

    func testHandWrittenWildcards() {
        var matcher = JSONMatcher()
        XCTAssertTrue(matcher.matches(expected: ["a": "{...}"], actual: ["a": ["anything": [1, 2]]]))
        XCTAssertTrue(matcher.matches(expected: ["m": "48[..] rows"], actual: ["m": "48,000 / 200,000 rows"]))
        XCTAssertFalse(matcher.matches(expected: ["m": "48[..] rows"], actual: ["m": "12 rows"]))
    }

    func testMismatchesNameThePath() {
        var matcher = JSONMatcher()
        let mismatches = matcher.match(expected: ["result": ["counts": ["add": 3]]], actual: ["result": ["counts": ["add": 4]]])
        XCTAssertEqual(mismatches.map(\.description), ["at $.result.counts.add: expected 3, got 4"])
    }
}
