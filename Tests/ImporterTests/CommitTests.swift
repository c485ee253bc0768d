import Foundation
import XCTest
import CSV
import Contacts
import Localization
import Workspace
@testable import Importer

final class CommitTests: XCTestCase {
    private let header = "Nombre,Apellido,Teléfono,Correo,Etiquetas\n"

    func testCommitAddsAndUpdatesAndRecordsTheJob() throws {
        let fixture = try ReviewFixture()
        let existing = try fixture.addContact(["firstName": "Old", "phone": "+34612345678"])
        let session = try fixture.session(header + "Ana,Ruiz,+34612345678,,\nLuis,Gil,+34622000111,,\n,Sin,+34633000222,,\n")
        let plan = try fixture.review(session, .addAndUpdate,
                                      mapping: [column(0, "firstName"), column(1, "lastName"), column(2, "phone")])
        let result = try fixture.commit(session, plan)
        XCTAssertEqual(result.job.state, .completed)
        XCTAssertEqual(result.job.counts, JobCounts(imported: 1, updated: 1, skipped: 0, errors: 1, drifted: 0))
        XCTAssertEqual(try fixture.contact(existing)?.values["firstName"], "Ana")
        XCTAssertEqual(try fixture.contactIDs(phone: "+34622000111").count, 1)
        let stored = try XCTUnwrap(try fixture.workspace.job(id: result.job.id))
        XCTAssertEqual(stored.state, .completed)
        XCTAssertEqual(stored.counts.imported, 1)
        let expiry = try XCTUnwrap(stored.resultExpiresAt)
        XCTAssertEqual(expiry.timeIntervalSince(try XCTUnwrap(stored.finishedAt)), 7 * 24 * 3600, accuracy: 1)
    }

    func testOverwriteReplacesValuesAndAnEmptyCellClearsThem() throws {
        let fixture = try ReviewFixture()
        let id = try fixture.addContact(["firstName": "Old", "lastName": "Apellido", "phone": "+34612345678", "email": "old@example.com"])
        let session = try fixture.session(header + "Ana,,+34612345678,new@example.com,\n")
        let plan = try fixture.review(session, .updateExisting,
                                      mapping: [column(0, "firstName"), column(1, "lastName"), column(2, "phone"), column(3, "email")])
        _ = try fixture.commit(session, plan)
        let contact = try XCTUnwrap(try fixture.contact(id))
        XCTAssertEqual(contact.values["firstName"], "Ana")
        XCTAssertEqual(contact.values["email"], "new@example.com")
        XCTAssertNil(contact.values["lastName"], "an empty cell clears the stored value")
    }

    func testDontOverwriteKeepsStoredValuesAndFillsEmptyOnes() throws {
        let fixture = try ReviewFixture()
        let id = try fixture.addContact(["firstName": "Old", "phone": "+34612345678", "email": "contacta@email.com"])
        let session = try fixture.session(header + "Ana,Ruiz,+34612345678,contact123@email.com,\n")
        let plan = try fixture.review(session, .updateExisting, mapping: [
            column(0, "firstName", overwrite: false), column(1, "lastName", overwrite: false),
            column(2, "phone"), column(3, "email", overwrite: false),
        ])
        _ = try fixture.commit(session, plan)
        let contact = try XCTUnwrap(try fixture.contact(id))
        XCTAssertEqual(contact.values["email"], "contacta@email.com", "don't overwrite keeps a stored e-mail (protocol/README.md §7.6)")
        XCTAssertEqual(contact.values["firstName"], "Old")
        XCTAssertEqual(contact.values["lastName"], "Ruiz", "an empty stored value is filled")
    }

