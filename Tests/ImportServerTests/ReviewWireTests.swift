import Foundation
import XCTest
import JSONRPC
import TestSupport

/// `import/review` and `import/rows` over the wire: one test per rule of protocol/README.md §7.4–7.5 and §7.11.
final class ReviewWireTests: XCTestCase {
    private let header = "Nombre,Apellido,Teléfono,Correo\n"
    private let standard = [mapped(0, "firstName"), mapped(1, "lastName"), mapped(2, "phone"), mapped(3, "email")]
    private let existing: [(values: [String: String], tags: [String])] = [
        (["firstName": "Existente", "phone": "+34612345678", "email": "existe@example.com"], []),
    ]
    private var purposeFile: String {
        header + "Ana,Ruiz,+34 612 345 678,\n" + "Luis,Gil,+34 622 000 111,\n" + "Eva,Sanz,+34 633 000 222,\n"
    }

    private func counts(_ review: JSONValue) -> [Int] {
        ["add", "update", "skip", "error", "total"].map { review["counts"]?[$0]?.intValue ?? -1 }
    }

    func testAddNewAddsNewContactsAndSkipsExistingOnes() throws {
        let wire = try ImportWire(contacts: existing)
        let review = try wire.review(try wire.open(purposeFile), "addNew", mapping: standard)
        XCTAssertEqual(counts(review), [2, 0, 1, 0, 3])
        XCTAssertEqual(review["sample"]?[0]?["action"], "skip")
        XCTAssertEqual(review["sample"]?[0]?["contactId"], 1)
        XCTAssertNil(review["errorFile"])
    }

    func testUpdateExistingUpdatesMatchesAndSkipsTheRest() throws {
        let wire = try ImportWire(contacts: existing)
        let review = try wire.review(try wire.open(purposeFile), "updateExisting", mapping: standard)
        XCTAssertEqual(counts(review), [0, 1, 2, 0, 3])
    }

    func testAddAndUpdateUpdatesMatchesAndAddsTheRest() throws {
        let wire = try ImportWire(contacts: existing)
        let review = try wire.review(try wire.open(purposeFile), "addAndUpdate", mapping: standard)
        XCTAssertEqual(counts(review), [2, 1, 0, 0, 3])
    }

    func testAddAllAddsEveryValidRowDespiteDuplicates() throws {
        let wire = try ImportWire(contacts: existing)
        let file = purposeFile + "Ana,Ruiz,+34612345678,\n"
        let review = try wire.review(try wire.open(file), "addAll", identifier: nil, mapping: standard)
        XCTAssertEqual(counts(review), [4, 0, 0, 0, 4])
    }

    func testReviewResultShape() throws {
        let wire = try ImportWire()
        let review = try wire.review(try wire.open(purposeFile), "addNew", mapping: standard, extra: ["importTag": "feria-2024"])
        XCTAssertNotNil(review["reviewId"]?.stringValue)
        XCTAssertEqual(review["importTag"], "feria-2024")
        XCTAssertNotNil(review["expiresAt"]?.stringValue)
        XCTAssertEqual(review["sample"]?[1], ["row": 2, "line": 3, "action": "add", "errors": []])
    }

