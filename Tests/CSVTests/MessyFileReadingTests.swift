import XCTest
@testable import CSV

/// File-level rules of issue 14: a title above the header, trailing blank fields, stray NULs,
/// UTF-16 without a BOM, a few bad UTF-8 bytes.
final class MessyFileReadingTests: XCTestCase {
    private func read(_ bytes: [UInt8], _ options: CSVReadOptions = CSVReadOptions()) throws -> CSVTable {
        try CSVReader.read(bytes: bytes, options: options)
    }

    private func read(_ text: String, _ options: CSVReadOptions = CSVReadOptions()) throws -> CSVTable {
        try read(Array(text.utf8), options)
    }

    // MARK: Title rows

    func test_title_row_above_the_header_is_skipped_and_reported() throws {
        let text = "Lista de clientes — marzo\n\nNombre,Teléfono,Correo\nAna,+52 55 1234 5678,ana@example.com\nLuis,+52 55 8765 4321,luis@example.com\n"
        let table = try read(text)
        XCTAssertEqual(table.headers, ["Nombre", "Teléfono", "Correo"])
        XCTAssertEqual(table.headerLineNumber, 3)
        XCTAssertEqual(table.rowCount, 2)
        XCTAssertEqual(table.lineNumber(ofRow: 0), 4)
        XCTAssertTrue(table.headerRowMoved)
        let warning = try XCTUnwrap(table.warnings.first { $0.code == .titleRows })
        XCTAssertTrue(warning.text.english.contains("line 3"), warning.text.english)
        XCTAssertTrue(warning.text.spanish.contains("línea 3"), warning.text.spanish)
        XCTAssertFalse(table.warnings.contains { $0.code == .raggedRows })
    }

    func test_title_row_written_with_trailing_delimiters_is_skipped() throws {
        let text = "Reporte de contactos;;;\nExportado el 03/03/2025;;;\nNombre;Apellido;Celular;Email\nAna;Pérez;5512345678;ana@example.com\nLuis;Gómez;5587654321;luis@example.com\nEva;Ruiz;5511112222;eva@example.com\n"
        let table = try read(text)
        XCTAssertEqual(table.headers, ["Nombre", "Apellido", "Celular", "Email"])
        XCTAssertEqual(table.headerLineNumber, 3)
        XCTAssertEqual(table.rowCount, 3)
        // A two-cell title on a short line.
        let short = try read("Reporte de contactos,Sucursal Centro\nNombre,Apellido,Celular,Email\nAna,Pérez,5512345678,ana@example.com\nLuis,Gómez,5587654321,luis@example.com\n")
        XCTAssertEqual(short.headerLineNumber, 2)
    }

    func test_a_file_without_title_keeps_its_first_line_as_header() throws {
        let table = try read("Nombre,Teléfono\nAna,5512345678\n,5587654321\n")
        XCTAssertEqual(table.headerLineNumber, 1)
        XCTAssertFalse(table.headerRowMoved)
        XCTAssertFalse(table.warnings.contains { $0.code == .titleRows })
        // A sparse first data row is not a header.
        let sparse = try read("Nombre,Teléfono,Correo\nAna,,\nLuis,5512345678,luis@example.com\nEva,5511112222,eva@example.com\n")
        XCTAssertEqual(sparse.headerLineNumber, 1)
        // A header with unnamed columns is still the header, even over rows of plain text.
        let unnamed = try read("Nombre,Apellido,,,\nAna,Pérez,Calle 5,Bogotá,vip\nLuis,Gil,Calle 7,Cali,nuevo\nEva,Ruiz,Calle 9,Lima,vip\n")
        XCTAssertEqual(unnamed.headerLineNumber, 1)
        // Data under a one-cell first line is not taken for a header.
        let numeric = try read("Clientes\n5512345678,ana@example.com\n5587654321,luis@example.com\n")
        XCTAssertEqual(numeric.headerLineNumber, 1)
    }

    func test_header_line_option_overrides_detection() throws {
        let text = "Lista de clientes\nNombre,Teléfono\nAna,5512345678\nLuis,5587654321\n"
        let forced = try read(text, CSVReadOptions(headerLine: 1))
        XCTAssertEqual(forced.headers, ["Lista de clientes"])
        XCTAssertEqual(forced.rowCount, 3)
        let second = try read(text, CSVReadOptions(headerLine: 2))
        XCTAssertEqual(second.headers, ["Nombre", "Teléfono"])
        XCTAssertFalse(second.warnings.contains { $0.code == .titleRows }, "asked for, not guessed")
        XCTAssertThrowsError(try read(text, CSVReadOptions(headerLine: 4))) { error in
            XCTAssertEqual((error as? CSVRejection)?.reason, .empty)
            XCTAssertTrue((error as? CSVRejection)?.detail.english.contains("line 4") ?? false)
        }
        XCTAssertThrowsError(try read(text, CSVReadOptions(headerLine: 40)))
    }

