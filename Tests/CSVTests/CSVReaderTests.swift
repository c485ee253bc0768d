import XCTest
@testable import CSV

/// Parses `text` (UTF-8) and fails the test on a rejection.
func parse(_ text: String, _ options: CSVReadOptions = CSVReadOptions(),
           file: StaticString = #filePath, line: UInt = #line) -> CSVTable? {
    parse(Array(text.utf8), options, file: file, line: line)
}

func parse(_ bytes: [UInt8], _ options: CSVReadOptions = CSVReadOptions(),
           file: StaticString = #filePath, line: UInt = #line) -> CSVTable? {
    do {
        return try CSVReader.read(bytes: bytes, options: options)
    } catch {
        XCTFail("rejected: \(error.reason) \(error.detail.english)", file: file, line: line)
        return nil
    }
}

func rows(_ table: CSVTable) -> [[String]] {
    (0..<table.rowCount).map { table.cells(ofRow: $0) }
}

final class CSVReaderTests: XCTestCase {
    func testSimpleCommaFile() throws {
        let table = try XCTUnwrap(parse("Nombre,Teléfono\nAna,+34 612 345 678\nLuis,5512345678\n"))
        XCTAssertEqual(table.headers, ["Nombre", "Teléfono"])
        XCTAssertEqual(table.encoding, .utf8)
        XCTAssertFalse(table.hasBOM)
        XCTAssertEqual(table.delimiter, UInt8(ascii: ","))
        XCTAssertEqual(rows(table), [["Ana", "+34 612 345 678"], ["Luis", "5512345678"]])
        XCTAssertEqual(table.lineNumber(ofRow: 0), 2)
        XCTAssertEqual(table.lineNumber(ofRow: 1), 3)
        XCTAssertEqual(table.warnings, [])
    }
}
