import XCTest
import Contacts

final class EmailAddressTests: XCTestCase {
    func testAcceptsWhatUsersWrite() {
        let cases: [(String, String)] = [
            ("ana@example.com", "ana@example.com"),
            ("  Ana.Perez@Example.COM ", "ana.perez@example.com"),
            ("ana+crm@gmail.com", "ana+crm@gmail.com"),
            ("juan_perez-2@mail.empresa.com.mx", "juan_perez-2@mail.empresa.com.mx"),
            ("jose@españa.es", "jose@españa.es"),
            ("MÜLLER@Müller.de", "müller@müller.de"),
            ("info@xn--espaa-rta.es", "info@españa.es"),  // stored as U-labels
            ("o'brien@example.ie", "o'brien@example.ie"),
            ("mailto:Ana@Example.com", "ana@example.com"),
            ("Ana Pérez <ana@example.com>", "ana@example.com"),
            ("\"Pérez, Ana\" <Ana@Example.com>", "ana@example.com"),
            ("ana@example.com;", "ana@example.com"),
            ("ana@sub.domain.example.co.uk", "ana@sub.domain.example.co.uk"),
            ("1234@example.com", "1234@example.com"),
            ("ana@example.photography", "ana@example.photography"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(try EmailAddresses.canonicalize(input).get(), expected, input)
            XCTAssertTrue(EmailAddresses.looksLikeEmail(input), input)
        }
    }

    func testRejectsWithStableCodes() {
        let cases: [(String, String)] = [
            ("ana.example.com", "emailMissingAt"),
            ("ana@localhost", "emailNoTld"),
            ("ana@example", "emailNoTld"),
            ("ana@example.c", "emailNoTld"),
            ("ana@example.123", "emailNoTld"),
            ("ana..perez@example.com", "emailDoubleDot"),
            ("ana@example..com", "emailDoubleDot"),
            ("ana perez@example.com", "emailSpaces"),
            ("ana@exa mple.com", "emailSpaces"),
            ("a@x.com, b@y.com", "emailMultiple"),
            ("a@x.com;b@y.com", "emailMultiple"),
            ("a@x.com b@y.com", "emailMultiple"),
            ("a@x.com, luis", "emailMultiple"),
            ("pedro.sanchez@@example", "emailExtraAt"),
            ("ana@x@y.com", "emailExtraAt"),
            (".ana@example.com", "emailLocalPartDot"),
            ("ana.@example.com", "emailLocalPartDot"),
            ("@example.com", "emailInvalidLocalPart"),
            ("ana(x)@example.com", "emailInvalidLocalPart"),
            ("ana@", "emailInvalidDomain"),
            ("ana@-example.com", "emailInvalidDomain"),
            ("ana@example.com.", "emailInvalidDomain"),
            ("ana@exam_ple.com", "emailInvalidDomain"),
            ("ana@[192.168.0.1]", "emailInvalidDomain"),
            ("ana@gmail,com", "emailInvalidDomain"),
        ]
        for (input, code) in cases {
            switch EmailAddresses.canonicalize(input) {
            case .success(let value): XCTFail("\(input) accepted as \(value)")
            case .failure(let problem):
                XCTAssertEqual(problem.code, code, input)
                XCTAssertTrue(problem.text.english.contains(input.trimmingCharacters(in: .whitespaces)), problem.text.english)
                XCTAssertTrue(problem.text.spanish.contains(input.trimmingCharacters(in: .whitespaces)), problem.text.spanish)
            }
            XCTAssertFalse(EmailAddresses.looksLikeEmail(input), input)
        }
        XCTAssertFalse(EmailAddresses.looksLikeEmail("Juan"))
        XCTAssertFalse(EmailAddresses.looksLikeEmail("+52 55 1234 5678"))
    }
}
