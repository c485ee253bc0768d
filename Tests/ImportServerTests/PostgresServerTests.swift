import Foundation
import JSONRPC
import TestSupport
import XCTest

/// What only a server engine allows: daemons in separate processes committing into one
/// PostgreSQL workspace at once, and the database server restarting under a running commit.
/// Runs when `CONTACT_IMPORT_TEST_POSTGRES` names a cluster (`.ci/test` starts one), on any pass.
final class PostgresServerTests: XCTestCase {
    private let nameAndPhone: JSONValue = [["column": 0, "field": "firstName"], ["column": 1, "field": "lastName"],
                                           ["column": 2, "field": "phone"]]

    override func setUpWithError() throws {
        guard TestEngine.postgresConninfo != nil else {
            throw XCTSkip("CONTACT_IMPORT_TEST_POSTGRES names no PostgreSQL cluster")
        }
    }

    /// Two daemons, two processes, one database: each commits a file big enough to still be
    /// running when the other asks. Only one job ever runs: the other gets 1006 naming it at
    /// once, or (when the first had ended) runs after it. The workspace holds exactly the rows
    /// of the completed jobs, and no two jobs overlap in time.
    func testTwoDaemonsOnOneDatabaseNeverRunTwoJobsAtOnce() throws {
        let workspace = try TestWorkspace(engine: .postgresql)
        let daemons = [try WireClient(arguments: workspace.arguments), try WireClient(arguments: workspace.arguments)]
        for daemon in daemons { try daemon.initialize() }
        let rows = 5_000
        var completed = 0
        var refused = 0
        for trial in 0..<8 {
            var sessions: [JSONValue] = []
            var reviews: [JSONValue] = []
            for (index, daemon) in daemons.enumerated() {
                let csv = bulkCSV(rows: rows, phoneOffset: (trial * 2 + index) * rows)
                let opened = try daemon.request("import/open", ["text": .string(csv), "fileName": "equipo.csv"])
                let session = try XCTUnwrap(opened["sessionId"])
                sessions.append(session)
                reviews.append(try daemon.request("import/review", ["sessionId": session, "purpose": "addAll",
                                                                    "mapping": nameAndPhone]))
            }
            let ids = try (0..<2).map { index in
                try daemons[index].sendRequest("import/commit", ["sessionId": sessions[index],
                                                                 "reviewId": reviews[index]["reviewId"] ?? .null])
            }
            var jobs: [(id: Int, started: String, finished: String)] = []
            for index in 0..<2 {
                switch try daemons[index].waitForResponse(ids[index], timeout: 120) {
                case .success(let result):
                    XCTAssertEqual(result["state"], "completed", "trial \(trial)")
                    completed += 1
                    _ = result
                case .failure(let error):
                    XCTAssertEqual(error.code, 1006, "trial \(trial): \(error.message)")
                    XCTAssertNotNil(error.data?["jobId"]?.intValue, "1006 names the running job")
                    refused += 1
                }
            }
            let history = try daemons[0].request("import/history", ["limit": 100])
            for job in history["jobs"]?.arrayValue ?? [] where job["state"] == "completed" {
                jobs.append((try XCTUnwrap(job["jobId"]?.intValue), try XCTUnwrap(job["startedAt"]?.stringValue),
                             try XCTUnwrap(job["finishedAt"]?.stringValue)))
            }
            XCTAssertEqual(jobs.count, completed, "trial \(trial): every completed commit is in the shared history")
            let ordered = jobs.sorted { $0.id < $1.id }
            for (earlier, later) in zip(ordered, ordered.dropFirst()) {
                XCTAssertLessThanOrEqual(earlier.finished, later.started, "trial \(trial): jobs \(earlier.id) and \(later.id) overlap")
            }
            XCTAssertEqual(try countContacts(daemons[1], phones: (0..<(trial * 2 + 2)).map { $0 * rows }), completed,
                           "trial \(trial): the first row of every completed file, and of no refused one")
            for (daemon, session) in zip(daemons, sessions) {
                _ = try daemon.request("import/close", ["sessionId": session])
            }
        }
        XCTAssertGreaterThan(refused, 0, "the two commits met at least once")
        for daemon in daemons { XCTAssertEqual(try daemon.shutdownAndExit(), 0) }
    }

