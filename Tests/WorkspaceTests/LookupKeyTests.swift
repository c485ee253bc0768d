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

    /// The path of a large commit: stored values read first (`currentValues`), and an update
    /// assigns only the indexed columns it changes; each keeps its key right.
    func testUpdatesGivenTheStoredValuesAssignTheIndexedColumnsTheyChange() throws {
        let workspace = try openWorkspace()
        let same = try insert(workspace, ["firstName": "Ana", "phone": "+34612345678", "email": "ana@example.com"])
        let moved = try insert(workspace, ["firstName": "Luis", "phone": "+34622222222", "email": "luis@example.com"])
        let cleared = try insert(workspace, ["firstName": "Eva", "phone": "+34633333333", "email": "eva@example.com"])
        let kept = try insert(workspace, ["firstName": "Leo", "phone": "+34644444444", "email": "leo@example.com"])
        let filled = try insert(workspace, ["firstName": "Sol", "phone": "+34655555555", "email": ""])
        let columns = [ImportColumn(key: "firstName", type: .text, overwrite: true),
                       ImportColumn(key: "phone", type: .phone, overwrite: true),
                       ImportColumn(key: "email", type: .email, overwrite: true)]
        let keeping = [columns[0], columns[1], ImportColumn(key: "email", type: .email, overwrite: false)]
        let rows: [FieldValue] = [
            .text("Ana B"), .text("+34612345678"), .text("ana@example.com"),
            .text("Luis B"), .text("+34622222222"), .text("luis.nuevo@example.com"),
            .text("Eva B"), .text("+34633333399"), .empty,
        ]
        try workspace.write(checkingForeignKeys: false) { tx in
            let writer = try ImportWriter(transaction: tx, columns: columns, values: rows, unchangedKey: nil, extraTags: [], now: Date())
            let current = try writer.currentValues([same.id, moved.id, cleared.id])
            for (row, id) in [same.id, moved.id, cleared.id].enumerated() {
                try writer.update(id: id, row: row, current: current[id])
            }
            try writer.finish()
        }
        let keepingRows: [FieldValue] = [
            .text("Leo B"), .text("+34644444444"), .text("otro@example.com"),
            .text("Sol B"), .text("+34655555555"), .text("sol@example.com"),
        ]
        try workspace.write(checkingForeignKeys: false) { tx in
            let writer = try ImportWriter(transaction: tx, columns: keeping, values: keepingRows, unchangedKey: nil, extraTags: [], now: Date())
            let current = try writer.currentValues([kept.id, filled.id])
            try writer.update(id: kept.id, row: 0, current: current[kept.id])
            try writer.update(id: filled.id, row: 1, current: current[filled.id])
            try writer.finish()
        }
        XCTAssertEqual(try workspace.integrityCheck(), "ok")
        let lookups: [(String, Bool, [Int64])] = [
            ("ana@example.com", true, [same.id]), ("+34612345678", false, [same.id]),
            ("luis@example.com", true, []), ("luis.nuevo@example.com", true, [moved.id]),
            ("eva@example.com", true, []), ("+34633333333", false, []), ("+34633333399", false, [cleared.id]),
            ("leo@example.com", true, [kept.id]), ("otro@example.com", true, []),
            ("sol@example.com", true, [filled.id]),
        ]
        for (value, byEmail, ids) in lookups {
            let found = try workspace.read { byEmail ? try $0.contactIDs(email: value) : try $0.contactIDs(phone: value) }
            XCTAssertEqual(found, ids, value)
        }
        XCTAssertNil(try workspace.read { try $0.contact(id: cleared.id) }?.values["email"], "an empty cell with overwrite clears")
        XCTAssertEqual(try workspace.read { try $0.contact(id: same.id) }?.values["firstName"], "Ana B")
    }

    func testTheRadixOrderIsTheStableOrderOfTheKeys() {
        var generator = SystemRandomNumberGenerator()
        let pools: [[Int64]] = [[], [7], [Int64.min, Int64.max, 0, -1, 1, Int64.min, Int64.max]]
        var cases = pools
        for count in [2, 100, 70_000] {
            cases.append((0..<count).map { _ in Int64.random(in: Int64.min...Int64.max, using: &generator) })
            cases.append((0..<count).map { _ in Int64.random(in: -3...3, using: &generator) })
            cases.append((0..<count).map { _ in Int64.random(in: 0...1 << 40, using: &generator) << 8 })
        }
        for keys in cases {
            let expected = keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }.map { Int32($0) }
            XCTAssertEqual(LookupKeys.indexOrder(keys), expected, "\(keys.count) keys")
        }
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
