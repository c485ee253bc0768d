import XCTest
import Contacts
import Localization

/// The text helpers that replaced Foundation's in the daemon's targets (folding, replacing,
/// trimming, fixed decimals).
final class TextHelpersTests: XCTestCase {
    func testLooseFoldingIgnoresCaseAccentsAndWidth() {
        XCTAssertEqual(TextFolding.looseFolded("Teléfono"), "telefono")
        XCTAssertEqual(TextFolding.looseFolded("CORREO ELECTRÓNICO"), "correo electronico")
        XCTAssertEqual(TextFolding.looseFolded("Jose\u{301}"), "jose", "decomposed accents are dropped")
        XCTAssertEqual(TextFolding.looseFolded("ＴＥＬ１"), "tel1", "full-width forms are ASCII")
        XCTAssertEqual(TextFolding.looseFolded("Őrség Ștefan Nguyễn Łódź"), "orseg stefan nguyen lodz",
                       "Latin letters with a diacritic lose it, a stroke included")
        XCTAssertEqual(TextFolding.looseFolded("Ñandú Çedilha"), "nandu cedilha")
        XCTAssertEqual(TextFolding.looseFolded("Имя Électronique"), "имя electronique")
        XCTAssertEqual(TextFolding.looseFolded("a×b"), "a×b", "× is not a letter")
        XCTAssertEqual(TextFolding.looseAlphanumerics("  Correo-Electrónico 2 "), "correoelectronico2")
    }

    func testReplacingEveryComparesScalarsNotCharacters() {
        XCTAssertEqual("a'b''c".replacingEvery("'", with: "''"), "a''b''''c")
        // A quote followed by a combining mark is one Character, but still a quote to SQL.
        XCTAssertEqual("x'\u{301}y".replacingEvery("'", with: "''"), "x''\u{301}y")
        XCTAssertEqual("line\r\nnext".replacingEvery("\n", with: "\\n"), "line\r\\nnext")
        XCTAssertEqual("ñandú ñu".replacingEvery("ñ", with: "n"), "nandú nu")
        XCTAssertEqual("abc".replacingEvery("", with: "x"), "abc")
        XCTAssertEqual("abc".replacingEvery("abcd", with: "x"), "abc")
        XCTAssertEqual("aaa".replacingEvery("aa", with: "b"), "ba")
    }

    func testWhitespaceTrimmed() {
        XCTAssertEqual("  \t Ana Ruiz \r\n\u{A0}".whitespaceTrimmed(), "Ana Ruiz")
        XCTAssertEqual(" \n ".whitespaceTrimmed(), "")
        XCTAssertEqual("sin espacios".whitespaceTrimmed(), "sin espacios")
    }

    func testFixedDecimals() {
        XCTAssertEqual(3.14159.fixed(3), "3.142")
        XCTAssertEqual(0.0.fixed(3), "0.000")
        XCTAssertEqual((-1.25).fixed(1), "-1.3")
        XCTAssertEqual(12.0.fixed(0), "12")
        XCTAssertEqual(0.05.fixed(3), "0.050")
        XCTAssertEqual((-0.0001).fixed(2), "0.00")
        XCTAssertEqual(1234.5678.fixed(2), "1234.57")
    }
}
