import XCTest
import Contacts
import Localization
@testable import Importer

/// The header rules of issue 14: the concept table shared with custom fields, more real-export
/// headers, no false friends, content that never overrides a header, filled columns first, a
/// suggestion valid for its purpose, content deciding under an empty header.
final class MappingSuggesterRound2Tests: XCTestCase {
    private func custom(_ name: String, _ type: FieldType = .text) -> FieldDefinition {
        FieldDefinition(key: name, label: LocalizedText(en: name, es: name, pt: name), type: type, isBuiltin: false)
    }

    private func fields(_ headers: [String], values: [[String]] = [], filled: [Int]? = nil,
                        custom: [FieldDefinition] = [], contactIdAllowed: Bool = true) -> [String?] {
        MappingSuggester(fields: custom)
            .suggest(columns: profiles(headers, values: values, filled: filled), contactIdAllowed: contactIdAllowed)
            .columns.map(\.field)
    }

    private func reasons(_ headers: [String], values: [[String]], custom: [FieldDefinition] = []) -> [MappingReason] {
        MappingSuggester(fields: custom).suggest(columns: profiles(headers, values: values)).columns.map(\.reason)
    }

    // MARK: Concepts shared with custom fields

    func test_custom_company_field_takes_its_synonyms() {
        let company = custom("Company")
        for header in ["Organization", "Empresa", "Razón social", "Account Name", "Organization 1 - Name", "Compañía"] {
            XCTAssertEqual(fields([header], custom: [company]), ["Company"], header)
        }
    }

    func test_custom_birthday_and_notes_fields_take_their_synonyms() {
        let birthday = custom("Birthday", .date)
        for header in ["Fecha nac.", "Nacimiento", "Cumpleaños", "Aniversário", "Date of birth", "Fecha de nacimiento"] {
            XCTAssertEqual(fields([header], custom: [birthday]), ["Birthday"], header)
        }
        let notes = custom("Notes")
        for header in ["Obs.", "Notas", "Observaciones", "Comentarios"] {
            XCTAssertEqual(fields([header], custom: [notes]), ["Notes"], header)
        }
        let web = custom("Website", .url)
        for header in ["Web Page", "URL 1", "Sitio web"] {
            XCTAssertEqual(fields([header], custom: [web]), ["Website"], header)
        }
    }

    func test_concept_synonyms_do_not_reach_an_unrelated_custom_field() {
        XCTAssertEqual(fields(["Empresa", "Cumpleaños"], custom: [custom("Notes")]), [nil, nil])
    }

    // MARK: More headers of real exports

    func test_more_phone_country_language_and_id_headers() {
        for header in ["Número", "Fono", "WhatsApp No.", "Num_Tel", "Telefone 1", "Celular (10 dígitos)", "Tel. móvil"] {
            XCTAssertEqual(fields([header]), ["phone"], header)
        }
        for header in ["Cod. país", "País (ISO)"] { XCTAssertEqual(fields([header]), ["countryCode"], header) }
        XCTAssertEqual(fields(["Lenguaje"]), ["language"])
        XCTAssertEqual(fields(["Id contacto"], values: [["12", "13"]]), ["contactId"])
        XCTAssertEqual(fields(["ID"], values: [["12", "13"]]), ["contactId"])
        XCTAssertEqual(fields(["Saved Name", "Phone"]), ["firstName", "phone"])
        XCTAssertEqual(fields(["Public Name"]), ["firstName"])
    }

    // MARK: No false friends

    func test_campaña_is_not_company() {
        let company = custom("Company")
        XCTAssertEqual(fields(["Campaña"], custom: [company]), [nil])
        XCTAssertEqual(fields(["Campanha"], custom: [company]), [nil])
        XCTAssertEqual(fields(["Campaign"], custom: [company]), [nil])
        // A real typo still maps.
        XCTAssertEqual(fields(["Compnay"], custom: [company]), ["Company"])
        XCTAssertEqual(fields(["Telefnoo"], values: [["55 1234 5678"]]), ["phone"])
    }

    func test_a_typo_equally_close_to_two_fields_is_left_to_the_user() {
        // "Nota" is one edit from both custom fields "Note" and "Nome"... and a word of its own.
        XCTAssertEqual(fields(["Nate"], custom: [custom("Note"), custom("Name2"), custom("Nane")]), [nil])
    }

