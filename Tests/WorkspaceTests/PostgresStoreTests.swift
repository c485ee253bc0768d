import XCTest
import Foundation
import Contacts
import Localization
@testable import Workspace

/// The PostgreSQL store, against the server named by `CONTACT_IMPORT_TEST_POSTGRES` (a libpq
/// conninfo); skipped without it. Each test gets a schema of its own, dropped afterwards.
class PostgresTestCase: XCTestCase {
    static var baseConninfo: String? {
        ProcessInfo.processInfo.environment["CONTACT_IMPORT_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var base = ""
    var schema = ""
    var conninfo = ""
    var root = ""

    override func setUpWithError() throws {
        guard let base = Self.baseConninfo else { throw XCTSkip("CONTACT_IMPORT_TEST_POSTGRES is not set") }
        self.base = base
        schema = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        conninfo = base + " options='-c contact_import.schema=\(schema)'"
        root = NSTemporaryDirectory() + "pg-store-tests-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        guard !base.isEmpty else { return }
        _ = try? admin("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A store as one daemon would open it, with its own files folder.
    func open(files: String = "a", now: Date = Date()) throws -> PostgresWorkspace {
        try PostgresWorkspace.open(conninfo: conninfo, filesDirectory: root + "/" + files, now: now)
    }

    /// A query on a connection of its own, outside the store (the test's admin).
    @discardableResult
    func admin(_ sql: String) throws -> PGResult {
        let connection = try PGConnection(conninfo: base, display: "admin")
        return try connection.query(sql)
    }

    func count(_ table: String) throws -> Int {
        try admin("SELECT count(*) FROM \(schema).\(table)").int(0, 0)
    }

    /// Ends the server session that holds this schema's job slot, as a killed daemon's would end.
    func killSlotHolder() throws {
        let rows = try admin("""
            SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted \
            AND classid = \(UInt32(bitPattern: PGSchema.slotLockClass)) AND objid = hashtext('\(schema)')::oid
            """)
        XCTAssertEqual(rows.count, 1, "one session held the slot")
        Thread.sleep(forTimeInterval: 0.2)
    }
}

final class PostgresStoreTests: PostgresTestCase {
    // MARK: schema

    func testSchemaIsCreatedOnFirstUseQuicklyAndOpensAgain() throws {
        let started = Date()
        let store = try open()
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertLessThan(elapsed, 2, "creating a schema stays cheap (\(elapsed) s)")
        XCTAssertEqual(store.schema, schema)
        XCTAssertEqual(try store.fields().map(\.key), BuiltinField.definitions.map(\.key))
        XCTAssertEqual(try admin("SELECT version FROM \(schema).schema_version").int(0, 0), PGSchema.currentVersion)
        let again = try open(files: "b")
        XCTAssertEqual(try again.jobs(limit: 5).count, 0)
    }

    func testTwoStoresCreatingTheSameSchemaAtOnceBothSucceed() throws {
        let failures = Locked<[String]>([])
        let (conninfo, root) = (self.conninfo, self.root)
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            do {
                _ = try PostgresWorkspace.open(conninfo: conninfo, filesDirectory: root + "/f\(index)")
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        XCTAssertEqual(try admin("SELECT count(*) FROM \(schema).schema_version").int(0, 0), 1)
    }

    func testAWorkspaceOfAnotherVersionIsRefusedInWords() throws {
        _ = try open()
        try admin("UPDATE \(schema).schema_version SET version = 99")
        XCTAssertThrowsError(try open(files: "b")) { error in
            let error = error as? WorkspaceError
            XCTAssertEqual(error?.kind, .cannotOpen)
            let message = error?.message(.english) ?? ""
            XCTAssertTrue(message.contains("schema version 99"), message)
            XCTAssertTrue(message.contains(self.schema), message)
        }
    }

    // MARK: errors

    func testThePasswordIsNeverInAnErrorMessage() throws {
        let secret = "hunter2-secret"
        let attempts = [
            base + " user=nobody_here password=\(secret) options='-c contact_import.schema=\(schema)'",
            base + " password='\(secret)",
            "postgresql://nobody_here:\(secret)@/postgres?host=/nonexistent-socket-dir",
            "host=/nonexistent-socket-dir dbname=postgres password=\(secret)",
        ]
        for attempt in attempts {
            XCTAssertThrowsError(try PostgresWorkspace.open(conninfo: attempt, filesDirectory: root + "/x")) { error in
                let workspaceError = error as? WorkspaceError
                XCTAssertNotNil(workspaceError, "\(error)")
                for locale in MessageLocaleList.all {
                    let message = workspaceError?.message(locale) ?? "\(error)"
                    XCTAssertFalse(message.contains(secret), message)
                    XCTAssertFalse(message.isEmpty)
                }
            }
            XCTAssertFalse(WorkspaceLocation.parse(attempt).displayName.contains(secret))
        }
    }

    func testLocationsAreTellApartByTheirForm() {
        XCTAssertEqual(WorkspaceLocation.parse("/tmp/ws"), .sqlite(directory: "/tmp/ws"))
        XCTAssertEqual(WorkspaceLocation.parse("./a=b"), .sqlite(directory: "./a=b"))
        XCTAssertEqual(WorkspaceLocation.parse("relative folder"), .sqlite(directory: "relative folder"))
        XCTAssertEqual(WorkspaceLocation.parse("postgresql://u@h/db"), .postgres(conninfo: "postgresql://u@h/db"))
        XCTAssertEqual(WorkspaceLocation.parse("postgres://h/db"), .postgres(conninfo: "postgres://h/db"))
        XCTAssertEqual(WorkspaceLocation.parse("host=/tmp dbname=x"), .postgres(conninfo: "host=/tmp dbname=x"))
        XCTAssertEqual(WorkspaceLocation.parse("dbname = x"), .sqlite(directory: "dbname = x"))
        XCTAssertEqual(WorkspaceLocation.parse("postgresql://u:pw@h/db").displayName.contains("pw"), false)
    }

    func testAStatementTimeoutIsAWorkspaceErrorAndRollsBack() throws {
        let store = try PostgresWorkspace.open(conninfo: conninfo + " options='-c contact_import.schema=\(schema) -c statement_timeout=200'",
                                               filesDirectory: root + "/a")
        XCTAssertThrowsError(try store.writeContacts { tx -> Void in
            _ = try tx.insertContact(values: ["firstName": "Ana"], tags: [], now: Date())
            try (tx as? PGWriteTransaction)?.connection.query("SELECT pg_sleep(2)")
        }) { error in
            let message = (error as? WorkspaceError)?.message(.english) ?? "\(error)"
            XCTAssertTrue(message.contains("too long"), message)
        }
        XCTAssertEqual(try count("contacts"), 0)
        // The store goes on working.
        _ = try store.writeContacts { try $0.insertContact(values: ["firstName": "Luis"], tags: [], now: Date()) }
        XCTAssertEqual(try count("contacts"), 1)
    }

    // MARK: the job slot

    func testOneJobAtATimeAcrossTwoStores() throws {
        let a = try open(files: "a")
        let b = try open(files: "b")
        let job = try a.claimJob(fileName: "one.csv", importTag: .automatic(base: "import-x"), now: Date())
        XCTAssertEqual(job.importTag, "import-x")
        XCTAssertThrowsError(try b.claimJob(fileName: "two.csv", importTag: .none, now: Date())) { error in
            XCTAssertEqual((error as? ImportInProgress)?.jobId, job.id)
        }
        // The same daemon's second session is refused too.
        XCTAssertThrowsError(try a.claimJob(fileName: "three.csv", importTag: .none, now: Date())) { error in
            XCTAssertEqual((error as? ImportInProgress)?.jobId, job.id)
        }
        var ended = job
        ended.state = .cancelled
        ended.finishedAt = Date()
        try a.finishJob(ended)
        XCTAssertEqual(try b.job(id: job.id)?.state, .cancelled)
        let next = try b.claimJob(fileName: "two.csv", importTag: .automatic(base: "import-x"), now: Date())
        XCTAssertEqual(next.importTag, "import-x-2", "a job's tag is taken")
        b.releaseJob(next)
    }

    func testAKilledDaemonsJobIsMarkedInterruptedByTheNextClaimant() throws {
        let a = try open(files: "a")
        let b = try open(files: "b")
        let job = try a.claimJob(fileName: "one.csv", importTag: .none, now: Date())
        let stray = try a.newFilePath(prefix: "job-\(job.id)-one-result", extension: "csv", now: Date())
        XCTAssertTrue(FileManager.default.createFile(atPath: stray + ".partial", contents: Data("x".utf8)))
        try killSlotHolder()
        let next = try b.claimJob(fileName: "two.csv", importTag: .none, now: Date())
        XCTAssertEqual(try b.job(id: job.id)?.state, .interrupted)
        b.releaseJob(next)
        // A store opening after the crash recovers too (no claim needed).
        let c = try open(files: "a")
        XCTAssertEqual(try c.job(id: job.id)?.state, .interrupted)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stray + ".partial"), "the dead job's files go")
        // The killed daemon's own store answers with an error, not a crash, and frees nothing it lacks.
        a.releaseJob(job)
        XCTAssertEqual(try a.jobs(limit: 10).count, 2)
    }

    func testAConnectionLostMidCommitRollsBackAndFreesTheSlot() throws {
        let a = try open(files: "a")
        let b = try open(files: "b")
        let job = try a.claimJob(fileName: "one.csv", importTag: .none, now: Date())
        XCTAssertThrowsError(try a.writeImport { tx -> Void in
            try tx.write(batch(rows: 50), row: { _ in .add }, progress: { _, _ in })
            try killSlotHolder()
            try tx.write(batch(rows: 5), row: { _ in .add }, progress: { _, _ in })
        }) { error in
            let message = (error as? WorkspaceError)?.message(.english) ?? "\(error)"
            XCTAssertTrue(message.contains("lost"), message)
        }
        var failed = job
        failed.state = .failed
        failed.finishedAt = Date()
        try? a.finishJob(failed)
        XCTAssertEqual(try count("contacts"), 0, "nothing half-written")
        let next = try b.claimJob(fileName: "two.csv", importTag: .none, now: Date())
        b.releaseJob(next)
        XCTAssertTrue([.failed, .interrupted].contains(try b.job(id: job.id)?.state))
    }

    // MARK: writes

    /// `rows` contacts: name, phone, e-mail, a custom "Team" value and a tags cell.
    func batch(rows: Int, offset: Int = 0, overwrite: Bool = true, custom: Bool = false) -> ImportBatch {
        var columns = [ImportColumn(key: "firstName", type: .text, overwrite: overwrite),
                       ImportColumn(key: "phone", type: .phone, overwrite: overwrite),
                       ImportColumn(key: "email", type: .email, overwrite: overwrite),
                       ImportColumn(key: "tags", type: .tags, overwrite: overwrite)]
        if custom { columns.append(ImportColumn(key: "Team", type: .text, overwrite: overwrite)) }
        var values: [FieldValue] = []
        for row in 0..<rows {
            let n = row + offset
            values += [n % 7 == 3 ? .empty : .text("Name\t\(n)\\ \"q\"\nline"), .text("+3461200\(String(format: "%04d", n))"),
                       .text("p\(n)@example.com"), .tags(n % 2 == 0 ? ["VIP", "vip", " Zona \(n % 3) "] : [])]
            if custom { values.append(n % 5 == 0 ? .empty : .text("team \(n % 4)")) }
        }
        var batch = ImportBatch(columns: columns, values: values, rowCount: rows, unchangedKey: "phone",
                                extraTags: ["imported", "Imported"], now: Date(timeIntervalSince1970: 1_800_000_000))
        batch.undoJobId = 1
        return batch
    }

    /// The same writes on SQLite and on PostgreSQL leave the same contacts.
    func testAnImportWritesWhatSQLiteWrites() throws {
        let pg = try open()
        let sqliteRoot = root + "/sqlite"
        let sqlite = try Workspace.open(directory: sqliteRoot)
        for store in [pg as any ImportStore, sqlite as any ImportStore] {
            _ = try store.writeContacts { try $0.createField(name: "Team", type: .text, options: []) }
            _ = try store.writeContacts { tx in
                try tx.insertContact(values: ["firstName": "Old", "phone": "+34612000001", "Team": "old team"],
                                     tags: ["keep", "VIP"], now: Date(timeIntervalSince1970: 1_700_000_000))
            }
            _ = try store.writeContacts { tx in
                try tx.insertContact(values: ["firstName": "Other", "phone": "+34612000002", "email": "x@example.com"],
                                     tags: [], now: Date(timeIntervalSince1970: 1_700_000_000))
            }
            // Adds, then updates of both contacts (the second twice), without overwrite; then with.
            try store.writeImport { tx in
                try tx.write(batch(rows: 40, custom: true), row: { $0 < 30 ? .add : .none }, progress: { _, _ in })
            }
            try store.writeImport { tx in
                try tx.write(batch(rows: 3, offset: 1, overwrite: false, custom: true),
                             row: { [.update(contactId: 1), .update(contactId: 2), .update(contactId: 2)][$0] },
                             progress: { _, _ in })
            }
            try store.writeImport { tx in
                try tx.write(batch(rows: 2, offset: 5, overwrite: true, custom: true),
                             row: { [.update(contactId: 1), .update(contactId: 3)][$0] }, progress: { _, _ in })
            }
            // A rolled-back write leaves nothing.
            struct Stop: Error {}
            XCTAssertThrowsError(try store.writeImport { tx in
                try tx.write(batch(rows: 5, offset: 100), row: { _ in .add }, progress: { _, _ in })
                throw Stop()
            })
        }
        let ids = Array(Int64(1)...Int64(40))
        let fromPG = try pg.lookUp { try $0.contacts(ids: ids, customValues: true, tags: true) }
        let fromSQLite = try sqlite.lookUp { try $0.contacts(ids: ids, customValues: true, tags: true) }
        XCTAssertEqual(fromPG.count, 32)
        XCTAssertEqual(fromPG.keys.sorted(), fromSQLite.keys.sorted())
        for id in fromSQLite.keys.sorted() {
            XCTAssertEqual(fromPG[id], fromSQLite[id], "contact \(id)")
        }
        XCTAssertEqual(try pg.readContacts { try $0.contact(id: 1) }, try sqlite.readContacts { try $0.contact(id: 1) })
    }

    func testLookupsOneByOneAndInBatches() throws {
        let store = try open()
        try store.writeImport { tx in
            try tx.write(batch(rows: 20), row: { _ in .add }, progress: { _, _ in })
        }
        _ = try store.writeContacts { tx in
            try tx.insertContact(values: ["firstName": "Twin", "phone": "+34612000003"], tags: [], now: Date())
        }
        try store.lookUp { lookup in
            XCTAssertTrue(lookup.prefersBatchLookups)
            XCTAssertEqual(try lookup.contactIDs(phone: "+34612000003"), [4, 21])
            XCTAssertEqual(try lookup.contactIDs(email: "p5@example.com"), [6])
            XCTAssertEqual(try lookup.contactIDs(phone: ""), [])
            XCTAssertTrue(try lookup.contactExists(id: 20))
            XCTAssertFalse(try lookup.contactExists(id: 99))
            let phones = (0..<30).map { "+3461200\(String(format: "%04d", $0))" } + ["", "tab\tand\\back"]
            let found = try lookup.contactIDs(phones: phones)
            XCTAssertEqual(found.count, 20)
            XCTAssertEqual(found["+34612000003"], [4, 21])
            XCTAssertNil(found["+34612000025"])
            let again = try lookup.contactIDs(emails: (0..<12).map { "p\($0)@example.com" })
            XCTAssertEqual(again["p11@example.com"], [12])
        }
    }

    func testAnUndoRestoresWhatTheImportChanged() throws {
        let store = try open()
        _ = try store.writeContacts { tx in
            try tx.insertContact(values: ["firstName": "Old", "phone": "+34612000001"], tags: ["keep"], now: Date())
        }
        var importBatch = batch(rows: 3, offset: 1)
        importBatch.undoJobId = 7
        try store.writeImport { tx in
            try tx.write(importBatch, row: { [.update(contactId: 1), .add, .add][$0] }, progress: { _, _ in })
        }
        XCTAssertEqual(try store.readContacts { try $0.contact(id: 1) }?.values["firstName"], "Name\t1\\ \"q\"\nline")
        XCTAssertTrue(try store.hasUndoLog(jobId: 7))
        let outcome = try store.writeImport { try $0.undoImport(jobId: 7, now: Date(), progress: { _, _ in }) }
        XCTAssertEqual(outcome.counts, UndoCounts(removed: 2, restored: 1, conflicts: 0))
        let restored = try store.readContacts { try $0.contact(id: 1) }
        XCTAssertEqual(restored?.values, ["firstName": "Old", "phone": "+34612000001"])
        XCTAssertEqual(restored?.tags, ["keep"])
        XCTAssertEqual(try count("contacts"), 1)
        XCTAssertEqual(try count("contact_tags"), 1, "the removed contacts' tags went with them")
        XCTAssertFalse(try store.hasUndoLog(jobId: 7))
    }

    func testRememberedMappings() throws {
        let store = try open()
        let mapping = RememberedMapping(columns: [.init(field: "firstName", overwrite: true), .init(field: nil, overwrite: false)],
                                        purpose: "addNew", identifier: "phone", defaultCountry: "ES")
        try store.writeImport { try $0.rememberMapping(headerKeys: ["nombre", "x"], mapping, now: Date()) }
        try store.writeImport { try $0.rememberMapping(headerKeys: ["nombre", "x"], mapping, now: Date()) }
        XCTAssertEqual(try store.rememberedMapping(headerKeys: ["nombre", "x"]), mapping)
        XCTAssertNil(try store.rememberedMapping(headerKeys: ["nombre"]))
        XCTAssertEqual(try store.rememberedHeaders(["nombre", "x", "y"]),
                       ["nombre": .init(field: "firstName", overwrite: true), "x": .init(field: nil, overwrite: false)])
    }

    func testContactsAPIWritesAndReads() throws {
        let store = try open()
        let field = try store.writeContacts { try $0.createField(name: "Level", type: .list, options: ["a", "b"]) }
        XCTAssertEqual(try store.fields().last, field)
        XCTAssertThrowsError(try store.writeContacts { try $0.createField(name: "level", type: .text, options: []) })
        let created = try store.writeContacts { tx in
            try tx.insertContact(values: ["firstName": "Ana", "Level": "a"], tags: [" x ", "X", "y"], now: Date())
        }
        XCTAssertEqual(created.tags, ["x", "y"])
        var changed = created
        changed.values["Level"] = nil
        changed.values["email"] = "ana@example.com"
        changed.tags = ["y", "z"]
        let stored = try store.writeContacts { try $0.updateContact(changed, now: Date()) }
        XCTAssertEqual(stored.values, ["firstName": "Ana", "email": "ana@example.com"])
        XCTAssertEqual(stored.tags, ["y", "z"])
        XCTAssertThrowsError(try store.writeContacts { try $0.updateContact(Contact(id: 99, values: [:], tags: [], createdAt: Date(),
                                                                                         updatedAt: Date()), now: Date()) }) { error in
            XCTAssertEqual((error as? ContactNotFound)?.contactId, 99)
        }
    }

    /// The version a review records and its commit compares: moved on by a write of either
    /// daemon, committed or not at all (a rolled-back write leaves it), never by a read.
    func testTheContactsVersionMovesOnWithEveryCommittedWriteOfAnyStore() throws {
        let (a, b) = (try open(files: "a"), try open(files: "b"))
        let version = { (store: PostgresWorkspace) in try store.lookUp { try $0.contactsVersion() } }
        let start = try XCTUnwrap(try version(a))
        XCTAssertEqual(try version(b), start)
        _ = try a.readContacts { try $0.contactCount() }
        XCTAssertEqual(try version(a), start, "a read")
        _ = try b.writeContacts { try $0.insertContact(values: ["firstName": "Ana"], tags: [], now: Date()) }
        XCTAssertEqual(try version(a), start + 1, "another store's write")
        XCTAssertThrowsError(try a.writeContacts { tx -> Contact in
            _ = try tx.insertContact(values: ["firstName": "Bea"], tags: [], now: Date())
            throw ContactNotFound(contactId: 1)
        })
        XCTAssertEqual(try version(b), start + 1, "a rolled-back write")
        XCTAssertEqual(try a.readContacts { try $0.contactCount() }, 1)
    }

    // MARK: result files

    func testResultFilesAreStoredMaterialisedElsewhereAndPurgedAfterRetention() throws {
        let now = Date()
        let a = try open(files: "a", now: now)
        let b = try open(files: "b", now: now)
        let job = try a.claimJob(fileName: "one.csv", importTag: .none, now: now)
        let path = try a.newFilePath(prefix: "job-\(job.id)-one-result", extension: "csv", now: now)
        let content = Data((0..<5_000).map { "row \($0),\u{00E9}\r\n" }.joined().utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: content))
        var final = job
        final.state = .completed
        final.finishedAt = now
        final.resultFilePath = path
        final.resultExpiresAt = now.addingTimeInterval(Workspace.resultRetention)
        final.resultAvailable = true
        try a.writeImport { try $0.updateJob(final) }
        a.releaseJob(final)

        let seen = try XCTUnwrap(try b.job(id: job.id))
        XCTAssertTrue(seen.resultAvailable)
        let copy = try XCTUnwrap(seen.resultFilePath)
        XCTAssertTrue(copy.hasPrefix(root + "/b/"), copy)
        XCTAssertEqual(FileManager.default.contents(atPath: copy), content, "materialised from the database")
        XCTAssertEqual(try b.jobs(limit: 10).first?.resultFilePath, copy)
        XCTAssertEqual(try a.job(id: job.id)?.resultFilePath, path)

        // Whichever daemon runs retention first removes the rows; each removes its own copies.
        try b.purgeExpiredFiles(now: now.addingTimeInterval(Workspace.resultRetention + 60))
        XCTAssertEqual(try count("result_files"), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: copy))
        XCTAssertEqual(try a.job(id: job.id)?.resultAvailable, false)
        try a.purgeExpiredFiles(now: now.addingTimeInterval(Workspace.resultRetention + 60))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testTheFilesFolderDefaultsUnderTheDataHomePerServerAndSchema() {
        let one = PostgresWorkspace.defaultFilesDirectory(identity: "/tmp|5432|postgres|a", environment: ["XDG_DATA_HOME": "/data"])
        let two = PostgresWorkspace.defaultFilesDirectory(identity: "/tmp|5432|postgres|b", environment: ["XDG_DATA_HOME": "/data"])
        XCTAssertTrue(one.hasPrefix("/data/contact-importer/files/"), one)
        XCTAssertNotEqual(one, two)
        XCTAssertEqual(PostgresWorkspace.defaultFilesDirectory(identity: "x", environment: ["HOME": "/home/u"]).hasPrefix(
            "/home/u/.local/share/contact-importer/files/"), true)
    }

    func testAWriterWaitsForAnImportsLockAndAReadDoesNot() throws {
        let a = try open(files: "a")
        let b = try open(files: "b")
        try a.writeImport { tx in
            try tx.write(batch(rows: 3), row: { _ in .add }, progress: { _, _ in })
            // Another daemon reads the state before this write, and cannot write meanwhile.
            XCTAssertEqual(try b.lookUp { try $0.contactExists(id: 1) }, false)
            let started = Date()
            XCTAssertThrowsError(try b.writeContacts { try $0.insertContact(values: ["firstName": "B"], tags: [], now: Date()) }) { error in
                XCTAssertEqual((error as? WorkspaceError)?.kind, .locked, "\(error)")
            }
            XCTAssertGreaterThan(Date().timeIntervalSince(started), 4)
        }
        XCTAssertEqual(try b.lookUp { try $0.contactExists(id: 1) }, true)
    }
}

/// Every locale the messages come in.
enum MessageLocaleList {
    static let all: [MessageLocale] = [.english, .spanish, .portuguese]
}
