import Foundation
import XCTest
import JSONRPC
import TestSupport
import Workspace

/// `import/commit`, `import/history` and `import/status` over the wire.
final class CommitWireTests: XCTestCase {
    private let header = "Nombre,Apellido,Teléfono,Correo,Etiquetas\n"
    private let nameAndPhone = [mapped(0, "firstName"), mapped(1, "lastName"), mapped(2, "phone")]

    func testCommitResponseNotificationAndSummary() throws {
        let wire = try ImportWire(contacts: [(["firstName": "Viejo", "phone": "+34612345678"], [])])
        let session = try wire.open(header + "Ana,Ruiz,+34612345678,,\nLuis,Gil,+34622000111,,\n,Sin,+34633000222,,\n")
        let review = try wire.review(session, "addAndUpdate", mapping: nameAndPhone, extra: ["importTag": "feria"])
        let result = try wire.commit(session, review)
        XCTAssertEqual(result["state"], "completed")
        XCTAssertEqual(result["counts"]?["imported"], 1)
        XCTAssertEqual(result["counts"]?["updated"], 1)
        XCTAssertEqual(result["counts"]?["skipped"], 0)
        XCTAssertEqual(result["counts"]?["errors"], 1)
        XCTAssertEqual(result["importTag"], "feria")
        XCTAssertNotNil(result["jobId"]?.intValue)
        XCTAssertNotNil(result["startedAt"]?.stringValue)
        XCTAssertNotNil(result["finishedAt"]?.stringValue)
        XCTAssertNotNil(result["resultFile"]?["expiresAt"]?.stringValue)

        let finished = try wire.client.waitForNotification("import/finished")
        XCTAssertEqual(finished["jobId"], result["jobId"])
        XCTAssertEqual(finished["sessionId"]?.stringValue, session)
        XCTAssertEqual(finished["state"], "completed")
        XCTAssertEqual(finished["counts"], result["counts"])
        // The same resultFile object as import/history's entry: the commit's plus `available`.
        XCTAssertEqual(finished["resultFile"]?["uri"], result["resultFile"]?["uri"])
        XCTAssertEqual(finished["resultFile"]?["expiresAt"], result["resultFile"]?["expiresAt"])
        XCTAssertEqual(finished["resultFile"]?["available"], true)
        let history = try wire.client.request("import/history", ["limit": 1])
        XCTAssertEqual(finished["resultFile"], history["jobs"]?[0]?["resultFile"])
        XCTAssertEqual(finished["counts"], history["jobs"]?[0]?["counts"])
        let message = try wire.client.waitForNotification("window/showMessage")
        XCTAssertEqual(message["type"], 3)
        XCTAssertTrue(message["message"]?.stringValue?.contains("1 contact added") ?? false, "\(message)")
    }

    func testSummaryInSpanish() throws {
        let wire = try ImportWire(locale: "es")
        let session = try wire.open(header + "Ana,Ruiz,+34612345678,,\n")
        _ = try wire.commit(session, try wire.review(session, "addNew", mapping: nameAndPhone))
        let message = try wire.client.waitForNotification("window/showMessage")
        XCTAssertTrue(message["message"]?.stringValue?.hasPrefix("Importación de contactos.csv completada") ?? false, "\(message)")
    }

    func testOverwriteReplacesAndAnEmptyCellClearsTheValue() throws {
        let wire = try ImportWire(contacts: [(["firstName": "Viejo", "lastName": "Apellido", "phone": "+34612345678",
                                               "email": "viejo@example.com"], [])])
        let session = try wire.open(header + "Ana,,+34612345678,nuevo@example.com,\n")
        let review = try wire.review(session, "updateExisting",
                                     mapping: nameAndPhone + [mapped(3, "email")])
        _ = try wire.commit(session, review)
        let contact = try XCTUnwrap(try wire.contact(phone: "+34612345678"))
        XCTAssertEqual(contact.values["firstName"], "Ana")
        XCTAssertEqual(contact.values["email"], "nuevo@example.com")
        XCTAssertNil(contact.values["lastName"], "an empty cell clears the stored value")
    }

