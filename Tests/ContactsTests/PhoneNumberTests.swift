import XCTest
import Contacts
import Localization

/// Real-world phone inputs per country: mobile and landline, with and without trunk prefix,
/// with +, 00, spaces, Excel damage. `country` is the default country (nil: none).
private struct Case {
    let input: String
    let country: String?
    let expected: String
    let line: UInt
    init(_ input: String, _ country: String?, _ expected: String, line: UInt = #line) {
        self.input = input
        self.country = country
        self.expected = expected
        self.line = line
    }
}

private let validCases: [Case] = [
    // Mexico: 10 digits; old 044/045/01 prefixes and the mobile 1 after +52 are dropped.
    Case("+52 1 55 1234 5678", nil, "+525512345678"),
    Case("+52 55 1234 5678", nil, "+525512345678"),
    Case("(+52) 55 1234 5678", nil, "+525512345678"),
    Case("0052 55 1234 5678", nil, "+525512345678"),
    Case("044 55 1234 5678", "MX", "+525512345678"),
    Case("045 33 1234 5678", "MX", "+523312345678"),
    Case("01 55 1234 5678", "MX", "+525512345678"),
    Case("1 55 1234 5678", "MX", "+525512345678"),
    Case("55 1234 5678", "MX", "+525512345678"),
    Case("(55) 1234-5678", "mx", "+525512345678"),
    Case("5215512345678", "MX", "+525512345678"),
    Case("525512345678", "MX", "+525512345678"),
    Case("'+52 (33) 3615-2000", nil, "+523336152000"),
    Case("55 1234 5678", "México", "+525512345678"),
    // Argentina: 0 + area + 15 + number nationally, +54 9 + area + number internationally.
    Case("011 15 2345-6789", "AR", "+5491123456789"),
    Case("11 15 2345 6789", "AR", "+5491123456789"),
    Case("+54 9 11 2345-6789", nil, "+5491123456789"),
    Case("+54 11 2345-6789", nil, "+541123456789"),
    Case("+54 9 11 15 2345 6789", nil, "+5491123456789"),
    Case("+54 11 15 2345 6789", nil, "+5491123456789"),
    Case("00 54 9 11 2345 6789", nil, "+5491123456789"),
    Case("0351 15 123 4567", "AR", "+5493511234567"),
    Case("(0351) 423-4567", "AR", "+543514234567"),
    Case("0 2966 15 12 3456", "AR", "+5492966123456"),
    Case("011 4123-4567", "AR", "+541141234567"),
    Case("9 11 2345 6789", "AR", "+5491123456789"),
    // Colombia: 10 digits since 2021; old 8-digit landlines get 60.
    Case("+57 300 123 4567", nil, "+573001234567"),
    Case("300 123 4567", "CO", "+573001234567"),
    Case("03 300 123 4567", "CO", "+573001234567"),
    Case("(601) 234 5678", "CO", "+576012345678"),
    Case("(1) 234 5678", "CO", "+576012345678"),
    Case("(4) 444 5555", "CO", "+576044445555"),
    Case("+57 1 234 5678", nil, "+576012345678"),
    Case("573001234567", "CO", "+573001234567"),
    // Peru
    Case("+51 987 654 321", nil, "+51987654321"),
    Case("987 654 321", "PE", "+51987654321"),
    Case("(01) 234-5678", "PE", "+5112345678"),
    Case("044 123456", "PE", "+5144123456"),
    Case("0051 1 234 5678", nil, "+5112345678"),
    // Chile
    Case("+56 9 8765 4321", nil, "+56987654321"),
    Case("9 8765 4321", "CL", "+56987654321"),
    Case("09 8765 4321", "CL", "+56987654321"),
    Case("(2) 2345 6789", "CL", "+56223456789"),
    Case("02 2345 6789", "CL", "+56223456789"),
    // Brazil: carrier codes, the ninth digit.
    Case("+55 11 91234-5678", nil, "+5511912345678"),
    Case("(11) 91234-5678", "BR", "+5511912345678"),
    Case("011 91234-5678", "BR", "+5511912345678"),
    Case("0 21 11 91234 5678", "BR", "+5511912345678"),
    Case("(21) 2345-6789", "BR", "+552123456789"),
    Case("(61) 8123-4567", "BR", "+5561981234567"),
    Case("+55 61 8123 4567", nil, "+5561981234567"),
    Case("0021 1 212 555 1234", "BR", "+12125551234"),
    Case("5511912345678", "BR", "+5511912345678"),
    // United States, Canada and the NANP territories.
    Case("(212) 555-1234", "US", "+12125551234"),
    Case("1-212-555-1234", "US", "+12125551234"),
    Case("+1 212 555 1234", nil, "+12125551234"),
    Case("212.555.1234", "US", "+12125551234"),
    Case("011 52 55 1234 5678", "US", "+525512345678"),
    Case("212-555-1234 ext. 12", "US", "+12125551234"),
    Case("212-555-1234 x12", "US", "+12125551234"),
    Case("+1 (212) 555-1234 #204", nil, "+12125551234"),
    Case("+56 2 2345 6789 anexo 123", nil, "+56223456789"),
    Case("(11) 3456-7890 ramal 12", "BR", "+551134567890"),
    Case("011 4123-4567 int. 45", "AR", "+541141234567"),
    Case("91 234 56 78 ext: 3", "ES", "+34912345678"),
    Case("(212) 555-1234, ext. 12", "US", "+12125551234"),
    Case("91 234 56 78 extensión 3", "ES", "+34912345678"),
    Case("(416) 555-2368", "CA", "+14165552368"),
    Case("+1 604 555 2399", nil, "+16045552399"),
    Case("(809) 555-1234", "DO", "+18095551234"),
    Case("1 829 555 1234", "DO", "+18295551234"),
    Case("(787) 555-1234", "PR", "+17875551234"),
    Case("787-555-1234", "Puerto Rico", "+17875551234"),
    // Spain and Portugal: no trunk prefix.
    Case("612 34 56 78", "ES", "+34612345678"),
    Case("+34 612 34 56 78", nil, "+34612345678"),
    Case("0034 912 345 678", nil, "+34912345678"),
    Case("91 234 56 78", "ES", "+34912345678"),
    Case("34612345678", "ES", "+34612345678"),
    Case("612\u{00A0}34\u{00A0}56\u{00A0}78", "ES", "+34612345678"),
    Case("612–345–678", "ES", "+34612345678"),
    Case("\u{202A}+34 612 345 678\u{202C}", nil, "+34612345678"),
    Case("+34\u{200E} 612\u{2009}345\u{202F}678", nil, "+34612345678"),
    Case("tel:+34612345678", nil, "+34612345678"),
    Case("=\"+34612345678\"", nil, "+34612345678"),
    Case("  +34 612 345 678  ", nil, "+34612345678"),
    Case("912 345 678", "PT", "+351912345678"),
    Case("+351 21 234 5678", nil, "+351212345678"),
    Case("00351 912345678", nil, "+351912345678"),
    Case("21 234 5678", "PT", "+351212345678"),
    // United Kingdom
    Case("07911 123456", "GB", "+447911123456"),
    Case("+44 (0)20 7946 0958", nil, "+442079460958"),
    Case("020 7946 0958", "GB", "+442079460958"),
    Case("0044 7911 123456", nil, "+447911123456"),
    Case("+44 7911 123456", nil, "+447911123456"),
    Case("07911 123456", "UK", "+447911123456"),
    // Germany, France, Italy
    Case("030 1234567", "DE", "+49301234567"),
    Case("0151 23456789", "DE", "+4915123456789"),
    Case("+49 (0)30 1234567", nil, "+49301234567"),
    Case("+49 151 23456789", nil, "+4915123456789"),
    Case("49 30 1234567", "DE", "+49301234567"),
    Case("6041234567", "MY", "+6041234567"),
    Case("06 12 34 56 78", "FR", "+33612345678"),
    Case("+33 6 12 34 56 78", nil, "+33612345678"),
    Case("+33 (0)6 12 34 56 78", nil, "+33612345678"),
    Case("01 23 45 67 89", "FR", "+33123456789"),
    Case("0033 1 23 45 67 89", nil, "+33123456789"),
    Case("+39 06 1234 5678", nil, "+390612345678"),
    Case("06 1234 5678", "IT", "+390612345678"),
    Case("333 123 4567", "IT", "+393331234567"),
    Case("0039 333 1234567", nil, "+393331234567"),
    // India, Malaysia, the Philippines
    Case("098765 43210", "IN", "+919876543210"),
    Case("+91 98765 43210", nil, "+919876543210"),
    Case("011 2345 6789", "IN", "+911123456789"),
    Case("9876543210", "IN", "+919876543210"),
    Case("0091 98765 43210", nil, "+919876543210"),
    Case("012-345 6789", "MY", "+60123456789"),
    Case("011-1234 5678", "MY", "+601112345678"),
    Case("03-2123 4567", "MY", "+60321234567"),
    Case("+60 12-345 6789", nil, "+60123456789"),
    Case("60123456789", "MY", "+60123456789"),
    Case("+60189988776", nil, "+60189988776"),
    Case("+60101010101", nil, "+60101010101"),
    Case("0917 123 4567", "PH", "+639171234567"),
    Case("+63 917 123 4567", nil, "+639171234567"),
    Case("(02) 8123 4567", "PH", "+63281234567"),
    Case("639171234567", "PH", "+639171234567"),
    // Venezuela, Ecuador, Uruguay, Paraguay, Bolivia
    Case("0412-123.45.67", "VE", "+584121234567"),
    Case("+58 212 555 1234", nil, "+582125551234"),
    Case("(0212) 555-1234", "VE", "+582125551234"),
    Case("099 123 4567", "EC", "+593991234567"),
    Case("(02) 234 5678", "EC", "+59322345678"),
    Case("+593 99 123 4567", nil, "+593991234567"),
    Case("099 123 456", "UY", "+59899123456"),
    Case("2901 2345", "UY", "+59829012345"),
    Case("+598 99 123 456", nil, "+59899123456"),
    Case("0981 123456", "PY", "+595981123456"),
    Case("(021) 123 456", "PY", "+59521123456"),
    Case("+595 981 123 456", nil, "+595981123456"),
    Case("7123 4567", "BO", "+59171234567"),
    Case("+591 2 123 4567", nil, "+59121234567"),
    Case("02 123 4567", "BO", "+59121234567"),
    // Central America
    Case("5123 4567", "GT", "+50251234567"),
    Case("+502 2234 5678", nil, "+50222345678"),
    Case("8312 3456", "CR", "+50683123456"),
    Case("+506 2222 3333", nil, "+50622223333"),
    Case("6123-4567", "PA", "+50761234567"),
    // Elsewhere: the calling code table reads any country.
    Case("+7 916 123-45-67", nil, "+79161234567"),
    Case("8 916 123-45-67", "RU", "+79161234567"),
    Case("+81 90-1234-5678", nil, "+819012345678"),
    Case("+86 138 0013 8000", nil, "+8613800138000"),
    Case("+27 82 123 4567", nil, "+27821234567"),
    Case("+61 4 1234 5678", nil, "+61412345678"),
    Case("0011 34 612 345 678", "AU", "+34612345678"),
    Case("+1 264 497 1234", nil, "+12644971234"),
    Case("+800 1234 5678", nil, "+80012345678"),
    // Labels, float columns and doubled prefixes.
    Case("Tel. 612 345 678", "ES", "+34612345678"),
    Case("Móvil: +34 612 345 678", nil, "+34612345678"),
    Case("WhatsApp +52 1 55 1234 5678", nil, "+525512345678"),
    Case("5215512345678.0", "MX", "+525512345678"),
    Case("+34612345678.0", nil, "+34612345678"),
    Case("+0052 55 1234 5678", nil, "+525512345678"),
    Case("(52) 55 1234 5678", "MX", "+525512345678"),
    Case("+54 011 15 2345 6789", nil, "+5491123456789"),
    Case("+55 (011) 91234-5678", nil, "+5511912345678"),
    Case("+52 044 55 1234 5678", nil, "+525512345678"),
]

