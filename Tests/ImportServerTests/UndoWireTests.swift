import Foundation
import JSONRPC
import TestSupport
import Workspace
import Contacts
import XCTest

/// `import/undo` reverses a completed import as one job (protocol/README.md §7.13).
final class UndoWireTests: XCTestCase {
    private let header = "Nombre,Apellido,Teléfono,Etiquetas\n"
    private let nameAndPhone = [mapped(0, "firstName"), mapped(1, "lastName"), mapped(2, "phone")]

    /// Every contact, as stored (values, tags), by id.
    private func contacts(_ wire: ImportWire) throws -> [Int64: Contact] {
        try wire.workspace().read { tx in
            var all: [Int64: Contact] = [:]
            for id in Int64(1)...Int64(500) {
                if var contact = try tx.contact(id: id) {
                    contact.updatedAt = Date(timeIntervalSince1970: 0)
                    all[id] = contact
                }
            }
            return all
        }
    }

    private func importFile(_ wire: ImportWire, _ csv: String, _ purpose: String, mapping: [(Int, String?, Bool)],
                            extra: [String: JSONValue] = [:]) throws -> JSONValue {
        let session = try wire.open(csv)
        let review = try wire.review(session, purpose, mapping: mapping, extra: extra)
        return try wire.commit(session, review)
    }

    private func undo(_ wire: ImportWire, _ job: JSONValue) throws -> JSONValue {
        try wire.client.request("import/undo", ["jobId": job["jobId"] ?? .null], timeout: 120)
    }

    func testUndoOfAnAddOnlyImportLeavesTheWorkspaceAsItWasBefore() throws {
        let wire = try ImportWire(contacts: [(["firstName": "Antes", "phone": "+34612345670"], ["vieja"])])
        let before = try contacts(wire)
        let job = try importFile(wire, header + "Ana,Ruiz,+34612345671,\nLuis,Gil,+34612345672,\n", "addNew", mapping: nameAndPhone)
        XCTAssertEqual(job["counts"]?["imported"], 2)
        let undone = try undo(wire, job)
        XCTAssertEqual(undone["state"], "completed")
        XCTAssertEqual(undone["undoes"], job["jobId"])
        XCTAssertEqual(undone["counts"], ["removed": 2, "restored": 0, "conflicts": 0])
        XCTAssertEqual(try contacts(wire), before, "the whole contacts table is as before the import")
        let finished = try wire.client.waitForNotification("import/finished")
        XCTAssertNotNil(finished["jobId"])
    }

