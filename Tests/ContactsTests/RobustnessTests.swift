import XCTest
import Contacts
import Localization
import TestSupport

/// Arbitrary cells never crash a reader, and every rejection is explained in both languages.
final class RobustnessTests: XCTestCase {
    func testRandomCellsNeverCrash() {
        let alphabet: [String] = ["0", "1", "5", "9", "+", "-", " ", ".", ",", ";", "(", ")", "/", "'", "\"", "=", "e", "E",
                                  "x", "@", "a", "Z", "ñ", "é", "\u{00A0}", "–", ":", "#", "T", "\n", "🙂", "\u{0301}", "ext",
                                  "tel:", "00", "15", "044", "mailto:", "<", ">", "http://", "www.", ".com"]
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
        let date = FieldDefinition(key: "d", label: LocalizedText(en: "D", es: "D", pt: "D"), type: .date, isBuiltin: false)
        XCTAssertEqual(try FieldValues.normalize("1990-12-31", for: date, context: NormalizationContext(dayFirstDates: false)).get(),
                       .text("1990-12-31"))
    }
}
