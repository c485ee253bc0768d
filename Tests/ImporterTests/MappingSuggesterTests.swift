import XCTest
import Contacts
import Localization
import CSV
import TestSupport
@testable import Importer

/// Builds column profiles from headers and (optionally) values, the way `import/open` does.
func profiles(_ headers: [String], values: [[String]] = [], filled: [Int]? = nil) -> [ColumnProfile] {
    headers.enumerated().map { index, header in
        let samples = index < values.count ? values[index] : []
        return ColumnProfile(index: index, header: header, samples: samples,
                             filled: filled?[index] ?? max(samples.count, 10))
    }
}

final class MappingSuggesterTests: XCTestCase {
    private func fields(_ headers: [String], values: [[String]] = [], filled: [Int]? = nil,
                        custom: [FieldDefinition] = []) -> [String?] {
        MappingSuggester(fields: custom).suggest(columns: profiles(headers, values: values, filled: filled)).columns.map(\.field)
    }

    private func suggestion(_ headers: [String], values: [[String]] = [], custom: [FieldDefinition] = []) -> MappingSuggestion {
        MappingSuggester(fields: custom).suggest(columns: profiles(headers, values: values))
    }

    // MARK: Normalization

    func testHeaderTextSplitsCaseSnakeCamelAndFoldsAccents() {
        XCTAssertEqual(HeaderText("\u{FEFF}E-mail 1 - Value ").words, ["e", "mail", "1", "value"])
        XCTAssertEqual(HeaderText("MobilePhone").words, ["mobile", "phone"])
        XCTAssertEqual(HeaderText("país_de_residencia").words, ["pais", "de", "residencia"])
        XCTAssertEqual(HeaderText("FIRST_NAME").compact, "firstname")
        XCTAssertEqual(HeaderText("firstName").compact, "firstname")
        XCTAssertEqual(HeaderText("HTMLParser").words, ["html", "parser"])
        XCTAssertEqual(HeaderText("Phone1").words, ["phone", "1"])
        XCTAssertEqual(HeaderText("TELÉFONO  MÓVIL").words, ["telefono", "movil"])
        // Decomposed accents (NFD, as macOS file names produce) fold like composed ones.
        XCTAssertEqual(HeaderText("Tele\u{301}fono").compact, "telefono")
        XCTAssertEqual(HeaderText("Country/Region").words, ["country", "region"])
        XCTAssertEqual(HeaderText("  ").compact, "")
    }

    // MARK: Exact headers

    func testKeysAndLabelsInAnyLanguageMatchExactly() {
        let headers = ["\u{FEFF}Nombre ", "LAST_NAME", "número de teléfono", "Correo Electrónico", "idioma", "PAÍS", "tags", "ID de contacto"]
        let result = suggestion(headers)
        XCTAssertEqual(result.columns.map(\.field), ["firstName", "lastName", "phone", "email", "language", "countryCode", "tags", "contactId"])
        for column in result.columns {
            XCTAssertEqual(column.reason, .exactHeader, column.header)
            XCTAssertEqual(column.confidence, 1, column.header)
        }
        XCTAssertEqual(result.columns[0].header, "\u{FEFF}Nombre ", "the header is reported as the file has it")
    }

    func testKeysWrittenAsIdentifiersMatch() {
        XCTAssertEqual(fields(["firstName", "last-name", "country_code", "contactId"]),
                       ["firstName", "lastName", "countryCode", "contactId"])
    }

    // MARK: Real export layouts

