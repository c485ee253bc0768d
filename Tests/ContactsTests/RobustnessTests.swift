import XCTest
import Contacts
import Localization
import TestSupport

/// Arbitrary cells never crash a reader, and every rejection is explained in both languages.
final class RobustnessTests: XCTestCase {
    func testRandomCellsNeverCrash() {
        let alphabet: [String] = ["0", "1", "5", "9", "+", "-", " ", ".", ",", ";", "(", ")", "/", "'", "\"", "=", "e", "E",
                                  "x", "@", "a", "Z", "ñ", "é", "\u{00A0}", "–", ":", "#", "T", "\n", "🙂", "\u{0301}", "ext",
                                  "tel:", "00", "15", "044", "mailto:", "<", ">", "http://", "www.", ".com",
                                  // Issue 14's families.
                                  "[", "]", "＋", "５", "٣", "wa.me/", "https://wa.me/", "xn--", "0xx", " ::: ", "\u{0}",
                                  "\u{200B}", "＠", "。", "++", "--", "N/A", "* ", "FLOWERS", "de marzo", "?phone="]
        var random = SplitMix64(seed: 42)
        let fields = FieldType.allCases.map {
            FieldDefinition(key: "k", label: LocalizedText(en: "K", es: "K", pt: "K"), type: $0, isBuiltin: false, options: ["Sí", "No"])
        }
        let contexts = [NormalizationContext(defaultCountry: "MX"), NormalizationContext(defaultCountry: "AR", dayFirstDates: false),
                        NormalizationContext(defaultCountry: "México"), NormalizationContext()]
        for i in 0..<800 {
            var cell = ""
            for _ in 0..<Int(random.next() % 24) { cell += alphabet[Int(random.next() % UInt64(alphabet.count))] }
            for field in fields {
                if case .failure(let problem) = FieldValues.normalize(cell, for: field, context: contexts[i % contexts.count]) {
                    XCTAssertFalse(problem.code.isEmpty)
                    XCTAssertFalse(problem.message(.english).isEmpty)
                    XCTAssertFalse(problem.message(.spanish).isEmpty)
                }
            }
            _ = PhoneNumbers.looksLikePhone(cell)
            _ = EmailAddresses.looksLikeEmail(cell)
            _ = Languages.code(for: cell)
            _ = Countries.code(for: cell)
        }
    }

    func testCanonicalFormsAreStable() {
        // Canonicalizing a canonical value gives it back: stored values match re-imported ones.
        let phones = ["+525512345678", "+5491123456789", "+5511912345678", "+34612345678", "+442079460958", "+12125551234"]
        for phone in phones {
            XCTAssertEqual(try PhoneNumbers.canonicalize(phone, defaultCountry: nil).get(), phone)
            XCTAssertEqual(try PhoneNumbers.canonicalize(phone, defaultCountry: "MX").get(), phone)
        }
        XCTAssertEqual(try EmailAddresses.canonicalize("ana+x@sub.example.com").get(), "ana+x@sub.example.com")
        XCTAssertEqual(try EmailAddresses.canonicalize("info@españa.es").get(), "info@españa.es")
        XCTAssertEqual(try PhoneNumbers.canonicalize("+558001234567", defaultCountry: "BR").get(), "+558001234567")
        XCTAssertEqual(try PhoneNumbers.canonicalize("+5718000123456", defaultCountry: "CO").get(), "+5718000123456")
        let date = FieldDefinition(key: "d", label: LocalizedText(en: "D", es: "D", pt: "D"), type: .date, isBuiltin: false)
        XCTAssertEqual(try FieldValues.normalize("1990-12-31", for: date, context: NormalizationContext(dayFirstDates: false)).get(),
                       .text("1990-12-31"))
    }

    func testRandomPunycodeLabelsNeverCrash() {
        var random = SplitMix64(seed: 7)
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789-")
        for _ in 0..<2_000 {
            let label = String((0..<Int(random.next() % 30)).map { _ in letters[Int(random.next() % UInt64(letters.count))] })
            _ = EmailAddresses.canonicalize("ana@xn--\(label).com")
        }
    }
}
