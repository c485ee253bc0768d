import XCTest
@testable import CSV

/// The writer in the input file's own delimiter: what a `;` spreadsheet opens as columns.
final class CSVWriterDelimiterTests: XCTestCase {
    private func written(_ rows: [[String]], delimiter: UInt8) -> String {
        var writer = CSVWriter(delimiter: delimiter)
        for row in rows { writer.writeRow(row) }
        return String(decoding: writer.bytes.dropFirst(3), as: UTF8.self)
    }

    func testSemicolonDelimitedRowsQuoteOnlyWhatNeedsIt() {
        XCTAssertEqual(written([["Nombre", "Notas"], ["Ana", "uno; dos"], ["Bea", "a,b"], ["Caro", "dijo \"sí\""]], delimiter: 0x3B),
                       "Nombre;Notas\r\nAna;\"uno; dos\"\r\nBea;\"a,b\"\r\nCaro;\"dijo \"\"sí\"\"\"\r\n")
    }

    func testTabAndPipeDelimiters() {
        XCTAssertEqual(written([["a", "b\tc"]], delimiter: 0x09), "a\t\"b\tc\"\r\n")
        XCTAssertEqual(written([["a", "b|c", "d"]], delimiter: 0x7C), "a|\"b|c\"|d\r\n")
    }

    func testWhatIsWrittenReadsBackWithTheSameColumns() throws {
        var writer = CSVWriter(delimiter: 0x3B)
        writer.writeRow(["Nombre", "Notas", "Estado de la importación"])
        writer.writeRow(["Ana", "uno; dos\nlínea", "Importado"])
        let table = try CSVReader.read(bytes: writer.bytes)
        XCTAssertEqual(table.delimiter, 0x3B)
        XCTAssertEqual(table.originalHeaders, ["Nombre", "Notas", "Estado de la importación"])
        XCTAssertEqual(table.cells(ofRow: 0), ["Ana", "uno; dos\nlínea", "Importado"])
    }

    func testAnythingElseFallsBackToComma() {
        XCTAssertEqual(written([["a", "b"]], delimiter: UInt8(ascii: "x")), "a,b\r\n")
    }
}
