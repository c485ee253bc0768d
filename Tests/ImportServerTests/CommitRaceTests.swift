import Foundation
import JSONRPC
import TestSupport
import Workspace
import XCTest

/// Every check-then-act between requests and between processes, driven the way clients really
/// misbehave (double clicks, retries, two editors on one workspace, a cancel at any moment) and
/// repeated many times. Each trial asserts on the workspace itself: contacts, tags and history.
final class CommitRaceTests: XCTestCase {
    private let nameAndPhone = [mapped(0, "firstName"), mapped(1, "lastName"), mapped(2, "phone")]

    // MARK: a review is applied once

    func testPipelinedDuplicateCommitsOfAnAddAllReviewImportItOnce() throws {
        try assertDuplicatesApplyOnce(purpose: "addAll", identifier: nil, trials: 200)
    }

    func testPipelinedDuplicateCommitsOfAnAddAndUpdateReviewImportItOnce() throws {
        try assertDuplicatesApplyOnce(purpose: "addAndUpdate", identifier: "phone", trials: 200)
    }

    /// One daemon, one 200-row file; each trial reviews it again and writes 2, 3 or 10 copies of
    /// `import/commit` for that review to the pipe without waiting. Exactly one is a completed
    /// job; every other copy is refused with that job's id (1006 while it runs, 1005 after).
    private func assertDuplicatesApplyOnce(purpose: String, identifier: String?, trials: Int) throws {
        let wire = try ImportWire()
        let workspace = try wire.workspace()
        let rows = 200
        let session = try wire.open(bulkCSV(rows: rows))
        let copiesCycle = [2, 3, 10]
        var completedTags: Set<String> = []
        for trial in 0..<trials {
            let review = try wire.review(session, purpose, identifier: identifier, mapping: nameAndPhone)
            let params: JSONValue = ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null]
            let copies = copiesCycle[trial % copiesCycle.count]
            let ids = try (0..<copies).map { _ in try wire.client.sendRequest("import/commit", params) }
            var completed: [JSONValue] = []
            var refusals: [ResponseError] = []
            for id in ids {
                switch try wire.client.waitForResponse(id, timeout: 60) {
                case .success(let result): completed.append(result)
                case .failure(let error): refusals.append(error)
                }
            }
            XCTAssertEqual(completed.count, 1, "trial \(trial): \(copies) copies, exactly one job")
            guard let job = completed.first else { return }
            XCTAssertEqual(job["state"], "completed")
            for refusal in refusals {
                XCTAssertTrue([1005, 1006].contains(refusal.code), "trial \(trial): \(refusal.code) \(refusal.message)")
                XCTAssertEqual(refusal.data?["jobId"], job["jobId"], "trial \(trial): a refusal names the job that used the review")
            }
            if let tag = job["importTag"]?.stringValue {
                XCTAssertFalse(completedTags.contains(tag), "trial \(trial): every import has its own tag")
                completedTags.insert(tag)
            }
            // The workspace itself, every trial.
            let expected = purpose == "addAll" ? rows * (trial + 1) : rows
            XCTAssertEqual(try workspace.read { try $0.contactCount() }, expected, "trial \(trial)")
            XCTAssertEqual(try workspace.jobs(limit: 10_000).count, trial + 1, "trial \(trial): one history entry per review")
        }
        let jobs = try workspace.jobs(limit: 10_000)
        XCTAssertEqual(jobs.filter { $0.state == .completed }.count, trials)
        XCTAssertEqual(Set(jobs.compactMap(\.importTag)).count, trials, "import tags are unique per import")
        if purpose == "addAndUpdate" {
            // Each contact carries exactly one tag per import: none was applied twice.
            let tagCounts = try workspace.read { tx in
                try (0..<rows).map { index -> Int in
                    let id = try XCTUnwrap(try tx.contactIDs(phone: "+34\(600_000_000 + index)").first)
                    return try XCTUnwrap(try tx.contact(id: id)).tags.count
                }
            }
            XCTAssertEqual(Set(tagCounts), [trials])
        }
    }

    func testACommitOfAReviewWhoseJobIsRunningGetsImportInProgressWithThatJob() throws {
        let wire = try ImportWire()
        let session = try wire.open(bulkCSV(rows: 40_000))
        let review = try wire.review(session, "addNew", mapping: nameAndPhone)
        let params: JSONValue = ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null, "workDoneToken": "t"]
        let first = try wire.client.sendRequest("import/commit", params)
        try waitForCommitReport(wire.client)
        let running = try wire.client.requestError("import/commit", params)
        XCTAssertEqual(running.code, 1006)
        let history = try wire.client.request("import/history")
        XCTAssertEqual(running.data?["jobId"], history["jobs"]?[0]?["jobId"])
        XCTAssertEqual(running.data?["startedAt"], history["jobs"]?[0]?["startedAt"])
        // A new review of the same session waits for nothing either: the plan being applied stays.
        let reviewDuring = try wire.client.requestError("import/review", wire.reviewParams(session, "addAll", identifier: nil, mapping: nameAndPhone))
        XCTAssertEqual(reviewDuring.code, 1006)
        let done = try wire.client.waitForResponse(first, timeout: 120).get()
        let after = try wire.client.requestError("import/commit", params)
        XCTAssertEqual(after.code, 1005)
        XCTAssertEqual(after.data?["jobId"], done["jobId"])
        XCTAssertTrue(after.message.contains("already imported"), after.message)
        XCTAssertEqual(try wire.contactCount(), 40_000)
    }

    func testTheAlreadyImportedRefusalIsInSpanishToo() throws {
        let wire = try ImportWire(locale: "es")
        let session = try wire.open(bulkCSV(rows: 3))
        let review = try wire.review(session, "addAll", identifier: nil, mapping: nameAndPhone)
        let job = try wire.commit(session, review)
        let again = try wire.client.requestError("import/commit", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null])
        XCTAssertEqual(again.code, 1005)
        XCTAssertEqual(again.data?["jobId"], job["jobId"])
        XCTAssertTrue(again.message.contains("ya se importó"), again.message)
    }

    // MARK: cancel at any point

    /// The cancel is sent at many points of a commit (pipelined with it, at its first report,
    /// at later reports). Whatever the reply says is what the workspace holds: -32800 with
    /// nothing changed and a `cancelled` job, or `completed` with every row imported. A review
    /// whose job was cancelled was rolled back entirely and can be committed again.
    func testACancelAtAnyPointOfACommitLeavesAllOrNothingAndTheReplySaysWhich() throws {
        let wire = try ImportWire()
        let workspace = try wire.workspace()
        let rows = 3_000
        let session = try wire.open(bulkCSV(rows: rows))
        var imported = 0
        var cancelledTrials = 0
        for trial in 0..<24 {
            let review = try wire.review(session, "addAll", identifier: nil, mapping: nameAndPhone)
            let token = JSONValue.string("cancel-\(trial)")
            let params: JSONValue = ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null, "workDoneToken": token]
            let id = try wire.client.sendRequest("import/commit", params)
            // Reports to let pass before cancelling: 0 = cancel pipelined right behind the commit.
            let reportsFirst = trial % 4
            var seen = 0
            while seen < reportsFirst {
                guard let message = wire.client.nextMessage(timeout: 30) else { break }
                if message["method"] == "$/progress", message["params"]?["token"] == token {
                    seen += 1
                    if message["params"]?["value"]?["kind"] == "end" { break }
                }
            }
            try wire.client.notify("$/cancelRequest", ["id": id.json])
            let reply = try wire.client.waitForResponse(id, timeout: 60)
            let history = try workspace.jobs(limit: 1)
            switch reply {
            case .success(let result):
                XCTAssertEqual(result["state"], "completed")
                XCTAssertEqual(history.first?.state, .completed, "trial \(trial)")
                imported += rows
            case .failure(let error):
                XCTAssertEqual(error.code, -32800, "trial \(trial)")
                XCTAssertEqual(history.first?.state, .cancelled, "trial \(trial)")
                cancelledTrials += 1
            }
            XCTAssertEqual(try workspace.read { try $0.contactCount() }, imported, "trial \(trial): all or nothing")
            XCTAssertEqual(try workspace.jobs(limit: 10_000).count, trial + 1)
        }
        XCTAssertGreaterThan(cancelledTrials, 0, "some cancels landed before the end")
        // A cancelled job's review may be committed again: nothing of it was applied.
        let review = try wire.review(session, "addAll", identifier: nil, mapping: nameAndPhone)
        let params: JSONValue = ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null, "workDoneToken": "retry"]
        let id = try wire.client.sendRequest("import/commit", params)
        try wire.client.notify("$/cancelRequest", ["id": id.json])
        if case .failure(let error) = try wire.client.waitForResponse(id, timeout: 60) {
            XCTAssertEqual(error.code, -32800)
            let retried = try wire.commit(session, review)
            XCTAssertEqual(retried["state"], "completed")
        }
        XCTAssertEqual(try workspace.read { try $0.contactCount() }, imported + rows)
    }

    // MARK: import/close

    /// `import/close` and `import/commit` written together, in both orders: either the commit
    /// began first (it completes; the close frees the session after) or the close did (the
    /// commit gets 1001 and nothing is imported). Never a job for a closed session.
    func testACommitRacingImportCloseEitherCompletesOrIsRefusedWithNothingImported() throws {
        let wire = try ImportWire()
        let workspace = try wire.workspace()
        let rows = 200
        var imported = 0
        var jobs = 0
        for trial in 0..<40 {
            let session = try wire.open(bulkCSV(rows: rows, phoneOffset: trial * rows))
            let review = try wire.review(session, "addNew", mapping: nameAndPhone)
            let commitParams: JSONValue = ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null]
            let closeParams: JSONValue = ["sessionId": .string(session)]
            let commitFirst = trial % 2 == 0
            let first = try wire.client.sendRequest(commitFirst ? "import/commit" : "import/close", commitFirst ? commitParams : closeParams)
            let second = try wire.client.sendRequest(commitFirst ? "import/close" : "import/commit", commitFirst ? closeParams : commitParams)
            let commitReply = try wire.client.waitForResponse(commitFirst ? first : second, timeout: 60)
            let closeReply = try wire.client.waitForResponse(commitFirst ? second : first, timeout: 60)
            XCTAssertEqual(try closeReply.get(), .null, "trial \(trial): the close succeeds")
            switch commitReply {
            case .success(let result):
                XCTAssertEqual(result["state"], "completed")
                imported += rows
                jobs += 1
            case .failure(let error):
                XCTAssertEqual(error.code, 1001, "trial \(trial): \(error.message)")
            }
            XCTAssertEqual(try workspace.read { try $0.contactCount() }, imported, "trial \(trial)")
            XCTAssertEqual(try workspace.jobs(limit: 10_000).count, jobs, "trial \(trial): no job for a refused commit")
            let gone = try wire.client.requestError("import/rows", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null])
            XCTAssertEqual(gone.code, 1001, "the session is gone after the close")
        }
    }

    // MARK: two processes

    /// Two daemons on one workspace, each committing the same short file with `addAll` at the
    /// same instant. One job at a time: either one completes and the other is refused with
    /// 1006 naming it, or (when one ended before the other asked) the two jobs do not overlap.
    /// The workspace holds exactly the rows of the completed jobs.
    func testTwoDaemonsCommittingAtTheSameInstantNeverRunTwoJobsAtOnce() throws {
        let first = try ImportWire()
        let second = try ImportWire(sharing: first)
        let workspace = try first.workspace()
        let rows = 200
        var completedJobs = 0
        var refused = 0
        for trial in 0..<20 {
            let csv = bulkCSV(rows: rows)
            let sessions = [try first.open(csv), try second.open(csv)]
            let reviews = [try first.review(sessions[0], "addAll", identifier: nil, mapping: nameAndPhone),
                           try second.review(sessions[1], "addAll", identifier: nil, mapping: nameAndPhone)]
            let clients = [first.client, second.client]
            let ids = try (0..<2).map { index in
                try clients[index].sendRequest("import/commit", ["sessionId": .string(sessions[index]),
                                                                 "reviewId": reviews[index]["reviewId"] ?? .null])
            }
            let replies = try (0..<2).map { index in try clients[index].waitForResponse(ids[index], timeout: 60) }
            var done: [JSONValue] = []
            for reply in replies {
                switch reply {
                case .success(let result): done.append(result)
                case .failure(let error):
                    XCTAssertEqual(error.code, 1006, "trial \(trial): \(error.message)")
                    refused += 1
                }
            }
            XCTAssertGreaterThanOrEqual(done.count, 1, "trial \(trial)")
            if done.count == 2 {
                let jobs = try done.map { try XCTUnwrap(workspace.job(id: Int64(try XCTUnwrap($0["jobId"]?.intValue)))) }
                let ordered = jobs.sorted { $0.id < $1.id }
                XCTAssertLessThanOrEqual(try XCTUnwrap(ordered[0].finishedAt), ordered[1].startedAt,
                                         "trial \(trial): the second job began after the first ended")
            }
            completedJobs += done.count
            XCTAssertEqual(try workspace.read { try $0.contactCount() }, rows * completedJobs, "trial \(trial)")
            XCTAssertEqual(try workspace.jobs(limit: 10_000).filter { $0.state == .completed }.count, completedJobs)
            XCTAssertEqual(try workspace.jobs(limit: 10_000).count, completedJobs, "a refused commit leaves no history entry")
            for (wire, session) in zip([first, second], sessions) {
                _ = try wire.client.request("import/close", ["sessionId": .string(session)])
            }
        }
        XCTAssertGreaterThan(refused, 0, "the two commits met at least once")
    }

    // MARK: exit during a commit

    /// `exit` without `shutdown` while a commit runs: the commit ends (committed) before the
    /// process does, so the next daemon finds a completed job, not an interrupted one.
    func testExitDuringACommitLetsItFinishFirst() throws {
        let wire = try ImportWire()
        let session = try wire.open(bulkCSV(rows: 20_000))
        let review = try wire.review(session, "addNew", mapping: nameAndPhone)
        _ = try wire.client.sendRequest("import/commit", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null,
                                                          "workDoneToken": "x"])
        try waitForCommitReport(wire.client)
        try wire.client.notify("exit")
        XCTAssertEqual(wire.client.waitForExit(timeout: 120), 1)
        let workspace = try wire.workspace()
        XCTAssertEqual(try workspace.jobs(limit: 1).first?.state, .completed)
        XCTAssertEqual(try workspace.read { try $0.contactCount() }, 20_000)
    }

    // MARK: kill -9 at any point

    /// A 100,000-row commit killed with SIGKILL at many points (right after the request, at
    /// its first reports, late in its writes, after its last report). Each time the workspace
    /// holds exactly the state before or exactly the state after, passes SQLite's integrity
    /// check, keeps no result file of the killed job, and the next daemon marks that job
    /// `interrupted` (or shows it `completed`) and accepts a new commit.
    func testKillingADaemonAtAnyPointOfACommitLeavesTheStateBeforeOrAfter() throws {
        let fresh = try TestWorkspace(prefix: "kill-sweep")
        let folder = fresh.directory
        let rows = 100_000
        let csvPath = folder.file("grande.csv")
        try Data(bulkCSV(rows: rows).utf8).write(to: URL(fileURLWithPath: csvPath))
        let uri = URL(fileURLWithPath: csvPath).absoluteString
        var before = 0
        var lastJobId: Int64 = 0
        var interrupted = 0
        // Reports to wait for before the kill; -1 = the moment the commit request is written.
        for (trial, reportsFirst) in [-1, 0, 1, 3, 6, 10, 14, 1_000].enumerated() {
            let client = try WireClient(arguments: fresh.arguments)
            try client.initialize()
            let opened = try client.request("import/open", ["uri": .string(uri)], timeout: 120)
            let session = try XCTUnwrap(opened["sessionId"])
            let review = try client.request("import/review", ["sessionId": session, "purpose": "addAll",
                                                              "mapping": [["column": 0, "field": "firstName"], ["column": 2, "field": "phone"]]],
                                            timeout: 120)
            let token = JSONValue.string("kill-\(trial)")
            let id = try client.sendRequest("import/commit", ["sessionId": session, "reviewId": review["reviewId"] ?? .null,
                                                              "workDoneToken": token])
            var reports = 0
            while reports <= reportsFirst {
                guard let message = client.nextMessage(timeout: 120) else { break }
                if message["id"] == id.json { break }
                guard message["method"] == "$/progress", message["params"]?["token"] == token else { continue }
                if message["params"]?["value"]?["kind"] == "end" { break }
                if message["params"]?["value"]?["kind"] == "report" { reports += 1 }
            }
            let pid = try XCTUnwrap(client.connection.processIdentifier)
            kill(pid, SIGKILL)
            _ = client.waitForExit(timeout: 10)

            let next = try WireClient(arguments: fresh.arguments)
            try next.initialize()
            var workspace = try WorkspaceProbe(fresh)
            var newest = try workspace.jobs(limit: 1).first
            // PostgreSQL rolls the killed daemon's transaction back, and frees its job slot,
            // once it notices the connection is gone (`client_connection_check_interval`, or the
            // end of the statement it was running); a store opened after that marks the job.
            let deadline = Date().addingTimeInterval(15)
            while TestEngine.current != .sqlite, newest?.state == .running, newest?.id ?? 0 > lastJobId, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                workspace = try WorkspaceProbe(fresh)
                newest = try workspace.jobs(limit: 1).first
            }
            XCTAssertEqual(try workspace.integrityCheck(), "ok", "trial \(trial)")
            let count = try workspace.read { try $0.contactCount() }
            guard let job = newest, job.id > lastJobId else {
                // Killed before the commit claimed its job: nothing was started.
                XCTAssertEqual(count, before, "trial \(trial): exactly the state before")
                try commitASmallFile(next, trial: trial, before: &before, lastJobId: &lastJobId)
                continue
            }
            switch job.state {
            case .interrupted:
                interrupted += 1
                XCTAssertEqual(count, before, "trial \(trial): exactly the state before")
                let files = try FileManager.default.contentsOfDirectory(atPath: fresh.filesDirectory)
                XCTAssertEqual(files.filter { $0.hasPrefix("job-\(job.id)-") }, [], "trial \(trial): no result file of a rolled-back job")
            case .completed:
                XCTAssertEqual(count, before + rows, "trial \(trial): exactly the state after")
                before = count
            default:
                XCTFail("trial \(trial): job \(job.state)")
            }
            try commitASmallFile(next, trial: trial, before: &before, lastJobId: &lastJobId)
        }
        // PostgreSQL's commit streams the rows to the server while it reports, then writes them
        // in a few statements: fewer of the kill points fall inside its transaction.
        XCTAssertGreaterThanOrEqual(interrupted, TestEngine.current == .sqlite ? 4 : 2, "most kills landed inside the commit")
    }

    /// The daemon after a kill takes a new commit at once.
    private func commitASmallFile(_ next: WireClient, trial: Int, before: inout Int, lastJobId: inout Int64) throws {
        let small = try next.request("import/open", ["text": .string(bulkCSV(rows: 2, phoneOffset: 900_000 + trial * 2))])
        let smallReview = try next.request("import/review", ["sessionId": small["sessionId"] ?? .null, "purpose": "addAll",
                                                             "mapping": [["column": 0, "field": "firstName"], ["column": 2, "field": "phone"]]])
        let done = try next.request("import/commit", ["sessionId": small["sessionId"] ?? .null, "reviewId": smallReview["reviewId"] ?? .null])
        XCTAssertEqual(done["state"], "completed", "trial \(trial)")
        lastJobId = Int64(done["jobId"]?.intValue ?? 0)
        before += 2
        XCTAssertEqual(try next.shutdownAndExit(), 0)
    }

    // MARK: files

    /// Result and error files hold contacts' personal data: owner-only whatever the umask, as
    /// are the workspace's folders and database.
    func testWorkspaceFilesAreOwnerOnlyEvenUnderAnOpenUmask() throws {
        try requireSQLite("the modes of the SQLite workspace's own files")
        let previous = umask(0)
        let wire: ImportWire
        do {
            wire = try ImportWire()
            umask(previous)
        } catch {
            umask(previous)
            throw error
        }
        let session = try wire.open("Nombre,Teléfono\nAna,+34612345678\n,+34612345679\n")
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone")])
        let job = try wire.commit(session, review)
        func mode(_ path: String) throws -> Int {
            try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        let root = wire.client.workspacePath
        XCTAssertEqual(try mode(root), 0o700)
        XCTAssertEqual(try mode(root + "/files"), 0o700)
        XCTAssertEqual(try mode(root + "/contacts.sqlite"), 0o600)
        XCTAssertEqual(try mode(root + "/import.lock"), 0o600)
        let errorFile = try XCTUnwrap(URL(string: try XCTUnwrap(review["errorFile"]?["uri"]?.stringValue))).path
        XCTAssertEqual(try mode(errorFile), 0o600)
        let resultFile = try XCTUnwrap(URL(string: try XCTUnwrap(job["resultFile"]?["uri"]?.stringValue))).path
        XCTAssertEqual(try mode(resultFile), 0o600)
    }

    private func waitForCommitReport(_ client: WireClient) throws {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let progress = try client.waitForNotification("$/progress", timeout: 120)
            if progress["value"]?["kind"] == "report", (progress["value"]?["percentage"]?.intValue ?? 0) < 100 { return }
        }
        XCTFail("no progress report from the commit")
    }
}
