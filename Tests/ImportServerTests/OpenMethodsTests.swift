import XCTest
import Foundation
import JSONRPC
import TestSupport

/// import/open, import/suggestMapping, import/close and session lifetime (protocol/README.md §7.1–7.3, §7.8)
/// over the real `contact-importd` binary.
final class OpenMethodsTests: XCTestCase {
    private var files: TemporaryDirectory!

    override func setUpWithError() throws {
        files = try TemporaryDirectory(prefix: "open-tests")
    }

    override func tearDown() {
        files.remove()
    }

    private func started(locale: String = "en", arguments: [String] = []) throws -> WireClient {
        let client = try WireClient(arguments: arguments)
        try client.initialize(locale: locale)
        return client
    }

    private func uri(_ path: String) -> String {
        "file://" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path)
    }

    private func open(_ client: WireClient, bytes: [UInt8], name: String = "contacts.csv",
                      extra: [String: JSONValue] = [:]) throws -> JSONValue {
        let path = try files.write(name, bytes: bytes)
        var params = extra
        params["uri"] = .string(uri(path))
        return try client.request("import/open", .object(params))
    }

    private func openError(_ client: WireClient, bytes: [UInt8], name: String = "contacts.csv") throws -> ResponseError {
        let path = try files.write(name, bytes: bytes)
        return try client.requestError("import/open", ["uri": .string(uri(path))])
    }

    private func headers(_ result: JSONValue) -> [String] {
        result["columns"]?.arrayValue?.compactMap { $0["header"]?.stringValue } ?? []
    }

    // MARK: result shape

    func testOpenByURIReportsFileFactsColumnsSamplesAndFillCounts() throws {
        let client = try started()
        let text = "Nombre,Teléfono,Correo\nAna,+52 55 1234 5678,ana@example.com\nLuis,,luis@example.com\n,5512345678,\nMarta,55 8765 4321,\nJosé,,\nEva,1,\nPia,2,\n"
        let result = try open(client, bytes: Array(text.utf8), name: "mis contactos ñ.csv")
        let sessionId = try XCTUnwrap(result["sessionId"]?.stringValue)
        XCTAssertTrue(sessionId.hasPrefix("s-"))
        let expiresAt = try XCTUnwrap(result["expiresAt"]?.stringValue)
        XCTAssertNotNil(expiresAt.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression), expiresAt)
        let expiry = try XCTUnwrap(ISO8601DateFormatter().date(from: expiresAt))
        XCTAssertEqual(expiry.timeIntervalSinceNow, 3600, accuracy: 60)
        XCTAssertEqual(result["file"], [
            "name": "mis contactos ñ.csv", "bytes": .int(text.utf8.count), "encoding": "utf-8", "bom": false,
            "delimiter": ",", "rowCount": 7, "columnCount": 3, "headerRow": 1,
        ])
        XCTAssertEqual(result["columns"], [
            ["index": 0, "header": "Nombre", "samples": ["Ana", "Luis", "Marta", "José", "Eva"], "filled": 6],
            ["index": 1, "header": "Teléfono", "samples": ["+52 55 1234 5678", "5512345678", "55 8765 4321", "1", "2"], "filled": 5],
            ["index": 2, "header": "Correo", "samples": ["ana@example.com", "luis@example.com"], "filled": 2],
        ])
        XCTAssertEqual(result["warnings"], [])
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testTextInsteadOfURIAndTheFileNameItGives() throws {
        let client = try started()
        let result = try client.request("import/open", ["text": "\u{FEFF}Email;Nombre\r\nana@example.com;Ana\r\n", "fileName": "buffer.csv"])
        XCTAssertEqual(result["file"]?["name"], "buffer.csv")
        XCTAssertEqual(result["file"]?["bom"], true)
        XCTAssertEqual(result["file"]?["delimiter"], ";")
        XCTAssertEqual(headers(result), ["Email", "Nombre"])
        let untitled = try client.request("import/open", ["text": "a,b\n1,2\n"])
        XCTAssertEqual(untitled["file"]?["name"], "untitled.csv")
    }

    func testExactlyOneOfURIOrTextElseInvalidParams() throws {
        let client = try started()
        let neither = try client.requestError("import/open", ["fileName": "x.csv"])
        XCTAssertEqual(neither.code, ErrorCode.invalidParams)
        XCTAssertEqual(neither.data?["field"], "uri")
        let both = try client.requestError("import/open", ["uri": "file:///tmp/x.csv", "text": "a\n1\n"])
        XCTAssertEqual(both.code, ErrorCode.invalidParams)
        XCTAssertEqual(both.data?["field"], "text")
        XCTAssertEqual(try client.requestError("import/open", ["text": 3]).code, ErrorCode.invalidParams)
        XCTAssertEqual(try client.requestError("import/open", ["text": "a\n1\n", "encoding": "latin-9"]).code, ErrorCode.invalidParams)
        XCTAssertEqual(try client.requestError("import/open", ["text": "a\n1\n", "delimiter": ":"]).code, ErrorCode.invalidParams)
    }

    // MARK: encodings and delimiters

    func testEachEncoding() throws {
        let client = try started()
        let text = "Nombre,Teléfono\nJosé Núñez,+34 612 345 678\n"
        let utf16LE: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let utf16BE: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let windows1252 = Array(text.unicodeScalars.map { UInt8($0.value) })
        let cases: [(String, [UInt8], String, Bool)] = [
            ("utf8.csv", Array(text.utf8), "utf-8", false),
            ("utf8bom.csv", [0xEF, 0xBB, 0xBF] + Array(text.utf8), "utf-8", true),
            ("utf16le.csv", utf16LE, "utf-16le", true),
            ("utf16be.csv", utf16BE, "utf-16be", true),
            ("cp1252.csv", windows1252, "windows-1252", false),
        ]
        for (name, bytes, encoding, bom) in cases {
            let result = try open(client, bytes: bytes, name: name)
            XCTAssertEqual(result["file"]?["encoding"]?.stringValue, encoding, name)
            XCTAssertEqual(result["file"]?["bom"]?.boolValue, bom, name)
            XCTAssertEqual(result["file"]?["bytes"]?.intValue, bytes.count, name)
            XCTAssertEqual(headers(result), ["Nombre", "Teléfono"], name)
            XCTAssertEqual(result["columns"]?[0]?["samples"], ["José Núñez"], name)
            _ = try client.request("import/close", ["sessionId": result["sessionId"] ?? .null])
        }
        // The `encoding` param overrides detection: valid UTF-8 read as Windows-1252 on request.
        let forced = try open(client, bytes: Array(text.utf8), name: "forced.csv", extra: ["encoding": "windows-1252"])
        XCTAssertEqual(forced["file"]?["encoding"], "windows-1252")
        XCTAssertEqual(headers(forced), ["Nombre", "TelÃ©fono"])
    }

    func testGeneratedContactFilesInEveryEncodingDelimiterAndHeaderLanguage() throws {
        let client = try started()
        let expectedFields: [String?] = ["firstName", "lastName", "phone", "email", "language", "countryCode", "tags", nil]
        var variant = 0
        for encoding in ContactCSVGenerator.Encoding.allCases {
            for delimiter in [",", ";", "\t", "|"] {
                variant += 1
                let language = ContactCSVGenerator.HeaderLanguage.allCases[variant % 3]
                let generator = ContactCSVGenerator(rows: 1_500, seed: UInt64(variant), delimiter: UInt8(ascii: Unicode.Scalar(delimiter) ?? ","),
                                                    encoding: encoding, headers: language)
                let name = "\(encoding.rawValue) \(delimiter == "\t" ? "tab" : delimiter) \(language)"
                let opened = try open(client, bytes: generator.bytes(), name: "generated-\(variant).csv")
                XCTAssertEqual(opened["file"]?["rowCount"], 1_500, name)
                XCTAssertEqual(opened["file"]?["delimiter"]?.stringValue, delimiter, name)
                XCTAssertEqual(opened["file"]?["encoding"]?.stringValue, encoding == .utf8BOM ? "utf-8" : encoding.rawValue, name)
                XCTAssertEqual(opened["file"]?["bom"]?.boolValue, encoding == .utf8BOM || encoding == .utf16LE, name)
                XCTAssertEqual(headers(opened), generator.headers, name)
                let rows = generator.rows()
                XCTAssertEqual(opened["columns"]?[3]?["filled"]?.intValue,
                               rows.filter { !$0.email.trimmingCharacters(in: .whitespaces).isEmpty }.count, name)
                let sessionId = opened["sessionId"] ?? .null
                let suggestion = try client.request("import/suggestMapping", ["sessionId": sessionId])
                XCTAssertEqual(suggestion["mapping"]?.arrayValue?.map { $0["field"]?.stringValue }, expectedFields, name)
                XCTAssertEqual(suggestion["identifier"], "phone", name)
                _ = try client.request("import/close", ["sessionId": sessionId])
            }
        }
    }

    func testEachDelimiterIsSniffedOrForced() throws {
        let client = try started()
        for (delimiter, name) in [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")] {
            let text = ["Nombre", "Teléfono", "Notas"].joined(separator: delimiter) + "\n"
                + ["Ana", "+52 55 1234 5678", "uno, dos"].joined(separator: delimiter) + "\n"
                + ["Luis", "55 8765 4321", "tres; cuatro"].joined(separator: delimiter) + "\n"
            let result = try open(client, bytes: Array(text.utf8), name: "\(name).csv")
            XCTAssertEqual(result["file"]?["delimiter"]?.stringValue, delimiter, name)
            XCTAssertEqual(result["file"]?["columnCount"], 3, name)
            _ = try client.request("import/close", ["sessionId": result["sessionId"] ?? .null])
        }
        let forced = try open(client, bytes: Array("a;b,c\n1;2,3\n".utf8), name: "forced.csv", extra: ["delimiter": ","])
        XCTAssertEqual(headers(forced), ["a;b", "c"])
    }

    func testQuotedFieldsWithEmbeddedNewlinesAndDoubledQuotes() throws {
        let client = try started()
        let text = "Nombre,Notas\r\n\"Ana \"\"la jefa\"\"\",\"primera línea\r\nsegunda, con coma\"\r\nLuis,\"\"\r\n"
        let result = try open(client, bytes: Array(text.utf8))
        XCTAssertEqual(result["file"]?["rowCount"], 2)
        XCTAssertEqual(result["columns"]?[0]?["samples"], ["Ana \"la jefa\"", "Luis"])
        XCTAssertEqual(result["columns"]?[1]?["samples"], ["primera línea\r\nsegunda, con coma"])
        XCTAssertEqual(result["columns"]?[1]?["filled"], 1)
    }

    func testWarningsForEmptyDuplicateHeadersAndRaggedRows() throws {
        let client = try started(locale: "es")
        let result = try open(client, bytes: Array("Nombre,,Nombre\nAna,1,x\nLuis\n".utf8))
        XCTAssertEqual(headers(result), ["Nombre", "Columna 2", "Nombre (2)"])
        let warnings = try XCTUnwrap(result["warnings"]?.arrayValue)
        XCTAssertEqual(warnings.compactMap { $0["code"]?.stringValue }.sorted(), ["duplicateHeader", "emptyHeader", "raggedRows"])
        let ragged = try XCTUnwrap(warnings.first { $0["code"] == "raggedRows" })
        XCTAssertEqual(ragged["rows"], [2])
        XCTAssertFalse(ragged["message"]?.stringValue?.isEmpty ?? true)
    }

    func testProgressForAWorkDoneToken() throws {
        let client = try started()
        let path = try files.write("p.csv", "Nombre\n" + String(repeating: "Ana\n", count: 50_000))
        _ = try client.request("import/open", ["uri": .string(uri(path)), "workDoneToken": "open-1"])
        let begin = try client.waitForNotification("$/progress")
        XCTAssertEqual(begin["token"], "open-1")
        XCTAssertEqual(begin["value"]?["kind"], "begin")
        var last = begin
        while last["value"]?["kind"] != "end" {
            last = try client.waitForNotification("$/progress")
            if last["value"]?["kind"] == "report" {
                XCTAssertTrue(last["value"]?["message"]?.stringValue?.hasSuffix("% of the file read") ?? false, "\(last)")
            }
        }
        XCTAssertEqual(last["value"]?["message"], "50,000 rows")
    }

    // MARK: rejections

    func testEachRejectionReasonWithAMessageInTheClientsLanguage() throws {
        let client = try started(locale: "es")
        let xlsx: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + Array("[Content_Types].xml xl/workbook.xml".utf8) + [UInt8](repeating: 0, count: 64)
        let cases: [(String, [UInt8], String)] = [
            ("libro.xlsx", xlsx, "notCsv"),
            ("doc.pdf", Array("%PDF-1.7\n%âãÏÓ\n1 0 obj".utf8) + [0, 1, 2], "notCsv"),
            ("binario.csv", [0x4E, 0x6F, 0x6D, 0x00, 0x01, 0x02, 0x00, 0x0A, 0x00, 0xFF], "notCsv"),
            ("vacio.csv", [], "empty"),
            ("solo-encabezado.csv", Array("Nombre,Teléfono\n".utf8), "empty"),
        ]
        for (name, bytes, reason) in cases {
            let error = try openError(client, bytes: bytes, name: name)
            XCTAssertEqual(error.code, ErrorCode.fileRejected, name)
            XCTAssertEqual(error.data?["reason"]?.stringValue, reason, name)
            XCTAssertFalse(error.message.isEmpty, name)
        }
        let workbook = try openError(client, bytes: xlsx, name: "libro2.xlsx")
        XCTAssertTrue(workbook.message.contains("Excel"), workbook.message)

        let missing = try client.requestError("import/open", ["uri": .string(uri(files.file("no-existe.csv")))])
        XCTAssertEqual(missing.data?["reason"], "unreadable")
        let directory = try client.requestError("import/open", ["uri": .string(uri(files.path))])
        XCTAssertEqual(directory.data?["reason"], "unreadable")
        for bad in ["https://example.com/contacts.csv", "file://otro-equipo/tmp/x.csv", "/tmp/x.csv", "contacts.csv", "file:relative.csv"] {
            let error = try client.requestError("import/open", ["uri": .string(bad)])
            XCTAssertEqual(error.code, ErrorCode.fileRejected, bad)
            XCTAssertEqual(error.data?["reason"], "unreadable", bad)
            XCTAssertTrue(error.message.contains("file://"), error.message)
        }
        let malformed = try client.requestError("import/open", ["uri": "file:///tmp/100%ZZ.csv"])
        XCTAssertEqual(malformed.data?["reason"], "unreadable")
        XCTAssertTrue(malformed.message.contains("%"), malformed.message)
        let device = try client.requestError("import/open", ["uri": "file:///dev/zero"])
        XCTAssertEqual(device.data?["reason"], "unreadable")
    }

    func testUnreadableFileWithoutPermission() throws {
        try XCTSkipIf(getuid() == 0, "root reads any file")
        let client = try started()
        let path = try files.write("locked.csv", "a\n1\n")
        chmod(path, 0)
        let error = try client.requestError("import/open", ["uri": .string(uri(path))])
        XCTAssertEqual(error.data?["reason"], "unreadable")
    }

    func testPercentEncodedAndLocalhostURIs() throws {
        let client = try started()
        let path = try files.write("con espacio y ñ.csv", "a\n1\n")
        let encoded = try client.request("import/open", ["uri": .string(uri(path))])
        XCTAssertEqual(encoded["file"]?["name"], "con espacio y ñ.csv")
        let localhost = try client.request("import/open", ["uri": .string("file://localhost" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path))])
        XCTAssertEqual(localhost["file"]?["rowCount"], 1)
    }

    func testRowLimitBoundary() throws {
        let client = try started()
        let header = "Nombre,Teléfono\n"
        let row = "Ana,5512345678\n"
        let atLimit = try open(client, bytes: Array((header + String(repeating: row, count: 200_000)).utf8), name: "200000.csv")
        XCTAssertEqual(atLimit["file"]?["rowCount"], 200_000)
        XCTAssertEqual(atLimit["columns"]?[1]?["filled"], 200_000)
        let over = try openError(client, bytes: Array((header + String(repeating: row, count: 200_001)).utf8), name: "200001.csv")
        XCTAssertEqual(over.code, ErrorCode.fileRejected)
        XCTAssertEqual(over.data?["reason"], "tooManyRows")
    }

    func testSizeLimitBoundary() throws {
        let client = try started()
        let limit = 20_971_520
        func file(bytes total: Int) -> [UInt8] {
            var bytes = Array("Nombre,Notas\n".utf8)
            let row = Array("Ana,".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 1_000) + [0x0A]
            while bytes.count + row.count + 10 <= total { bytes += row }
            // The last row takes up exactly what is left (at least 10 bytes).
            let remaining = total - bytes.count
            return bytes + Array("Ana,".utf8) + [UInt8](repeating: UInt8(ascii: "y"), count: remaining - 5) + [0x0A]
        }
        let exact = file(bytes: limit)
        XCTAssertEqual(exact.count, limit)
        let accepted = try open(client, bytes: exact, name: "exact.csv")
        XCTAssertEqual(accepted["file"]?["bytes"]?.intValue, limit)
        let oneMore = file(bytes: limit + 1)
        XCTAssertEqual(oneMore.count, limit + 1)
        let rejected = try openError(client, bytes: oneMore, name: "over.csv")
        XCTAssertEqual(rejected.data?["reason"], "tooLarge")
        let asText = try client.requestError("import/open", ["text": .string(String(decoding: oneMore, as: UTF8.self))],
                                             timeout: 60)
        XCTAssertEqual(asText.data?["reason"], "tooLarge")
    }

    // MARK: sessions

    func testCloseFreesTheSessionThenItsIdIsNotFound() throws {
        let client = try started(locale: "es")
        let id = try XCTUnwrap(client.request("import/open", ["text": "a\n1\n"])["sessionId"])
        XCTAssertEqual(try client.request("import/close", ["sessionId": id]), .null)
        for method in ["import/suggestMapping", "import/close"] {
            let error = try client.requestError(method, ["sessionId": id])
            XCTAssertEqual(error.code, ErrorCode.sessionNotFound, method)
            XCTAssertEqual(error.data?["sessionId"], id)
        }
        XCTAssertEqual(try client.requestError("import/suggestMapping", ["sessionId": "s-nunca"]).code, ErrorCode.sessionNotFound)
        XCTAssertEqual(try client.requestError("import/suggestMapping", [:]).code, ErrorCode.invalidParams)
    }

    func testAnIdleSessionExpiresWithANotificationThenAnswersSessionExpired() throws {
        let client = try started(locale: "es", arguments: ["--session-ttl", "1"])
        let idle = try XCTUnwrap(client.request("import/open", ["text": "a\n1\n"])["sessionId"])
        let busy = try XCTUnwrap(client.request("import/open", ["text": "b\n2\n"])["sessionId"])
        // Touching `busy` every 0.4 s keeps it alive while `idle` times out.
        for _ in 0..<4 {
            Thread.sleep(forTimeInterval: 0.4)
            _ = try client.request("import/suggestMapping", ["sessionId": busy])
        }
        let notice = try client.waitForNotification("import/sessionExpired", timeout: 5)
        XCTAssertEqual(notice, ["sessionId": idle])
        let error = try client.requestError("import/suggestMapping", ["sessionId": idle])
        XCTAssertEqual(error.code, ErrorCode.sessionExpired)
        XCTAssertTrue(error.message.hasPrefix("Sesión caducada"), error.message)
        XCTAssertEqual(try client.requestError("import/close", ["sessionId": idle]).code, ErrorCode.sessionExpired)
        _ = try client.request("import/suggestMapping", ["sessionId": busy])
        let later = try client.waitForNotification("import/sessionExpired", timeout: 5)
        XCTAssertEqual(later, ["sessionId": busy])
        XCTAssertEqual(try client.requestError("import/suggestMapping", ["sessionId": busy]).code, ErrorCode.sessionExpired)
    }

    func testSessionLimit() throws {
        let client = try started(arguments: ["--max-sessions", "2"])
        let first = try XCTUnwrap(client.request("import/open", ["text": "a\n1\n"])["sessionId"])
        _ = try client.request("import/open", ["text": "a\n1\n"])
        let error = try client.requestError("import/open", ["text": "a\n1\n"])
        XCTAssertEqual(error.code, ErrorCode.tooManySessions)
        XCTAssertEqual(error.data?["limit"], 2)
        _ = try client.request("import/close", ["sessionId": first])
        XCTAssertNotNil(try client.request("import/open", ["text": "a\n1\n"])["sessionId"])
    }

    // MARK: suggestMapping

    /// Opens `text` and asks for a suggestion; the result carries the session id under "sessionId".
    private func suggest(_ client: WireClient, _ text: String, params: [String: JSONValue] = [:]) throws -> JSONValue {
        let id = try XCTUnwrap(client.request("import/open", ["text": .string(text)])["sessionId"])
        var params = params
        params["sessionId"] = id
        var result = try XCTUnwrap(client.request("import/suggestMapping", .object(params)).objectValue)
        result["sessionId"] = id
        return .object(result)
    }

    func testSuggestMappingForRealWorldHeaderRows() throws {
        let client = try started()
        let cases: [(String, [String], [String?])] = [
            ("Google", ["Name", "Given Name", "Family Name", "Group Membership", "E-mail 1 - Type", "E-mail 1 - Value", "Phone 1 - Type", "Phone 1 - Value"],
             [nil, "firstName", "lastName", "tags", nil, "email", nil, "phone"]),
            ("Outlook", ["First Name", "Last Name", "E-mail Address", "Business Phone", "Mobile Phone", "Categories"],
             ["firstName", "lastName", "email", nil, "phone", "tags"]),
            ("HubSpot", ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number", "Preferred language", "Country/Region"],
             [nil, "firstName", "lastName", "email", "phone", nil, "language", "countryCode"]),
            ("Mailchimp", ["Email Address", "First Name", "Last Name", "TAGS", "MEMBER_RATING"],
             ["email", "firstName", "lastName", "tags", nil]),
            ("Salesforce", ["FirstName", "LastName", "MobilePhone", "MailingCountry"],
             ["firstName", "lastName", "phone", "countryCode"]),
            ("Spanish", ["Nombre", "Apellidos", "Celular", "WhatsApp", "Correo", "Idioma", "País", "Etiquetas"],
             ["firstName", "lastName", nil, "phone", "email", "language", "countryCode", "tags"]),
            ("Portuguese", ["Nome", "Sobrenome", "Telefone", "E-mail", "Idioma", "País", "Etiquetas"],
             ["firstName", "lastName", "phone", "email", "language", "countryCode", "tags"]),
        ]
        for (name, headers, expected) in cases {
            let row = headers.map { _ in "" }.joined(separator: ",")
            let result = try suggest(client, headers.joined(separator: ",") + "\n" + row + "x\n")
            let mapping = try XCTUnwrap(result["mapping"]?.arrayValue, name)
            XCTAssertEqual(mapping.map { $0["field"]?.stringValue }, expected, name)
            XCTAssertEqual(mapping.map { $0["column"]?.intValue }, Array(headers.indices), name)
            XCTAssertEqual(mapping.map { $0["header"]?.stringValue }, headers, name)
            _ = try client.request("import/close", ["sessionId": result["sessionId"] ?? .null])
        }
    }

    func testSuggestMappingReasonsConfidenceIdentifierAndCustomFields() throws {
        let client = try started()
        _ = try client.request("fields/create", ["name": "Empresa", "type": "text"])
        let text = "\u{FEFF}Nombre ,Contacto,Telefno,Empresa,Notas,Etiqeutas\nAna,ana@example.com,+52 55 1234 5678,ACME,,vip\nLuis,luis@example.com,,Globex,hola,\n"
        let result = try suggest(client, text, params: ["purpose": "addAndUpdate"])
        XCTAssertEqual(result["mapping"], [
            ["column": 0, "header": "Nombre", "field": "firstName", "confidence": 1.0, "reason": "exactHeader"],
            ["column": 1, "header": "Contacto", "field": "email", "confidence": 0.9, "reason": "content"],
            // A typo of "Teléfono" (fuzzy, 0.67) whose values are phones: the values are the stronger evidence.
            ["column": 2, "header": "Telefno", "field": "phone", "confidence": 0.85, "reason": "content"],
            ["column": 3, "header": "Empresa", "field": "Empresa", "confidence": 1.0, "reason": "exactHeader"],
            ["column": 4, "header": "Notas", "field": nil, "confidence": 0.0, "reason": "none"],
            ["column": 5, "header": "Etiqeutas", "field": "tags", "confidence": 0.76, "reason": "fuzzy"],
        ])
        // Two e-mails against one phone.
        XCTAssertEqual(result["identifier"], "email")
        let chosen = try client.request("import/suggestMapping", ["sessionId": result["sessionId"] ?? .null, "identifier": "phone"])
        XCTAssertEqual(chosen["identifier"], "phone")
        let unknown = try client.requestError("import/suggestMapping", ["sessionId": result["sessionId"] ?? .null, "purpose": "merge"])
        XCTAssertEqual(unknown.code, ErrorCode.invalidParams)
    }
}