    /// A large import adds its contacts in the order of its identifier's lookup keys on SQLite
    /// (the phone index's order here, ARCHITECTURE.md: the commit's writes), not in file order:
    /// each still gets its own row's values and tags, their ids are one consecutive run, and the
    /// undo removes exactly them and restores the updated one.
    func testALargeImportsAddsGoInTheIdentifiersKeyOrderAndItsUndoRemovesExactlyThem() throws {
        let wire = try ImportWire(contacts: [(["firstName": "Antes", "phone": "+34612345670"], ["vieja"])])
        let rows = 12_000
        // Phones in neither the file's order nor its reverse (7,919 is invertible modulo 20,011);
        // e-mails in the reverse of the file's order; row 0 updates the existing contact.
        func phone(_ index: Int) -> String { "+3461\(String(7_000_000 + index * 7_919 % 20_011))" }
        var csv = "Nombre,Teléfono,Correo,Etiquetas\n"
        for index in 0..<rows {
            csv += "Fila\(index),\(index == 0 ? "+34612345670" : phone(index)),\(String(90_000 - index))@ejemplo.es,t\(index % 3)\n"
        }
        let job = try importFile(wire, csv, "addAndUpdate",
                                 mapping: [mapped(0, "firstName"), mapped(1, "phone"), mapped(2, "email"), mapped(3, "tags")])
        XCTAssertEqual(job["counts"]?["imported"]?.intValue, rows - 1)
        XCTAssertEqual(job["counts"]?["updated"], 1)
        let (first, last, ids) = try wire.workspace().read { tx -> (Contact?, Contact?, [Int64]) in
            let ids = try (1..<rows).map { index in try XCTUnwrap(tx.contactIDs(phone: phone(index)).first) }
            return (try tx.contact(id: ids[0]), try tx.contact(id: ids[rows - 2]), ids)
        }
        XCTAssertEqual(first?.values["firstName"], "Fila1")
        XCTAssertEqual(first?.values["email"], "89999@ejemplo.es")
        XCTAssertEqual(first?.tags.first, "t1")
        XCTAssertEqual(last?.values["firstName"], "Fila\(rows - 1)")
        XCTAssertEqual(Set(ids).count, rows - 1)
        XCTAssertEqual((ids.max() ?? 0) - (ids.min() ?? 0), Int64(rows - 2), "one run of consecutive ids")
        if TestEngine.current == .sqlite {
            let byKey = (1..<rows).sorted { LookupKeys.phone(phone($0)) < LookupKeys.phone(phone($1)) }
            XCTAssertEqual(byKey.map { ids[$0 - 1] }, ids.sorted(), "in the order of the phones' keys")
            XCTAssertNotEqual(ids, ids.sorted(), "not in file order")
        }
        XCTAssertEqual(try wire.contact(phone: "+34612345670")?.values["firstName"], "Fila0")
        if TestEngine.current == .sqlite { XCTAssertEqual(try wire.workspace().integrityCheck(), "ok", "every add and update stored its keys") }

        let undone = try undo(wire, job)
        XCTAssertEqual(undone["counts"], ["removed": .int(rows - 1), "restored": 1, "conflicts": 0])
        XCTAssertEqual(try wire.contactCount(), 1)
        let restored = try XCTUnwrap(try wire.contact(phone: "+34612345670"))
        XCTAssertEqual(restored.values, ["firstName": "Antes", "phone": "+34612345670"])
        XCTAssertEqual(restored.tags, ["vieja"])
    }

    func testUndoOfAnUpdateRestoresEveryFieldAndTag() throws {
        let wire = try ImportWire(contacts: [(["firstName": "Ana", "lastName": "Ruiz", "phone": "+34612345671"], ["vip", "feria"])])
        let before = try contacts(wire)
        let job = try importFile(wire, header + "Ana María,,+34612345671,nueva\n", "updateExisting",
                                 mapping: nameAndPhone + [mapped(3, "tags")], extra: ["tags": ["lote-1"]])
        let changed = try XCTUnwrap(wire.contact(phone: "+34612345671"))
        XCTAssertEqual(changed.values["firstName"], "Ana María")
        XCTAssertNil(changed.values["lastName"], "the empty cell cleared it")
        XCTAssertFalse(changed.tags.contains("vip"))
        let undone = try undo(wire, job)
        XCTAssertEqual(undone["counts"], ["removed": 0, "restored": 1, "conflicts": 0])
        XCTAssertEqual(try contacts(wire), before, "every field and tag as before, the import's tags gone")
    }

