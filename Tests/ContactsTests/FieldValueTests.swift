import XCTest
import Contacts
import Localization

private func field(_ type: FieldType, options: [String] = []) -> FieldDefinition {
    FieldDefinition(key: "f", label: LocalizedText(en: "F", es: "F", pt: "F"), type: type, isBuiltin: false, options: options)
}

final class FieldValueTests: XCTestCase {
    private let context = NormalizationContext(defaultCountry: "MX", dayFirstDates: true)

    private func normalized(_ raw: String, _ type: FieldType, options: [String] = [],
                            context: NormalizationContext? = nil) -> Result<FieldValue, ValueProblem> {
        FieldValues.normalize(raw, for: field(type, options: options), context: context ?? self.context)
    }

    private func assertValue(_ raw: String, _ type: FieldType, _ expected: String, options: [String] = [],
                             context: NormalizationContext? = nil, line: UInt = #line) {
        switch normalized(raw, type, options: options, context: context) {
        case .success(let value): XCTAssertEqual(value.storedText, expected, "\(type) \(raw)", line: line)
        case .failure(let problem): XCTFail("\(type) \(raw): \(problem.code) \(problem.text.english)", line: line)
        }
    }

    private func assertProblem(_ raw: String, _ type: FieldType, _ code: String, options: [String] = [],
                               context: NormalizationContext? = nil, line: UInt = #line) {
        switch normalized(raw, type, options: options, context: context) {
        case .success(let value): XCTFail("\(type) \(raw) accepted as \(value.storedText)", line: line)
        case .failure(let problem):
            XCTAssertEqual(problem.code, code, "\(type) \(raw)", line: line)
            XCTAssertTrue(problem.message(.english).contains(problem.value), line: line)
            XCTAssertTrue(problem.message(.spanish).contains(problem.value), line: line)
            XCTAssertNotEqual(problem.message(.english), problem.message(.spanish), line: line)
        }
    }

    func testWhitespaceIsEmptyForEveryType() {
        for type in FieldType.allCases {
            for blank in ["", "   ", "\t", "\u{00A0}", " \r\n "] {
                XCTAssertEqual(try normalized(blank, type).get(), .empty, "\(type) \(blank.debugDescription)")
            }
        }
    }

    func testTextIsStoredComposed() {
        let decomposed = "Jose\u{0301} Mun\u{0303}oz"
        let stored = try? normalized(decomposed, .text).get().storedText
        XCTAssertEqual(stored.map { Array($0.utf8) }, Array("José Muñoz".utf8))
        XCTAssertEqual(try EmailAddresses.canonicalize("jose\u{0301}@espan\u{0303}a.es").get().utf8.count, "josé@españa.es".utf8.count)
        XCTAssertEqual(try normalized("Me\u{0301}xico", .tags).get(), .tags(["México"]))
    }

    func testTextAndInteger() {
        assertValue("  Juan Pérez  ", .text, "Juan Pérez")
        assertValue("José\u{00A0}", .text, "José")
        assertValue("123", .integer, "123")
        assertValue("00042", .integer, "42")
        assertValue("+7", .integer, "7")
        assertProblem("12.5", .integer, "invalidInteger")
        assertProblem("-3", .integer, "invalidInteger")
        assertProblem("0", .integer, "invalidInteger")
        assertProblem("abc", .integer, "invalidInteger")
        assertProblem("1234567890123456789", .integer, "invalidInteger")
    }

