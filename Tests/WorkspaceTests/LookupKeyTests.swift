import XCTest
import Foundation
import Contacts
@testable import Workspace

/// Phones and e-mails are indexed by integer keys (`LookupKeys`, schema 6): every write that
/// stores one stores its key, and a lookup finds exactly the contacts whose text is the value.
final class LookupKeyTests: WorkspaceTestCase {
    func testACanonicalPhoneIsItsDigitsAndAnythingElseANegativeHash() {
        XCTAssertEqual(LookupKeys.phone("+34612345678"), 34_612_345_678)
        XCTAssertEqual(LookupKeys.phone("+1"), 1)
        XCTAssertEqual(LookupKeys.phone("+999999999999999999"), 999_999_999_999_999_999)
        for other in ["34612345678", "+034612345678", "+34 612 345 678", "+", "+1234567890123456789", "+3461234567a", "ana@example.com"] {
            XCTAssertLessThan(LookupKeys.phone(other), 0, other)
            XCTAssertFalse(LookupKeys.isExactPhoneKey(LookupKeys.phone(other)), other)
        }
        XCTAssertNotEqual(LookupKeys.phone("+34 612"), LookupKeys.phone("+34 613"))
    }

    func testEmailKeysAreStableAndSpread() {
        XCTAssertEqual(LookupKeys.email("ana@example.com"), LookupKeys.email("ana@example.com"))
        var seen = Set<Int64>()
        for index in 0..<20_000 { seen.insert(LookupKeys.email("user\(index)@example.com")) }
        XCTAssertEqual(seen.count, 20_000)
        XCTAssertTrue(seen.contains { $0 < 0 } && seen.contains { $0 > 0 }, "the whole range, not one corner of it")
    }

    func testEveryWriteKeepsTheKeysAndLookupsFollowTheText() throws {
        let workspace = try openWorkspace()
        let ana = try insert(workspace, ["firstName": "Ana", "phone": "+34612345678", "email": "ana@example.com"])
        let odd = try insert(workspace, ["firstName": "Odd", "phone": "612 34 56 78"])
        XCTAssertEqual(try workspace.integrityCheck(), "ok")
        XCTAssertEqual(try workspace.read { try $0.contactIDs(phone: "+34612345678") }, [ana.id])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(email: "ana@example.com") }, [ana.id])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(phone: "612 34 56 78") }, [odd.id], "text that is not E.164 is compared as text")
        XCTAssertEqual(try workspace.read { try $0.contactIDs(phone: "+612345678") }, [])

        var changed = ana
        changed.values["phone"] = "+34699999999"
        changed.values["email"] = nil
        _ = try workspace.write { try $0.updateContact(changed, now: Date()) }
        XCTAssertEqual(try workspace.integrityCheck(), "ok")
        XCTAssertEqual(try workspace.read { try $0.contactIDs(phone: "+34612345678") }, [])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(phone: "+34699999999") }, [ana.id])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(email: "ana@example.com") }, [])

        // An import's adds and updates, with and without "don't overwrite".
        let columns = [ImportColumn(key: "phone", type: .phone, overwrite: true),
                       ImportColumn(key: "email", type: .email, overwrite: false)]
        let rows: [FieldValue] = [.text("+34699999999"), .text("nueva@example.com"),
                                  .text("+5491155551234"), .text("luis@example.com")]
        try workspace.write(checkingForeignKeys: false) { tx in
            let writer = try ImportWriter(transaction: tx, columns: columns, values: rows, unchangedKey: nil,
                                          extraTags: [], now: Date())
            try writer.update(id: ana.id, row: 0)
            try writer.update(id: odd.id, row: 1)
            try writer.finish()
        }
        XCTAssertEqual(try workspace.integrityCheck(), "ok")
        XCTAssertEqual(try workspace.read { try $0.contactIDs(email: "nueva@example.com") }, [ana.id], "an empty e-mail is filled")
        XCTAssertEqual(try workspace.read { try $0.contactIDs(phone: "+5491155551234") }, [odd.id])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(phone: "612 34 56 78") }, [])
        var found: [Int: [Int64]] = [:]
        try workspace.read { tx in
            try tx.eachContactID(matching: ["+5491155551234", "", "+34699999999", "nadie", "+34699999999"], byEmail: false) {
                found[$0, default: []].append($1)
            }
        }
        XCTAssertEqual(found, [0: [odd.id], 2: [ana.id], 4: [ana.id]])
        found = [:]
        try workspace.read { tx in
            try tx.eachContactID(matching: ["luis@example.com", "nueva@example.com"], byEmail: true) { found[$0, default: []].append($1) }
        }
        XCTAssertEqual(found, [0: [odd.id], 1: [ana.id]])
    }

    func testAFileOfSchemaFiveGetsItsKeysWhenOpened() throws {
        try writeOldWorkspace(schema: 5, """
            INSERT INTO contacts (id, first_name, phone, email, created_at, updated_at) VALUES
                (1, 'Ana', '+34612345678', 'ana@example.com', 0, 0), (2, 'Luis', NULL, 'luis@example.com', 0, 0),
                (3, 'Eva', '+34612345678', NULL, 0, 0), (4, 'Sin datos', NULL, NULL, 0, 0);
            """)
        let workspace = try openWorkspace()
        XCTAssertEqual(try scalar("PRAGMA user_version"), Schema.currentVersion)
        XCTAssertEqual(try workspace.integrityCheck(), "ok")
        XCTAssertEqual(try workspace.read { try $0.contactIDs(phone: "+34612345678") }, [1, 3])
        XCTAssertEqual(try workspace.read { try $0.contactIDs(email: "luis@example.com") }, [2])
        XCTAssertEqual(try scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('contacts_phone', 'contacts_email')"), 0)
    }
}
