import XCTest
import Contacts

/// The phone reading rules of issue 14, one family per test: what a person reads at once is read,
/// what no such number can be is rejected (next to it).
final class PhoneReadingRulesTests: XCTestCase {
    private func assertReads(_ input: String, _ country: String?, _ expected: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        switch PhoneNumbers.canonicalize(input, defaultCountry: country) {
        case .success(let value): XCTAssertEqual(value, expected, "\(input) [\(country ?? "-")]", file: file, line: line)
        case .failure(let problem):
            XCTFail("\(input) [\(country ?? "-")]: \(problem.code) \(problem.text.english)", file: file, line: line)
        }
    }

    private func assertRejects(_ input: String, _ country: String?, _ code: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        switch PhoneNumbers.canonicalize(input, defaultCountry: country) {
        case .success(let value): XCTFail("\(input) [\(country ?? "-")] read as \(value), expected \(code)", file: file, line: line)
        case .failure(let problem):
            XCTAssertEqual(problem.code, code, "\(input): \(problem.text.english)", file: file, line: line)
            XCTAssertNotEqual(problem.text.english, problem.text.spanish, file: file, line: line)
        }
    }

    func test_country_code_without_plus_is_read_when_the_national_reading_fails() {
        assertReads("5215512345678", "MX", "+525512345678")
        assertReads("573370961958", "MX", "+573370961958")
        assertReads("34612345678", "MX", "+34612345678")
        assertReads("5511912345678", "MX", "+5511912345678")
        assertReads("447911123456", "US", "+447911123456")
        assertReads("525512345678", "CO", "+525512345678")
        // Both readings valid: the row's country wins.
        assertReads("5512345678", "MX", "+525512345678")
        assertReads("3001234567", "CO", "+573001234567")
        // Neither reading valid: the row's country's problem is reported.
        assertRejects("34512345678", "MX", "phoneTooLong")
        assertRejects("99912345678", "MX", "phoneTooLong")
        // Without any country there is no national reading to fail: still ask for one.
        assertRejects("5215512345678", nil, "phoneNeedsCountry")
    }

    func test_bracketed_country_code_is_read() {
        assertReads("[+60] 12-345 6789", nil, "+60123456789")
        assertReads("(+52) 55 1234 5678", nil, "+525512345678")
        assertReads("[52] 55 1234 5678", "MX", "+525512345678")
        assertRejects("[+60] 12-345 678x", nil, "phoneInvalidCharacters")
    }

    func test_full_width_and_other_unicode_digits_are_read() {
        assertReads("＋５２ ５５ １２３４ ５６７８", nil, "+525512345678")
        assertReads("（５５）１２３４－５６７８", "MX", "+525512345678")
        assertReads("+٥٢ ٥٥ ١٢٣٤ ٥٦٧٨", nil, "+525512345678")  // Arabic-Indic digits
        assertReads("+९१ ९८७६५ ४३२१०", nil, "+919876543210")  // Devanagari digits
        assertRejects("＋５２ ５５ １２３４ ５６７", nil, "phoneTooShort")
    }

    func test_whatsapp_and_tel_links_are_read() {
        assertReads("wa.me/5215512345678", nil, "+525512345678")
        assertReads("https://wa.me/5215512345678", nil, "+525512345678")
        assertReads("https://wa.me/34612345678?text=Hola", "MX", "+34612345678")
        assertReads("https://api.whatsapp.com/send?phone=5511912345678&text=oi", nil, "+5511912345678")
        assertReads("tel:+34612345678", nil, "+34612345678")
        assertReads("tel:+1-212-555-1234", nil, "+12125551234")
        // A wa.me link always carries the country code, even when it looks national.
        assertRejects("https://wa.me/5512345678", "MX", "phoneTooShort")  // +55 12 345678: too short for Brazil
        assertRejects("https://wa.me/message/ABCDEF", nil, "phoneInvalidCharacters")
    }

    func test_doubled_plus_is_read() {
        assertReads("++52 55 1234 5678", nil, "+525512345678")
        assertReads("+ +34 612 345 678", nil, "+34612345678")
        assertRejects("+52 55+1234 5678", nil, "phoneInvalidCharacters")
    }