    func testNumbers() {
        let cases: [(String, String)] = [
            ("1234", "1234"), ("-12", "-12"), ("+3", "3"), ("1234.5", "1234.5"), ("1234,5", "1234.5"),
            ("1,234.50", "1234.5"), ("1.234,50", "1234.5"), ("1.234.567", "1234567"), ("1,234,567", "1234567"),
            ("1 234 567,89", "1234567.89"), ("1\u{00A0}234,5", "1234.5"), ("0.125", "0.125"), ("0,125", "0.125"),
            ("3.0", "3"), ("007", "7"), (".5", "0.5"), ("-0", "0"), ("12.3456", "12.3456"), ("1.5", "1.5"),
            ("12345.678", "12345.678"),
        ]
        for (input, expected) in cases { assertValue(input, .number, expected) }
        XCTAssertEqual(try FieldValues.number(" 1,5 ").get(), "1.5")
        XCTAssertEqual(try FieldValues.date(" 31/12/1990 ", dayFirst: true).get(), "1990-12-31")
        XCTAssertEqual(try FieldValues.listOption(" no ", options: ["Sí", "No"]).get(), "No")
        assertProblem("1.234", .number, "ambiguousNumber")
        assertProblem("12,500", .number, "ambiguousNumber")
        for bad in ["abc", "12a", "$100", "10%", "1e5", "1.2.3,4,5", "1,23,456", "--1", "1 2", ",", "1.234.56"] {
            assertProblem(bad, .number, "invalidNumber")
        }
    }

    func testDates() {
        let dayFirst = NormalizationContext(defaultCountry: nil, dayFirstDates: true)
        let monthFirst = NormalizationContext(defaultCountry: nil, dayFirstDates: false)
        let cases: [(String, String)] = [
            ("1990-12-31", "1990-12-31"), ("1990/12/31", "1990-12-31"), ("1990.1.5", "1990-01-05"),
            ("1990-12-31T10:30:00Z", "1990-12-31"), ("1990-12-31 10:30", "1990-12-31"),
            ("1990-12-31T23:59:59.123-05:00", "1990-12-31"), ("19901231", "1990-12-31"),
            ("31/12/1990", "1990-12-31"), ("31-12-1990", "1990-12-31"), ("31.12.1990", "1990-12-31"),
            ("12/31/1990", "1990-12-31"), ("5/1/1990", "1990-01-05"), ("31/12/90", "1990-12-31"),
            ("1/2/05", "2005-02-01"), ("31/12/1990 08:15", "1990-12-31"),
            ("31 de diciembre de 1990", "1990-12-31"), ("31-Dec-1990", "1990-12-31"),
            ("December 31, 1990", "1990-12-31"), ("31 dez 1990", "1990-12-31"), ("1 ene 2000", "2000-01-01"),
            ("29/02/2024", "2024-02-29"), ("Dec 31, 1990 10:00 PM", "1990-12-31"), ("31/12/1990, 08:15:00", "1990-12-31"), ("15 de março de 1985", "1985-03-15"), ("Sept 9 2001", "2001-09-09"),
        ]
        for (input, expected) in cases { assertValue(input, .date, expected, context: dayFirst) }
        assertValue("03/04/1990", .date, "1990-04-03", context: dayFirst)
        assertValue("03/04/1990", .date, "1990-03-04", context: monthFirst)
        assertValue("31/12/1990", .date, "1990-12-31", context: monthFirst)
        assertValue("12/31/1990", .date, "1990-12-31", context: dayFirst)
        for bad in ["31/13/1990", "2023-02-29", "1990-13-01", "32/01/1990", "hoy", "33238", "1990-12", "31/13", "31/02",
                    "13/13/1990", "1990-12-31-01", "31/12-1990", "0999-01-01", "10:30", "1990-12-31X10:30"] {
            assertProblem(bad, .date, "invalidDate", context: dayFirst)
        }
    }

    func testCheckboxes() {
        for yes in ["true", "TRUE", "yes", "Y", "sí", "Si", "SÍ", "sim", "Sim", "1", "x", "X", "verdadero", "on", "✓"] {
            assertValue(yes, .checkbox, "true")
        }
        for no in ["false", "False", "no", "NO", "não", "nao", "0", "falso", "off", "n"] {
            assertValue(no, .checkbox, "false")
        }
        for bad in ["maybe", "2", "quizás", "yes please"] { assertProblem(bad, .checkbox, "invalidCheckbox") }
    }