final class PhoneNumberTests: XCTestCase {
    func testCanonicalizesRealInputsPerCountry() {
        for c in validCases {
            switch PhoneNumbers.canonicalize(c.input, defaultCountry: c.country) {
            case .success(let value):
                XCTAssertEqual(value, c.expected, "\(c.input) [\(c.country ?? "-")]", line: c.line)
            case .failure(let problem):
                XCTFail("\(c.input) [\(c.country ?? "-")]: \(problem.code) \(problem.text.english)", line: c.line)
            }
        }
    }

    private func assertProblem(_ input: String, _ country: String?, _ code: String, line: UInt = #line) {
        switch PhoneNumbers.canonicalize(input, defaultCountry: country) {
        case .success(let value): XCTFail("\(input) read as \(value), expected \(code)", line: line)
        case .failure(let problem):
            XCTAssertEqual(problem.code, code, "\(input): \(problem.text.english)", line: line)
        }
    }

    func testRejectsWithStableCodes() {
        assertProblem("55 1234 5678", nil, "phoneNeedsCountry")
        assertProblem("612 345 678", nil, "phoneNeedsCountry")
        assertProblem("55 1234 5678", "ZZ", "unknownDefaultCountry")
        assertProblem("6.01E+10", nil, "scientificNotation")
        assertProblem("6,01E+10", "MX", "scientificNotation")
        assertProblem("5.21551E+12", "MX", "scientificNotation")
        assertProblem("6.01e10", nil, "scientificNotation")
        assertProblem("abc", nil, "phoneInvalidCharacters")
        assertProblem("1-800-FLOWERS", "MX", "phoneInvalidCharacters")  // vanity numbers are read only in the NANP
        assertProblem("---", nil, "phoneNoDigits")
        assertProblem("+999 1234 5678", nil, "phoneUnknownCountryCode")
        assertProblem("5512345678, 5587654321", "MX", "phoneMultiple")
        assertProblem("5512345678; 5587654321", "MX", "phoneMultiple")
        assertProblem("55 1234 567", "MX", "phoneTooShort")
        assertProblem("+52 55 1234 567", nil, "phoneTooShort")
        assertProblem("+52 55 1234 56789", nil, "phoneTooLong")
        assertProblem("612 345 67", "ES", "phoneTooShort")
        assertProblem("555-1234", "US", "phoneTooShort")
        assertProblem("(012) 555-1234", "US", "phoneInvalidForCountry")
        assertProblem("+34 512 345 678", nil, "phoneInvalidForCountry")
        assertProblem("15 2345 6789", "AR", "phoneInvalidForCountry")
        assertProblem("+57 501 234 5678", nil, "phoneInvalidForCountry")
        assertProblem("+51 2 1234 5678", nil, "phoneInvalidForCountry")
        assertProblem("0312-123.45.67", "VE", "phoneInvalidForCountry")
        assertProblem("55 1234 5678 / 55 8765 4321", "MX", "phoneTooLong")
        assertProblem("+", nil, "phoneNoDigits")
        assertProblem("12345678901234567890123456789012345", "MX", "phoneTooLong")
        assertProblem("+52 55 1234 5678 abc", nil, "phoneInvalidCharacters")
        assertProblem("55+1234", "MX", "phoneInvalidCharacters")
        assertProblem("Fax 55 1234 5678", "MX", "phoneInvalidCharacters")
        assertProblem("55 1234 5678 ext", "MX", "phoneInvalidCharacters")
        assertProblem("#123", "MX", "phoneInvalidCharacters")
    }