    /// The database restarts (`pg_ctl restart -m fast`) while a commit writes: the job ends
    /// `failed` or `interrupted`, nothing of it is in the workspace, and the same daemon answers
    /// the next requests and commits again once the server is back.
    func testTheDatabaseRestartingMidCommitLeavesNothingHalfWritten() throws {
        let cluster = try ThrowawayCluster()
        defer { cluster.stop() }
        let workspace = try TestWorkspace(engine: .postgresql, conninfo: cluster.conninfo)
        let daemon = try WireClient(arguments: workspace.arguments)
        try daemon.initialize()
        let rows = 100_000
        let opened = try daemon.request("import/open", ["text": .string(bulkCSV(rows: rows)), "fileName": "grande.csv"], timeout: 120)
        let session = try XCTUnwrap(opened["sessionId"])
        let review = try daemon.request("import/review", ["sessionId": session, "purpose": "addAll", "mapping": nameAndPhone],
                                        timeout: 120)
        let id = try daemon.sendRequest("import/commit", ["sessionId": session, "reviewId": review["reviewId"] ?? .null,
                                                          "workDoneToken": "restart"])
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let progress = try daemon.waitForNotification("$/progress", timeout: 120)
            if progress["value"]?["kind"] == "report" { break }
        }
        try cluster.restart()
        switch try daemon.waitForResponse(id, timeout: 120) {
        case .success(let result):
            // The COMMIT may have reached the server just before it stopped: then all of it is there.
            XCTAssertEqual(result["state"], "completed", "a commit that replies succeeded completed")
        case .failure(let error):
            XCTAssertEqual(error.code, 1007, error.message)
            XCTAssertFalse(error.message.isEmpty)
        }
        // The daemon reconnects for the next request.
        var history: JSONValue = .null
        for _ in 0..<50 {
            if case .success(let value) = try daemon.requestResult("import/history") { history = value; break }
            usleep(100_000)
        }
        let job = try XCTUnwrap(history["jobs"]?[0], "the daemon answers import/history after the restart")
        let state = try XCTUnwrap(job["state"]?.stringValue)
        print("PostgresServerTests: after the restart the job is \(state)")
        XCTAssertTrue(["failed", "interrupted", "completed"].contains(state), state)
        let stored = try countContacts(daemon, phones: [0, rows / 2, rows - 1])
        XCTAssertEqual(stored, state == "completed" ? 3 : 0, "all of the file or none of it (state \(state))")
        if state != "completed" {
            XCTAssertEqual(job["counts"]?["imported"]?.intValue ?? 0, 0)
            // The review was never applied, so it can still be committed (protocol §7.6).
            let again = try daemon.request("import/commit", ["sessionId": session, "reviewId": review["reviewId"] ?? .null],
                                           timeout: 300)
            XCTAssertEqual(again["state"], "completed")
            XCTAssertEqual(try countContacts(daemon, phones: [0, rows / 2, rows - 1]), 3)
        }
        XCTAssertEqual(try daemon.shutdownAndExit(), 0)
    }

    /// How many of the rows `bulkCSV` numbered `indexes` are stored, asked over the wire.
    private func countContacts(_ daemon: WireClient, phones indexes: [Int]) throws -> Int {
        try indexes.reduce(0) { total, index in
            let found = try daemon.request("contacts/find", ["phone": .string("+34\(600_000_000 + index)")])
            return total + (found["contacts"]?.arrayValue?.count ?? 0)
        }
    }
}

/// A PostgreSQL cluster of one test's own (`.ci/postgres`), for what would disturb a shared one.
/// The script runs through `posix_spawn` with its output in files, not `Process` with pipes: the
/// server it starts outlives it, and `Process` was seen never to notice the script's exit then.
final class ThrowawayCluster: @unchecked Sendable {
    let directory: String
    let conninfo: String
    private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../.ci/postgres").standardized.path

    init() throws {
        directory = "/tmp/pgt-" + String(UUID().uuidString.prefix(8)).lowercased()
        let (status, output) = Self.run("start", directory)
        guard status == 0 else { throw XCTSkip("could not start a PostgreSQL cluster: \(output)") }
        conninfo = output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func restart() throws {
        let (status, output) = Self.run("restart", directory)
        XCTAssertEqual(status, 0, output)
    }

    func stop() { _ = Self.run("stop", directory) }

    /// The script's exit status and what it printed.
    private static func run(_ action: String, _ directory: String) -> (Int32, String) {
        let output = "/tmp/pgt-out-" + UUID().uuidString
        defer { unlink(output) }
        let command = "bash \(shellQuote(script)) \(action) \(shellQuote(directory)) >\(shellQuote(output)) 2>&1 </dev/null"
        let arguments = ["/bin/bash", "-c", command]
        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", nil, nil, &cArguments, environ) == 0 else { return (-1, "posix_spawn failed") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        // WEXITSTATUS, spelled out: Glibc's macro is not imported into Swift.
        return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : -1, text)
    }
}
