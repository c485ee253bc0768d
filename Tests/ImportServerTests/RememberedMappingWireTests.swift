import Foundation
import JSONRPC
import TestSupport
import Workspace
import XCTest

/// The workspace remembers how a file was mapped at its last completed import, and
/// `import/suggestMapping` offers that choice again (protocol/README.md §7.3).
final class RememberedMappingWireTests: XCTestCase {
    private let csv = "Nombre,Movil,Notas,Correo\nAna,+34612345671,hola,ana@example.com\n"

    private func suggest(_ wire: ImportWire, _ session: String, remembered: Bool? = nil) throws -> JSONValue {
        var params: [String: JSONValue] = ["sessionId": .string(session)]
        if let remembered { params["remembered"] = .bool(remembered) }
        return try wire.client.request("import/suggestMapping", .object(params))
    }

    private func importOnce(_ wire: ImportWire) throws {
        let session = try wire.open(csv)
        // The user maps Movil as phone, skips Notas (a synonym of nothing built in) and Correo,
        // and keeps stored names.
        let review = try wire.review(session, "addAndUpdate", mapping: [mapped(0, "firstName", overwrite: false), mapped(1, "phone")],
                                     extra: ["defaultCountry": "ES"])
        _ = try wire.commit(session, review)
    }

    func testTheSameHeaderSetGetsTheMappingOfItsLastImport() throws {
        let wire = try ImportWire()
        try importOnce(wire)
        let suggestion = try suggest(wire, try wire.open(csv, fileName: "otra-vez.csv"))
        let mapping = suggestion["mapping"]?.arrayValue ?? []
        XCTAssertEqual(mapping.map { $0["field"] }, ["firstName", "phone", .null, .null])
        XCTAssertEqual(Set(mapping.map { $0["reason"] }), ["remembered"])
        XCTAssertEqual(Set(mapping.map { $0["confidence"]?.doubleValue }), [1])
        XCTAssertEqual(suggestion["identifier"], "phone")
        XCTAssertEqual(suggestion["suggested"], ["purpose": "addAndUpdate", "identifier": "phone", "defaultCountry": "ES"])
    }

    func testASkippedColumnStaysSkipped() throws {
        let wire = try ImportWire()
        try importOnce(wire)
        let mapping = try suggest(wire, try wire.open(csv))["mapping"]?.arrayValue ?? []
        XCTAssertEqual(mapping[3]["field"], .null, "Correo was skipped by the user: memory outranks the synonym")
        XCTAssertEqual(mapping[3]["reason"], "remembered")
    }

    func testRememberedFalseIgnoresMemory() throws {
        let wire = try ImportWire()
        try importOnce(wire)
        let suggestion = try suggest(wire, try wire.open(csv), remembered: false)
        let mapping = suggestion["mapping"]?.arrayValue ?? []
        XCTAssertEqual(mapping[3]["field"], "email")
        XCTAssertFalse(mapping.contains { $0["reason"] == "remembered" })
        XCTAssertNil(suggestion["suggested"])
    }

    func testAHeaderSeenInAnotherFileIsRememberedOverSynonyms() throws {
        let wire = try ImportWire()
        try importOnce(wire)
        let other = try wire.open("Correo,Apellidos,Movil\nx@example.com,Ruiz,+34612345679\n")
        let suggestion = try suggest(wire, other)
        let mapping = suggestion["mapping"]?.arrayValue ?? []
        XCTAssertEqual(mapping[0]["field"], .null, "Correo was skipped before")
        XCTAssertEqual(mapping[0]["reason"], "remembered")
        XCTAssertEqual(mapping[1]["field"], "lastName", "a header never seen keeps its synonym")
        XCTAssertEqual(mapping[1]["reason"], "synonym")
        XCTAssertEqual(mapping[2]["field"], "phone")
        XCTAssertEqual(mapping[2]["reason"], "remembered")
        XCTAssertNil(suggestion["suggested"], "purpose and identifier come only from the same header set")
    }

    func testACancelledImportRemembersNothing() throws {
        let wire = try ImportWire()
        let session = try wire.open(csv)
        _ = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone")])
        let mapping = try suggest(wire, try wire.open(csv))["mapping"]?.arrayValue ?? []
        XCTAssertFalse(mapping.contains { $0["reason"] == "remembered" }, "a review alone is not an import")
    }

    func testAFieldThatNoLongerExistsIsNeverSuggestedFromMemory() throws {
        let wire = try ImportWire()
        // A remembered mapping naming a custom field this workspace does not have (deleted, or
        // from a copy of another workspace).
        let keys = ["nombre", "movil", "notas", "correo"]
        try wire.workspace().writeImport { tx in
            try tx.rememberMapping(headerKeys: keys, RememberedMapping(
                columns: [.init(field: "firstName", overwrite: true), .init(field: "phone", overwrite: true),
                          .init(field: "Observaciones", overwrite: true), .init(field: nil, overwrite: true)],
                purpose: "addNew", identifier: "phone", defaultCountry: nil), now: Date())
        }
        let mapping = try suggest(wire, try wire.open(csv))["mapping"]?.arrayValue ?? []
        XCTAssertNotEqual(mapping[2]["field"], "Observaciones")
        XCTAssertNotEqual(mapping[2]["reason"], "remembered")
        XCTAssertEqual(mapping[0]["reason"], "remembered")
    }
}
