import XCTest
import Contacts

/// The e-mail rules of issue 14: invisible characters, undeliverable domains, length limits,
/// full-width forms and one stored form for internationalised domains (U-labels).
final class EmailReadingRulesTests: XCTestCase {
    private func assertReads(_ input: String, _ expected: String, line: UInt = #line) {
        switch EmailAddresses.canonicalize(input) {
        case .success(let value): XCTAssertEqual(value, expected, input, line: line)
        case .failure(let problem): XCTFail("\(input): \(problem.code) \(problem.text.english)", line: line)
        }
    }

    private func assertRejects(_ input: String, _ code: String, line: UInt = #line) {
        switch EmailAddresses.canonicalize(input) {
        case .success(let value): XCTFail("\(input) accepted as \(value), expected \(code)", line: line)
        case .failure(let problem):
            XCTAssertEqual(problem.code, code, input, line: line)
            XCTAssertNotEqual(problem.text.english, problem.text.spanish, line: line)
        }
    }

    func test_invisible_characters_never_reach_the_stored_address() {
        assertReads("ana\u{200B}@example.com", "ana@example.com")
        assertReads("an\u{200D}a@exam\u{00AD}ple.com", "ana@example.com")
        assertReads("\u{FEFF}ana@example.com\u{200E}", "ana@example.com")
        assertReads("ana@exa\u{2060}mple.com", "ana@example.com")
        assertRejects("ana\u{200B} @example.com", "emailSpaces")
    }

    func test_special_use_domains_are_rejected() {
        for domain in ["printer.local", "localhost.localhost", "qa.test", "x.invalid", "company.example",
                       "QA.TEST", "x.Invalid", "company.EXAMPLE"] {
            assertRejects("ana@\(domain)", "emailSpecialUseDomain")
        }
        assertReads("ana@example.com", "ana@example.com")
        assertReads("ana@local.com.mx", "ana@local.com.mx")
        assertReads("ana@test.com", "ana@test.com")
        assertReads("ana@x.tests", "ana@x.tests")
        assertReads("ana@x.info", "ana@x.info")
    }

    func test_length_limits_are_enforced() {
        let local64 = String(repeating: "a", count: 64)
        assertReads("\(local64)@example.com", "\(local64)@example.com")
        assertRejects("\(local64)a@example.com", "emailInvalidLocalPart")
        let label63 = String(repeating: "b", count: 63)
        assertReads("ana@\(label63).com", "ana@\(label63).com")
        assertRejects("ana@\(label63)b.com", "emailInvalidDomain")
        // 60 + 1 + 195 = 256 characters, each part within its own limit.
        let long = String(repeating: "a", count: 60) + "@" + Array(repeating: label63, count: 3).joined(separator: ".") + ".com"
        assertRejects(long, "emailTooLong")
        assertRejects("ana@example.c", "emailNoTld")
        assertRejects("ana@examplecom", "emailNoTld")
    }

    func test_full_width_at_and_ideographic_dots_are_normalised() {
        assertReads("ana＠example.com", "ana@example.com")
        assertReads("ana@example。com", "ana@example.com")
        assertReads("ana@example．com", "ana@example.com")
        assertReads("ａｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ana@example.com")
        assertRejects("ana＠＠example.com", "emailExtraAt")
    }

    func test_unicode_domains_are_stored_as_u_labels_and_match_either_way() {
        assertReads("info@españa.es", "info@españa.es")
        assertReads("info@xn--espaa-rta.es", "info@españa.es")
        assertReads("INFO@XN--ESPAA-RTA.ES", "info@españa.es")
        assertReads("kontakt@xn--mller-kva.de", "kontakt@müller.de")
        assertReads("contato@xn--fiqs8s.cn", "contato@中国.cn")
        XCTAssertEqual(try EmailAddresses.canonicalize("info@xn--espaa-rta.es").get(),
                       try EmailAddresses.canonicalize("Info@España.es").get())
    }

    func test_emoji_domains_are_rejected() {
        assertRejects("ana@😀.com", "emailInvalidDomain")
        assertRejects("ana@xn--e28h.com", "emailInvalidDomain")  // the A-label of 😀
        assertRejects("ana@★.com", "emailInvalidDomain")
        assertRejects("ana@xn--zz.com", "emailInvalidDomain")  // not valid punycode
    }
}