    // MARK: Content never overrides a header that means something else

    func test_state_codes_are_not_countries_or_languages() {
        let states = ["CO", "CA", "NL", "TX", "NY", "FL", "CO", "CA"]
        XCTAssertEqual(fields(["Mailing State/Province"], values: [states]), [nil])
        XCTAssertEqual(fields(["UF"], values: [["MG", "PR", "RS", "SP", "RJ", "MG", "BA"]]), [nil])
        XCTAssertEqual(fields(["Estado"], values: [["MG", "PR", "RS", "SP"]]), [nil])
        // Next to it, a neutral header over country codes is still a country column.
        XCTAssertEqual(fields(["Columna 3"], values: [["MX", "CO", "AR", "ES", "BR"]]), ["countryCode"])
    }

    func test_yes_no_columns_are_never_codes() {
        let yesNo = ["No", "No", "Yes", "No", "No", "Yes", "No"]
        XCTAssertEqual(fields(["EMAIL_BLACKLISTED"], values: [yesNo]), [nil])
        XCTAssertEqual(fields(["Opt In"], values: [yesNo]), [nil])
        XCTAssertEqual(fields(["Columna 7"], values: [yesNo]), [nil])
    }

    func test_cpf_column_is_not_a_phone() {
        let cpfs = ["529.982.247-25", "111.444.777-35", "52998224725", "11144477735", "390.533.447-05"]
        XCTAssertEqual(fields(["CPF"], values: [cpfs]), [nil])
        XCTAssertEqual(fields(["Documento"], values: [cpfs]), [nil])
        XCTAssertEqual(fields(["Columna 2"], values: [cpfs]), [nil])
        // Phones under a neutral header are phones.
        XCTAssertEqual(fields(["Columna 2"], values: [["+55 11 91234 5678", "+55 21 2345 6789", "+55 11 98765 4321"]]), ["phone"])
    }

    // MARK: The filled column wins

    func test_filled_column_wins_over_an_empty_one() {
        XCTAssertEqual(fields(["Business Country/Region", "Other Country/Region"], values: [[], ["MX", "CO"]], filled: [0, 40]),
                       [nil, "countryCode"])
        XCTAssertEqual(fields(["Phone 1", "Phone 2"], values: [[], ["+52 55 1234 5678"]], filled: [0, 40]),
                       [nil, "phone"])
        XCTAssertEqual(fields(["Phone 1", "Phone 2"], values: [["+52 55 1234 5678"], ["+52 55 1234 5679"]], filled: [40, 40]),
                       ["phone", nil])
    }

    // MARK: Valid for its purpose

    func test_contact_id_is_not_suggested_where_the_purpose_cannot_use_it() {
        XCTAssertEqual(fields(["Contact ID", "Phone"], values: [["12", "13"]], contactIdAllowed: false), [nil, "phone"])
        XCTAssertEqual(fields(["Contact ID", "Phone"], values: [["12", "13"]], contactIdAllowed: true), ["contactId", "phone"])
    }

    func test_contact_id_only_over_whole_numbers() {
        let salesforce = ["0033000000abcdeAAA", "0033000000abcdfAAA", "0033000000abcdgAAA"]
        XCTAssertEqual(fields(["Contact ID"], values: [salesforce]), [nil])
        XCTAssertEqual(fields(["Contact ID"], values: [["1001", "1002"]]), ["contactId"])
    }

    // MARK: Content decides under an empty header

    func test_content_decides_when_the_header_says_nothing() {
        let headers = ["Columna 3", "Unnamed: 2", "", "Column 5", "Coluna 6"]
        let values = [["+52 55 1234 5678", "+52 55 8765 4321"], ["ana@example.com", "luis@example.com"],
                      ["MX", "CO", "AR"], ["Español", "Inglés", "Portugués"], ["1990-03-12", "1985-12-01"]]
        XCTAssertEqual(fields(headers, values: values, custom: [custom("Birthday", .date)]),
                       ["phone", "email", "countryCode", "language", "Birthday"])
        XCTAssertEqual(reasons(headers, values: values, custom: [custom("Birthday", .date)]),
                       [.content, .content, .content, .content, .content])
    }
}