    func testTagsColumnReplacesTagsWithOverwriteAndAddsWithout() throws {
        let fixture = try ReviewFixture()
        let replaced = try fixture.addContact(["firstName": "A", "phone": "+34612345671"], tags: ["vip", "old"])
        let kept = try fixture.addContact(["firstName": "B", "phone": "+34612345672"], tags: ["vip", "old"])
        let first = try fixture.session(header + "A,,+34612345671,,\"new, vip\"\n")
        _ = try fixture.commit(first, try fixture.review(first, .updateExisting, mapping: [column(2, "phone"), column(4, "tags")]))
        XCTAssertEqual(try fixture.contact(replaced)?.tags, ["new", "vip"])
        let second = try fixture.session(header + "B,,+34612345672,,\"new, VIP\"\n")
        _ = try fixture.commit(second, try fixture.review(second, .updateExisting,
                                                          mapping: [column(2, "phone"), column(4, "tags", overwrite: false)]))
        XCTAssertEqual(try fixture.contact(kept)?.tags, ["vip", "old", "new"])
    }

    func testImportTagAndTagsAreAddedToAddedAndUpdatedContactsOnly() throws {
        let fixture = try ReviewFixture()
        let updated = try fixture.addContact(["firstName": "A", "phone": "+34612345671"], tags: ["keep"])
        let session = try fixture.session(header + "A,,+34612345671,,\nB,,+34612345672,,\nC,,,,\n")
        let plan = try fixture.review(session, .addAndUpdate, mapping: [column(0, "firstName"), column(2, "phone")],
                                      tags: ["feria"], importTag: .automatic)
        let tag = try XCTUnwrap(plan.importTag)
        let result = try fixture.commit(session, plan)
        XCTAssertEqual(result.job.importTag, tag)
        XCTAssertEqual(try fixture.contact(updated)?.tags, ["keep", "feria", tag])
        let added = try XCTUnwrap(try fixture.contactIDs(phone: "+34612345672").first)
        XCTAssertEqual(try fixture.contact(added)?.tags, ["feria", tag])
    }

    func testAutomaticImportTagsAreUniquePerImport() throws {
        let fixture = try ReviewFixture()
        let first = try fixture.session(header + "A,,+34612345671,,\n")
        let firstPlan = try fixture.review(first, .addNew, mapping: [column(0, "firstName"), column(2, "phone")], importTag: .automatic)
        _ = try fixture.commit(first, firstPlan)
        let second = try fixture.session(header + "B,,+34612345672,,\n")
        let secondPlan = try fixture.review(second, .addNew, mapping: [column(0, "firstName"), column(2, "phone")], importTag: .automatic)
        XCTAssertNotEqual(firstPlan.importTag, secondPlan.importTag)
    }

    func testAutomaticTagTakenSinceTheReviewMovesToTheNextSuffix() throws {
        let fixture = try ReviewFixture()
        let now = Date()
        let request = ReviewRequest(purpose: .addNew, identifier: .phone,
                                    mapping: [column(0, "firstName"), column(2, "phone")], importTag: .automatic)
        let planner = ReviewPlanner(workspace: fixture.workspace, locale: .english)
        let first = try fixture.session(header + "A,,+34612345671,,\n")
        let second = try fixture.session(header + "B,,+34612345672,,\n")
        let firstPlan = try planner.review(session: first, request: request, now: now)
        let secondPlan = try planner.review(session: second, request: request, now: now)
        XCTAssertEqual(firstPlan.importTag, secondPlan.importTag, "reviewed in the same second")
        let base = ReviewPlanner.automaticTagBase(now)
        XCTAssertEqual(try fixture.commit(first, firstPlan).job.importTag, base)
        XCTAssertEqual(try fixture.commit(second, secondPlan).job.importTag, base + "-2")
    }

