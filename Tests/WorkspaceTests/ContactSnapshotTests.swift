import XCTest
import Contacts
@testable import Workspace

final class ContactSnapshotTests: WorkspaceTestCase {
    func testManyContactsAtOnceAreWhatEachReadsAlone() throws {
        let workspace = try openWorkspace()
        _ = try workspace.write { try $0.createField(name: "Empresa", type: .text, options: []) }
        var ids: [Int64] = []
        for index in 0..<2_500 {
            let values = ["firstName": "P\(index)", "phone": "+3461\(String(1_000_000 + index))", "Empresa": "E\(index % 7)"]
            ids.append(try insert(workspace, values, tags: index % 3 == 0 ? ["b", "a"] : []).id)
        }
        try workspace.read { tx in
            let unknown: Int64 = 999_999
            for (custom, tags) in [(true, true), (false, true), (true, false), (false, false)] {
                let many = try tx.contacts(ids: ids + [unknown], customValues: custom, tags: tags)
                XCTAssertEqual(many.count, ids.count)
                XCTAssertNil(many[unknown])
                for id in ids {
                    XCTAssertEqual(many[id], try tx.contact(id: id, customValues: custom, tags: tags), "contact \(id)")
                }
            }
        }
    }

    func testBatchedMatchesAreWhatEachLookupFinds() throws {
        let workspace = try openWorkspace()
        // Shared phones and e-mails (several ids), and e-mails a JSON array must escape.
        let emails = ["a@x.com", "\"quoted\"@x.com", "back\\slash@x.com", "tab\there@x.com", "\u{E9}l\u{E8}ve@x.com"]
        for index in 0..<1_500 {
            _ = try insert(workspace, ["firstName": "P\(index)", "phone": "+3461\(1_000_000 + index % 700)",
                                       "email": index % 3 == 0 ? emails[index % emails.count] : "p\(index)@x.com"])
        }
        let phones = (0..<2_100).map { "+3461\(1_000_000 + $0 % 900)" } + ["", "+34"]
        let mails = emails + ["", "nobody@x.com", "p7@x.com"] + (0..<1_200).map { "p\($0)@x.com" }
        try workspace.read { tx in
            for (values, byEmail) in [(phones, false), (mails, true)] {
                var found = [[Int64]](repeating: [], count: values.count)
                try tx.eachContactID(matching: values, byEmail: byEmail) { found[$0].append($1) }
                for (index, value) in values.enumerated() {
                    let alone = try byEmail ? tx.contactIDs(email: value) : tx.contactIDs(phone: value)
                    XCTAssertEqual(found[index].sorted(), alone, "\(value)")
                }
                XCTAssertTrue(found.contains { $0.count > 1 })
            }
        }
    }
}
