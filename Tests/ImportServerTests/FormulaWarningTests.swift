import Foundation
import JSONRPC
import XCTest

/// Values that look like spreadsheet formulas are imported as text, but never without a word:
/// the review warns `formulaLike` with the rows.
final class FormulaWarningTests: XCTestCase {
    private let mapping = [mapped(0, "firstName"), mapped(1, "phone"), mapped(2, "lastName")]

    func testFormulaLookingValuesAreWarnedAboutWithTheirRows() throws {
        let wire = try ImportWire(locale: "en")
        let session = try wire.open("""
            Nombre,Teléfono,Apellido
            Ana,+34612345671,=HYPERLINK("http://example.com";"clic")
            Bea,+34612345672,Gil
            @SUM(A1:A9),+34612345673,Paz
            Caro,-12.5,Sol
            """)
        let review = try wire.review(session, "addNew", mapping: mapping)
        let warnings = try XCTUnwrap(review["warnings"]?.arrayValue, "\(review)")
        XCTAssertEqual(warnings.count, 1)
        XCTAssertEqual(warnings[0]["code"], "formulaLike")
        XCTAssertEqual(warnings[0]["rows"], [1, 3])
        XCTAssertEqual(warnings[0]["message"]?.stringValue,
                       "2 rows have values that a spreadsheet would run as a formula (“=HYPERLINK(\"http://example.com\";\"clic\")” "
                       + "in column \"Apellido\", row 1). They are imported as text, exactly as written; check them before importing.")
        // A warning, not an error: the rows are still imported (row 4's phone is the error).
        XCTAssertEqual(review["counts"]?["add"], 3)
    }

    func testPlainNumbersAndPhonesAreNotFormulas() throws {
        let wire = try ImportWire(locale: "es")
        let session = try wire.open("Nombre,Teléfono,Apellido\nAna,+34612345671,-García\nBea,+34 612 345 672,+3\n")
        let review = try wire.review(session, "addNew", mapping: mapping)
        // "-García" would be read as a formula by a spreadsheet; "+3" is a number.
        XCTAssertEqual(review["warnings"]?[0]?["rows"], [1])
        XCTAssertTrue(review["warnings"]?[0]?["message"]?.stringValue?.hasPrefix("1 fila tiene un valor que una hoja de cálculo") == true,
                      "\(review)")
        let clean = try wire.open("Nombre,Teléfono\nAna,+34612345679\n")
        XCTAssertNil(try wire.review(clean, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone")])["warnings"])
    }
}
