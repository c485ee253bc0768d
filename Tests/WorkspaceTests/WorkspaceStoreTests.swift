import XCTest
import Foundation
import Contacts
import Localization
@testable import Workspace

final class WorkspaceSchemaTests: WorkspaceTestCase {
    func testFirstOpenCreatesFoldersDatabaseAndSchema() throws {
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory))
        let workspace = try openWorkspace()
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/contacts.sqlite"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: workspace.filesDirectory))
        XCTAssertEqual(try scalar("PRAGMA user_version"), Schema.currentVersion)
        XCTAssertEqual(try text("PRAGMA journal_mode"), "wal")
        XCTAssertEqual(try scalar("PRAGMA page_size"), Workspace.pageSize)
        for table in ["contacts", "tag_keys", "custom_fields", "custom_values", "import_jobs"] {
            XCTAssertEqual(try scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '\(table)'"), 1, table)
        }
        // Lookups must use the indexes, and those indexes must allow duplicates.
        for index in ["contacts_phone_key", "contacts_email_key"] {
            XCTAssertEqual(try scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '\(index)' AND sql NOT LIKE '%UNIQUE%'"), 1, index)
        }
    }

    func testReopeningKeepsDataAndDoesNotMigrateAgain() throws {
        do {
            let workspace = try openWorkspace()
            try insert(workspace, ["firstName": "Ana"])
        }
        let again = try openWorkspace()
        XCTAssertEqual(try again.read { try $0.contactCount() }, 1)
        XCTAssertEqual(try scalar("PRAGMA user_version"), Schema.currentVersion)
    }

    func testAWorkspaceMadeWithSmallerPagesKeepsThemAndItsContacts() throws {
        try writeOldWorkspace(schema: Schema.currentVersion, pageSize: 4_096, """
            INSERT INTO contacts (id, first_name, phone, phone_key, created_at, updated_at) \
                VALUES (1, 'Ana', '+34612345678', contact_phone_key('+34612345678'), 0, 0);
            """)
        let workspace = try openWorkspace()
        XCTAssertEqual(try scalar("PRAGMA page_size"), 4_096, "pages are only sized when the file is made")
        try insert(workspace, ["firstName": "Luis", "phone": "+34612345679"])
        XCTAssertEqual(try workspace.read { try $0.contactCount() }, 2)
        XCTAssertEqual(try workspace.integrityCheck(), "ok")
    }

    func testAWorkspaceWithTagsAsRowsGetsThemOnItsContactsInTheirOrder() throws {
        try writeOldWorkspace(schema: 4, """
            INSERT INTO contacts (id, first_name, created_at, updated_at) VALUES (1, 'Ana', 0, 0), (2, 'Luis', 0, 0), (3, 'Eva', 0, 0);
            INSERT INTO contact_tags (contact_id, tag_key, tag, position) VALUES
                (1, 'vip', 'VIP', 3), (1, 'clientes', 'Clientes', 0), (1, 'méxico', 'México', 7), (2, 'lead', 'lead', 0);
            """)
        let workspace = try openWorkspace()
        XCTAssertEqual(try scalar("PRAGMA user_version"), Schema.currentVersion)
        XCTAssertEqual(try workspace.read { try $0.contact(id: 1)?.tags }, ["Clientes", "VIP", "México"], "in their positions' order")
        XCTAssertEqual(try workspace.read { try $0.contact(id: 2)?.tags }, ["lead"])
        XCTAssertEqual(try workspace.read { try $0.contact(id: 3)?.tags }, [])
        XCTAssertEqual(try scalar("SELECT count(*) FROM sqlite_master WHERE name = 'contact_tags'"), 0)
        XCTAssertEqual(try workspace.read { try $0.tagExists("MÉXICO") }, true)
        XCTAssertEqual(try workspace.read { try $0.tagExists("otro") }, false)
        XCTAssertEqual(try workspace.read { try $0.freeImportTag(base: "vip") }, "vip-2")
    }

    func testATagOnceStoredAndThenRemovedIsFreeAgain() throws {
        let workspace = try openWorkspace()
        let ana = try workspace.write { try $0.insertContact(values: ["firstName": "Ana"], tags: ["Campaña", " campaña "], now: Date()) }
        XCTAssertEqual(ana.tags, ["Campaña"], "trimmed, one per key")
        XCTAssertTrue(try workspace.read { try $0.tagExists("CAMPAÑA") })
        var changed = ana
        changed.tags = []
        _ = try workspace.write { try $0.updateContact(changed, now: Date()) }
        XCTAssertFalse(try workspace.read { try $0.tagExists("campaña") }, "its key is still known, but no contact has it")
    }

    func testNewerSchemaIsRefusedWithAClearMessage() throws {
        _ = try openWorkspace()
        let connection = try Connection(path: directory + "/contacts.sqlite", busyTimeout: 5, readOnlyQueries: false)
        try connection.execute("PRAGMA user_version = 99")
        XCTAssertThrowsError(try openWorkspace()) { error in
            let workspaceError = error as? WorkspaceError
            XCTAssertEqual(workspaceError?.kind, .cannotOpen)
            XCTAssertTrue(workspaceError?.message(.english).contains("newer version") == true)
            XCTAssertTrue(workspaceError?.message(.spanish).contains("versión más reciente") == true)
        }
    }

    func testDefaultDirectoryFollowsXDG() {
        XCTAssertEqual(Workspace.defaultDirectory(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/u"]),
                       "/data/contact-importer/default")
        XCTAssertEqual(Workspace.defaultDirectory(environment: ["HOME": "/home/u"]),
                       "/home/u/.local/share/contact-importer/default")
        // A relative XDG_DATA_HOME is invalid per the spec and ignored.
        XCTAssertEqual(Workspace.defaultDirectory(environment: ["XDG_DATA_HOME": "rel", "HOME": "/home/u"]),
                       "/home/u/.local/share/contact-importer/default")
    }
}

final class WorkspaceContactTests: WorkspaceTestCase {
    func testInsertGetAndUpdate() throws {
        let workspace = try openWorkspace()
        _ = try workspace.write { try $0.createField(name: "Birthday", type: .date, options: []) }
        let created = try workspace.write {
            try $0.insertContact(values: ["firstName": "Ana", "lastName": "García", "phone": "+34612345678",
                                          "email": "ana@example.com", "language": "es", "countryCode": "ES",
                                          "birthday": "1990-12-31", "tags": "ignored", "contactId": "77"],
                                 tags: ["VIP", " vip ", "Madrid", ""], now: Date(timeIntervalSince1970: 1_000.0004))
        }
        XCTAssertEqual(created.values["Birthday"], "1990-12-31", "custom values are keyed by the field's own name")
        XCTAssertNil(created.values["tags"])
        XCTAssertEqual(created.tags, ["VIP", "Madrid"])
        XCTAssertEqual(created.createdAt, Date(timeIntervalSince1970: 1_000))
        let fetched = try workspace.read { try $0.contact(id: created.id) }
        XCTAssertEqual(fetched, created)

        var changed = created
        changed.values["lastName"] = nil
        changed.values["email"] = "ana.garcia@example.com"
        changed.values["Birthday"] = nil
        changed.tags = ["Lisboa"]
        let later = Date(timeIntervalSince1970: 2_000)
        let updated = try workspace.write { try $0.updateContact(changed, now: later) }
        XCTAssertEqual(updated.values, ["firstName": "Ana", "phone": "+34612345678", "email": "ana.garcia@example.com",
                                        "language": "es", "countryCode": "ES"])
        XCTAssertEqual(updated.tags, ["Lisboa"])
        XCTAssertEqual(updated.createdAt, created.createdAt)
        XCTAssertEqual(updated.updatedAt, later)
        XCTAssertEqual(try workspace.read { try $0.contact(id: created.id) }, updated)
        XCTAssertEqual(try scalar("SELECT count(*) FROM custom_values"), 0)
    }

    func testUnknownContactAndUnknownField() throws {
        let workspace = try openWorkspace()
        XCTAssertNil(try workspace.read { try $0.contact(id: 42) })
        XCTAssertFalse(try workspace.read { try $0.contactExists(id: 42) })
        let ghost = Contact(id: 42, values: ["firstName": "Nobody"], tags: [], createdAt: Date(), updatedAt: Date())
        XCTAssertThrowsError(try workspace.write { try $0.updateContact(ghost, now: Date()) }) { error in
            XCTAssertEqual((error as? ContactNotFound)?.contactId, 42)
        }
        XCTAssertThrowsError(try insert(workspace, ["firstName": "A", "shoeSize": "42"])) { error in
            XCTAssertEqual((error as? WorkspaceError)?.kind, .invalid)
            XCTAssertTrue((error as? WorkspaceError)?.message(.spanish).contains("shoeSize") == true)
        }
        XCTAssertEqual(try workspace.read { try $0.contactCount() }, 0, "the failed insert rolled back")
    }

    func testDuplicatesAreAllowedAndLookupsReturnEveryMatch() throws {
        let workspace = try openWorkspace()
        let first = try insert(workspace, ["firstName": "A", "phone": "+5215512345678", "email": "a@example.com"])
        let second = try insert(workspace, ["firstName": "B", "phone": "+5215512345678", "email": "a@example.com"])
        let third = try insert(workspace, ["firstName": "C", "phone": "+5215500000000"])
        try workspace.read { transaction in
            XCTAssertEqual(try transaction.contactIDs(phone: "+5215512345678"), [first.id, second.id])
            XCTAssertEqual(try transaction.contactIDs(phone: "+5215500000000"), [third.id])
            XCTAssertEqual(try transaction.contactIDs(email: "a@example.com"), [first.id, second.id])
            XCTAssertEqual(try transaction.contactIDs(email: "nobody@example.com"), [])
            XCTAssertEqual(try transaction.contactIDs(phone: ""), [], "an empty identifier matches nothing")
            XCTAssertTrue(try transaction.contactExists(id: third.id))
        }
    }

    func testTagExistsIsCaseInsensitive() throws {
        let workspace = try openWorkspace()
        try insert(workspace, ["firstName": "A"], tags: ["import-20260101-120000", "Équipe"])
        try workspace.read { transaction in
            XCTAssertTrue(try transaction.tagExists("import-20260101-120000"))
            XCTAssertTrue(try transaction.tagExists("IMPORT-20260101-120000"))
            XCTAssertTrue(try transaction.tagExists("équipe"), "folding covers non-ASCII letters")
            XCTAssertFalse(try transaction.tagExists("import-20260101-120000-2"))
        }
    }

    func testWriteRollsBackWhenTheBodyThrows() throws {
        struct Abort: Error {}
        let workspace = try openWorkspace()
        try insert(workspace, ["firstName": "Kept"])
        XCTAssertThrowsError(try workspace.write { transaction in
            for index in 0..<100 { _ = try transaction.insertContact(values: ["firstName": "Gone \(index)"], tags: ["x"], now: Date()) }
            _ = try transaction.createField(name: "Gone", type: .text, options: [])
            throw Abort()
        }) { error in XCTAssertTrue(error is Abort, "the body's error is rethrown unchanged") }
        XCTAssertEqual(try workspace.read { try $0.contactCount() }, 1)
        XCTAssertEqual(try workspace.fields().count, BuiltinField.definitions.count)
        XCTAssertFalse(try workspace.read { try $0.tagExists("x") })
        // The connection is usable again afterwards.
        try insert(workspace, ["firstName": "After"])
        XCTAssertEqual(try workspace.read { try $0.contactCount() }, 2)
    }

    func testNestedWriteIsRefusedInsteadOfDeadlocking() throws {
        let workspace = try openWorkspace()
        XCTAssertThrowsError(try workspace.write { _ in try workspace.write { _ in 1 } }) { error in
            XCTAssertEqual((error as? WorkspaceError)?.kind, .invalid)
        }
    }

    func testTransactionCannotBeUsedAfterItsClosure() throws {
        let workspace = try openWorkspace()
        let escaped = try workspace.read { $0 }
        XCTAssertThrowsError(try escaped.contactCount())
    }

    func testManyThreadsReadAndWriteConcurrently() throws {
        let workspace = try openWorkspace()
        let failures = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: 16) { worker in
            do {
                for index in 0..<25 {
                    if worker % 2 == 0 {
                        _ = try workspace.write { try $0.insertContact(values: ["firstName": "W\(worker)-\(index)"], tags: [], now: Date()) }
                    } else {
                        _ = try workspace.read { try $0.contactCount() }
                    }
                }
            } catch {
                failures.increment()
            }
        }
        XCTAssertEqual(failures.value, 0)
        XCTAssertEqual(try workspace.read { try $0.contactCount() }, 8 * 25)
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

final class WorkspaceFieldTests: WorkspaceTestCase {
    func testBuiltinsThenCustomFieldsInCreationOrder() throws {
        let workspace = try openWorkspace()
        XCTAssertEqual(try workspace.fields(), BuiltinField.definitions)
        let zeta = try workspace.write { try $0.createField(name: " Zeta ", type: .number, options: []) }
        let plan = try workspace.write { try $0.createField(name: "Plan", type: .list, options: ["Gold", " Silver "]) }
        XCTAssertEqual(zeta.key, "Zeta")
        XCTAssertEqual(plan.options, ["Gold", "Silver"])
        XCTAssertFalse(plan.isBuiltin)
        let fields = try openWorkspace().fields()
        XCTAssertEqual(fields.map(\.key), BuiltinField.definitions.map(\.key) + ["Zeta", "Plan"])
        XCTAssertEqual(fields.last?.type, .list)
        XCTAssertEqual(fields.last?.options, ["Gold", "Silver"])
        XCTAssertEqual(try workspace.read { try $0.customField(named: "PLAN") }?.key, "Plan")
    }

    func testInvalidDefinitionsAreRefusedNamingTheParameter() throws {
        let workspace = try openWorkspace()
        _ = try workspace.write { try $0.createField(name: "Año de alta", type: .number, options: []) }
        let cases: [(String, FieldType, [String], String, String)] = [
            ("AÑO DE ALTA", .text, [], "nameTaken", "name"),
            ("   ", .text, [], "nameEmpty", "name"),
            ("E-mail", .text, [], "nameReserved", "name"),
            ("nombre", .text, [], "nameReserved", "name"),
            ("phone", .text, [], "nameReserved", "name"),
            ("Etiquetas", .text, [], "nameReserved", "name"),
            ("Score", .integer, [], "typeNotAllowed", "type"),
            ("Lang", .language, [], "typeNotAllowed", "type"),
            ("Plan", .list, [], "optionsRequired", "options"),
            ("Plan", .list, ["Gold", "gold"], "optionDuplicate", "options"),
            ("Plan", .list, ["Gold", " "], "optionEmpty", "options"),
            ("Notes", .text, ["a"], "optionsNotAllowed", "options"),
            (String(repeating: "x", count: 101), .text, [], "nameTooLong", "name"),
        ]
        for (name, type, options, code, parameter) in cases {
            XCTAssertThrowsError(try workspace.write { try $0.createField(name: name, type: type, options: options) }, name) { error in
                let problem = error as? FieldDefinitionProblem
                XCTAssertEqual(problem?.code, code, name)
                XCTAssertEqual(problem?.parameter, parameter, name)
                XCTAssertNotEqual(problem?.message(.english), problem?.message(.spanish))
            }
        }
        XCTAssertEqual(try workspace.fields().count, BuiltinField.definitions.count + 1)
    }

    func testCustomValuesAreFoundByNameCaseInsensitively() throws {
        let workspace = try openWorkspace()
        _ = try workspace.write { try $0.createField(name: "Plan", type: .list, options: ["Gold"]) }
        let contact = try insert(workspace, ["firstName": "A", "plan": "Gold"])
        XCTAssertEqual(contact.values["Plan"], "Gold")
        XCTAssertEqual(try workspace.read { try $0.contact(id: contact.id) }?.values["Plan"], "Gold")
    }
}
