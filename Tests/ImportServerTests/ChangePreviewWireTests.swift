import Foundation
import JSONRPC
import TestSupport
import XCTest

/// `import/rows` shows each update as before → after, with the commit's own overwrite rules,
/// and `import/review` counts the updates that change nothing (protocol/README.md §7.5).
final class ChangePreviewWireTests: XCTestCase {
    private let header = "Nombre,Apellido,Teléfono,Correo,Etiquetas\n"
    private let existing: [(values: [String: String], tags: [String])] = [
        (["firstName": "Ana", "lastName": "Ruiz", "phone": "+34612345671", "email": "ana@example.com"], ["vip", "feria"]),
        (["firstName": "Luis", "phone": "+34612345672"], ["cliente"]),
    ]

    private func updateRows(_ wire: ImportWire, _ session: String, _ review: JSONValue) throws -> [JSONValue] {
        let page = try wire.client.request("import/rows", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null,
                                                           "action": "update"])
        return page["rows"]?.arrayValue ?? []
    }

    func testAnUpdateShowsEachFieldFromBeforeToAfter() throws {
        let wire = try ImportWire(contacts: existing)
        let session = try wire.open(header + "Ana,Ruiz Gil,+34612345671,,\n")
        let review = try wire.review(session, "updateExisting", mapping: [mapped(0, "firstName"), mapped(1, "lastName"),
                                                                         mapped(2, "phone"), mapped(3, "email")],
                                     extra: ["importTag": false])
        let rows = try updateRows(wire, session, review)
        XCTAssertEqual(rows.first?["changes"], [
            ["field": "lastName", "from": "Ruiz", "to": "Ruiz Gil"],
            ["field": "email", "from": "ana@example.com", "to": .null],
        ], "an empty cell with overwrite clears the stored value")
        XCTAssertEqual(review["counts"]?["unchanged"], 0)
    }

    func testDontOverwriteKeepsAStoredValueAndShowsNoChangeForIt() throws {
        let wire = try ImportWire(contacts: existing)
        let session = try wire.open(header + "Ana,Otro,+34612345671,,\nLuis,Gil,+34612345672,,\n")
        let review = try wire.review(session, "updateExisting",
                                     mapping: [mapped(0, "firstName"), mapped(1, "lastName", overwrite: false),
                                               mapped(2, "phone"), mapped(3, "email", overwrite: false)],
                                     extra: ["importTag": false])
        let rows = try updateRows(wire, session, review)
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0]["changes"], [], "Ana keeps her last name and e-mail: nothing changes")
        XCTAssertEqual(rows[1]["changes"], [["field": "lastName", "from": .null, "to": "Gil"]], "an empty stored value is filled")
        XCTAssertEqual(review["counts"]?["unchanged"], 1)
        // What the preview says is what the commit does.
        _ = try wire.commit(session, review)
        XCTAssertEqual(try wire.contact(phone: "+34612345671")?.values["lastName"], "Ruiz")
        XCTAssertEqual(try wire.contact(phone: "+34612345672")?.values["lastName"], "Gil")
    }

    func testTagsAddedAndRemovedAreListed() throws {
        let wire = try ImportWire(contacts: existing)
        let session = try wire.open(header + "Ana,,+34612345671,,VIP; nuevo\nLuis,,+34612345672,,nuevo\n")
        let replace = try wire.review(session, "updateExisting", mapping: [mapped(2, "phone"), mapped(4, "tags")],
                                      extra: ["importTag": false, "tags": ["feria-2026"]])
        let replaced = try updateRows(wire, session, replace)
        XCTAssertEqual(replaced[0]["changes"], [["field": "tags", "added": ["nuevo", "feria-2026"], "removed": ["feria"]]],
                       "a tags column with overwrite replaces the tags; tags compare ignoring case")
        let keep = try wire.review(session, "updateExisting", mapping: [mapped(2, "phone"), mapped(4, "tags", overwrite: false)],
                                   extra: ["importTag": false])
        let kept = try updateRows(wire, session, keep)
        XCTAssertEqual(kept[0]["changes"], [["field": "tags", "added": ["nuevo"], "removed": []]], "without overwrite tags are only added")
        XCTAssertEqual(kept[1]["changes"], [["field": "tags", "added": ["nuevo"], "removed": []]])
        XCTAssertEqual(keep["counts"]?["unchanged"], 0)
    }

    func testAnUpdateThatChangesNothingIsCountedUnchanged() throws {
        let wire = try ImportWire(contacts: existing)
        let session = try wire.open(header + "Ana,Ruiz,+34612345671,ana@example.com,\nLuis,,+34612345672,,\n")
        let review = try wire.review(session, "addAndUpdate", mapping: [mapped(0, "firstName"), mapped(1, "lastName"),
                                                                       mapped(2, "phone"), mapped(3, "email")])
        XCTAssertEqual(review["counts"]?["update"], 2)
        XCTAssertEqual(review["counts"]?["unchanged"], 2, "the import's own tag is not a change of the contact's data")
        let rows = try updateRows(wire, session, review)
        XCTAssertEqual(rows.map { $0["changes"] }, [[], []])
    }
}