    func testDontOverwriteKeepsStoredValuesAndFillsEmptyOnes() throws {
        let wire = try ImportWire(contacts: [(["firstName": "A", "phone": "+34612345678", "email": "contacta@email.com"], [])])
        let session = try wire.open(header + "A,Ruiz,+34612345678,contact123@email.com,\n")
        let review = try wire.review(session, "updateExisting", mapping: [
            mapped(1, "lastName", overwrite: false), mapped(2, "phone"), mapped(3, "email", overwrite: false),
        ])
        _ = try wire.commit(session, review)
        let contact = try XCTUnwrap(try wire.contact(phone: "+34612345678"))
        XCTAssertEqual(contact.values["email"], "contacta@email.com")
        XCTAssertEqual(contact.values["lastName"], "Ruiz")
    }

    func testDontOverwriteOnTagsAddsAndOverwriteReplaces() throws {
        let wire = try ImportWire(contacts: [
            (["firstName": "A", "phone": "+34612345671"], ["vip", "antiguo"]),
            (["firstName": "B", "phone": "+34612345672"], ["vip", "antiguo"]),
        ])
        let replace = try wire.open(header + "A,,+34612345671,,\"nuevo, vip\"\n")
        _ = try wire.commit(replace, try wire.review(replace, "updateExisting", mapping: [mapped(2, "phone"), mapped(4, "tags")],
                                                     extra: ["importTag": false]))
        XCTAssertEqual(try wire.contact(phone: "+34612345671")?.tags, ["nuevo", "vip"])
        let keep = try wire.open(header + "B,,+34612345672,,nuevo\n")
        _ = try wire.commit(keep, try wire.review(keep, "updateExisting", mapping: [mapped(2, "phone"), mapped(4, "tags", overwrite: false)],
                                                  extra: ["importTag": false]))
        XCTAssertEqual(try wire.contact(phone: "+34612345672")?.tags, ["vip", "antiguo", "nuevo"])
    }

    func testImportTagAndTagsGoOnAddedAndUpdatedContacts() throws {
        let wire = try ImportWire(contacts: [(["firstName": "A", "phone": "+34612345671"], ["cliente"]),
                                             (["firstName": "C", "phone": "+34612345673"], [])])
        let session = try wire.open(header + "A,,+34612345671,,\nB,,+34612345672,,\n")
        let review = try wire.review(session, "addAndUpdate", mapping: nameAndPhone, extra: ["tags": ["feria"]])
        let tag = try XCTUnwrap(review["importTag"]?.stringValue)
        let result = try wire.commit(session, review)
        XCTAssertEqual(result["importTag"]?.stringValue, tag)
        XCTAssertEqual(try wire.contact(phone: "+34612345671")?.tags, ["cliente", "feria", tag])
        XCTAssertEqual(try wire.contact(phone: "+34612345672")?.tags, ["feria", tag])
        XCTAssertEqual(try wire.contact(phone: "+34612345673")?.tags, [String](), "a contact not in the file is untouched")
    }

    func testStaleReviewIsReviewRequired() throws {
        let wire = try ImportWire()
        let session = try wire.open(header + "A,,+34612345671,,\n")
        let first = try wire.review(session, "addNew", mapping: nameAndPhone)
        _ = try wire.review(session, "addAndUpdate", mapping: nameAndPhone)
        let error = try wire.client.requestError("import/commit", ["sessionId": .string(session), "reviewId": first["reviewId"] ?? .null])
        XCTAssertEqual(error.code, 1005)
        let noReview = try wire.open(header + "A,,+34612345671,,\n")
        let never = try wire.client.requestError("import/commit", ["sessionId": .string(noReview), "reviewId": "review-999"])
        XCTAssertEqual(never.code, 1005)
        XCTAssertEqual(try wire.contactCount(), 0)
    }