    func test_spreadsheet_equals_or_apostrophe_before_the_number_is_dropped() {
        assertReads("=+52 55 1234 5678", nil, "+525512345678")
        assertReads("'+52 55 1234 5678", nil, "+525512345678")
        assertReads("'=+52 55 1234 5678", nil, "+525512345678")
        assertReads("=\"+5215512345678\"", nil, "+525512345678")
        assertRejects("=SUM(A1:A3)", "MX", "phoneInvalidCharacters")
    }

    func test_brazil_trunk_and_carrier_prefix_is_dropped() {
        assertReads("0xx11 91234-5678", "BR", "+5511912345678")
        assertReads("(0XX21) 2345-6789", "BR", "+552123456789")
        assertReads("0 21 11 91234 5678", "BR", "+5511912345678")
        assertReads("0 15 21 2345 6789", "BR", "+552123456789")
        // 0xx is Brazil's habit only.
        assertRejects("0xx55 1234 5678", "MX", "phoneInvalidCharacters")
    }

    func test_toll_free_and_shared_cost_numbers_are_read() {
        assertReads("0800 123 4567", "BR", "+558001234567")
        assertReads("+55 800 123 4567", nil, "+558001234567")
        assertReads("0300 123 4567", "BR", "+553001234567")
        assertReads("4004-0001", "BR", "+5540040001")
        assertReads("01 8000 123456", "CO", "+5718000123456")
        assertReads("+57 1 8000 123456", nil, "+5718000123456")
        assertReads("800 123 4567", "MX", "+528001234567")
        assertReads("01 800 123 4567", "MX", "+528001234567")
        assertReads("1-800-555-1234", "US", "+18005551234")
        assertReads("900 123 456", "ES", "+34900123456")
        assertReads("1800 123 456", "EC", "+5931800123456")
        // A toll-free number of the wrong length is still wrong.
        assertRejects("0800 123 45678", "BR", "phoneTooLong")
        assertRejects("01 8000 1234", "CO", "phoneTooShort")
    }

    func test_us_vanity_numbers_map_letters_to_keypad_digits() {
        assertReads("1-800-FLOWERS", "US", "+18003569377")
        assertReads("+1 (800) GOT-JUNK", nil, "+18004685865")
        assertReads("800-flowers", "CA", "+18003569377")
        // Letters elsewhere are still letters.
        assertRejects("1-800-FLOWERS", "MX", "phoneInvalidCharacters")
        assertRejects("Fax 212 555 1234", "US", "phoneInvalidCharacters")
        assertRejects("12-AB", "US", "phoneInvalidCharacters")
    }

    func test_a_countrys_own_international_prefix_is_read_before_the_calling_code() {
        assertReads("005 57 300 123 4567", "CO", "+573001234567")
        assertReads("009 52 55 1234 5678", "CO", "+525512345678")
        assertReads("007 1 212 555 1234", "CO", "+12125551234")
        assertReads("0057 300 123 4567", "CO", "+573001234567")
        assertReads("011 52 55 1234 5678", "US", "+525512345678")
        assertReads("011 44 20 7946 0958", "CA", "+442079460958")
        assertReads("001 52 55 1234 5678", "KR", "+525512345678")
        assertReads("0011 34 612 345 678", "AU", "+34612345678")
        assertReads("0021 1 212 555 1234", "BR", "+12125551234")
        assertRejects("005 99 123", "CO", "phoneTooShort")  // +599 (Curaçao) has 7-8 digits
    }

    func test_mexican_old_mobile_prefixes_give_the_ten_digit_number() {
        assertReads("+52 1 55 1234 5678", nil, "+525512345678")
        assertReads("044 55 1234 5678", "MX", "+525512345678")
        assertReads("045 33 1234 5678", "MX", "+523312345678")
        assertRejects("044 55 1234 567", "MX", "phoneTooShort")
    }