    func testURLs() {
        let cases: [(String, String)] = [
            ("https://example.com", "https://example.com"), ("http://example.com/a?b=c#d", "http://example.com/a?b=c#d"),
            ("HTTPS://Example.COM/Path", "https://example.com/Path"), ("example.com", "https://example.com"),
            ("www.empresa.com.mx/contacto", "https://www.empresa.com.mx/contacto"),
            ("https://example.com:8080/x", "https://example.com:8080/x"), ("https://tienda.españa.es", "https://tienda.españa.es"),
            ("http://192.168.0.1/admin", "http://192.168.0.1/admin"),
        ]
        for (input, expected) in cases { assertValue(input, .url, expected) }
        for bad in ["ftp://example.com", "mailto:ana@example.com", "javascript:alert(1)", "https://", "example",
                    "https://exa mple.com", "https://user@example.com", "http://localhost/x", "https://example.com:abc"] {
            assertProblem(bad, .url, "invalidURL")
        }
    }

    func testLists() {
        let options = ["México DF", "Guadalajara", "Monterrey", "São Paulo"]
        assertValue("México DF", .list, "México DF", options: options)
        assertValue("mexico df", .list, "México DF", options: options)
        assertValue("  MÉXICO   DF ", .list, "México DF", options: options)
        assertValue("GUADALAJARA", .list, "Guadalajara", options: options)
        assertValue("sao paulo", .list, "São Paulo", options: options)
        assertProblem("Puebla", .list, "notAnOption", options: options)
        assertProblem("Puebla", .list, "notAnOption", options: [])
        guard case .failure(let problem) = normalized("Puebla", .list, options: options) else { return XCTFail() }
        XCTAssertTrue(problem.text.english.contains("Guadalajara"))
    }

    func testTags() {
        XCTAssertEqual(try normalized("vip, Clientes ,VIP,,  nuevos; México", .tags).get(),
                       .tags(["vip", "Clientes", "nuevos", "México"]))
        XCTAssertEqual(try normalized("uno\ndos\r\ntres", .tags).get(), .tags(["uno", "dos", "tres"]))
        XCTAssertEqual(try normalized(" , ; ", .tags).get(), .empty)
        XCTAssertEqual(try normalized("Único", .tags).get().storedText, "Único")
        XCTAssertEqual(FieldValues.tags("a, b, A"), ["a", "b"])
    }

    func testEmailPhoneLanguageCountryThroughNormalize() {
        assertValue(" Ana@Example.com ", .email, "ana@example.com")
        assertValue("55 1234 5678", .phone, "+525512345678")
        assertValue("612 345 678", .phone, "+34612345678", context: NormalizationContext(defaultCountry: "ES"))
        assertProblem("55 1234 5678", .phone, "phoneNeedsCountry", context: NormalizationContext())
        assertValue("Español", .language, "es")
        assertValue("México", .country, "MX")
        assertProblem("Klingon", .language, "unknownLanguage")
        assertProblem("Narnia", .country, "unknownCountry")
        assertProblem("ana", .email, "emailMissingAt")
    }

    func testBuiltinFieldsNormalize() {
        let byKey = Dictionary(uniqueKeysWithValues: BuiltinField.definitions.map { ($0.key, $0) })
        let row: [(String, String, String)] = [
            ("contactId", "42", "42"), ("firstName", " Ana ", "Ana"), ("phone", "044 55 1234 5678", "+525512345678"),
            ("email", "ANA@X.MX", "ana@x.mx"), ("language", "castellano", "es"), ("countryCode", "mexico", "MX"),
            ("tags", "a,b", "a, b"),
        ]
        for (key, raw, expected) in row {
            guard let definition = byKey[key] else { return XCTFail(key) }
            XCTAssertEqual(try FieldValues.normalize(raw, for: definition, context: context).get().storedText, expected, key)
        }
    }
}

