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
}