    func testStaleReviewIsRefused() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header + "A,,+34612345671,,\n")
        let old = try fixture.review(session, .addNew, mapping: [column(0, "firstName"), column(2, "phone")])
        _ = try fixture.review(session, .addAndUpdate, mapping: [column(0, "firstName"), column(2, "phone")])
        XCTAssertThrowsError(try fixture.commit(session, old)) { XCTAssertTrue($0 is ReviewRequired) }
        XCTAssertThrowsError(try Committer(workspace: fixture.workspace, locale: .english).commit(session: session, reviewId: "")) {
            XCTAssertTrue($0 is ReviewRequired)
        }
    }

    func testACommittedReviewCannotBeCommittedTwice() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header + "A,,+34612345671,,\n")
        let plan = try fixture.review(session, .addAll, by: nil, mapping: [column(0, "firstName"), column(2, "phone")])
        _ = try fixture.commit(session, plan)
        XCTAssertThrowsError(try fixture.commit(session, plan)) { XCTAssertTrue($0 is ReviewRequired) }
        XCTAssertEqual(try fixture.contactIDs(phone: "+34612345671").count, 1)
    }

    func testContactAddedSinceTheReviewIsUpdatedNotDuplicated() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header + "Ana,Ruiz,+34612345671,,\n")
        let plan = try fixture.review(session, .addAndUpdate, mapping: [column(0, "firstName"), column(1, "lastName"), column(2, "phone")])
        XCTAssertEqual(plan.outcomes[0].action, .add)
        let sneaky = try fixture.addContact(["firstName": "Someone", "phone": "+34612345671"])
        let result = try fixture.commit(session, plan)
        XCTAssertEqual(result.job.counts, JobCounts(imported: 0, updated: 1, skipped: 0, errors: 0, drifted: 1))
        XCTAssertEqual(try fixture.contactIDs(phone: "+34612345671"), [sneaky])
        XCTAssertEqual(try fixture.contact(sneaky)?.values["lastName"], "Ruiz")
    }

    func testCancellationRollsBackEverythingAndHistorySaysCancelled() throws {
        let fixture = try ReviewFixture()
        var csv = header
        for index in 0..<2_500 { csv += "P\(index),,+346\(String(format: "%08d", index)),,\n" }
        let session = try fixture.session(csv)
        let plan = try fixture.review(session, .addNew, mapping: [column(0, "firstName"), column(2, "phone")])
        XCTAssertEqual(plan.counts.add, 2_500)
        var checks = 0
        XCTAssertThrowsError(try Committer(workspace: fixture.workspace, locale: .english).commit(
            session: session, reviewId: plan.reviewId, isCancelled: { checks += 1; return checks > 2 })) {
            XCTAssertTrue($0 is ImportCancelled)
        }
        XCTAssertEqual(try fixture.contactIDs(phone: "+34600000000"), [])
        let job = try XCTUnwrap(try fixture.workspace.jobs(limit: 1).first)
        XCTAssertEqual(job.state, .cancelled)
        // The review survives a cancelled commit: the user may try again.
        let retried = try fixture.commit(session, plan)
        XCTAssertEqual(retried.job.counts.imported, 2_500)
    }

    func testOnlyOneJobAtATime() throws {
        let fixture = try ReviewFixture()
        let running = try fixture.workspace.claimJob(fileName: "other.csv", importTag: nil, now: Date())
        let session = try fixture.session(header + "A,,+34612345671,,\n")
        let plan = try fixture.review(session, .addNew, mapping: [column(0, "firstName"), column(2, "phone")])
        XCTAssertThrowsError(try fixture.commit(session, plan)) { error in
            XCTAssertEqual((error as? ImportInProgress)?.jobId, running.id)
        }
    }

    func testAResultFileThatCannotBeWrittenIsReportedAndTheContactsAreImportedAnyway() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header + "A,,+34612345671,,\n")
        let plan = try fixture.review(session, .addNew, mapping: [column(0, "firstName"), column(2, "phone")])
        // A file where the folder of result files should be: no path can be made under it.
        let files = fixture.directory + "/files"
        try FileManager.default.removeItem(atPath: files)
        XCTAssertTrue(FileManager.default.createFile(atPath: files, contents: Data()))
        var heard: ResultFileProblem?
        let result = try Committer(workspace: fixture.workspace, locale: .english).commit(
            session: session, reviewId: plan.reviewId, resultFileProblem: { heard = $0 })
        XCTAssertEqual(result.job.state, .completed)
        XCTAssertEqual(result.job.counts.imported, 1)
        XCTAssertNil(result.resultFilePath)
        XCTAssertFalse(result.job.resultAvailable)
        XCTAssertEqual(result.resultFileProblem?.jobId, result.job.id)
        XCTAssertEqual(heard?.jobId, result.job.id, "the sink hears of it too")
        XCTAssertEqual(try fixture.contactIDs(phone: "+34612345671").count, 1)
    }

    func testResultFileHasOriginalColumnsStatusAndErrorsInEnglish() throws {
        try checkResultFile(locale: .english, headers: ["Import Status", "Errors"],
                            statuses: ["Imported", "Updated", "Skipped", "Error"])
    }

    func testResultFileHasOriginalColumnsStatusAndErrorsInSpanish() throws {
        try checkResultFile(locale: .spanish, headers: ["Estado de la importación", "Errores"],
                            statuses: ["Importado", "Actualizado", "Omitido", "Error"])
    }

    private func checkResultFile(locale: MessageLocale, headers: [String], statuses: [String]) throws {
        let fixture = try ReviewFixture()
        try fixture.addContact(["firstName": "Old", "phone": "+34612345672"])
        try fixture.addContact(["firstName": "Old", "phone": "+34612345673"])
        let session = try fixture.session(header
            + "=HYPERLINK(\"x\"),,+34612345671,,\n"
            + "B,,+34612345672,,\n"
            + "C,,+34612345673,,\n"
            + "D,,,,\n")
        let plan = try fixture.review(session, .addNew, mapping: [column(0, "firstName"), column(2, "phone")], locale: locale)
        // addNew gives Imported, Skipped and Error; a second import below gives Updated.
        let result = try Committer(workspace: fixture.workspace, locale: locale).commit(session: session, reviewId: plan.reviewId)
        let path = try XCTUnwrap(result.resultFilePath)
        let rows = try readWrittenCSV(path)
        XCTAssertEqual(rows[0], ["Nombre", "Apellido", "Teléfono", "Correo", "Etiquetas"] + headers)
        XCTAssertEqual(rows.dropFirst().map { $0[5] }, [statuses[0], statuses[2], statuses[2], statuses[3]])
        XCTAssertEqual(rows[1][0], "'=HYPERLINK(\"x\")")
        XCTAssertEqual(rows[2][2], "+34612345672")
        XCTAssertEqual(rows[4][6], plan.outcomes[3].errors[0].message(locale))
        XCTAssertEqual(rows[1][6], "")

        let again = try fixture.session(header + "B,,+34612345672,,\n")
        let update = try fixture.review(again, .updateExisting, mapping: [column(0, "firstName"), column(2, "phone")], locale: locale)
        let updateResult = try Committer(workspace: fixture.workspace, locale: locale).commit(session: again, reviewId: update.reviewId)
        let updatedRows = try readWrittenCSV(try XCTUnwrap(updateResult.resultFilePath))
        XCTAssertEqual(updatedRows[1][5], statuses[1])
    }
}