    /// An import without custom columns leaves custom values alone, and its undo too: one
    /// nobody changed stays, one changed after the import keeps that change, and neither is a
    /// conflict (the import's log takes their after-image from their before-image).
    func testUndoOfAnImportWithoutCustomColumnsLeavesCustomValuesAsTheyAre() throws {
        let wire = try ImportWire()
        try wire.workspace().write { tx in
            _ = try tx.createField(name: "Empresa", type: .text, options: [])
            _ = try tx.insertContact(values: ["firstName": "Ana", "phone": "+34612345671", "Empresa": "Acme"], tags: ["vip"], now: Date())
            _ = try tx.insertContact(values: ["firstName": "Luis", "phone": "+34612345672", "Empresa": "Beta"], tags: [], now: Date())
        }
        let before = try contacts(wire)
        let job = try importFile(wire, header + "Ana María,Gil,+34612345671,nueva\nLuis Ángel,Paz,+34612345672,\n", "updateExisting",
                                 mapping: nameAndPhone + [mapped(3, "tags")])
        XCTAssertEqual(try wire.contact(phone: "+34612345671")?.values["Empresa"], "Acme", "the import left it")
        _ = try wire.client.request("contacts/update", ["contactId": 2, "Empresa": "Gamma"])
        let undone = try undo(wire, job)
        XCTAssertEqual(undone["counts"], ["removed": 0, "restored": 2, "conflicts": 0])
        let after = try contacts(wire)
        XCTAssertEqual(after[1], before[1], "every field, tag and custom value as before")
        XCTAssertEqual(after[2]?.values, ["firstName": "Luis", "phone": "+34612345672", "Empresa": "Gamma"],
                       "the import's changes undone, the later change kept")
    }

    func testUndoAfterALaterChangeKeepsThatChangeAndCountsAConflict() throws {
        let wire = try ImportWire(contacts: [(["firstName": "Ana", "lastName": "Ruiz", "phone": "+34612345671"], [])])
        let job = try importFile(wire, header + "Anita,Gil,+34612345671,\n", "updateExisting", mapping: nameAndPhone)
        // Someone changes the last name after the import.
        _ = try wire.client.request("contacts/update", ["contactId": 1, "lastName": "Gil Pérez"])
        let undone = try undo(wire, job)
        XCTAssertEqual(undone["counts"], ["removed": 0, "restored": 1, "conflicts": 1])
        let contact = try XCTUnwrap(wire.contact(phone: "+34612345671"))
        XCTAssertEqual(contact.values["lastName"], "Gil Pérez", "the later change is kept")
        XCTAssertEqual(contact.values["firstName"], "Ana", "a field nobody touched since is restored")
        let rows = try rowsOfFile(undone["resultFile"]?["uri"])
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(Array(rows[1].prefix(4)), ["1", "lastName", "Gil Pérez", "Gil"])
    }

    func testAnAddedContactChangedSinceIsKept() throws {
        let wire = try ImportWire()
        let job = try importFile(wire, header + "Ana,Ruiz,+34612345671,\nLuis,,+34612345672,\n", "addNew", mapping: nameAndPhone)
        _ = try wire.client.request("contacts/addTags", ["contactId": 2, "tags": ["cliente"]])
        let undone = try undo(wire, job)
        XCTAssertEqual(undone["counts"], ["removed": 1, "restored": 0, "conflicts": 1])
        XCTAssertEqual(try wire.contactCount(), 1)
        XCTAssertNotNil(try wire.contact(phone: "+34612345672"))
    }

    func testUndoTwiceIsUndoUnavailableAndHistorySaysUndone() throws {
        let wire = try ImportWire(locale: "es")
        let job = try importFile(wire, header + "Ana,Ruiz,+34612345671,\n", "addNew", mapping: nameAndPhone)
        let undone = try undo(wire, job)
        let again = try wire.client.requestError("import/undo", ["jobId": job["jobId"] ?? .null])
        XCTAssertEqual(again.code, 1010)
        XCTAssertEqual(again.data?["reason"], "alreadyUndone")
        XCTAssertEqual(again.data?["undoneBy"], undone["jobId"])
        XCTAssertTrue(again.message.contains("ya se deshizo"), again.message)
        let undoOfUndo = try wire.client.requestError("import/undo", ["jobId": undone["jobId"] ?? .null])
        XCTAssertEqual(undoOfUndo.code, 1010)
        let unknown = try wire.client.requestError("import/undo", ["jobId": 999])
        XCTAssertEqual(unknown.code, 1008)
        let history = try wire.client.request("import/history")
        let jobs = history["jobs"]?.arrayValue ?? []
        XCTAssertEqual(jobs.first?["undoes"], job["jobId"])
        XCTAssertEqual(jobs.first?["undoCounts"], ["removed": 1, "restored": 0, "conflicts": 0])
        XCTAssertEqual(jobs.last?["state"], "undone")
        XCTAssertEqual(jobs.last?["undoneBy"], undone["jobId"])
    }

