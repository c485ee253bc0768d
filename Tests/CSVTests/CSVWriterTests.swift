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

    /// A table's row written from its own bytes is the row its decoded cells give, padded to
    /// the header's width, in every encoding and with every kind of cell.
    func testARowWrittenFromTheTableIsTheRowOfItsDecodedCells() throws {
        let rows = [
            "Nombre;Teléfono;Notas;Extra",
            "Ana;+34 612 345 678;=1+1;@x",
            "\"Ruiz; José\";-12,5;\"dice \"\"hola\"\"\";a,b",
            " lead;trail ;\"two\nlines\";",
            "corta",
            "larga;1;2;3;4;5",
            "ñandú;+SUM(A1);-;\u{FEFF}=1",
            "say \"hi\";\t1;x\"y;plain",
            "+34612345678;-12.5;+1 (555) 123-4567;+SUM(A1)",
            "-2+3;+;--5;+34 612 345 678x",
        ]
        let utf8 = Array(rows.joined(separator: "\r\n").utf8)
        var invalid = utf8
        invalid.append(contentsOf: [0x0D, 0x0A, 0x61, 0xFF, 0x3B, 0x62])
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in rows.joined(separator: "\n").utf16 { utf16.append(UInt8(unit & 0xFF)); utf16.append(UInt8(unit >> 8)) }
        let windows1252 = rows.joined(separator: "\n").unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        let commas = Array(rows.joined(separator: "\n").replacingOccurrences(of: ";", with: ",").utf8)
        for (name, bytes) in [("utf8", utf8), ("invalid", invalid), ("utf16", utf16), ("windows1252", windows1252), ("commas", commas)] {
            let table = try CSVReader.read(bytes: bytes)
            for defusing in [true, false] {
                var fromTable = CSVWriter(defusingFormulas: defusing, delimiter: table.delimiter)
                var fromCells = CSVWriter(defusingFormulas: defusing, delimiter: table.delimiter)
                for row in 0..<table.rowCount {
                    fromTable.writeRow(table, row: row, appending: ["Añadido", "=mal"])
                    var cells = table.cells(ofRow: row)
                    cells.append(contentsOf: repeatElement("", count: max(0, table.columnCount - cells.count)))
                    fromCells.writeRow(cells + ["Añadido", "=mal"])
                }
                XCTAssertEqual(text(fromTable), text(fromCells), "\(name), defusing \(defusing)")
            }
        }
    }
}
