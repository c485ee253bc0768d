import XCTest
import Foundation
import Contacts
@testable import Workspace

final class ImportWriterTests: WorkspaceTestCase {
    private let columns = [
        ImportColumn(key: "firstName", type: .text, overwrite: true),
        ImportColumn(key: "phone", type: .phone, overwrite: true),
        ImportColumn(key: "email", type: .email, overwrite: true),
        ImportColumn(key: "Birthday", type: .date, overwrite: true),
        ImportColumn(key: "tags", type: .tags, overwrite: true),
    ]

    private func contact(_ workspace: Workspace, _ id: Int64) throws -> Contact {
        try XCTUnwrap(try workspace.read { try $0.contact(id: id) })
    }

    /// One import transaction (without foreign-key checks, as `writeImport` runs it): a writer
    /// over `values` for `body`, finished after it.
    private func writeImport(_ workspace: Workspace, columns: [ImportColumn], values: some Collection<FieldValue>,
                             unchangedKey: String?, extraTags: [String] = [], _ body: (ImportWriter) throws -> Void) throws {
        try workspace.write(checkingForeignKeys: false) { tx in
            let writer = try ImportWriter(transaction: tx, columns: columns, values: values, unchangedKey: unchangedKey,
                                          extraTags: extraTags, now: Date())
            try body(writer)
            try writer.finish()
        }
    }

    private func workspaceWithBirthday() throws -> Workspace {
        let workspace = try openWorkspace()
        try workspace.write { _ = try $0.createField(name: "Birthday", type: .date, options: []) }
        return workspace
    }

    func testAddedContactsGetValuesCustomValuesAndTagsInOrderWithoutDuplicates() throws {
        let workspace = try workspaceWithBirthday()
        let existing = try insert(workspace, ["firstName": "Old"])
        let rows: [FieldValue] = [
            .text("Ana"), .text("+34612345678"), .text("ana@example.com"), .text("1990-12-31"), .tags(["VIP", "clientes"]),
            .text("Luis"), .empty, .empty, .empty, .empty,
        ]
        try writeImport(workspace, columns: columns, values: rows, unchangedKey: "phone", extraTags: ["vip", " import-1 ", ""]) { writer in
            try writer.add(row: 0)
            try writer.add(row: 1)
        }
        let ana = try contact(workspace, existing.id + 1)
        XCTAssertEqual(ana.values, ["firstName": "Ana", "phone": "+34612345678", "email": "ana@example.com", "Birthday": "1990-12-31"])
        XCTAssertEqual(ana.tags, ["VIP", "clientes", "import-1"], "the request's tags after the row's, one per case-folded key")
        let luis = try contact(workspace, existing.id + 2)
        XCTAssertEqual(luis.values, ["firstName": "Luis"])
        XCTAssertEqual(luis.tags, ["vip", "import-1"])
    }