    func testProblemsNameTheValueInEveryLanguage() {
        let inputs: [(String, String?)] = [("55 1234 5678", nil), ("6.01E+10", nil), ("55 1234 567", "MX"), ("abc", nil)]
        for (input, country) in inputs {
            guard case .failure(let problem) = PhoneNumbers.canonicalize(input, defaultCountry: country) else {
                return XCTFail(input)
            }
            XCTAssertEqual(problem.value, input)
            for locale in MessageLocale.allCases {
                XCTAssertTrue(problem.message(locale).contains(input), "\(problem.code) \(locale)")
            }
            XCTAssertNotEqual(problem.text.english, problem.text.spanish)
        }
        guard case .failure(let needsCountry) = PhoneNumbers.canonicalize("55 1234 5678", defaultCountry: nil) else {
            return XCTFail()
        }
        XCTAssertTrue(needsCountry.text.english.contains("defaultCountry"))
        XCTAssertTrue(needsCountry.text.spanish.contains("defaultCountry"))
        guard case .failure(let scientific) = PhoneNumbers.canonicalize("6.01E+10", defaultCountry: "MX") else {
            return XCTFail()
        }
        XCTAssertTrue(scientific.text.english.contains("Text"))
        XCTAssertTrue(scientific.text.spanish.contains("Texto"))
        guard case .failure(let short) = PhoneNumbers.canonicalize("55 1234 567", defaultCountry: "MX") else {
            return XCTFail()
        }
        XCTAssertTrue(short.text.english.contains("Mexico (+52)"), short.text.english)
        XCTAssertTrue(short.text.spanish.contains("México (+52)"), short.text.spanish)
    }