    func testRealWorldHeaderRows() {
        let cases: [(String, [String], [String?])] = [
            ("Google Contacts (classic)",
             ["Name", "Given Name", "Additional Name", "Family Name", "Nickname", "Group Membership", "E-mail 1 - Type", "E-mail 1 - Value", "Phone 1 - Type", "Phone 1 - Value", "Address 1 - Country"],
             [nil, "firstName", nil, "lastName", nil, "tags", nil, "email", nil, "phone", "countryCode"]),
            ("Google Contacts (current)",
             ["First Name", "Middle Name", "Last Name", "Labels", "E-mail 1 - Label", "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value"],
             ["firstName", nil, "lastName", "tags", nil, "email", nil, "phone"]),
            ("Outlook",
             ["First Name", "Middle Name", "Last Name", "E-mail Address", "E-mail 2 Address", "Business Phone", "Home Phone", "Mobile Phone", "Categories", "Notes"],
             ["firstName", nil, "lastName", "email", nil, nil, nil, "phone", "tags", nil]),
            ("HubSpot",
             ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number", "Preferred language", "Country/Region", "Lifecycle Stage", "Contact owner"],
             [nil, "firstName", "lastName", "email", "phone", nil, "language", "countryCode", nil, nil]),
            ("Mailchimp",
             ["Email Address", "First Name", "Last Name", "Address", "Phone Number", "TAGS", "MEMBER_RATING", "OPTIN_TIME", "CC", "REGION"],
             ["email", "firstName", "lastName", nil, "phone", "tags", nil, nil, "countryCode", nil]),
            ("Salesforce",
             ["Id", "FirstName", "LastName", "Email", "Phone", "MobilePhone", "MailingCountry", "AccountId"],
             // "Phone" is the phone field's key: an exact header, assigned before any synonym.
             ["contactId", "firstName", "lastName", "email", "phone", nil, "countryCode", nil]),
            ("Spanish",
             ["Nombre", "Apellidos", "Celular", "Correo", "Idioma", "País", "Etiquetas", "Notas"],
             ["firstName", "lastName", "phone", "email", "language", "countryCode", "tags", nil]),
            ("Spanish, everyday",
             ["Nombre completo", "Tel.", "Mail", "Móvil"],
             ["firstName", nil, "email", "phone"]),
            ("Portuguese",
             ["Nome", "Sobrenome", "Telefone", "E-mail", "Idioma", "País", "Etiquetas"],
             ["firstName", "lastName", "phone", "email", "language", "countryCode", "tags"]),
            ("Portuguese (Portugal)",
             ["Primeiro nome", "Apelido", "Telemóvel", "Endereço de e-mail"],
             ["firstName", "lastName", "phone", "email"]),
            ("Old CRM",
             ["ID", "Cliente", "Cel", "Contacto", "Grupo"],
             ["contactId", nil, "phone", nil, "tags"]),
        ]
        for (name, headers, expected) in cases {
            XCTAssertEqual(fields(headers), expected, name)
        }
    }

    func testSynonymsReportSynonymReason() {
        let result = suggestion(["Given Name", "Celular", "E-mail 1 - Value"])
        XCTAssertEqual(result.columns.map(\.reason), [.synonym, .synonym, .synonym])
        XCTAssertTrue(result.columns.allSatisfy { $0.confidence > 0.8 && $0.confidence < 1 })
    }

    func testSynonymInsideALongerHeader() {
        XCTAssertEqual(fields(["Teléfono móvil personal", "Correo electrónico del trabajo"]), ["phone", "email"])
        // Metadata about a field is not the field.
        XCTAssertEqual(fields(["Email Opt Out", "Phone Type", "Teléfono 1 - Etiqueta"],
                              values: [["No", "Yes"], ["Mobile", "Home"], ["Móvil", "Casa"]]), [nil, nil, nil])
        // A header made only of one field's synonyms is as clear as a synonym.
        let both = suggestion(["Celular / WhatsApp", "Teléfono"]).columns
        XCTAssertEqual(both.map(\.field), ["phone", nil])
        XCTAssertEqual(both[0].confidence, 0.96)
        XCTAssertEqual(suggestion(["Teléfono móvil personal"]).columns[0].confidence, 0.8)
        // Somebody else's name or phone.
        XCTAssertEqual(fields(["Nombre de la empresa", "Teléfono de emergencia", "Company Phone"]), [nil, nil, "phone"])
        // Two fields named in one header cannot be settled by the header.
        XCTAssertEqual(fields(["Email / Teléfono"]), [nil])
    }