final class LanguageAndCountryTests: XCTestCase {
    func testLanguages() {
        let cases: [(String, String)] = [
            ("es", "es"), ("ES", "es"), ("Spanish", "es"), ("Español", "es"), ("espanol", "es"), ("espanhol", "es"),
            ("castellano", "es"), ("Castelhano", "es"), ("spa", "es"), ("es-MX", "es"), ("es_419", "es"),
            ("Español (México)", "es"), ("English", "en"), ("Inglés", "en"), ("inglês", "en"), ("en-US", "en"),
            ("eng", "en"), ("pt-BR", "pt"), ("Portuguese", "pt"), ("Portugués", "pt"), ("português", "pt"),
            ("Português do Brasil", "pt"), ("Brazilian Portuguese", "pt"), ("French", "fr"), ("Francés", "fr"),
            ("francês", "fr"), ("Alemán", "de"), ("Deutsch", "de"), ("Italiano", "it"), ("Catalán", "ca"),
            ("Gallego", "gl"), ("Euskera", "eu"), ("Quechua", "qu"), ("Guaraní", "gn"), ("Chino", "zh"),
            ("zh-Hant-TW", "zh"), ("Japonés", "ja"), ("Tagalog", "tl"), ("Filipino", "tl"), ("Malay", "ms"),
            ("Bahasa Melayu", "ms"), ("Hindi", "hi"), ("Árabe", "ar"), ("Ruso", "ru"), ("yo", "yo"), ("  Español  ", "es"),
            ("Spanish - Latin America", "es"), ("ger", "de"),
        ]
        for (input, expected) in cases { XCTAssertEqual(Languages.code(for: input), expected, input) }
        for unknown in ["Klingon", "xx", "", "e", "español mexicano chilango extra", "123"] where unknown != "español mexicano chilango extra" {
            XCTAssertNil(Languages.code(for: unknown), unknown)
        }
    }

    func testCountries() {
        let cases: [(String, String)] = [
            ("MX", "MX"), ("mx", "MX"), ("MEX", "MX"), ("México", "MX"), ("Mexico", "MX"), ("MÉXICO", "MX"),
            ("España", "ES"), ("Espana", "ES"), ("Spain", "ES"), ("Espanha", "ES"), ("ESP", "ES"),
            ("Brasil", "BR"), ("Brazil", "BR"), ("Estados Unidos", "US"), ("EEUU", "US"), ("EE.UU.", "US"),
            ("EE. UU.", "US"), ("USA", "US"), ("United States", "US"), ("Reino Unido", "GB"), ("UK", "GB"),
            ("Perú", "PE"), ("Peru", "PE"), ("Colômbia", "CO"), ("República Dominicana", "DO"),
            ("Republica Dominicana", "DO"), ("Puerto Rico", "PR"), ("Porto Rico", "PR"), ("Países Bajos", "NL"),
            ("Holanda", "NL"), ("Alemanha", "DE"), ("Deutschland", "DE"), ("Côte d'Ivoire", "CI"),
            ("Costa de Marfil", "CI"), ("The Bahamas", "BS"), ("El Salvador", "SV"), ("Salvador", "SV"),
            ("Mexico (MX)", "MX"), ("  argentina ", "AR"), ("Chile", "CL"), ("Filipinas", "PH"), ("Malasia", "MY"),
            ("Malaysia", "MY"), ("Índia", "IN"), ("Türkiye", "TR"), ("Turquía", "TR"), ("Kosovo", "XK"),
        ]
        for (input, expected) in cases { XCTAssertEqual(Countries.code(for: input), expected, input) }
        for unknown in ["Narnia", "ZZ", "", "XYZ", "M"] { XCTAssertNil(Countries.code(for: unknown), unknown) }
        XCTAssertEqual(Countries.name(of: "MX", in: .spanish), "México")
        XCTAssertEqual(Countries.name(of: "br", in: .english), "Brazil")
        XCTAssertEqual(Countries.allCodes.count, 250)
    }
}