    func testRepeatedTagsCellsAndTwoTagsColumnsGiveEachRowItsOwnTags() throws {
        let workspace = try openWorkspace()
        let kept = try insert(workspace, ["firstName": "Kept"], tags: ["Viejo", "vip"])
        let one = [ImportColumn(key: "firstName", type: .text, overwrite: true),
                   ImportColumn(key: "tags", type: .tags, overwrite: false)]
        let rows: [FieldValue] = [
            .text("A"), .tags(["a", "b"]),
            .text("B"), .tags(["a", "b"]),
            .text("C"), .tags(["b"]),
            .text("D"), .empty,
            .text("E"), .tags(["a", "b"]),
            .text("K"), .tags(["VIP", "nuevo"]),
        ]
        try writeImport(workspace, columns: one, values: rows, unchangedKey: nil, extraTags: ["imp"]) { writer in
            for row in 0..<5 { try writer.add(row: row) }
            try writer.update(id: kept.id, row: 5)
        }
        let tags = try (1...5).map { try contact(workspace, kept.id + Int64($0)).tags }
        XCTAssertEqual(tags, [["a", "b", "imp"], ["a", "b", "imp"], ["b", "imp"], ["imp"], ["a", "b", "imp"]])
        XCTAssertEqual(try contact(workspace, kept.id).tags, ["Viejo", "vip", "nuevo", "imp"], "kept, then the ones it lacked")

        let two = [ImportColumn(key: "firstName", type: .text, overwrite: true),
                   ImportColumn(key: "tags", type: .tags, overwrite: true),
                   ImportColumn(key: "tags", type: .tags, overwrite: true)]
        let both: [FieldValue] = [.text("F"), .tags(["x", "Y"]), .tags(["y", "z"]),
                                  .text("G"), .empty, .tags(["z"])]
        try writeImport(workspace, columns: two, values: both, unchangedKey: nil) { writer in
            try writer.add(row: 0)
            try writer.add(row: 1)
            try writer.update(id: kept.id, row: 1)
        }
        XCTAssertEqual(try contact(workspace, kept.id + 6).tags, ["x", "Y", "z"])
        XCTAssertEqual(try contact(workspace, kept.id + 7).tags, ["z"])
        XCTAssertEqual(try contact(workspace, kept.id).tags, ["z"], "replaced")
        XCTAssertTrue(try workspace.read { try $0.tagExists("y") })
        XCTAssertFalse(try workspace.read { try $0.tagExists("NUEVO") }, "replaced on the only contact that had it")
    }