    func testEveryCountryHasACallingCode() {
        for code in Countries.allCodes where !["AQ", "BV", "GS", "HM", "PN"].contains(code) {
            XCTAssertNotNil(Countries.callingCode(of: code), code)
        }
        XCTAssertEqual(Countries.callingCode(of: "PR"), 1)
        XCTAssertEqual(Countries.callingCode(of: "DO"), 1)
        XCTAssertEqual(Countries.callingCode(of: "KZ"), 7)
        XCTAssertEqual(Countries.callingCode(of: "México"), 52)
        XCTAssertEqual(Countries.callingCode(of: "ES"), 34)
        XCTAssertEqual(Countries.callingCode(of: "BR"), 55)
        XCTAssertNil(Countries.callingCode(of: "ZZ"))
    }

    func testLooksLikePhone() {
        for yes in ["+52 55 1234 5678", "(55) 1234-5678", "612345678", "'+34612345678", "6.01E+10",
                    "011 15 2345-6789", "212-555-1234"] {
            XCTAssertTrue(PhoneNumbers.looksLikePhone(yes), yes)
        }
        for no in ["31/12/1990", "ana@example.com", "Juan", "12", "1234567.89", "", "abc 123456789", "2023-01-05T10:00",
                   "1e5", "1.5E+3", "12/05/2023 5551234"] {
            XCTAssertFalse(PhoneNumbers.looksLikePhone(no), no)
        }
    }
}
