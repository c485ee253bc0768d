import XCTest
@testable import CSV

final class CSVWriterTests: XCTestCase {
    private func text(_ writer: CSVWriter) -> String {
        XCTAssertEqual(Array(writer.bytes.prefix(3)), [0xEF, 0xBB, 0xBF])
        return String(decoding: writer.bytes.dropFirst(3), as: UTF8.self)
    }

    func testQuotesExactlyWhenNeeded() {
        var writer = CSVWriter()
        writer.writeRow(["plain", "a,b", "say \"hi\"", "two\nlines", "cr\rx", " lead", "trail ", "ñandú", ""])
        writer.writeRow(["x"])
        XCTAssertEqual(text(writer), "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rx\",\" lead\",\"trail \",ñandú,\r\nx\r\n")
    }

    func testEmptyWriterHasOnlyBOM() {
        XCTAssertEqual(CSVWriter().bytes, [0xEF, 0xBB, 0xBF])
    }

    func testFormulasAreDefused() {
        for cell in ["=1+1", "=HYPERLINK(\"http://x\")", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@usuario", "\tx", "\rx",
                     "+1-2", "-", "+", "--5", "+34 612 345 678x", "+1 (2"] {
            XCTAssertEqual(CSVWriter.spreadsheetSafe(cell), "'" + cell, cell.debugDescription)
        }
    }

    func testAFormulaBehindSpacesLineBreaksOrAByteOrderMarkIsDefused() {
        for cell in [" =1+1", "   @SUM(A1)", "\n=1+1", "\r\n+SUM(A1)", "\u{FEFF}=1+1", "\u{00A0}=1+1", "\u{200B}-2+3"] {
            XCTAssertEqual(CSVWriter.spreadsheetSafe(cell), "'" + cell, cell.debugDescription)
        }
    }

    func testFullWidthFormulaSignsAreDefused() {
        for cell in ["\u{FF1D}1+1", "\u{FF20}SUM(A1)", "\u{FF0B}1+1", "\u{FF0D}1+1"] {
            XCTAssertEqual(CSVWriter.spreadsheetSafe(cell), "'" + cell, cell.debugDescription)
        }
    }

    func testArithmeticThatLooksLikeAPhoneIsDefused() {
        for cell in ["+1/2/3/4/5/6", "+1-2-3-4-5-6-7", "+12 3 4 5 6 7", "+34 612  345", "+34 (612) (345) 678"] {
            XCTAssertEqual(CSVWriter.spreadsheetSafe(cell), "'" + cell, cell.debugDescription)
        }
    }

    func testPhonesBehindSpacesAndNumbersStayAsTheyAre() {
        for cell in ["+34-612-345-678", "+34.612.345.678", " -5", "+1 (555) 123 4567", " Ana", "\nnota"] {
            XCTAssertEqual(CSVWriter.spreadsheetSafe(cell), cell, cell.debugDescription)
        }
    }

    func testNumbersPhonesAndTextStayAsTheyAre() {
        for cell in ["+34612345678", "+1 (555) 123-4567", "+52 55 1234 5678", "+55 11 91234-5678", "-12.5", "-3",
                     "+7", "1,5", "-0,25", "Ana", "", "'=already", "612 345 678", "a=b", "mail@x.es"] {
            XCTAssertEqual(CSVWriter.spreadsheetSafe(cell), cell, cell.debugDescription)
        }
    }

    func testWriteRowDefusesUnlessDisabled() {
        var safe = CSVWriter()
        safe.writeRow(["=1+1", "+34612345678", "@a,b"])
        XCTAssertEqual(text(safe), "'=1+1,+34612345678,\"'@a,b\"\r\n")
        var raw = CSVWriter(defusingFormulas: false)
        raw.writeRow(["=1+1"])
        XCTAssertEqual(text(raw), "=1+1\r\n")
    }

    func testRoundTripThroughTheReader() throws {
        let original = [["Nombre", "Notas", "Tel"], ["Pérez, Ana", "Dijo \"hola\"\r\ny adiós", "+34612345678"], ["Luis", "", " 1 "]]
        var writer = CSVWriter()
        original.forEach { writer.writeRow($0) }
        let table = try CSVReader.read(bytes: writer.bytes)
        XCTAssertTrue(table.hasBOM)
        XCTAssertEqual(table.headers, original[0])
        XCTAssertEqual((0..<table.rowCount).map { table.cells(ofRow: $0) }, Array(original.dropFirst()))
    }
}