    func test_length_and_leading_digits_follow_the_country_plan() {
        // NANP: area codes and exchanges do not start with 0 or 1; N11 are service codes.
        assertRejects("(212) 155-1234", "US", "phoneInvalidForCountry")
        assertRejects("(911) 555-1234", "US", "phoneInvalidForCountry")
        assertReads("(210) 555-1234", "US", "+12105551234")
        // Brazil: area codes have no 0; landlines start 2-5, mobiles 9.
        assertRejects("(10) 2345-6789", "BR", "phoneInvalidForCountry")
        assertRejects("+55 11 1234 5678", nil, "phoneInvalidForCountry")
        assertReads("+55 11 2345 6789", nil, "+551123456789")
        // Colombia: mobiles 3..., landlines 60...
        assertRejects("+57 200 123 4567", nil, "phoneInvalidForCountry")
        // Uruguay, Ecuador, Bolivia, Costa Rica, Panama, El Salvador: per-range lengths.
        assertRejects("+598 5123 4567", nil, "phoneInvalidForCountry")
        assertRejects("+593 9 1234 567", nil, "phoneTooShort")
        assertReads("+593 99 123 4567", nil, "+593991234567")
        assertRejects("+591 5123 4567", nil, "phoneInvalidForCountry")
        assertRejects("+506 1234 5678", nil, "phoneInvalidForCountry")
        assertRejects("+507 6123 456", nil, "phoneTooShort")
        assertRejects("+503 9123 4567", nil, "phoneInvalidForCountry")
        assertRejects("+502 9123 4567", nil, "phoneInvalidForCountry")
        assertRejects("+44 4123 456789", nil, "phoneInvalidForCountry")
        // Australia, Italy, Greece, Singapore, Poland: leading digits from their plans.
        assertReads("1800 123 456", "AU", "+611800123456")
        assertReads("0412 345 678", "AU", "+61412345678")
        assertRejects("+61 5123 4567", nil, "phoneInvalidForCountry")
        assertRejects("+39 512 345 6789", nil, "phoneInvalidForCountry")
        assertRejects("+30 312 345 6789", nil, "phoneInvalidForCountry")
        assertRejects("+65 5123 4567", nil, "phoneInvalidForCountry")
        assertRejects("+48 012 345 678", nil, "phoneInvalidForCountry")
        assertReads("+48 512 345 678", nil, "+48512345678")
    }

    func test_fictional_and_unassigned_ranges_are_rejected() {
        assertRejects("(212) 555-0123", "US", "phoneFictional")
        assertRejects("+1 604 555 0199", nil, "phoneFictional")
        assertRejects("555 555 5555", "US", "phoneFictional")
        assertRejects("999 123 456", "ES", "phoneFictional")
        // Next to them, real numbers of the same shape.
        assertReads("(212) 555-1234", "US", "+12125551234")
        assertReads("(212) 555-0099", "US", "+12125550099")
        assertReads("(212) 555-0200", "US", "+12125550200")
        assertReads("919 123 456", "ES", "+34919123456")
    }

    func test_fictional_message_says_it_is_not_a_real_number() {
        guard case .failure(let problem) = PhoneNumbers.canonicalize("(212) 555-0123", defaultCountry: "US") else {
            return XCTFail()
        }
        XCTAssertTrue(problem.text.english.contains("(212) 555-0123"))
        XCTAssertTrue(problem.text.english.contains("United States"), problem.text.english)
        XCTAssertTrue(problem.text.spanish.contains("no es un número de teléfono real"), problem.text.spanish)
    }

    func test_extensions_are_not_part_of_the_number() {
        assertReads("212-555-1234 ext. 12", "US", "+12125551234")
        assertReads("(11) 3456-7890 ramal 12", "BR", "+551134567890")
        assertReads("+56 2 2345 6789 anexo 123", nil, "+56223456789")
        assertReads("011 4123-4567 int. 45", "AR", "+541141234567")
        assertReads("212-555-1234 x12", "US", "+12125551234")
        XCTAssertEqual(PhoneNumbers.extensionDigits("212-555-1234 ext. 12"), "12")
        XCTAssertEqual(PhoneNumbers.extensionDigits("(11) 3456-7890 ramal 12"), "12")
        XCTAssertEqual(PhoneNumbers.extensionDigits("+56 2 2345 6789 anexo 123"), "123")
        XCTAssertEqual(PhoneNumbers.extensionDigits("+1 (212) 555-1234 #204"), "204")
        XCTAssertEqual(PhoneNumbers.extensionDigits("tel:+1-212-555-1234;ext=99"), "99")
        XCTAssertNil(PhoneNumbers.extensionDigits("+52 55 1234 5678"))
    }
}