    // MARK: Phone preference

    func testPhonePreferenceWhatsAppThenMobileThenGenericThenWorkHome() {
        XCTAssertEqual(fields(["Teléfono", "Celular", "WhatsApp"]), [nil, nil, "phone"])
        XCTAssertEqual(fields(["Home Phone", "Teléfono", "Móvil"]), [nil, nil, "phone"])
        XCTAssertEqual(fields(["Work Phone", "Telefone"]), [nil, "phone"])
        XCTAssertEqual(fields(["Business Phone", "Home Phone"]), ["phone", nil])
    }

    func testAnExactPhoneLabelIsAssignedAsTheSeedSays() {
        // "Si un encabezado ... coincide perfectamente con un nombre de campo ... se asignará automáticamente."
        XCTAssertEqual(fields(["WhatsApp", "Phone Number"]), [nil, "phone"])
    }

    func testANearlyEmptyWhatsAppColumnLosesToAWellFilledMobileColumn() {
        XCTAssertEqual(fields(["WhatsApp", "Celular"], filled: [3, 900]), [nil, "phone"])
        XCTAssertEqual(fields(["WhatsApp", "Celular"], filled: [600, 900]), ["phone", nil])
    }

    // MARK: Fuzzy

    func testTyposMatchFuzzily() {
        let result = suggestion(["Nombrre", "Apelidos", "Emial", "Telefno", "Etiqeutas"])
        XCTAssertEqual(result.columns.map(\.field), ["firstName", "lastName", "email", "phone", "tags"])
        XCTAssertEqual(result.columns.map(\.reason), [.fuzzy, .synonym, .fuzzy, .fuzzy, .fuzzy])
        XCTAssertTrue(result.columns.filter { $0.reason == .fuzzy }.allSatisfy { $0.confidence < 0.85 && $0.confidence >= 0.5 })
    }

    func testFuzzyGuessesMustAgreeWithTheValues() {
        XCTAssertEqual(fields(["County"], values: [["Orange", "Kings", "Cook"]]), [nil])
        XCTAssertEqual(fields(["Countyr"], values: [["México", "Brasil", "España"]]), ["countryCode"])
    }

    func testShortHeadersAreNotGuessed() {
        XCTAssertEqual(fields(["Tal", "Col", "Fax"]), [nil, nil, nil])
    }

    // MARK: Content

    func testAColumnOfEmailAddressesIsEmailWhateverItsHeader() {
        let result = suggestion(["Contacto", "Dato"], values: [
            ["ana@example.com", "luis@example.mx", "marta@correo.es"],
            ["+52 55 1234 5678", "55 8765 4321", "(55) 1111-2222"],
        ])
        XCTAssertEqual(result.columns.map(\.field), ["email", "phone"])
        XCTAssertEqual(result.columns.map(\.reason), [.content, .content])
        XCTAssertEqual(result.identifier, .phone)
    }

    func testLanguagesAndCountriesAreToldApartByTheirValues() {
        XCTAssertEqual(fields(["Col A", "Col B"], values: [["MX", "CO", "AR", "ES", "BR"], ["es", "en", "pt", "es", "en"]]),
                       ["countryCode", "language"])
        XCTAssertEqual(fields(["x", "y"], values: [["México", "Colombia", "Perú"], ["Español", "Inglés", "Portugués"]]),
                       ["countryCode", "language"])
    }

    func testLongNumbersUnderAnIdHeaderAreNotPhones() {
        XCTAssertEqual(fields(["Record ID", "Código postal"], values: [["10234567801", "10234567802"], ["28001", "08019"]]), [nil, nil])
    }

    func testContactIdNeedsIntegersAndItsOwnName() {
        XCTAssertEqual(fields(["Id"], values: [["0035g00000ABCdE", "0035g00000ABCdF"]]), [nil])
        XCTAssertEqual(fields(["Id"], values: [["12", "13"]]), ["contactId"])
        XCTAssertEqual(fields(["Contact Number"], values: [["12", "13"]]), [nil])
        XCTAssertEqual(fields(["Contacto ID"], values: [["12", "13"]]), [nil])
    }