final class RecheckHandOutTests: XCTestCase {
    /// The writer is handed each row once, in order; after the last the decisions are given
    /// back, and asking again fails instead of waiting for a decision that never comes.
    func testRowsAreHandedOutOnceThenGivenBack() throws {
        let fixture = try ReviewFixture()
        _ = try fixture.addContact(["firstName": "Old", "phone": "+34612345678"])
        let session = try fixture.session("Nombre,Teléfono\nAna,+34612345678\nLuis,+34622000111\nSin,no\n")
        let plan = try fixture.review(session, .addAndUpdate, mapping: [column(0, "firstName"), column(1, "phone")])
        let recheck = Recheck(plan: plan, resultFile: nil, store: fixture.workspace, matchesStand: true)
        var rows: [ImportBatch.Row] = []
        for index in 0..<3 { rows.append(try recheck.row(index)) }
        guard case .update = rows[0], case .add = rows[1], case .none = rows[2] else {
            return XCTFail("decisions \(rows)")
        }
        XCTAssertThrowsError(try recheck.row(0)) { XCTAssertTrue($0 is Recheck.RowsHandedOut, "\($0)") }
        XCTAssertEqual(try recheck.finished().counts, JobCounts(imported: 1, updated: 1, skipped: 0, errors: 1, drifted: 0))
    }
}
