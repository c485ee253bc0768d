import XCTest
import Foundation
import JSONRPC
import TestSupport
import Workspace

/// The Contacts API (protocol/README.md §6) over the real `contact-importd` binary.
final class ContactMethodsTests: XCTestCase {
    private func started(locale: String = "en", arguments: [String] = []) throws -> WireClient {
        let client = try WireClient(arguments: arguments)
        try client.initialize(locale: locale)
        return client
    }

    private func sharing(_ other: WireClient, locale: String = "en", arguments: [String] = []) throws -> WireClient {
        let client = try WireClient(arguments: arguments + other.workspaceArguments)
        try client.initialize(locale: locale)
        return client
    }

    private func createContact(_ client: WireClient, _ params: JSONValue) throws -> JSONValue {
        try client.request("contacts/create", params)
    }

    // MARK: fields

    func testFieldsListBuiltinsInTheClientsLanguageThenCustomFields() throws {
        let client = try started(locale: "es")
        let fields = try XCTUnwrap(client.request("fields/list")["fields"]?.arrayValue)
        XCTAssertEqual(fields.compactMap { $0["key"]?.stringValue },
                       ["contactId", "firstName", "lastName", "phone", "email", "language", "countryCode", "tags"])
        XCTAssertEqual(fields[1], ["key": "firstName", "label": "Nombre", "type": "text", "builtin": true])
        XCTAssertEqual(fields[3]["type"], "phone")

        let plan = try client.request("fields/create", ["name": "Plan", "type": "list", "options": ["Oro", "Plata"]])
        XCTAssertEqual(plan, ["key": "Plan", "label": "Plan", "type": "list", "builtin": false, "options": ["Oro", "Plata"]])
        _ = try client.request("fields/create", ["name": "Alta", "type": "date"])
        let after = try XCTUnwrap(client.request("fields/list")["fields"]?.arrayValue)
        XCTAssertEqual(after.suffix(2).compactMap { $0["key"]?.stringValue }, ["Plan", "Alta"])
        XCTAssertNil(after.last?["options"], "only list fields carry options")
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testFieldsCreateRefusesBadDefinitionsNamingTheParameter() throws {
        let client = try started()
        _ = try client.request("fields/create", ["name": "Plan", "type": "text"])
        let cases: [(JSONValue, String, String?)] = [
            (["name": "PLAN", "type": "text"], "name", "nameTaken"),
            (["name": "E-mail", "type": "text"], "name", "nameReserved"),
            (["name": "Level", "type": "list"], "options", "optionsRequired"),
            (["name": "Level", "type": "list", "options": []], "options", "optionsRequired"),
            (["name": "Score", "type": "integer"], "type", "typeNotAllowed"),
            (["name": "Score", "type": "float"], "type", nil),
            (["type": "text"], "name", nil),
            (["name": "Score", "type": "text", "options": "a"], "options", nil),
        ]
        for (params, field, code) in cases {
            let error = try client.requestError("fields/create", params)
            XCTAssertEqual(error.code, ErrorCode.invalidParams, "\(params)")
            XCTAssertEqual(error.data?["field"]?.stringValue, field, "\(params)")
            if let code { XCTAssertEqual(error.data?["code"]?.stringValue, code, "\(params)") }
            XCTAssertFalse(error.message.isEmpty)
        }
        XCTAssertEqual(try client.request("fields/list")["fields"]?.arrayValue?.count, 9)
    }

    // MARK: contacts

    func testCreateGetAndUpdateStoreCanonicalValues() throws {
        let client = try started()
        _ = try client.request("fields/create", ["name": "Plan", "type": "list", "options": ["Gold", "Silver"]])
        _ = try client.request("fields/create", ["name": "Vip", "type": "checkbox"])
        let created = try createContact(client, [
            "firstName": " Ana ", "lastName": "García", "phone": "+34 612 34 56 78", "email": " Ana.Garcia@Example.COM ",
            "language": "Español", "countryCode": "España", "tags": ["Clientes", "clientes", "Madrid"],
            "custom": ["plan": "gold"], "Vip": true,
        ])
        let id = try XCTUnwrap(created["contactId"]?.intValue)
        XCTAssertEqual(created["firstName"], "Ana")
        XCTAssertEqual(created["phone"], "+34612345678")
        XCTAssertEqual(created["email"], "ana.garcia@example.com")
        XCTAssertEqual(created["language"], "es")
        XCTAssertEqual(created["countryCode"], "ES")
        XCTAssertEqual(created["tags"], ["Clientes", "Madrid"])
        XCTAssertEqual(created["custom"], ["Plan": "Gold", "Vip": "true"])
        XCTAssertNotNil(created["createdAt"]?.stringValue)
        XCTAssertEqual(created["createdAt"], created["updatedAt"])

        XCTAssertEqual(try client.request("contacts/get", ["contactId": .int(id)]), created)

        let updated = try client.request("contacts/update", [
            "contactId": .int(id), "lastName": nil, "email": "ana@example.org", "tags": "Lisboa, Porto", "custom": ["Plan": ""],
        ])
        XCTAssertEqual(updated["lastName"], .null, "null clears a field")
        XCTAssertEqual(updated["email"], "ana@example.org")
        XCTAssertEqual(updated["phone"], "+34612345678", "fields not named are kept")
        XCTAssertEqual(updated["tags"], ["Lisboa", "Porto"])
        XCTAssertEqual(updated["custom"], ["Plan": .null, "Vip": "true"])
        XCTAssertEqual(updated["createdAt"], created["createdAt"])
        XCTAssertEqual(try client.request("contacts/get", ["contactId": .int(id)]), updated)
    }

    func testAddAndDeleteTags() throws {
        let client = try started()
        let id = try XCTUnwrap(createContact(client, ["firstName": "Luis", "tags": ["A"]])["contactId"]?.intValue)
        let added = try client.request("contacts/addTags", ["contactId": .int(id), "tags": ["b", "a", "C"]])
        XCTAssertEqual(added["tags"], ["A", "b", "C"], "case-insensitive duplicates are not added twice")
        let deleted = try client.request("contacts/deleteTags", ["contactId": .int(id), "tags": ["B", "zzz"]])
        XCTAssertEqual(deleted["tags"], ["A", "C"])
        XCTAssertEqual(try client.request("contacts/get", ["contactId": .int(id)])["tags"], ["A", "C"])
        XCTAssertEqual(try client.requestError("contacts/addTags", ["contactId": .int(id)]).code, ErrorCode.invalidParams)
    }

    func testInvalidValuesAreRefusedNamingEveryOffendingField() throws {
        let client = try started(locale: "es")
        let error = try client.requestError("contacts/create", [
            "firstName": "Ana", "phone": "6.01E+10", "email": "ana@@example", "language": "klingon-ish",
        ])
        XCTAssertEqual(error.code, ErrorCode.invalidParams)
        let fields = error.data?["problems"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
        XCTAssertEqual(fields, ["email", "language", "phone"])
        XCTAssertTrue(error.message.hasPrefix("Valores no válidos:"), error.message)
        XCTAssertTrue(error.message.contains("phone"))

        let missingName = try client.requestError("contacts/create", ["lastName": "Solo"])
        XCTAssertEqual(missingName.code, ErrorCode.invalidParams)
        XCTAssertEqual(missingName.data?["field"]?.stringValue, "firstName")

        let unknown = try client.requestError("contacts/create", ["firstName": "A", "shoeSize": "42"])
        XCTAssertEqual(unknown.code, ErrorCode.invalidParams)
        XCTAssertEqual(unknown.data?["field"]?.stringValue, "shoeSize")

        let withID = try client.requestError("contacts/create", ["firstName": "A", "contactId": 5])
        XCTAssertEqual(withID.data?["field"]?.stringValue, "contactId")

        let wrongType = try client.requestError("contacts/create", ["firstName": ["A"]])
        XCTAssertEqual(wrongType.data?["field"]?.stringValue, "firstName")
        XCTAssertEqual(try client.request("contacts/find", ["email": "ana@example.com"])["contacts"], [], "nothing was stored")
    }

    func testUnknownContactIsNotFound() throws {
        let client = try started()
        for (method, params) in [("contacts/get", ["contactId": 999] as JSONValue),
                                 ("contacts/update", ["contactId": 999, "firstName": "X"]),
                                 ("contacts/addTags", ["contactId": 999, "tags": ["x"]]),
                                 ("contacts/deleteTags", ["contactId": 999, "tags": ["x"]])] {
            let error = try client.requestError(method, params)
            XCTAssertEqual(error.code, ErrorCode.notFound, method)
            XCTAssertEqual(error.data?["contactId"], 999, method)
        }
        XCTAssertEqual(try client.requestError("contacts/get", ["contactId": "7"]).code, ErrorCode.invalidParams)
        XCTAssertEqual(try client.requestError("contacts/get", [:]).code, ErrorCode.invalidParams)
    }

    func testFindCanonicalizesThenMatchesEveryDuplicate() throws {
        let client = try started()
        let first = try createContact(client, ["firstName": "A", "phone": "+52 1 55 1234 5678", "email": "dup@example.com"])
        let second = try createContact(client, ["firstName": "B", "phone": "+525512345678", "email": "DUP@example.com"])
        XCTAssertNotEqual(first["contactId"], second["contactId"], "contacts/create does not refuse duplicates")

        let byEmail = try client.request("contacts/find", ["email": "  Dup@Example.com "])["contacts"]?.arrayValue
        XCTAssertEqual(byEmail?.compactMap { $0["contactId"] }, [first["contactId"], second["contactId"]].compactMap { $0 })
        let phone = try XCTUnwrap(first["phone"]?.stringValue)
        let byPhone = try client.request("contacts/find", ["phone": .string(phone)])["contacts"]?.arrayValue
        XCTAssertEqual(byPhone?.first, first)
        let national = try client.request("contacts/find", ["phone": "612 34 56 78", "defaultCountry": "ES"])
        XCTAssertEqual(national["contacts"], [])

        XCTAssertEqual(try client.requestError("contacts/find", ["phone": "1", "email": "a@b.co"]).code, ErrorCode.invalidParams)
        XCTAssertEqual(try client.requestError("contacts/find", [:]).code, ErrorCode.invalidParams)
        let bad = try client.requestError("contacts/find", ["email": "not an email"])
        XCTAssertEqual(bad.code, ErrorCode.invalidParams)
        XCTAssertEqual(bad.data?["field"], "email")
    }

    // MARK: several processes

    func testTwoProcessesShareOneWorkspace() throws {
        let first = try started()
        let second = try sharing(first)
        let created = try createContact(first, ["firstName": "Shared", "email": "shared@example.com"])
        XCTAssertEqual(try second.request("contacts/get", ["contactId": created["contactId"] ?? .null]), created)
        _ = try second.request("fields/create", ["name": "Origin", "type": "text"])
        let fieldKeys = try first.request("fields/list")["fields"]?.arrayValue?.compactMap { $0["key"]?.stringValue }
        XCTAssertEqual(fieldKeys?.last, "Origin")
        let updated = try first.request("contacts/update", ["contactId": created["contactId"] ?? .null, "Origin": "web"])
        XCTAssertEqual(try second.request("contacts/get", ["contactId": created["contactId"] ?? .null]), updated)
        XCTAssertEqual(try first.shutdownAndExit(), 0)
        XCTAssertEqual(try second.shutdownAndExit(), 0)
    }

    func testDaemonKilledInTheMiddleOfALargeWriteLeavesTheWorkspaceAsBefore() throws {
        let writer = try started(arguments: ["--enable-test-methods"])
        let old = try createContact(writer, ["firstName": "Old", "phone": "+34612345678", "tags": ["old"]])
        let observer = try sharing(writer, locale: "es", arguments: ["--enable-test-methods"])

        _ = try writer.sendRequest("$/test/holdWrite", ["count": 120_000, "claimJob": true])
        let held = try writer.waitForNotification("$/test/writeHeld", timeout: 180)
        let jobID = try XCTUnwrap(held["jobId"]?.intValue)

        // While the write is open, readers in other processes see the old state only...
        XCTAssertEqual(try observer.request("contacts/get", ["contactId": old["contactId"] ?? .null]), old)
        XCTAssertEqual(try observer.request("contacts/find", ["phone": "+12122000000"])["contacts"], [])
        // ...a second import is refused naming the running job...
        let busy = try observer.requestError("$/test/holdWrite", ["count": 0, "claimJob": true])
        XCTAssertEqual(busy.code, ErrorCode.importInProgress)
        XCTAssertEqual(busy.data?["jobId"]?.intValue, jobID)
        // ...an invalid request is answered at once, without waiting for the write lock...
        let started = Date()
        XCTAssertEqual(try observer.requestError("contacts/create", ["lastName": "Nameless"]).code, ErrorCode.invalidParams)
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
        // ...and a writer that cannot get in gets a clear WorkspaceError, not a raw SQLite message.
        let locked = try observer.requestError("contacts/create", ["firstName": "Blocked"], timeout: 60)
        XCTAssertEqual(locked.code, ErrorCode.workspaceError)
        XCTAssertEqual(locked.data?["reason"], "locked", "data.reason, as every 1007")
        XCTAssertTrue(locked.message.contains("ocupado"), locked.message)

        let pid = try XCTUnwrap(writer.connection.processIdentifier)
        XCTAssertEqual(kill(pid, SIGKILL), 0)
        _ = writer.waitForExit(timeout: 30)

        // A new daemon opens the workspace cleanly: old data intact, none of the killed write.
        let reopened = try sharing(writer)
        XCTAssertEqual(try reopened.request("contacts/get", ["contactId": old["contactId"] ?? .null]), old)
        XCTAssertEqual(try reopened.request("contacts/find", ["phone": "+12122000000"])["contacts"], [])
        let next = try createContact(reopened, ["firstName": "After"])
        if TestEngine.current == .sqlite {
            XCTAssertEqual(next["contactId"]?.intValue, (old["contactId"]?.intValue ?? 0) + 1)
        } else {
            // PostgreSQL's sequences do not roll back: the killed write's ids stay unused, never reused.
            XCTAssertGreaterThan(next["contactId"]?.intValue ?? 0, (old["contactId"]?.intValue ?? 0) + 1)
        }

        // The killed process's job is marked interrupted.
        let workspace = try WorkspaceProbe(writer)
        XCTAssertEqual(try workspace.job(id: Int64(jobID))?.state, .interrupted)
        XCTAssertEqual(try workspace.read { try $0.contactCount() }, 2)
        XCTAssertEqual(try observer.shutdownAndExit(), 0)
        XCTAssertEqual(try reopened.shutdownAndExit(), 0)
    }

    /// protocol/transcripts/contacts.jsonl: the whole Contacts API in Spanish, as documentation
    /// that is checked (TranscriptTests replays every transcript too).
    func testContactsTranscriptReplays() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let report = try TranscriptReplayer(daemonPath: DaemonLocator.daemonPath())
            .replay(file: root.appendingPathComponent("protocol/transcripts/contacts.jsonl").path)
        XCTAssertTrue(report.passed, report.diff)
        XCTAssertGreaterThan(report.comparedMessages, 15)
    }

    func testAWorkspaceThatCannotBeOpenedFailsInitializeWithWorkspaceError() throws {
        let directory = try TemporaryDirectory(prefix: "contact-methods")
        let blocker = try directory.write("blocker", "not a folder")
        let client = try WireClient(arguments: ["--workspace", blocker + "/ws"])
        let error = try client.requestError("initialize", ["locale": "es"])
        XCTAssertEqual(error.code, ErrorCode.workspaceError)
        XCTAssertFalse(error.message.isEmpty)
    }
}