    func testValuesOverruleASynonymOnShiftedColumns() {
        // The "Teléfono" column holds e-mails and the unnamed one phones: the file's columns slipped.
        XCTAssertEqual(fields(["Teléfono", "Columna 2"], values: [
            ["ana@example.com", "luis@example.mx", "marta@correo.es"],
            ["+52 55 1234 5678", "55 8765 4321", "(55) 1111-2222"],
        ]), ["email", "phone"])
    }

    // MARK: Custom fields

    func testCustomFieldsTakePartByName() {
        let company = FieldDefinition(key: "Empresa", label: LocalizedText(en: "Empresa", es: "Empresa", pt: "Empresa"), type: .text, isBuiltin: false)
        let whatsapp = FieldDefinition(key: "WhatsApp", label: LocalizedText(en: "WhatsApp", es: "WhatsApp", pt: "WhatsApp"), type: .phone, isBuiltin: false)
        let result = suggestion(["Nombre", "EMPRESA", "whatsapp", "Celular", "Empressa"], custom: [company, whatsapp])
        XCTAssertEqual(result.columns.map(\.field), ["firstName", "Empresa", "WhatsApp", "phone", nil])
        XCTAssertEqual(result.columns[1].reason, .exactHeader)
        XCTAssertEqual(fields(["Empressa"], custom: [company]), ["Empresa"])
    }

    // MARK: Assignment

    func testEachFieldGoesToOneColumnTheFirstOnTies() {
        XCTAssertEqual(fields(["Email", "E-mail", "Correo"]), ["email", nil, nil])
        XCTAssertEqual(fields(["Correo", "Email"]), [nil, "email"])
    }

    func testAssignmentMaximisesTheTotalRatherThanTakingTheBestPairFirst() {
        typealias S = MappingSuggester.Score
        // Column 0 is a little better as field 0, but only column 0 can be field 1.
        let scores: [[Int: S]] = [
            [0: S(value: 0.9, reason: .synonym), 1: S(value: 0.85, reason: .synonym)],
            [0: S(value: 0.8, reason: .synonym)],
        ]
        XCTAssertEqual(MappingSuggester.assign(scores: scores), [1, 0])
        // More fields than columns.
        let wide: [[Int: S]] = [[0: S(value: 0.6, reason: .content), 1: S(value: 0.7, reason: .fuzzy), 2: S(value: 0.9, reason: .synonym)]]
        XCTAssertEqual(MappingSuggester.assign(scores: wide), [2])
    }