    func testAnImportWhoseResultFileExpiredCanNoLongerBeUndone() throws {
        let wire = try ImportWire()
        let job = try importFile(wire, header + "Ana,Ruiz,+34612345671,\n", "addNew", mapping: nameAndPhone)
        // Eight days later, as the retention sees it.
        let workspace = try wire.workspace()
        try workspace.purgeExpiredFiles(now: Date().addingTimeInterval(8 * 24 * 3600))
        let expired = try wire.client.requestError("import/undo", ["jobId": job["jobId"] ?? .null])
        XCTAssertEqual(expired.code, 1010)
        XCTAssertEqual(expired.data?["reason"], "expired")
        XCTAssertTrue(expired.message.contains("7 days"), expired.message)
        XCTAssertEqual(try wire.contactCount(), 1)
    }

    func testAnUndoNeverWaitsForAnotherJob() throws {
        let wire = try ImportWire()
        let job = try importFile(wire, header + "Ana,Ruiz,+34612345671,\n", "addNew", mapping: nameAndPhone)
        let other = try wire.workspace()
        let running = try other.claimJob(fileName: "otro.csv", importTag: nil, now: Date())
        let busy = try wire.client.requestError("import/undo", ["jobId": job["jobId"] ?? .null])
        XCTAssertEqual(busy.code, 1006)
        XCTAssertEqual(busy.data?["jobId"]?.intValue, Int(running.id))
        XCTAssertEqual(try wire.contactCount(), 1)
    }

    func testAnUndoKilledMidWayChangesNothingAndCanBeRunAgain() throws {
        let wire = try ImportWire()
        let rows = 30_000
        let job = try importFile(wire, bulkCSV(rows: rows), "addNew", mapping: nameAndPhone)
        XCTAssertEqual(try wire.contactCount(), rows)
        _ = try wire.client.sendRequest("import/undo", ["jobId": job["jobId"] ?? .null, "workDoneToken": "u"])
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let progress = try wire.client.waitForNotification("$/progress", timeout: 60)
            if progress["value"]?["kind"] == "report" { break }
        }
        let pid = try XCTUnwrap(wire.client.connection.processIdentifier)
        kill(pid, SIGKILL)
        _ = wire.client.waitForExit(timeout: 10)
        let next = try ImportWire(sharing: wire)
        XCTAssertEqual(try next.contactCount(), rows, "nothing of the killed undo is kept")
        XCTAssertEqual(try next.workspace().integrityCheck(), "ok")
        let history = try next.client.request("import/history")
        XCTAssertEqual(history["jobs"]?[0]?["state"], "interrupted")
        XCTAssertEqual(history["jobs"]?[1]?["state"], "completed", "the import is still in force")
        let undone = try undo(next, job)
        XCTAssertEqual(undone["counts"]?["removed"]?.intValue, rows)
        XCTAssertEqual(try next.contactCount(), 0)
    }

    func testACancelledUndoChangesNothing() throws {
        let wire = try ImportWire()
        let job = try importFile(wire, bulkCSV(rows: 20_000), "addNew", mapping: nameAndPhone)
        let id = try wire.client.sendRequest("import/undo", ["jobId": job["jobId"] ?? .null, "workDoneToken": "c"])
        try wire.client.notify("$/cancelRequest", ["id": id.json])
        switch try wire.client.waitForResponse(id, timeout: 60) {
        case .failure(let error):
            XCTAssertEqual(error.code, -32800)
            XCTAssertEqual(try wire.contactCount(), 20_000)
            XCTAssertEqual(try wire.client.request("import/history")["jobs"]?[0]?["state"], "cancelled")
        case .success:
            XCTAssertEqual(try wire.contactCount(), 0, "the undo finished before the cancel: all of it")
        }
    }
}