    // MARK: Trailing blank fields

    func test_trailing_empty_fields_do_not_make_a_row_malformed() throws {
        let table = try read("Nombre,Teléfono\nAna,5512345678,\nLuis,5587654321,,,\nEva,55,x\n")
        XCTAssertEqual(table.fieldCount(ofRow: 0), 2)
        XCTAssertEqual(table.fieldCount(ofRow: 1), 2)
        XCTAssertEqual(table.fieldCount(ofRow: 2), 3, "an extra non-empty field still is")
        XCTAssertEqual(table.raggedRows, [3])
        let warning = try XCTUnwrap(table.warnings.first { $0.code == .raggedRows })
        XCTAssertEqual(warning.rows, [3])
    }

    // MARK: NUL bytes

    func test_a_few_stray_nul_bytes_are_a_row_warning_not_a_rejection() throws {
        var bytes = Array("Nombre,Teléfono\nAna,5512345678\nLu".utf8)
        bytes.append(0)
        bytes += Array("is,5587654321\nEva,5511112222\n".utf8)
        let table = try read(bytes)
        XCTAssertEqual(table.rowCount, 3)
        XCTAssertEqual(table.cell(row: 1, column: 0), "Lu\u{0}is")
        let warning = try XCTUnwrap(table.warnings.first { $0.code == .nulBytes })
        XCTAssertEqual(warning.rows, [2])
        XCTAssertTrue(warning.text.spanish.contains("línea") || warning.text.spanish.contains("líneas"))
    }

    func test_a_file_full_of_nul_bytes_is_binary() {
        let bytes = Array("Nombre,Tel\n".utf8) + [UInt8](repeating: 0, count: 200) + Array("Ana,1\n".utf8)
        XCTAssertThrowsError(try read(bytes)) { error in
            XCTAssertEqual((error as? CSVRejection)?.reason, .notCsv)
        }
    }

    func test_utf16_without_bom_is_read_as_utf16() throws {
        let text = "Nombre,Teléfono\nJosé,5512345678\n"
        let little = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let table = try read(little)
        XCTAssertEqual(table.encoding, .utf16LE)
        XCTAssertEqual(table.cell(row: 0, column: 0), "José")
        let big = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        XCTAssertEqual(try read(big).encoding, .utf16BE)
    }

    // MARK: Invalid UTF-8

    func test_a_few_invalid_bytes_keep_the_file_utf8() throws {
        var bytes = Array("Nombre,Ciudad\nJosé,Bogotá\nMaría,Medellín\nÍñigo,".utf8)
        bytes.append(0xE9)  // a lone Windows-1252 "é"
        bytes += Array("\nMartín,Cali\n".utf8)
        let table = try read(bytes)
        XCTAssertEqual(table.encoding, .utf8)
        XCTAssertEqual(table.cell(row: 0, column: 0), "José", "not JosÃ©")
        XCTAssertEqual(table.cell(row: 2, column: 1), "\u{FFFD}")
        let warning = try XCTUnwrap(table.warnings.first { $0.code == .invalidBytes })
        XCTAssertEqual(warning.rows, [3])
        XCTAssertTrue(warning.text.english.contains("lines 4"), warning.text.english)
    }

    func test_a_windows_1252_file_is_still_windows_1252() throws {
        let bytes: [UInt8] = Array("Nombre,Ciudad\nJos".utf8) + [0xE9] + Array(",Bogot".utf8) + [0xE1] + Array("\nMar".utf8) + [0xED] + Array("a,Cali\n".utf8)
        let table = try read(bytes)
        XCTAssertEqual(table.encoding, .windows1252)
        XCTAssertEqual(table.cell(row: 0, column: 0), "José")
        XCTAssertFalse(table.warnings.contains { $0.code == .invalidBytes })
    }

    func test_random_messy_bytes_never_crash_the_reader() {
        var state: UInt64 = 99
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let pieces: [[UInt8]] = [Array("Nombre".utf8), Array(",".utf8), Array(";".utf8), Array("\n".utf8), Array("\r\n".utf8),
                                 [0], [0xE9], [0xC3, 0xA9], Array("\"".utf8), Array("Lista de clientes".utf8), Array("55".utf8),
                                 Array("a@b.com".utf8), Array(" ".utf8), [0xFF, 0xFE], [0xEF, 0xBB, 0xBF], [0x01]]
        for round in 0..<1_500 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(next() % 40) { bytes += pieces[Int(next() % UInt64(pieces.count))] }
            let header = round % 3 == 0 ? Int(next() % 6) + 1 : nil
            if let table = try? CSVReader.read(bytes: bytes, options: CSVReadOptions(headerLine: header)) {
                XCTAssertGreaterThanOrEqual(table.headerLineNumber, 1)
                for row in 0..<table.rowCount {
                    _ = table.cells(ofRow: row)
                    _ = table.fieldCount(ofRow: row)
                }
                _ = table.nonBlankCounts()
            }
        }
    }
}