    func testHungarianFindsTheOptimumOnRandomMatrices() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let rows = Int.random(in: 1...4, using: &generator)
            let columns = Int.random(in: rows...6, using: &generator)
            let matrix = (0..<rows).map { _ in (0..<columns).map { _ in Double.random(in: 0...1, using: &generator) } }
            let assignment = MappingSuggester.hungarianMaximum(matrix)
            XCTAssertEqual(Set(assignment.compactMap { $0 }).count, rows)
            let total = assignment.enumerated().reduce(0.0) { $0 + matrix[$1.offset][$1.element ?? 0] }
            XCTAssertEqual(total, bruteForceBest(matrix), accuracy: 1e-9)
        }
    }

    private func bruteForceBest(_ matrix: [[Double]], row: Int = 0, used: Set<Int> = []) -> Double {
        guard row < matrix.count else { return 0 }
        var best = -Double.infinity
        for column in matrix[row].indices where !used.contains(column) {
            best = max(best, matrix[row][column] + bruteForceBest(matrix, row: row + 1, used: used.union([column])))
        }
        return best
    }

    func testDamerauLevenshteinCountsATranspositionAsOneEdit() {
        func distance(_ a: String, _ b: String, limit: Int = 5) -> Int? {
            MappingSuggester.restrictedDamerauLevenshtein(Array(a.utf8), Array(b.utf8), limit: limit)
        }
        XCTAssertEqual(distance("email", "emial"), 1)
        XCTAssertEqual(distance("telefono", "telefno"), 1)
        XCTAssertEqual(distance("phone", "phone"), 0)
        XCTAssertEqual(distance("abc", ""), 3)
        XCTAssertNil(distance("country", "language", limit: 2))
    }

    // MARK: Identifier

    func testIdentifierIsTheBetterFilledOfPhoneAndEmailTiesGoToPhone() {
        func identifier(_ filled: [Int]) -> BuiltinField? {
            MappingSuggester().suggest(columns: profiles(["Email", "Phone"], filled: filled)).identifier
        }
        XCTAssertEqual(identifier([10, 5]), .email)
        XCTAssertEqual(identifier([5, 10]), .phone)
        XCTAssertEqual(identifier([7, 7]), .phone)
        XCTAssertEqual(MappingSuggester().suggest(columns: profiles(["Email"])).identifier, .email)
        XCTAssertNil(MappingSuggester().suggest(columns: profiles(["Nombre", "Notas"])).identifier)
    }

    func testAParagraphPastedAsAHeaderIsCheap() {
        let paragraph = String(repeating: "Por favor escriba aquí el teléfono y el correo del contacto ", count: 2_000)
        let start = Date()
        XCTAssertNil(suggestion([paragraph]).columns[0].field)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testUnmappedColumnsSayNone() {
        let column = suggestion(["Notas"]).columns[0]
        XCTAssertEqual(column, ColumnSuggestion(column: 0, header: "Notas", field: nil, confidence: 0, reason: .none))
    }

    // MARK: Generated files

    func testGeneratedFilesInEachHeaderLanguage() throws {
        for language in ContactCSVGenerator.HeaderLanguage.allCases {
            let bytes = ContactCSVGenerator(rows: 400, seed: 3, headers: language).bytes()
            let table = try CSVReader.read(bytes: bytes)
            let result = MappingSuggester().suggest(columns: ColumnProfile.profiles(of: table))
            XCTAssertEqual(result.columns.map(\.field),
                           ["firstName", "lastName", "phone", "email", "language", "countryCode", "tags", nil], "\(language)")
            // About 97% of rows have a phone and 88% an e-mail.
            XCTAssertEqual(result.identifier, .phone, "\(language)")
        }
    }

    func testGeneratedFileWithMeaninglessHeadersIsMappedByContent() throws {
        let generator = ContactCSVGenerator(rows: 400, seed: 5)
        var text = generator.csvText()
        let firstLineEnd = try XCTUnwrap(text.range(of: "\r\n"))
        text.replaceSubrange(text.startIndex..<firstLineEnd.lowerBound, with: (1...8).map { "Campo \($0)" }.joined(separator: ","))
        let table = try CSVReader.read(bytes: Array(text.utf8))
        let result = MappingSuggester().suggest(columns: ColumnProfile.profiles(of: table))
        XCTAssertEqual(result.columns.map(\.field), [nil, nil, "phone", "email", "language", "countryCode", nil, nil])
        XCTAssertTrue(result.columns.compactMap { $0.field == nil ? nil : $0.reason }.allSatisfy { $0 == .content })
    }

    // MARK: Size

    func testManyColumnsWithFullSamplesStayFast() {
        let headers = (0..<300).map { ["Email \($0)", "Teléfono \($0)", "Nombre \($0)", "Campo \($0)", "Idioma"][$0 % 5] }
        let values = (0..<300).map { column in (0..<200).map { row in
            column % 5 == 0 ? "user\(row)@example.com" : (column % 5 == 1 ? "+52 55 \(1000 + row) 5678" : "valor \(row)") } }
        let columns = profiles(headers, values: values)
        let start = Date()
        let result = MappingSuggester().suggest(columns: columns)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(result.columns.compactMap(\.field).count, Set(result.columns.compactMap(\.field)).count)
        XCTAssertLessThan(elapsed, 5, "debug build; the release figure is in the benchmark")
    }
}
