import Foundation
import XCTest
import Contacts
import TestSupport
import Workspace
@testable import Importer

/// `ChangePreview.unchangedRows` (bytes, `StoredFields`) against what it stands for: the rows
/// whose `ChangePreview.changes` against the whole contact is empty.
final class UnchangedRowsTests: XCTestCase {
    /// Spellings that are equal bytes, equal only canonically (NFC/NFD, the Kelvin sign), or
    /// equal only ignoring case (tags), next to empty values and plain differences.
    static let texts = ["", "Ana", "ana", "K", "\u{212A}", "Jos\u{E9}", "Jose\u{301}", "Zo\u{EB} M\u{FC}ller", "x"]
    static let tags = ["vip", "VIP", " vip ", "Amigos", "amigos", "\u{C9}lite", "E\u{301}lite", "stra\u{DF}e", "z"]

    func testUnchangedRowsAreTheRowsWhoseChangesAreEmpty() throws {
        let fixture = try ReviewFixture()
        let company = try fixture.workspace.write { try $0.createField(name: "Empresa", type: .text, options: []) }
        var random = SplitMix64(seed: 13)
        func pick<T>(_ list: [T]) -> T { list[Int(random.next() % UInt64(list.count))] }
        func someTags() -> [String] { (0..<Int(random.next() % 4)).map { _ in pick(Self.tags) } }

        var ids: [Int64] = []
        for index in 0..<120 {
            var values = ["phone": "+3461\(1_000_000 + index)"]
            for key in ["firstName", "lastName", "email", "Empresa"] {
                let text = pick(Self.texts)
                if !text.isEmpty { values[key] = key == "email" ? "\(text)@example.com" : text }
            }
            ids.append(try fixture.addContact(values, tags: someTags()))
        }

        let builtin = { (field: BuiltinField) in field.definition }
        for round in 0..<24 {
            let withCustom = round % 3 == 2
            var fields = [builtin(.firstName), builtin(.lastName), builtin(.phone), builtin(.email)]
            if round % 4 != 3 { fields.append(builtin(.tags)) }
            if withCustom { fields.append(company) }
            let columns = fields.enumerated().map { MappedColumn(column: $0.offset, field: $0.element, overwrite: random.next() % 2 == 0) }
            let requestTags = round % 2 == 0 ? [] : [pick(Self.tags)]
            // Rows copying a contact's values (unchanged unless overwrite or tags say otherwise) and rows of random ones.
            let contacts = try fixture.workspace.read { tx in try ids.map { try tx.contact(id: $0)! } }
            var values = FieldValueTable()
            var candidates: [(row: Int, contactId: Int64)] = []
            for row in 0..<300 {
                let contact = pick(contacts)
                let copies = random.next() % 2 == 0
                for field in fields {
                    if field.type == .tags {
                        values.append(.tags(copies && random.next() % 2 == 0 ? contact.tags : someTags()))
                    } else {
                        let text = copies ? contact.values[field.key] ?? "" : pick(Self.texts)
                        values.append(text.isEmpty ? .empty : .text(text))
                    }
                }
                candidates.append((row, contact.id))
            }
            let expected = try fixture.workspace.lookUp { lookup in
                try candidates.filter { candidate in
                    let contact = try lookup.contact(id: candidate.contactId, customValues: true, tags: true)!
                    return ChangePreview.changes(row: candidate.row, columns: columns, values: values, tags: requestTags,
                                                 identifierKey: "phone", contact: contact).isEmpty
                }.map(\.row)
            }
            for lean in [true, false] {
                let found = try fixture.workspace.lookUp { lookup in
                    try ChangePreview.unchangedRows(candidates, columns: columns, values: { values }, tags: requestTags,
                                                    identifierKey: "phone", in: lean ? lookup : WholeContacts(lookup))
                }
                XCTAssertEqual(found.sorted(), expected, "round \(round), \(lean ? "SQLite's own read" : "from whole contacts")")
            }
            XCTAssertFalse(expected.isEmpty, "round \(round) has unchanged rows")
        }
    }
}

/// A lookup that reads `storedFields` from whole contacts, as a store without its own does.
private struct WholeContacts: ContactLookup {
    let base: any ContactLookup
    init(_ base: any ContactLookup) { self.base = base }
    func contactIDs(phone e164: String) throws -> [Int64] { try base.contactIDs(phone: e164) }
    func contactIDs(email: String) throws -> [Int64] { try base.contactIDs(email: email) }
    func contactExists(id: Int64) throws -> Bool { try base.contactExists(id: id) }
    func contact(id: Int64, customValues: Bool, tags: Bool) throws -> Contact? {
        try base.contact(id: id, customValues: customValues, tags: tags)
    }
    func contacts(ids: [Int64], customValues: Bool, tags: Bool) throws -> [Int64: Contact] {
        try base.contacts(ids: ids, customValues: customValues, tags: tags)
    }
}
