import Foundation
import JSONRPC
import XCTest

/// Result and error files as the user opens them: in the input file's own delimiter, with the
/// added columns in the client's language (Portuguese too), and a skipped row saying why.
final class ResultFileLanguageTests: XCTestCase {
    private let nameAndPhone = [mapped(0, "firstName"), mapped(1, "phone")]

    private func bytes(of uri: JSONValue?) throws -> [UInt8] {
        let url = try XCTUnwrap(URL(string: try XCTUnwrap(uri?.stringValue)))
        return Array(try Data(contentsOf: url))
    }

    func testSemicolonFileGetsSemicolonResultAndErrorFiles() throws {
        let wire = try ImportWire(locale: "es")
        let session = try wire.open("Nombre;Teléfono\r\nAna; +34 612 345 671\r\n\"Ruiz; Bea\";+34612345672\r\n;+34612345673\r\n")
        let review = try wire.review(session, "addNew", mapping: nameAndPhone)
        let errorFile = String(decoding: try bytes(of: review["errorFile"]?["uri"]), as: UTF8.self)
        // The message holds a ";" itself, so it is quoted.
        XCTAssertEqual(errorFile, "\u{FEFF}Nombre;Teléfono;Error\r\n;+34612345673;\""
            + (review["sample"]?[2]?["errors"]?[0]?["message"]?.stringValue ?? "?") + "\"\r\n")

        let result = try wire.commit(session, review)
        let text = String(decoding: try bytes(of: result["resultFile"]?["uri"]), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        XCTAssertEqual(lines[0], "\u{FEFF}Nombre;Teléfono;Estado de la importación;Errores")
        // A cell holding the delimiter is quoted, as RFC 4180 says; the leading space is kept.
        XCTAssertEqual(lines[1], "Ana;\" +34 612 345 671\";Importado;")
        XCTAssertEqual(lines[2], "\"Ruiz; Bea\";+34612345672;Importado;")
        XCTAssertTrue(lines[3].hasPrefix(";+34612345673;Error;"), lines[3])
        XCTAssertEqual(try rowsOfFile(result["resultFile"]?["uri"]).count, 4)
    }

    func testCommaAndTabFilesKeepTheirDelimiter() throws {
        let wire = try ImportWire(locale: "en")
        let tabbed = try wire.open("Nombre\tTeléfono\nAna\t+34612345671\n")
        let result = try wire.commit(tabbed, try wire.review(tabbed, "addNew", mapping: nameAndPhone))
        XCTAssertTrue(String(decoding: try bytes(of: result["resultFile"]?["uri"]), as: UTF8.self)
            .hasPrefix("\u{FEFF}Nombre\tTeléfono\tImport Status\tErrors\r\nAna\t+34612345671\tImported\t\r\n"))
        let comma = try wire.open("Nombre,Teléfono\nBea,+34612345672\n")
        let second = try wire.commit(comma, try wire.review(comma, "addNew", mapping: nameAndPhone))
        XCTAssertTrue(String(decoding: try bytes(of: second["resultFile"]?["uri"]), as: UTF8.self)
            .hasPrefix("\u{FEFF}Nombre,Teléfono,Import Status,Errors\r\n"))
    }

    func testPortugueseColumnsAndStatuses() throws {
        let wire = try ImportWire(locale: "pt", contacts: [(["firstName": "Velho", "phone": "+5511912345672"], [])])
        let session = try wire.open("Nome,Telefone\nAna,+5511912345671\nBia,+5511912345672\nCaio,\n")
        let review = try wire.review(session, "addAndUpdate", mapping: nameAndPhone)
        XCTAssertEqual(try rowsOfFile(review["errorFile"]?["uri"])[0], ["Nome", "Telefone", "Erro"])
        let rows = try rowsOfFile(try wire.commit(session, review)["resultFile"]?["uri"])
        XCTAssertEqual(rows[0], ["Nome", "Telefone", "Status da importação", "Erros"])
        XCTAssertEqual(rows.dropFirst().map { $0[2] }, ["Importado", "Atualizado", "Erro"])
        XCTAssertTrue(rows[3][3].hasPrefix("O número de telefone está vazio"), rows[3][3])

        let skipped = try wire.open("Nome,Telefone\nDavi,+5511912345679\n")
        let skipRows = try rowsOfFile(try wire.commit(skipped, try wire.review(skipped, "updateExisting",
                                                                                mapping: nameAndPhone))["resultFile"]?["uri"])
        XCTAssertEqual(skipRows[1][2], "Ignorado")
        XCTAssertEqual(skipRows[1][3], "Nenhum contato com este número de telefone (esta importação só atualiza contatos existentes).")
    }

    func testASkippedRowSaysWhyInTheErrorsColumn() throws {
        let wire = try ImportWire(locale: "en", contacts: [(["firstName": "Ana", "phone": "+34612345671",
                                                             "email": "ana@example.com"], [])])
        let existing = try XCTUnwrap(try wire.contact(phone: "+34612345671")?.id)
        let session = try wire.open("Nombre,Teléfono\nAna,+34612345671\nBea,+34612345672\n")
        let rows = try rowsOfFile(try wire.commit(session, try wire.review(session, "addNew", mapping: nameAndPhone))["resultFile"]?["uri"])
        XCTAssertEqual(rows[1][2], "Skipped")
        XCTAssertEqual(rows[1][3], "Already exists: contact \(existing) has this phone number (this import adds new contacts only).")
        XCTAssertEqual(rows[2][2], "Imported")
        XCTAssertEqual(rows[2][3], "")

        let spanish = try ImportWire(sharing: wire, locale: "es")
        let byEmail = try spanish.open("Correo,Nombre\nnadie@example.com,Nadie\n")
        let emailRows = try rowsOfFile(try spanish.commit(byEmail, try spanish.review(
            byEmail, "updateExisting", identifier: "email", mapping: [mapped(0, "email"), mapped(1, "firstName")]))["resultFile"]?["uri"])
        XCTAssertEqual(emailRows[1][2], "Omitido")
        XCTAssertEqual(emailRows[1][3],
                       "No hay ningún contacto con este correo electrónico (esta importación solo actualiza contactos existentes).")
    }
}