    func testACommittedReviewCannotBeCommittedAgain() throws {
        let wire = try ImportWire()
        let session = try wire.open(header + "A,,+34612345671,,\n")
        let review = try wire.review(session, "addAll", identifier: nil, mapping: nameAndPhone)
        _ = try wire.commit(session, review)
        let again = try wire.client.requestError("import/commit", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null])
        XCTAssertEqual(again.code, 1005)
        XCTAssertEqual(try wire.contactCount(), 1)
    }

    func testAContactAddedSinceTheReviewIsUpdatedNotDuplicated() throws {
        let wire = try ImportWire()
        let session = try wire.open(header + "Ana,Ruiz,+34612345671,,\n")
        let review = try wire.review(session, "addAndUpdate", mapping: nameAndPhone)
        XCTAssertEqual(review["counts"]?["add"], 1)
        try wire.workspace().write { tx in _ = try tx.insertContact(values: ["firstName": "Otro", "phone": "+34612345671"], tags: [], now: Date()) }
        let result = try wire.commit(session, review)
        XCTAssertEqual(result["counts"]?["updated"], 1)
        XCTAssertEqual(result["counts"]?["imported"], 0)
        XCTAssertEqual(result["counts"]?["drifted"], 1)
        XCTAssertEqual(try wire.contactCount(), 1)
    }

    /// The commit keeps the review's matches only when nothing changed since: a contact created
    /// by another daemon on the same workspace between review and commit is still found.
    func testAContactCreatedByAnotherDaemonSinceTheReviewIsUpdatedNotDuplicated() throws {
        let wire = try ImportWire()
        let session = try wire.open(header + "Ana,Ruiz,+34612345671,,\nBea,Gil,+34612345672,,\n")
        let review = try wire.review(session, "addAndUpdate", mapping: nameAndPhone)
        XCTAssertEqual(review["counts"]?["add"], 2)
        let other = try ImportWire(sharing: wire)
        try other.client.request("contacts/create", ["firstName": "Otro", "phone": "+34612345671"])
        let result = try wire.commit(session, review)
        XCTAssertEqual(result["counts"]?["imported"], 1)
        XCTAssertEqual(result["counts"]?["updated"], 1)
        XCTAssertEqual(result["counts"]?["drifted"], 1)
        XCTAssertEqual(try wire.contactCount(), 2)
        XCTAssertEqual(try wire.contact(phone: "+34612345671")?.values["lastName"], "Ruiz")
    }

    /// A matched contact whose phone another daemon changed after the review is not updated:
    /// the row follows the workspace as it is (added), and counts as drifted.
    func testAMatchChangedByAnotherDaemonSinceTheReviewIsNotUpdated() throws {
        let wire = try ImportWire(contacts: [(["firstName": "Ana", "phone": "+34612345671"], [])])
        let session = try wire.open(header + "Ana,Ruiz,+34612345671,,\n")
        let review = try wire.review(session, "addAndUpdate", mapping: nameAndPhone)
        XCTAssertEqual(review["counts"]?["update"], 1)
        let existing = try XCTUnwrap(try wire.contact(phone: "+34612345671"))
        let other = try ImportWire(sharing: wire)
        try other.client.request("contacts/update", ["contactId": .int(Int(existing.id)), "phone": "+34612345679"])
        let result = try wire.commit(session, review)
        XCTAssertEqual(result["counts"]?["updated"], 0)
        XCTAssertEqual(result["counts"]?["imported"], 1)
        XCTAssertEqual(result["counts"]?["drifted"], 1)
        XCTAssertNil(try wire.contact(phone: "+34612345679")?.values["lastName"], "the moved contact is not touched")
        XCTAssertEqual(try wire.contactCount(), 2)
    }

    /// With no change since the review, its matches stand: nothing drifts.
    func testAnUnchangedWorkspaceKeepsTheReviewsMatches() throws {
        let wire = try ImportWire(contacts: [(["firstName": "Ana", "phone": "+34612345671"], [])])
        let session = try wire.open(header + "Ana,Ruiz,+34612345671,,\nBea,Gil,+34612345672,,\n")
        let review = try wire.review(session, "addAndUpdate", mapping: nameAndPhone)
        // Another daemon reads and claims nothing: reads do not count as changes.
        let other = try ImportWire(sharing: wire)
        _ = try other.client.request("contacts/find", ["phone": "+34612345671"])
        let result = try wire.commit(session, review)
        XCTAssertEqual(result["counts"]?["updated"], 1)
        XCTAssertEqual(result["counts"]?["imported"], 1)
        XCTAssertEqual(result["counts"]?["drifted"], 0)
        XCTAssertEqual(try wire.contact(phone: "+34612345671")?.values["lastName"], "Ruiz")
    }

    func testOnlyOneJobAtATimeAcrossProcesses() throws {
        let wire = try ImportWire()
        // Another process (this test) holds the workspace's import slot.
        let other = try wire.workspace()
        let running = try other.claimJob(fileName: "otro.csv", importTag: nil, now: Date())
        let session = try wire.open(header + "A,,+34612345671,,\n")
        let review = try wire.review(session, "addNew", mapping: nameAndPhone)
        let error = try wire.client.requestError("import/commit", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null])
        XCTAssertEqual(error.code, 1006)
        XCTAssertEqual(error.data?["jobId"]?.intValue, Int(running.id))
        XCTAssertNotNil(error.data?["startedAt"]?.stringValue)
        var finished = running
        finished.state = .completed
        finished.finishedAt = Date()
        try other.finishJob(finished)
        let result = try wire.commit(session, review)
        XCTAssertEqual(result["state"], "completed")
    }

    func testTwoServersCannotCommitAtOnce() throws {
        let first = try ImportWire()
        let second = try ImportWire(sharing: first)
        let big = try first.open(bulkCSV(rows: 40_000))
        let bigReview = try first.review(big, "addNew", mapping: nameAndPhone)
        let small = try second.open(header + "A,,+34712345671,,\n")
        let smallReview = try second.review(small, "addNew", mapping: nameAndPhone)
        let commitId = try first.client.sendRequest("import/commit", ["sessionId": .string(big), "reviewId": bigReview["reviewId"] ?? .null,
                                                                      "workDoneToken": "big"])
        try waitForCommitReport(first.client)
        let error = try second.client.requestError("import/commit", ["sessionId": .string(small), "reviewId": smallReview["reviewId"] ?? .null])
        XCTAssertEqual(error.code, 1006)
        _ = try first.client.waitForResponse(commitId, timeout: 120).get()
    }

    func testCancelledCommitRollsBackAndHistorySaysCancelled() throws {
        let wire = try ImportWire()
        let session = try wire.open(bulkCSV(rows: 40_000))
        let review = try wire.review(session, "addNew", mapping: nameAndPhone)
        let id = try wire.client.sendRequest("import/commit", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null,
                                                              "workDoneToken": "c"])
        try waitForCommitReport(wire.client)
        try wire.client.notify("$/cancelRequest", ["id": id.json])
        let response: Result<JSONValue, ResponseError>
        do { response = try wire.client.waitForResponse(id, timeout: 120) } catch { print("DAEMON STDERR:", wire.client.stderrText); throw error }
        guard case .failure(let error) = response else { return XCTFail("the commit finished before it was cancelled") }
        XCTAssertEqual(error.code, -32800)
        XCTAssertEqual(try wire.contactCount(), 0, "a cancelled commit changes nothing")
        let history = try wire.client.request("import/history")
        XCTAssertEqual(history["jobs"]?[0]?["state"], "cancelled")
        let noFile: JSONValue = ["uri": .null, "expiresAt": .null, "available": false]
        XCTAssertEqual(history["jobs"]?[0]?["resultFile"], noFile, "a job without a result file still says so in the contract's shape")
        let finished = try wire.client.waitForNotification("import/finished")
        XCTAssertEqual(finished["state"], "cancelled")
        XCTAssertEqual(finished["resultFile"], noFile)
    }

    func testKilledServerLeavesTheWorkspaceAsBeforeAndTheJobInterrupted() throws {
        let wire = try ImportWire(contacts: [(["firstName": "Antes", "phone": "+34999999999"], [])])
        let session = try wire.open(bulkCSV(rows: 40_000))
        let review = try wire.review(session, "addNew", mapping: nameAndPhone)
        _ = try wire.client.sendRequest("import/commit", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null,
                                                         "workDoneToken": "k"])
        try waitForCommitReport(wire.client)
        let pid = try XCTUnwrap(wire.client.connection.processIdentifier)
        kill(pid, SIGKILL)
        _ = wire.client.waitForExit(timeout: 10)

        let next = try ImportWire(sharing: wire)
        XCTAssertEqual(try next.contactCount(), 1, "the workspace is exactly as before the job")
        let history = try next.client.request("import/history")
        XCTAssertEqual(history["jobs"]?[0]?["state"], "interrupted")
        let status = try next.client.request("import/status", ["jobId": history["jobs"]?[0]?["jobId"] ?? .null])
        XCTAssertEqual(status["state"], "interrupted")
    }

    func testCommitOfAnExpiredSessionIsSessionExpired() throws {
        let wire = try ImportWire(arguments: ["--session-ttl", "1"])
        let session = try wire.open(header + "A,,+34612345671,,\n")
        let review = try wire.review(session, "addNew", mapping: nameAndPhone)
        Thread.sleep(forTimeInterval: 1.5)
        let error = try wire.client.requestError("import/commit", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null])
        XCTAssertEqual(error.code, 1002)
        XCTAssertEqual(try wire.contactCount(), 0)
    }

    func testEndOfInputLetsARunningCommitFinish() throws {
        let wire = try ImportWire()
        let session = try wire.open(bulkCSV(rows: 20_000))
        let review = try wire.review(session, "addNew", mapping: nameAndPhone)
        _ = try wire.client.sendRequest("import/commit", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null,
                                                         "workDoneToken": "eof"])
        try waitForCommitReport(wire.client)
        XCTAssertEqual(wire.client.closeInputAndWait(timeout: 120), 1, "no shutdown: exit code 1, but only after the commit")
        XCTAssertEqual(try wire.contactCount(), 20_000)
        let job = try XCTUnwrap(try wire.workspace().jobs(limit: 1).first)
        XCTAssertEqual(job.state, .completed)
    }

    func testHistoryIsNewestFirstAndStatusKnowsEachJob() throws {
        let wire = try ImportWire()
        var jobIds: [JSONValue] = []
        for phone in ["+34612345671", "+34612345672"] {
            let session = try wire.open(header + "A,,\(phone),,\n", fileName: "lista-\(phone).csv")
            jobIds.append(try wire.commit(session, try wire.review(session, "addNew", mapping: nameAndPhone))["jobId"] ?? .null)
        }
        let history = try wire.client.request("import/history", ["limit": 10])
        XCTAssertEqual(history["jobs"]?.arrayValue?.map { $0["jobId"] ?? .null }, jobIds.reversed())
        let newest = try XCTUnwrap(history["jobs"]?[0])
        XCTAssertEqual(newest["fileName"], "lista-+34612345672.csv")
        XCTAssertEqual(newest["state"], "completed")
        XCTAssertEqual(newest["resultFile"]?["available"], true)
        XCTAssertNotNil(newest["resultFile"]?["uri"]?.stringValue)
        XCTAssertEqual(try wire.client.request("import/status", ["jobId": jobIds[0]]), history["jobs"]?[1])
        XCTAssertEqual(try wire.client.requestError("import/status", ["jobId": 4242]).code, 1008)
    }

    func testResultFileColumnsAndStatusesInEnglish() throws {
        try checkResultFile(locale: "en", headers: ["Import Status", "Errors"], statuses: ["Imported", "Updated", "Skipped", "Error"])
    }

    func testResultFileColumnsAndStatusesInSpanish() throws {
        try checkResultFile(locale: "es", headers: ["Estado de la importación", "Errores"],
                            statuses: ["Importado", "Actualizado", "Omitido", "Error"])
    }

    private func checkResultFile(locale: String, headers: [String], statuses: [String]) throws {
        let wire = try ImportWire(locale: locale, contacts: [(["firstName": "Viejo", "phone": "+34612345672"], [])])
        let file = header
            + "@Ana,Ruiz,+34612345671,,\n"    // added; the @ is defused
            + "Bea,Gil,+34612345672,,\n"      // updated
            + "Caro,Paz,+34612345673,,\n"     // added
            + "Dani,Sol,,,\n"                 // error: no phone
        let session = try wire.open(file)
        let review = try wire.review(session, "addAndUpdate", mapping: nameAndPhone)
        let result = try wire.commit(session, review)
        let rows = try rowsOfFile(result["resultFile"]?["uri"])
        XCTAssertEqual(rows[0], ["Nombre", "Apellido", "Teléfono", "Correo", "Etiquetas"] + headers)
        XCTAssertEqual(rows.dropFirst().map { $0[5] }, [statuses[0], statuses[1], statuses[0], statuses[3]])
        XCTAssertEqual(rows[1][0], "'@Ana")
        XCTAssertEqual(rows[1][2], "+34612345671")
        XCTAssertEqual(rows[1][6], "")
        XCTAssertEqual(rows[4][6], review["sample"]?[3]?["errors"]?[0]?["message"]?.stringValue)

        let skipped = try wire.open(header + "Eva,,+34612345679,,\n")
        let skipResult = try wire.commit(skipped, try wire.review(skipped, "updateExisting", mapping: nameAndPhone))
        XCTAssertEqual(try rowsOfFile(skipResult["resultFile"]?["uri"])[1][5], statuses[2])
    }

    /// Waits until the commit has reported rows done, i.e. it is inside its transaction.
    private func waitForCommitReport(_ client: WireClient) throws {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let progress = try client.waitForNotification("$/progress", timeout: 120)
            if progress["value"]?["kind"] == "report", (progress["value"]?["percentage"]?.intValue ?? 0) < 100 { return }
        }
        XCTFail("no progress report from the commit")
    }
}