    func testAutomaticImportTagNamesTheImport() throws {
        let wire = try ImportWire()
        let review = try wire.review(try wire.open(purposeFile), "addNew", mapping: standard)
        let tag = try XCTUnwrap(review["importTag"]?.stringValue)
        XCTAssertNotNil(tag.range(of: #"^import-\d{8}-\d{6}$"#, options: .regularExpression), tag)
        let none = try wire.review(try wire.open(purposeFile), "addNew", mapping: standard, extra: ["importTag": false])
        XCTAssertEqual(none["importTag"], .null)
    }

    func testTwoRowsWithTheSameIdentifierAreBothErrorsNamingEachOther() throws {
        let wire = try ImportWire()
        let file = header + "Ana,Ruiz,+34 612 345 678,\n" + "Luis,Gil,+34 622 000 111,\n" + "Ana,R,0034612345678,\n"
        let review = try wire.review(try wire.open(file), "addAndUpdate", mapping: standard)
        XCTAssertEqual(counts(review), [1, 0, 0, 2, 3])
        XCTAssertEqual(review["sample"]?[0]?["errors"]?[0]?["code"], "duplicateInFile")
        XCTAssertEqual(review["sample"]?[0]?["errors"]?[0]?["rows"], [3])
        XCTAssertEqual(review["sample"]?[2]?["errors"]?[0]?["rows"], [1])
    }

    func testAnIdentifierSharedByTwoContactsIsAnAmbiguousMatch() throws {
        let wire = try ImportWire(contacts: [
            (["firstName": "A", "email": "compartido@example.com"], []),
            (["firstName": "B", "email": "compartido@example.com"], []),
        ])
        let file = "Nombre,Correo\nAna,Compartido@Example.com\n"
        let review = try wire.review(try wire.open(file), "updateExisting", identifier: "email",
                                     mapping: [mapped(0, "firstName"), mapped(1, "email")])
        let error = try XCTUnwrap(review["sample"]?[0]?["errors"]?[0])
        XCTAssertEqual(error["code"], "ambiguousMatch")
        XCTAssertEqual(error["contactIds"], [1, 2])
    }

    func testEmptyIdentifierMissingNameInvalidValueAndRaggedRowAreRowErrors() throws {
        let wire = try ImportWire()
        let file = header
            + "Ana,Ruiz,,ana@example.com\n"          // identifierMissing
            + ",Gil,+34622000111,\n"                 // nameMissing
            + "Eva,Sanz,+34633000222,no-es-correo\n" // invalidValue (column 3)
            + "Leo,Paz,+34644000333\n"               // malformedRow
        let review = try wire.review(try wire.open(file), "addNew", mapping: standard)
        let codes = (0..<4).map { review["sample"]?[$0]?["errors"]?[0]?["code"]?.stringValue }
        XCTAssertEqual(codes, ["identifierMissing", "nameMissing", "invalidValue", "malformedRow"])
        XCTAssertEqual(review["sample"]?[2]?["errors"]?[0]?["column"], 3)
        XCTAssertEqual(review["errorFile"]?["rows"], 4)
    }

    func testPhonesWithoutCountryCodeAreReadWithTheRowsCountryOrTheDefault() throws {
        let wire = try ImportWire(contacts: [
            (["firstName": "MX", "phone": "+525512345678"], []),
            (["firstName": "ES", "phone": "+34612345678"], []),
        ])
        let file = "Nombre,Teléfono,País\nA,55 1234 5678,\nB,612 345 678,ES\n"
        let review = try wire.review(try wire.open(file), "updateExisting",
                                     mapping: [mapped(0, "firstName"), mapped(1, "phone"), mapped(2, "countryCode")],
                                     extra: ["defaultCountry": "MX"])
        XCTAssertEqual(review["sample"]?[0]?["contactId"], 1)
        XCTAssertEqual(review["sample"]?[1]?["contactId"], 2)
    }

    func testAPhoneThatCannotBeReadSuggestsADefaultCountry() throws {
        let wire = try ImportWire()
        let review = try wire.review(try wire.open("Nombre,Teléfono\nAna,612 345 678\n"), "addNew",
                                     mapping: [mapped(0, "firstName"), mapped(1, "phone")])
        let error = try XCTUnwrap(review["sample"]?[0]?["errors"]?[0])
        XCTAssertEqual(error["code"], "invalidValue")
        XCTAssertTrue(error["message"]?.stringValue?.contains("defaultCountry") ?? false, "\(error)")
    }

    func testMappingProblemsComeTogetherAsMappingInvalid() throws {
        let wire = try ImportWire()
        let session = try wire.open(purposeFile)
        let error = try wire.client.requestError("import/review", wire.reviewParams(session, "addAndUpdate", mapping: [
            mapped(0, "lastName"), mapped(1, "lastName"), mapped(3, "colorFavorito"), mapped(7, "email"),
        ]))
        XCTAssertEqual(error.code, 1004)
        let codes = Set(error.data?["problems"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? [])
        XCTAssertEqual(codes, ["fieldMappedTwice", "unknownField", "unknownColumn", "identifierNotMapped", "nameRequired"])
    }

    func testNoColumnSelectedAndContactIdOutsideUpdateExistingAreMappingProblems() throws {
        let wire = try ImportWire()
        let session = try wire.open(purposeFile)
        let none = try wire.client.requestError("import/review", wire.reviewParams(session, "addAll", identifier: nil,
                                                                                   mapping: [mapped(0, nil)]))
        XCTAssertEqual(none.data?["problems"]?[0]?["code"], "noColumnSelected")
        let byId = try wire.client.requestError("import/review", wire.reviewParams(session, "addNew", identifier: "contactId",
                                                                                   mapping: [mapped(0, "firstName"), mapped(2, "contactId")]))
        XCTAssertEqual(byId.data?["problems"]?[0]?["code"], "identifierNotAllowed")
    }

    func testIdentifierIsRequiredExceptForAddAll() throws {
        let wire = try ImportWire()
        let session = try wire.open(purposeFile)
        let error = try wire.client.requestError("import/review", wire.reviewParams(session, "addNew", identifier: nil, mapping: standard))
        XCTAssertEqual(error.code, -32602)
        let badPurpose = try wire.client.requestError("import/review", wire.reviewParams(session, "merge", mapping: standard))
        XCTAssertEqual(badPurpose.code, -32602)
    }

    func testErrorFileInEnglish() throws {
        try checkErrorFile(locale: "en", header: "Error")
    }

    func testErrorFileInSpanish() throws {
        try checkErrorFile(locale: "es", header: "Error")
    }

    private func checkErrorFile(locale: String, header errorHeader: String) throws {
        let wire = try ImportWire(locale: locale)
        let file = header + "Ana,Ruiz,+34612345678,\n" + "=SUMA(A1),Gil,,\n" + "Eva,-Sanz,+34633000222,malo\n"
        let review = try wire.review(try wire.open(file), "addNew", mapping: standard)
        XCTAssertEqual(review["errorFile"]?["rows"], 2)
        let rows = try rowsOfFile(review["errorFile"]?["uri"])
        XCTAssertEqual(rows[0], ["Nombre", "Apellido", "Teléfono", "Correo", errorHeader])
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[1][0], "'=SUMA(A1)", "a formula is defused")
        XCTAssertEqual(rows[2][1], "'-Sanz", "a leading minus that is not a number is defused")
        XCTAssertEqual(rows[2][2], "+34633000222", "a phone number stays as it is")
        XCTAssertEqual(rows[1][4], review["sample"]?[1]?["errors"]?[0]?["message"]?.stringValue)
        if locale == "es" { XCTAssertTrue(rows[1][4].hasPrefix("Falta"), rows[1][4]) }
    }

    func testRowsPagesByActionWithNormalizedValues() throws {
        let wire = try ImportWire(contacts: existing)
        let session = try wire.open(header + "Ana, Ruiz ,0034 612 345 678, ANA@Example.com\n" + "Luis,Gil,+34622000111,\n" + "Eva,Sanz,,\n")
        let review = try wire.review(session, "addAndUpdate", mapping: standard)
        let page = try wire.client.request("import/rows", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null,
                                                           "action": "update", "offset": 0, "limit": 10])
        XCTAssertEqual(page["total"], 1)
        XCTAssertEqual(page["rows"]?[0]?["values"], ["firstName": "Ana", "lastName": "Ruiz", "phone": "+34612345678", "email": "ana@example.com"])
        let all = try wire.client.request("import/rows", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null,
                                                          "offset": 1, "limit": 1])
        XCTAssertEqual(all["total"], 3)
        XCTAssertEqual(all["rows"]?[0]?["row"], 2)
        XCTAssertEqual(all["rows"]?[0]?["values"]?["email"], .null)
        let tooMany = try wire.client.requestError("import/rows", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null,
                                                                    "limit": 1001])
        XCTAssertEqual(tooMany.code, -32602)
    }

    func testRowsOfAnOlderReviewAreRefused() throws {
        let wire = try ImportWire()
        let session = try wire.open(purposeFile)
        let first = try wire.review(session, "addNew", mapping: standard)
        _ = try wire.review(session, "addAndUpdate", mapping: standard)
        let error = try wire.client.requestError("import/rows", ["sessionId": .string(session), "reviewId": first["reviewId"] ?? .null])
        XCTAssertEqual(error.code, 1005)
    }

    func testReviewOfAnUnknownSessionIsSessionNotFound() throws {
        let wire = try ImportWire()
        let error = try wire.client.requestError("import/review", wire.reviewParams("s-nope", "addNew", mapping: standard))
        XCTAssertEqual(error.code, 1001)
    }

    func testReviewSendsProgressForItsToken() throws {
        let wire = try ImportWire()
        let session = try wire.open(purposeFile)
        _ = try wire.review(session, "addNew", mapping: standard, extra: ["workDoneToken": "r1"])
        let begin = try wire.client.waitForNotification("$/progress")
        XCTAssertEqual(begin["token"], "r1")
        XCTAssertEqual(begin["value"]?["kind"], "begin")
        var kinds: [String] = []
        while let next = try? wire.client.waitForNotification("$/progress", timeout: 2) {
            kinds.append(next["value"]?["kind"]?.stringValue ?? "")
            if kinds.last == "end" { break }
        }
        XCTAssertEqual(kinds.last, "end")
    }
}
