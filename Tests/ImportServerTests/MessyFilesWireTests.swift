import XCTest
import Foundation
import JSONRPC
import TestSupport

/// Issue 14 as a client sees it, over the real `contact-importd`: phones the way users write
/// them, title rows above the header, stray NULs and bad bytes costing a row, not the file,
/// suggestions valid for their purpose.
final class MessyFilesWireTests: XCTestCase {
    private var files: TemporaryDirectory!

    override func setUpWithError() throws {
        files = try TemporaryDirectory(prefix: "messy-wire")
    }

    override func tearDown() {
        files.remove()
    }

    private func openFile(_ wire: ImportWire, bytes: [UInt8], extra: [String: JSONValue] = [:]) throws -> JSONValue {
        let path = try files.write("messy.csv", bytes: bytes)
        var params = extra
        params["uri"] = .string("file://" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path))
        return try wire.client.request("import/open", .object(params))
    }

    private func warningCodes(_ result: JSONValue) -> [String] {
        result["warnings"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []
    }

    private func values(_ wire: ImportWire, _ session: String, _ review: JSONValue) throws -> [JSONValue] {
        let page = try wire.client.request("import/rows", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null,
                                                           "offset": 0, "limit": 100])
        return page["rows"]?.arrayValue ?? []
    }

    // MARK: Phones

    func test_whatsapp_style_numbers_of_other_countries_are_read_in_a_mexican_file() throws {
        let wire = try ImportWire()
        let file = "Nombre,WhatsApp\nAna,5215512345678\nLuis,573370961958\nEva,34612345678\nPía,wa.me/5511912345678\nLeo,[+60] 12-345 6789\nIan,＋５２ ５５ ８７６５ ４３２１\nSol,555 555 5555\n"
        let session = try wire.open(file)
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone")],
                                     extra: ["defaultCountry": "MX"])
        let rows = try values(wire, session, review)
        XCTAssertEqual(rows.prefix(6).map { $0["values"]?["phone"]?.stringValue },
                       ["+525512345678", "+573370961958", "+34612345678", "+5511912345678", "+60123456789", "+525587654321"])
        // 555 555 5555 is fictional only in the NANP; in a Mexican file it is a Mexico City number.
        XCTAssertEqual(rows[6]["action"], "add")
    }

    func test_a_fictional_us_number_is_a_row_error_that_says_why() throws {
        let wire = try ImportWire(locale: "es")
        let session = try wire.open("Nombre,Teléfono\nAna,(212) 555-0123\nLuis,(212) 555-1234\n")
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone")],
                                     extra: ["defaultCountry": "US"])
        let error = try XCTUnwrap(review["sample"]?[0]?["errors"]?[0])
        XCTAssertEqual(error["code"], "invalidValue")
        XCTAssertTrue(error["message"]?.stringValue?.contains("no es un número de teléfono real") ?? false, "\(error)")
        XCTAssertEqual(review["sample"]?[1]?["action"], "add")
    }

    func test_placeholder_identifier_is_missing_not_invalid() throws {
        let wire = try ImportWire()
        let session = try wire.open("Nombre,Teléfono\nAna,N/A\nLuis,-\n")
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone")],
                                     extra: ["defaultCountry": "MX"])
        XCTAssertEqual(review["sample"]?[0]?["errors"]?[0]?["code"], "identifierMissing")
        XCTAssertEqual(review["sample"]?[1]?["errors"]?[0]?["code"], "identifierMissing")
    }

    func test_google_multi_value_cells_and_groups() throws {
        let wire = try ImportWire()
        let file = "Name,Phone 1 - Value,Group Membership\nAna,+44 7700 900123 ::: +44 20 7946 0958,* myContacts ::: Clientes\n"
        let session = try wire.open(file)
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone"), mapped(2, "tags")])
        let rows = try values(wire, session, review)
        XCTAssertEqual(rows.first?["values"]?["phone"], "+447700900123")
        XCTAssertEqual(rows.first?["values"]?["tags"], ["Clientes"])
    }

    func test_dates_follow_their_columns_order_then_the_country() throws {
        let wire = try ImportWire()
        _ = try wire.client.request("fields/create", ["name": "Birthday", "type": "date"])
        let file = "Nombre,Teléfono,Birthday\nAna,+525512345678,03/04/1990\nLuis,+525587654321,25/12/1985\nEva,+525511112222,--03-12\nSol,+525511113333,0/0/00\n"
        let session = try wire.open(file)
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone"), mapped(2, "Birthday")],
                                     extra: ["defaultCountry": "US"])
        let rows = try values(wire, session, review)
        // 25/12 makes the column day-first, whatever the US convention says.
        XCTAssertEqual(rows.map { $0["values"]?["Birthday"] }, ["1990-04-03", "1985-12-25", "--03-12", .null])
        let us = try wire.open("Nombre,Teléfono,Birthday\nAna,+525512345678,3/4/1975\n")
        let usReview = try wire.review(us, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone"), mapped(2, "Birthday")],
                                       extra: ["defaultCountry": "US"])
        XCTAssertEqual(try values(wire, us, usReview).first?["values"]?["Birthday"], "1975-03-04")
    }

    // MARK: Files

    func test_title_row_is_detected_and_reported_as_header_row() throws {
        let wire = try ImportWire(locale: "es")
        let file = "Lista de clientes — marzo\n\nNombre,Teléfono\nAna,5512345678\nLuis,5587654321\n"
        let result = try wire.client.request("import/open", ["text": .string(file)])
        XCTAssertEqual(result["file"]?["headerRow"], 3)
        XCTAssertEqual(result["file"]?["rowCount"], 2)
        XCTAssertEqual(result["columns"]?[0]?["header"], "Nombre")
        XCTAssertEqual(warningCodes(result), ["titleRows"])
        XCTAssertTrue(result["warnings"]?[0]?["message"]?.stringValue?.contains("línea 3") ?? false)
        // The client overrides it.
        let forced = try wire.client.request("import/open", ["text": .string(file), "headerRow": 1])
        XCTAssertEqual(forced["file"]?["headerRow"], 1)
        XCTAssertEqual(forced["columns"]?[0]?["header"], "Lista de clientes — marzo")
        XCTAssertEqual(warningCodes(forced), ["raggedRows"])
    }

    func test_header_row_param_is_checked() throws {
        let wire = try ImportWire()
        let file = "Nombre,Teléfono\nAna,5512345678\n"
        let zero = try wire.client.requestError("import/open", ["text": .string(file), "headerRow": 0])
        XCTAssertEqual(zero.code, -32602)
        let text = try wire.client.requestError("import/open", ["text": .string(file), "headerRow": "2"])
        XCTAssertEqual(text.code, -32602)
        let past = try wire.client.requestError("import/open", ["text": .string(file), "headerRow": 9])
        XCTAssertEqual(past.code, 1003)
        XCTAssertEqual(past.data?["reason"], "empty")
    }

    func test_trailing_delimiters_do_not_make_rows_malformed() throws {
        let wire = try ImportWire()
        let session = try wire.open("Nombre,Teléfono\nAna,+525512345678,\nLuis,+525587654321,,\n")
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone")])
        XCTAssertEqual(review["sample"]?[0]?["action"], "add")
        XCTAssertEqual(review["sample"]?[1]?["action"], "add")
    }

    func test_a_stray_nul_costs_its_row_naming_the_column() throws {
        let wire = try ImportWire()
        var bytes = Array("Nombre,Teléfono\nAna,+525512345678\nLu".utf8)
        bytes.append(0)
        bytes += Array("is,+525587654321\n".utf8)
        let opened = try openFile(wire, bytes: bytes)
        XCTAssertEqual(warningCodes(opened), ["nulBytes"])
        let session = try XCTUnwrap(opened["sessionId"]?.stringValue)
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone")])
        XCTAssertEqual(review["sample"]?[0]?["action"], "add")
        let error = try XCTUnwrap(review["sample"]?[1]?["errors"]?[0])
        XCTAssertEqual(error["code"], "invalidValue")
        XCTAssertEqual(error["column"], 0)
        XCTAssertTrue(error["message"]?.stringValue?.contains("NUL") ?? false, "\(error)")
    }

    func test_a_few_bad_bytes_keep_the_file_utf8() throws {
        let wire = try ImportWire()
        var bytes = Array("Nombre,Teléfono\nJosé,+525512345678\nMaría,+52551234".utf8)
        bytes.append(0xE9)
        bytes += Array("5679\nÍñigo,+525587654321\n".utf8)
        let opened = try openFile(wire, bytes: bytes)
        XCTAssertEqual(opened["file"]?["encoding"], "utf-8")
        XCTAssertEqual(opened["columns"]?[0]?["samples"]?[0], "José")
        XCTAssertEqual(warningCodes(opened), ["invalidBytes"])
        XCTAssertEqual(opened["warnings"]?[0]?["rows"], [2])
        let session = try XCTUnwrap(opened["sessionId"]?.stringValue)
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone")])
        XCTAssertEqual(review["sample"]?[1]?["errors"]?[0]?["code"], "invalidValue", "the bad byte is in the identifier")
        XCTAssertEqual(review["sample"]?[2]?["action"], "add")
    }

    // MARK: suggestMapping

    func test_contact_id_is_suggested_only_where_the_purpose_allows_it() throws {
        let wire = try ImportWire()
        let session = try wire.open("Contact ID,Nombre,Teléfono\n101,Ana,+525512345678\n102,Luis,+525587654321\n")
        let addNew = try wire.client.request("import/suggestMapping", ["sessionId": .string(session), "purpose": "addNew"])
        XCTAssertEqual(addNew["mapping"]?[0]?["field"], .null)
        let update = try wire.client.request("import/suggestMapping", ["sessionId": .string(session), "purpose": "updateExisting"])
        XCTAssertEqual(update["mapping"]?[0]?["field"], "contactId")
        // What addNew suggests, review accepts.
        let mapping = (addNew["mapping"]?.arrayValue ?? []).map { entry in
            mapped(entry["column"]?.intValue ?? 0, entry["field"]?.stringValue)
        }
        let review = try wire.review(session, "addNew", mapping: mapping)
        XCTAssertEqual(review["counts"]?["error"], 0)
        XCTAssertEqual(review["counts"]?["add"], 2)
    }

    func test_state_codes_and_yes_no_columns_are_not_countries() throws {
        let wire = try ImportWire()
        let file = "Nombre,Mailing State/Province,EMAIL_BLACKLISTED,Columna 4\nAna,CO,No,MX\nLuis,CA,Yes,CO\nEva,NL,No,AR\nPía,TX,No,ES\n"
        let session = try wire.open(file)
        let result = try wire.client.request("import/suggestMapping", ["sessionId": .string(session)])
        XCTAssertEqual(result["mapping"]?[1]?["field"], .null)
        XCTAssertEqual(result["mapping"]?[2]?["field"], .null)
        XCTAssertEqual(result["mapping"]?[3]?["field"], "countryCode")
        XCTAssertEqual(result["mapping"]?[3]?["reason"], "content")
    }
}