    func testContactsAddedInIdentifierOrderStillTakeIdsInRowOrder() throws {
        let workspace = try openWorkspace()
        let existing = try insert(workspace, ["firstName": "Old", "phone": "+34600000000"], tags: ["x"])
        let plain = [ImportColumn(key: "firstName", type: .text, overwrite: true),
                     ImportColumn(key: "phone", type: .phone, overwrite: true),
                     ImportColumn(key: "tags", type: .tags, overwrite: true)]
        let rows: [FieldValue] = [
            .text("C"), .text("+34699999999"), .tags(["c"]),
            .text("A"), .text("+34611111111"), .empty,
            .text("B"), .text("+34655555555"), .tags(["b", "B"]),
        ]
        try writeImport(workspace, columns: plain, values: rows, unchangedKey: "phone", extraTags: ["import-1"]) { writer in
            for row in 0..<3 { try writer.add(row: row) }
            try writer.update(id: existing.id, row: 1)
        }
        XCTAssertEqual(try contact(workspace, existing.id + 1).values["firstName"], "C")
        XCTAssertEqual(try contact(workspace, existing.id + 2).values["firstName"], "A")
        XCTAssertEqual(try contact(workspace, existing.id + 3).values["firstName"], "B")
        XCTAssertEqual(try contact(workspace, existing.id + 3).tags, ["b", "import-1"])
        XCTAssertEqual(try contact(workspace, existing.id + 1).tags, ["c", "import-1"])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(phone: "+34655555555") }, [existing.id + 3])
        XCTAssertEqual(try contact(workspace, existing.id).tags, ["import-1"], "an empty tags cell with overwrite clears them")
    }

    /// A large import's adds go in the order of one lookup index: the identifier's (which its
    /// updates never change, so the other index is the only one written at random, by the adds
    /// and the updates alike), else the e-mail's, else the phone's.
    func testLargeImportsAddInTheOrderOfTheIdentifiersIndex() throws {
        let workspace = try openWorkspace()
        let both = [ImportColumn(key: "firstName", type: .text, overwrite: true),
                    ImportColumn(key: "phone", type: .phone, overwrite: true),
                    ImportColumn(key: "email", type: .email, overwrite: true)]
        let cases: [(columns: [ImportColumn], identifier: String?, column: Int?, byEmail: Bool?)] = [
            (both, "phone", 1, false), (both, "email", 2, true), (both, nil, 2, true), (both, "firstName", 2, true),
            (Array(both.prefix(2)), "email", 1, false), ([both[0]], "phone", nil, nil),
        ]
        for (columns, identifier, column, byEmail) in cases {
            try workspace.write(checkingForeignKeys: false) { tx in
                let writer = try ImportWriter(transaction: tx, columns: columns, values: [FieldValue](), unchangedKey: identifier,
                                              extraTags: [], now: Date())
                XCTAssertEqual(writer.insertionOrder?.column, column, "\(columns.map(\.key)) by \(identifier ?? "nothing")")
                XCTAssertEqual(writer.insertionOrder?.byEmail, byEmail, "\(columns.map(\.key)) by \(identifier ?? "nothing")")
                try writer.finish()
            }
        }
    }

    /// The review hands the writer its values as runs joined from its read chunks, and the writer
    /// binds each row's text from them without a copy: rows inside a run, a row across a seam,
    /// and a built-in cell that holds tags (bound as their text) all store their values and
    /// their lookup keys, on inserts and on updates.
    func testRowsOfAJoinedTableAreWrittenWithTheirKeysInsideAndAcrossRuns() throws {
        let workspace = try openWorkspace()
        let existing = try insert(workspace, ["firstName": "Old", "phone": "+34600000000", "email": "old@example.com"])
        let plain = [ImportColumn(key: "firstName", type: .text, overwrite: true),
                     ImportColumn(key: "phone", type: .phone, overwrite: true),
                     ImportColumn(key: "email", type: .email, overwrite: true),
                     ImportColumn(key: "tags", type: .tags, overwrite: false)]
        let rows: [[FieldValue]] = [
            [.text("Ana"), .text("+34611111111"), .text("ana@example.com"), .tags(["a"])],
            [.text("Bea"), .text("+34622222222"), .empty, .empty],
            [.tags(["Caro", "Lina"]), .text("+34633333333"), .text("caro@example.com"), .tags(["c"])],
            [.text("Dora"), .empty, .text("dora@example.com"), .tags(["a"])],
            [.text("Old"), .text("+34600000000"), .text("nuevo@example.com"), .tags(["u"])],
        ]
        let flat = rows.flatMap { $0 }
        // Seams at 6 (inside row 1) and 12 (between rows 2 and 3).
        var table = FieldValueTable(flat[0..<6])
        table.append(contentsOf: FieldValueTable(flat[6..<12]))
        table.append(contentsOf: FieldValueTable(flat[12...]))
        try writeImport(workspace, columns: plain, values: table, unchangedKey: "phone", extraTags: ["import-1"]) { writer in
            for row in 0..<4 { try writer.add(row: row) }
            try writer.update(id: existing.id, row: 4)
        }
        let added = try (1...4).map { try contact(workspace, existing.id + Int64($0)) }
        XCTAssertEqual(added.map { $0.values["firstName"] }, ["Ana", "Bea", "Caro, Lina", "Dora"])
        XCTAssertEqual(added.map { $0.values["email"] }, ["ana@example.com", nil, "caro@example.com", "dora@example.com"])
        XCTAssertEqual(added.map(\.tags), [["a", "import-1"], ["import-1"], ["c", "import-1"], ["a", "import-1"]])
        XCTAssertEqual(try contact(workspace, existing.id).values["email"], "nuevo@example.com")
        XCTAssertEqual(try contact(workspace, existing.id).tags, ["u", "import-1"])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(phone: "+34622222222") }, [existing.id + 2])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(phone: "+34633333333") }, [existing.id + 3])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(email: "dora@example.com") }, [existing.id + 4])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(email: "nuevo@example.com") }, [existing.id])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(email: "old@example.com") }, [])
        XCTAssertEqual(try workspace.integrityCheck(), "ok", "every stored key is its text's")
    }

    /// A large import's adds go in one statement reading the rows from a `RowFeed`: every row
    /// stores what the row-by-row insert stores (values, keys, tags, custom values), including
    /// rows across a seam of a joined table, tags in a built-in cell, an empty row and text
    /// longer than the feed's first buffer, and the ids follow the rows' order.
    func testRowsAddedInOneStatementAreStoredAsRowByRowAddsStoreThem() throws {
        let workspace = try workspaceWithBirthday()
        let existing = try insert(workspace, ["firstName": "Old", "phone": "+34600000000"])
        let long = String(repeating: "Ñandú ", count: 1_500)
        let rows: [[FieldValue]] = [
            [.text("Ana"), .text("+34611111111"), .text("ana@example.com"), .text("1990-12-31"), .tags(["VIP", "clientes"])],
            [.text(long), .text("+34622222222"), .empty, .empty, .tags(["vip"])],
            [.tags(["Caro", "Lina"]), .empty, .text("caro@example.com"), .text("2001-02-03"), .empty],
            [.empty, .empty, .empty, .empty, .empty],
            [.text("Eva"), .text("+34655555555"), .text("eva@example.com"), .empty, .tags(["b", "B", "a"])],
        ]
        let flat = rows.flatMap { $0 }
        var table = FieldValueTable(flat[0..<7])
        table.append(contentsOf: FieldValueTable(flat[7..<15]))
        table.append(contentsOf: FieldValueTable(flat[15...]))
        let order: [Int32] = [4, 0, 3, 2, 1]
        var bulk: ClosedRange<Int64>?
        var reported: [Int] = []
        try writeImport(workspace, columns: columns, values: table, unchangedKey: "phone", extraTags: ["import-1"]) { writer in
            for row in order { try writer.add(row: Int(row)) }
            bulk = try writer.add(rows: order) { reported.append($0) }
        }
        XCTAssertEqual(bulk, (existing.id + 6)...(existing.id + 10), "after the row-by-row ones, consecutive")
        XCTAssertEqual(reported, [0], "every progressInterval rows, from the first")
        for (offset, row) in order.enumerated() {
            var byRow = try contact(workspace, existing.id + 1 + Int64(offset))
            var inOne = try contact(workspace, existing.id + 6 + Int64(offset))
            XCTAssertEqual(inOne.values, byRow.values, "row \(row)")
            XCTAssertEqual(inOne.tags, byRow.tags, "row \(row)")
            byRow.id = inOne.id
            inOne.createdAt = byRow.createdAt
            inOne.updatedAt = byRow.updatedAt
            XCTAssertEqual(inOne, byRow, "row \(row)")
        }
        XCTAssertEqual(try contact(workspace, existing.id + 7).values["Birthday"], "1990-12-31")
        XCTAssertEqual(try contact(workspace, existing.id + 10).values["firstName"], long)
        XCTAssertEqual(try contact(workspace, existing.id + 6).tags, ["b", "a", "import-1"])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(phone: "+34655555555") }, [existing.id + 1, existing.id + 6])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(email: "caro@example.com") }, [existing.id + 4, existing.id + 9])
        XCTAssertEqual(try workspace.integrityCheck(), "ok", "every stored key is its text's")
    }

    private struct StopHere: Error, Equatable { let done: Int }

    /// What stops a one-statement add (a cancelled commit's progress) is what the caller gets,
    /// and the transaction leaves nothing behind.
    func testAStopDuringARowFeedIsThrownAsItIsAndWritesNothing() throws {
        let workspace = try openWorkspace()
        let plain = [ImportColumn(key: "firstName", type: .text, overwrite: true),
                     ImportColumn(key: "phone", type: .phone, overwrite: true)]
        let count = ImportBatch.progressInterval * 2 + 500
        let values: [FieldValue] = (0..<count).flatMap { [.text("Contact \($0)"), .text("+346\(10_000_000 + $0)")] }
        // Many times: the rows are made on another thread, which must be done (and let go of
        // the caller's progress closure) whenever the statement stops.
        for stop in [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2].map({ $0 * ImportBatch.progressInterval }) {
            XCTAssertThrowsError(try writeImport(workspace, columns: plain, values: values, unchangedKey: nil) { writer in
                _ = try writer.add(rows: (0..<Int32(count)).map { $0 }) { done in
                    if done == stop { throw StopHere(done: done) }
                }
            }) { error in
                XCTAssertEqual(error as? StopHere, StopHere(done: stop))
            }
            XCTAssertEqual(try workspace.read { try $0.contactCount() }, 0)
        }
        // The connection is fine afterwards: the same statement runs to its end.
        var ids: ClosedRange<Int64>?
        try writeImport(workspace, columns: plain, values: values, unchangedKey: nil) { writer in
            ids = try writer.add(rows: (0..<Int32(count)).map { $0 }) { _ in }
        }
        XCTAssertEqual(ids, 1...Int64(count))
        XCTAssertEqual(try workspace.read { try $0.contactCount() }, count)
        XCTAssertEqual(try workspace.read { try $0.contactIDs(phone: "+34610000042") }, [43])
    }

    func testUpdateWithOverwriteReplacesAndClearsAndReplacesTags() throws {
        let workspace = try workspaceWithBirthday()
        let stored = try workspace.write {
            try $0.insertContact(values: ["firstName": "Ana", "lastName": "Ruiz", "phone": "+34612345678",
                                          "email": "old@example.com", "Birthday": "1980-01-01"],
                                 tags: ["cliente", "feria"], now: Date())
        }
        let row: [FieldValue] = [.text("Ana María"), .text("+34612345678"), .empty, .empty, .tags(["Feria", "nuevo"])]
        try writeImport(workspace, columns: columns, values: row, unchangedKey: "phone", extraTags: ["import-1"]) { writer in
            try writer.update(id: stored.id, row: 0)
        }
        let updated = try contact(workspace, stored.id)
        XCTAssertEqual(updated.values, ["firstName": "Ana María", "lastName": "Ruiz", "phone": "+34612345678"],
                       "empty cells clear; unmapped columns stay")
        XCTAssertEqual(updated.tags, ["Feria", "nuevo", "import-1"])
        XCTAssertGreaterThanOrEqual(updated.updatedAt, stored.updatedAt)
    }

    func testUpdateWithoutOverwriteFillsOnlyEmptyValuesAndAppendsTags() throws {
        let workspace = try workspaceWithBirthday()
        let stored = try workspace.write {
            try $0.insertContact(values: ["firstName": "Ana", "phone": "+34612345678", "Birthday": "1980-01-01"],
                                 tags: ["cliente"], now: Date())
        }
        let keep = columns.map { ImportColumn(key: $0.key, type: $0.type, overwrite: false) }
        let row: [FieldValue] = [.text("Otra"), .text("+34612345678"), .text("ana@example.com"), .text("1990-12-31"),
                                 .tags(["CLIENTE", "nuevo"])]
        try writeImport(workspace, columns: keep, values: row, unchangedKey: "phone", extraTags: ["import-1"]) { writer in
            try writer.update(id: stored.id, row: 0)
        }
        let updated = try contact(workspace, stored.id)
        XCTAssertEqual(updated.values, ["firstName": "Ana", "phone": "+34612345678", "email": "ana@example.com",
                                        "Birthday": "1980-01-01"])
        XCTAssertEqual(updated.tags, ["cliente", "nuevo", "import-1"], "a tag the contact has, in any spelling, stays as it was")
    }

    func testAContactWrittenTwiceEndsWithItsLastRow() throws {
        let workspace = try workspaceWithBirthday()
        let stored = try insert(workspace, ["firstName": "Ana", "phone": "+34612345678"], tags: ["x"])
        let rows: [FieldValue] = [
            .text("Uno"), .text("+34612345678"), .empty, .empty, .tags(["a"]),
            .text("Dos"), .text("+34612345678"), .empty, .empty, .tags(["b"]),
        ]
        try writeImport(workspace, columns: columns, values: rows, unchangedKey: "phone") { writer in
            try writer.update(id: stored.id, row: 0)
            try writer.update(id: stored.id, row: 1)
        }
        let updated = try contact(workspace, stored.id)
        XCTAssertEqual(updated.values["firstName"], "Dos")
        XCTAssertEqual(updated.tags, ["b"])
    }

    func testContactsWrittenAgainOutOfOrderSeeTheirEarlierRows() throws {
        let workspace = try workspaceWithBirthday()
        let first = try insert(workspace, ["firstName": "Ana", "phone": "+34612345678"], tags: ["x"])
        let second = try insert(workspace, ["firstName": "Luis", "phone": "+34622222222"], tags: ["y"])
        let third = try insert(workspace, ["firstName": "Eva", "phone": "+34633333333"], tags: ["z"])
        let appending = columns.map { ImportColumn(key: $0.key, type: $0.type, overwrite: $0.key != "tags") }
        let order = [third.id, first.id, third.id, second.id, first.id, third.id]
        var rows: [FieldValue] = []
        for (row, _) in order.enumerated() {
            rows += [.text("Fila \(row)"), .empty, .empty, .empty, .tags(["t\(row)"])]
        }
        try writeImport(workspace, columns: appending, values: rows, unchangedKey: "phone") { writer in
            // As a large commit does: every contact read once before its first write.
            let current = try writer.currentValues([first.id, second.id, third.id])
            for (row, id) in order.enumerated() { try writer.update(id: id, row: row, current: current[id]) }
        }
        XCTAssertEqual(try contact(workspace, first.id).tags, ["x", "t1", "t4"])
        XCTAssertEqual(try contact(workspace, second.id).tags, ["y", "t3"])
        XCTAssertEqual(try contact(workspace, third.id).tags, ["z", "t0", "t2", "t5"])
        XCTAssertEqual(try contact(workspace, third.id).values["firstName"], "Fila 5")
    }

    func testUpdatingAMissingContactFails() throws {
        let workspace = try workspaceWithBirthday()
        XCTAssertThrowsError(try workspace.write(checkingForeignKeys: false) { tx in
            let writer = try ImportWriter(transaction: tx, columns: columns, values: [.text("A"), .empty, .empty, .empty, .empty],
                                          unchangedKey: "phone", extraTags: [], now: Date())
            try writer.update(id: 4242, row: 0)
        }) { error in
            XCTAssertEqual((error as? ContactNotFound)?.contactId, 4242)
        }
    }

    func testAColumnForAFieldTheWorkspaceLacksIsRefused() throws {
        let workspace = try openWorkspace()
        XCTAssertThrowsError(try workspace.write { tx in
            _ = try ImportWriter(transaction: tx, columns: columns, values: [], unchangedKey: nil, extraTags: [], now: Date())
        })
    }

    func testForeignKeysAreCheckedAgainAfterAnImportTransaction() throws {
        let workspace = try openWorkspace()
        try workspace.write(checkingForeignKeys: false) { _ in }
        XCTAssertThrowsError(try workspace.write { tx in
            try tx.statement("INSERT INTO custom_values (contact_id, field_id, value) VALUES (999, 999, 'a')").run()
        }, "the setting is back on for ordinary writes")
    }

    func testAJobEndThatCannotBeWrittenIsReportedAndRecordedAtTheNextClaim() throws {
        let workspace = try openWorkspace(busyTimeout: 0.2)
        var job = try workspace.claimJob(fileName: "a.csv", importTag: nil, now: Date())
        // Another process holds the write lock past the busy timeout.
        let other = try Connection(path: directory + "/contacts.sqlite", busyTimeout: 0, readOnlyQueries: false)
        try other.execute("BEGIN IMMEDIATE")
        job.state = .cancelled
        job.finishedAt = Date()
        XCTAssertThrowsError(try workspace.finishJob(job))
        XCTAssertEqual(try workspace.job(id: job.id)?.state, .cancelled, "history in this process does not say running")
        XCTAssertEqual(try workspace.jobs(limit: 5).first?.state, .cancelled)
        try other.execute("ROLLBACK")

        let next = try workspace.claimJob(fileName: "b.csv", importTag: nil, now: Date())
        XCTAssertEqual(try text("SELECT state FROM import_jobs WHERE id = \(job.id)"), "cancelled", "written at the next claim")
        var done = next
        done.state = .completed
        done.finishedAt = Date()
        try workspace.finishJob(done)
    }
}
