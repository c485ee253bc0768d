import XCTest
import Foundation
import JSONRPC
import TestSupport
@testable import Workspace

/// A workspace written by an earlier version, opened by this daemon over the wire.
final class SchemaUpgradeWireTests: XCTestCase {
    func testAWorkspaceWithTagsAsRowsKeepsEveryContactsTagsInOrder() throws {
        try requireSQLite("a SQLite file written at schema 4")
        let directory = try oldWorkspace(schema: 4, """
            INSERT INTO contacts (id, first_name, phone, created_at, updated_at)
                VALUES (1, 'Ana', '+34612345678', 0, 0), (2, 'Luis', NULL, 0, 0);
            INSERT INTO contact_tags (contact_id, tag_key, tag, position) VALUES
                (1, 'vip', 'VIP', 3), (1, 'clientes', 'Clientes', 0), (1, 'méxico', 'México', 7);
            """)
        let client = try WireClient(arguments: ["--workspace", directory.path])
        try client.initialize()
        XCTAssertEqual(try client.request("contacts/get", ["contactId": 1])["tags"], ["Clientes", "VIP", "México"])
        XCTAssertEqual(try client.request("contacts/get", ["contactId": 2])["tags"], [])
        let added = try client.request("contacts/addTags", ["contactId": 1, "tags": ["vip", "Nuevo"]])
        XCTAssertEqual(added["tags"], ["Clientes", "VIP", "México", "Nuevo"], "one per key, after the ones it had")

        // An import that keeps the tags adds its own after them.
        let file = try directory.write("clientes.csv", "Teléfono,Etiquetas\n+34 612 34 56 78,\"méxico, Madrid\"\n")
        let opened = try client.request("import/open", ["uri": .string(URL(fileURLWithPath: file).absoluteString)])
        let review = try client.request("import/review", [
            "sessionId": opened["sessionId"] ?? .null, "purpose": "updateExisting", "identifier": "phone",
            "mapping": [["column": 0, "field": "phone"], ["column": 1, "field": "tags", "overwrite": false]],
            "importTag": false,
        ])
        XCTAssertEqual(review["counts"]?["update"], 1)
        _ = try client.request("import/commit", ["sessionId": opened["sessionId"] ?? .null, "reviewId": review["reviewId"] ?? .null])
        XCTAssertEqual(try client.request("contacts/get", ["contactId": 1])["tags"], ["Clientes", "VIP", "México", "Nuevo", "Madrid"])
    }

    /// Schema 5 indexed the text of phones and e-mails; 6 indexes their keys. Contacts of an
    /// upgraded file are matched by both, through a real daemon.
    func testAWorkspaceOfSchemaFiveMatchesItsContactsByPhoneAndEmail() throws {
        try requireSQLite("a SQLite file written at schema 5")
        let directory = try oldWorkspace(schema: 5, """
            INSERT INTO contacts (id, first_name, phone, email, created_at, updated_at)
                VALUES (1, 'Ana', '+34612345678', 'ana@example.com', 0, 0), (2, 'Luis', '+34699887766', NULL, 0, 0);
            """)
        let client = try WireClient(arguments: ["--workspace", directory.path])
        try client.initialize()
        func review(_ csv: String, identifier: String) throws -> JSONValue {
            let file = try directory.write("clientes-\(identifier).csv", csv)
            let opened = try client.request("import/open", ["uri": .string(URL(fileURLWithPath: file).absoluteString)])
            return try client.request("import/review", [
                "sessionId": opened["sessionId"] ?? .null, "purpose": "updateExisting", "identifier": .string(identifier),
                "mapping": [["column": 0, "field": .string(identifier)], ["column": 1, "field": "lastName"]],
                "importTag": false,
            ])
        }
        let byEmail = try review("Correo,Apellido\nANA@Example.com,Ruiz\nnadie@example.com,Gil\n", identifier: "email")
        XCTAssertEqual(byEmail["counts"]?["update"], 1)
        XCTAssertEqual(byEmail["counts"]?["skip"], 1, "an e-mail no contact has")
        let byPhone = try review("Teléfono,Apellido\n+34 699 88 77 66,Gil\n+34-612-345-678,Ruiz\n", identifier: "phone")
        XCTAssertEqual(byPhone["counts"]?["update"], 2, "both phones, written with spaces and dashes")
    }

    /// A workspace folder whose database an earlier version left: its first `schema`
    /// migrations, marked as such, then `sql` (its rows).
    private func oldWorkspace(schema: Int, _ sql: String) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let old = try Connection(path: directory.file("contacts.sqlite"), busyTimeout: 5, readOnlyQueries: false)
        for migration in Schema.migrations.prefix(schema) { try old.execute(migration) }
        try old.execute("PRAGMA user_version = \(schema);\n" + sql)
        return directory
    }
}
