import XCTest
import Contacts
import Localization

/// Values of other types, issue 14: year-less birthdays, the country's date order, placeholders
/// that mean "none", tags without quotes, Google's " ::: " lists, stray NUL bytes.
final class ValueReadingRound2Tests: XCTestCase {
    private func definition(_ type: FieldType) -> FieldDefinition {
        FieldDefinition(key: "f", label: LocalizedText(en: "F", es: "F", pt: "F"), type: type, isBuiltin: false)
    }

    private func read(_ raw: String, _ type: FieldType, country: String? = nil, dayFirst: Bool = true) -> Result<FieldValue, ValueProblem> {
        FieldValues.normalize(raw, for: definition(type), context: NormalizationContext(defaultCountry: country, dayFirstDates: dayFirst))
    }

    private func assertReads(_ raw: String, _ type: FieldType, _ expected: FieldValue, country: String? = nil,
                             dayFirst: Bool = true, line: UInt = #line) {
        switch read(raw, type, country: country, dayFirst: dayFirst) {
        case .success(let value): XCTAssertEqual(value, expected, raw, line: line)
        case .failure(let problem): XCTFail("\(raw): \(problem.code) \(problem.text.english)", line: line)
        }
    }

    private func assertRejects(_ raw: String, _ type: FieldType, _ code: String, country: String? = nil, line: UInt = #line) {
        switch read(raw, type, country: country) {
        case .success(let value): XCTFail("\(raw) read as \(value), expected \(code)", line: line)
        case .failure(let problem):
            XCTAssertEqual(problem.code, code, raw, line: line)
            XCTAssertNotEqual(problem.text.english, problem.text.spanish, line: line)
        }
    }

    func test_birthday_without_a_year_is_a_valid_date() {
        assertReads("--03-12", .date, .text("--03-12"))
        assertReads("--0312", .date, .text("--03-12"))
        assertReads("12 de marzo", .date, .text("--03-12"))
        assertReads("March 12", .date, .text("--03-12"))
        assertReads("12/03", .date, .text("--03-12"))
        assertReads("03/12", .date, .text("--03-12"), country: "US")
        assertReads("29/02", .date, .text("--02-29"))
        assertRejects("31/02", .date, "invalidDate")
        assertRejects("--13-01", .date, "invalidDate")
        assertRejects("12/2020", .date, "invalidDate")
    }

    func test_the_countrys_convention_orders_an_ambiguous_date() {
        assertReads("3/4/1975", .date, .text("1975-03-04"), country: "US")
        assertReads("3/4/1975", .date, .text("1975-04-03"), country: "MX")
        assertReads("3/4/1975", .date, .text("1975-04-03"), country: "ES", dayFirst: false)
        // Unambiguous dates read the same everywhere.
        assertReads("25/4/1975", .date, .text("1975-04-25"), country: "US")
        assertReads("4/25/1975", .date, .text("1975-04-25"), country: "MX")
    }

    func test_day_month_order_is_decided_per_column() {
        XCTAssertEqual(FieldValues.dateOrder(of: ["03/04/1990", "25/12/1985"]), true)
        XCTAssertEqual(FieldValues.dateOrder(of: ["03/04/1990", "12/25/1985"]), false)
        XCTAssertNil(FieldValues.dateOrder(of: ["03/04/1990", "1985-12-25", "--03-12"]))
        XCTAssertNil(FieldValues.dateOrder(of: ["25/12/1985", "12/25/1985"]), "contradicting values decide nothing")
        // The column's evidence wins over the country's convention.
        let context = NormalizationContext(defaultCountry: "US", columnDayFirst: true)
        XCTAssertEqual(try FieldValues.normalize("3/4/1975", for: definition(.date), context: context).get(), .text("1975-04-03"))
    }

    func test_placeholders_are_empty_cells_in_every_field() {
        for placeholder in ["0/0/00", "0000-00-00", "-", "--", "N/A", "n/a", "null", "(none)", "sin dato", "#N/A"] {
            for type in [FieldType.date, .phone, .email, .text, .number, .url, .country, .language, .tags, .checkbox] {
                assertReads(placeholder, type, .empty)
            }
        }
        // Values that only look alike are read as themselves.
        assertReads("NA", .country, .text("NA"))
        assertReads("0", .number, .text("0"))
        assertReads("No", .checkbox, .text("false"))
    }

    /// `isPlaceholder` rules most values out from their first scalar; the cases near that
    /// shortcut (case, accents, leading punctuation, non-ASCII first letters) read as before.
    func test_placeholder_shortcut_keeps_every_spelling() {
        for placeholder in ["NULL", "Null", "(NONE)", "<None>", "S/D", "s/d", "Sin Datos", "SIN INFORMACIÓN", "(Vacío)",
                            "(VACIO)", "#VALUE!", "—", "–", "...", "?", "...N/A", "¿n/a?", "Ninguno", "NENHUM", "Não informado",
                            "undefined", "nil", "00/00/0000", "0-0-0000", "(blank)", " n a "] {
            XCTAssertTrue(FieldValues.isPlaceholder(placeholder), placeholder)
        }
        for value in ["Ana", "Sofía", "Núñez", "Ñandú", "Ünal", "0034 607", "s/n", "-5", "(55) 1234", "Élise", "Ωmega", "undefinedd",
                      "nulla", "NA", "", "  "] {
            XCTAssertFalse(FieldValues.isPlaceholder(value), value)
        }
    }

    func test_tags_lose_their_surrounding_quotes() {
        assertReads("\"VIP\"", .tags, .tags(["VIP"]))
        assertReads("\"VIP\", 'Feria 2024', “Clientes”", .tags, .tags(["VIP", "Feria 2024", "Clientes"]))
        assertReads("O'Brien", .tags, .tags(["O'Brien"]))
    }

    func test_google_group_membership_becomes_one_tag_per_group() {
        assertReads("* myContacts ::: Clientes", .tags, .tags(["Clientes"]))
        assertReads("Clientes ::: VIP ::: * starred", .tags, .tags(["Clientes", "VIP"]))
        assertReads("* myContacts", .tags, .empty)
    }

    func test_google_multi_value_phone_and_email_take_the_first_value() {
        assertReads("+44 7700 900123 ::: +44 20 7946 0958", .phone, .text("+447700900123"))
        assertReads("ana@example.com ::: ana.work@example.org", .email, .text("ana@example.com"))
        assertReads(" ::: +52 55 1234 5678", .phone, .text("+525512345678"))
        assertRejects("12 ::: +52 55 1234 5678", .phone, "phoneNeedsCountry")
    }

    func test_a_stray_nul_byte_is_a_problem_of_its_cell() {
        assertRejects("Ana\u{0}", .text, "nulCharacter")
        assertRejects("+52 55 1234\u{0} 5678", .phone, "nulCharacter")
        guard case .failure(let problem) = read("Ana\u{0}", .text) else { return XCTFail() }
        XCTAssertTrue(problem.text.english.contains("Ana␀"), problem.text.english)
        XCTAssertTrue(problem.text.spanish.contains("byte NUL"), problem.text.spanish)
    }
}
