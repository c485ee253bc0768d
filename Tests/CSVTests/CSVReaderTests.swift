import XCTest
import TestSupport
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
        XCTAssertEqual(table.delimiterString, ",")
        XCTAssertEqual(table.byteCount, 53)
        XCTAssertEqual(rows(table), [["Ana", "+34 612 345 678"], ["Luis", "5512345678"]])
        XCTAssertEqual(table.lineNumber(ofRow: 0), 2)
        XCTAssertEqual(table.lineNumber(ofRow: 1), 3)
        XCTAssertEqual(table.warnings, [])
    }
}

final class CSVEncodingTests: XCTestCase {
    let text = "Nombre;Notas\nJosé;Señor “Núñez” — 5 €\nAçaí;Ação\n"

    func testUTF8WithoutBOM() throws {
        let table = try XCTUnwrap(parse(Array(text.utf8)))
        XCTAssertEqual(table.encoding, .utf8)
        XCTAssertFalse(table.hasBOM)
        XCTAssertEqual(table.cell(row: 0, column: 1), "Señor “Núñez” — 5 €")
    }

    func testUTF8WithBOMGluedToHeader() throws {
        let table = try XCTUnwrap(parse([0xEF, 0xBB, 0xBF] + Array(text.utf8)))
        XCTAssertEqual(table.encoding, .utf8)
        XCTAssertTrue(table.hasBOM)
        XCTAssertEqual(table.headers, ["Nombre", "Notas"])
        XCTAssertEqual(table.originalHeaders, ["Nombre", "Notas"])
        XCTAssertEqual(table.cell(row: 1, column: 0), "Açaí")
    }

    func testDoubleBOMIsStrippedFromDisplayedHeader() throws {
        let table = try XCTUnwrap(parse([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("Nombre,Correo\nAna,a@x.es\n".utf8)))
        XCTAssertEqual(table.headers, ["Nombre", "Correo"])
    }

    func testUTF16LittleEndian() throws {
        let bytes: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let table = try XCTUnwrap(parse(bytes))
        XCTAssertEqual(table.encoding, .utf16LE)
        XCTAssertTrue(table.hasBOM)
        XCTAssertEqual(table.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(rows(table), [["José", "Señor “Núñez” — 5 €"], ["Açaí", "Ação"]])
        XCTAssertEqual(table.byteCount, bytes.count)
    }

    func testUTF16BigEndianWithSurrogatePair() throws {
        let source = "Nombre\tNotas\nAna\t😀 ok\n"
        let bytes: [UInt8] = [0xFE, 0xFF] + source.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let table = try XCTUnwrap(parse(bytes))
        XCTAssertEqual(table.encoding, .utf16BE)
        XCTAssertEqual(table.delimiter, 0x09)
        XCTAssertEqual(table.cell(row: 0, column: 1), "😀 ok")
    }

    func testUTF16WithoutBOM() throws {
        let little: [UInt8] = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let table = try XCTUnwrap(parse(little))
        XCTAssertEqual(table.encoding, .utf16LE)
        XCTAssertFalse(table.hasBOM)
        XCTAssertEqual(table.cell(row: 1, column: 1), "Ação")
        let big: [UInt8] = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        XCTAssertEqual(parse(big)?.encoding, .utf16BE)
    }

    func testBrokenUTF16BecomesReplacementCharacters() {
        // "a,b\n" then an unpaired high surrogate, "x", a lone low surrogate, and one odd byte.
        let units: [UInt16] = [0x61, 0x2C, 0x62, 0x0A, 0xD800, 0x78, 0xDC00, 0x2C, 0x79]
        let bytes: [UInt8] = [0xFF, 0xFE] + units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0x41]
        let decoded = String(decoding: TextDecoding.transcodeUTF16(bytes, from: 2, bigEndian: false), as: UTF8.self)
        XCTAssertEqual(decoded, "a,b\n\u{FFFD}x\u{FFFD},y\u{FFFD}")
    }

    func testWindows1252WhenNotUTF8() throws {
        // "José;Peña €" with 0x80 (€), 0x93/0x94 (“ ”) and Latin-1 letters.
        var bytes = Array("Nombre;Notas\nJos".utf8) + [0xE9] + Array(";Pe".utf8) + [0xF1] + Array("a ".utf8)
        bytes += [0x80, 0x20, 0x93] + Array("hola".utf8) + [0x94, 0x0A]
        let table = try XCTUnwrap(parse(bytes))
        XCTAssertEqual(table.encoding, .windows1252)
        XCTAssertFalse(table.hasBOM)
        XCTAssertEqual(rows(table), [["José", "Peña € “hola”"]])
    }

    func testWindows1252QuotedCellsAndHeaders() throws {
        // Header "Año;Notas", a quoted note with a doubled quote, a line break and 0x93/0x94 quotes.
        var bytes = Array("A".utf8) + [0xF1] + Array("o;Notas\r\n2024;\"Dijo \"\"s".utf8) + [0xED] + Array("\"\" \r\n".utf8)
        bytes += [0x93] + Array("ok".utf8) + [0x94] + Array("\";x\r\n".utf8)
        let table = try XCTUnwrap(parse(bytes))
        XCTAssertEqual(table.encoding, .windows1252)
        XCTAssertEqual(table.headers, ["Año", "Notas"])
        XCTAssertEqual(table.cells(ofRow: 0), ["2024", "Dijo \"sí\" \r\n“ok”", "x"])
        XCTAssertEqual(table.lineNumber(ofRow: 0), 2)
    }

    func testWindows1252FullHighTable() {
        let bytes = (0x80...0xFF).map { UInt8($0) }
        let decoded = String(decoding: TextDecoding.transcodeWindows1252(bytes), as: UTF8.self)
        XCTAssertEqual(decoded.unicodeScalars.count, 128)
        XCTAssertTrue(decoded.hasPrefix("€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ"))
        XCTAssertTrue(decoded.hasSuffix("ñòóôõö÷øùúûüýþÿ"))
    }

    func testWindows1252TranscodingMatchesScalarByScalar() {
        var random = SplitMix64(seed: 99)
        for _ in 0..<300 {
            let bytes = (0..<random.below(90)).map { _ in
                random.chance(0.8) ? UInt8(0x20 + random.below(0x5F)) : UInt8(0x80 + random.below(0x80))
            }
            var expected = ""
            for byte in bytes { expected.unicodeScalars.append(Unicode.Scalar(TextDecoding.windows1252Scalar(byte)) ?? "?") }
            XCTAssertEqual(String(decoding: TextDecoding.transcodeWindows1252(bytes), as: UTF8.self), expected)
        }
    }

    func testEncodingOverride() throws {
        // Valid UTF-8 read as Windows-1252 because the caller says so.
        let table = try XCTUnwrap(parse(Array("a,b\nñ,x\n".utf8), CSVReadOptions(encoding: .windows1252)))
        XCTAssertEqual(table.encoding, .windows1252)
        XCTAssertEqual(table.cell(row: 0, column: 0), "Ã±")
    }

    func testForcedUTF8OnInvalidBytesUsesReplacementCharacter() throws {
        let table = try XCTUnwrap(parse(Array("a,b\nx".utf8) + [0xFF] + Array(",y\n".utf8), CSVReadOptions(encoding: .utf8)))
        XCTAssertEqual(table.cell(row: 0, column: 0), "x\u{FFFD}")
    }

    func testUTF8Validation() {
        XCTAssertTrue(TextDecoding.isValidUTF8(Array("plain ascii text longer than eight".utf8)))
        XCTAssertTrue(TextDecoding.isValidUTF8(Array("ñandú 😀 €".utf8)))
        XCTAssertFalse(TextDecoding.isValidUTF8([0xC0, 0x80]))          // overlong
        XCTAssertFalse(TextDecoding.isValidUTF8([0xED, 0xA0, 0x80]))    // surrogate
        XCTAssertFalse(TextDecoding.isValidUTF8([0xE9, 0x20]))          // Latin-1 é
        XCTAssertFalse(TextDecoding.isValidUTF8([0x61, 0xE2, 0x82]))    // truncated
        XCTAssertFalse(TextDecoding.isValidUTF8([0xF4, 0x90, 0x80, 0x80])) // above U+10FFFF
    }
}

final class CSVDelimiterTests: XCTestCase {
    func testEachDelimiterIsSniffed() throws {
        for delimiter in [",", ";", "\t", "|"] {
            let others = [",", ";", "\t", "|"].filter { $0 != delimiter }
            let text = ["Nombre", "Notas", "Tel"].joined(separator: delimiter) + "\n"
                + ["Ana", "\"uno\(others[0]) dos\(others[1])\"", "1"].joined(separator: delimiter) + "\n"
                + ["Luis", "tres\(others[2])", "2"].joined(separator: delimiter) + "\n"
            let table = try XCTUnwrap(parse(text))
            XCTAssertEqual(table.delimiter, UInt8(ascii: Unicode.Scalar(delimiter)!), "delimiter \(delimiter.debugDescription)")
            XCTAssertEqual(table.columnCount, 3)
            XCTAssertEqual(table.cell(row: 0, column: 1), "uno\(others[0]) dos\(others[1])")
        }
    }

    func testSemicolonWithDecimalCommas() throws {
        let table = try XCTUnwrap(parse("Nombre;Saldo;Tel\nAna;3,5;1\nLuis;12,25;2\nEva;7;3\n"))
        XCTAssertEqual(table.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(table.cell(row: 1, column: 1), "12,25")
    }

    func testStrayQuotesDoNotConfuseTheSniffer() throws {
        let table = try XCTUnwrap(parse("Nombre;Altura;Notas\nAna;5'7\";x, y\nLuis;6';a, b\nEva;5';c, d\n"))
        XCTAssertEqual(table.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(table.cell(row: 0, column: 1), "5'7\"")
    }

    func testMultilineQuotedNotesDoNotConfuseTheSniffer() throws {
        let table = try XCTUnwrap(parse("a|b|c\n1|\"x,\ny,\nz,\"|3\n4|\"p,q\"|6\n"))
        XCTAssertEqual(table.delimiter, UInt8(ascii: "|"))
        XCTAssertEqual(table.rowCount, 2)
    }

    func testDelimiterOverride() throws {
        let table = try XCTUnwrap(parse("a,b;c\n1,2;3\n", CSVReadOptions(delimiter: UInt8(ascii: ";"))))
        XCTAssertEqual(table.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(table.headers, ["a,b", "c"])
    }

    func testSingleColumnDefaultsToComma() throws {
        let table = try XCTUnwrap(parse("Correo\na@x.es\nb@y.es\n"))
        XCTAssertEqual(table.delimiter, UInt8(ascii: ","))
        XCTAssertEqual(table.columnCount, 1)
        XCTAssertEqual(table.rowCount, 2)
    }
}

final class CSVQuotingTests: XCTestCase {
    func testDoubledQuotesAndEmbeddedNewlines() throws {
        let text = "Nombre,Notas,Tel\r\n\"Pérez, Ana\",\"Dijo \"\"hola\"\",\r\nllamar\nluego\",1\r\nLuis,\"\",2\r\n"
        let table = try XCTUnwrap(parse(text))
        XCTAssertEqual(rows(table), [["Pérez, Ana", "Dijo \"hola\",\r\nllamar\nluego", "1"], ["Luis", "", "2"]])
        XCTAssertEqual(table.lineNumber(ofRow: 0), 2)
        XCTAssertEqual(table.lineNumber(ofRow: 1), 5)
        XCTAssertTrue(table.isEmpty(row: 1, column: 1))
        XCTAssertFalse(table.isEmpty(row: 1, column: 0))
    }

    func testStrayQuoteInsideUnquotedFieldIsText() throws {
        let table = try XCTUnwrap(parse("Nombre,Altura\nAna,5'7\"\nLuis,ab\"c\"d\n"))
        XCTAssertEqual(rows(table), [["Ana", "5'7\""], ["Luis", "ab\"c\"d"]])
        XCTAssertEqual(table.warnings, [])
    }

    func testTextAfterClosingQuoteIsKept() throws {
        let table = try XCTUnwrap(parse("a,b\n\"abc\"def,x\n"))
        XCTAssertEqual(rows(table), [["abcdef", "x"]])
    }

    func testQuotedDelimiterOnlyField() throws {
        let table = try XCTUnwrap(parse("a,b\n\",\",\"\"\"\"\n"))
        XCTAssertEqual(rows(table), [[",", "\""]])
    }

    func testUnterminatedQuoteWarnsAndKeepsLaterRows() throws {
        let text = "Nombre,Notas\nAna,ok\nLuis,\"sin cerrar\nEva,bien\nIker,\"\"x\"\"\n"
        let table = try XCTUnwrap(parse(text))
        XCTAssertEqual(rows(table), [["Ana", "ok"], ["Luis", "\"sin cerrar"], ["Eva", "bien"], ["Iker", "\"\"x\"\""]])
        let warning = try XCTUnwrap(table.warnings.first { $0.code == .unterminatedQuote })
        XCTAssertEqual(warning.rows, [2])
        XCTAssertTrue(warning.message(.english).contains("line 3"), warning.message(.english))
        XCTAssertTrue(warning.message(.spanish).contains("línea 3"), warning.message(.spanish))
    }

    func testUnterminatedQuoteAfterMultilineFieldReportsItsOwnLine() throws {
        let text = "a,b\n\"x\ny\",1\n2,\"open\n"
        let table = try XCTUnwrap(parse(text))
        XCTAssertEqual(table.lineNumber(ofRow: 1), 4)
        XCTAssertTrue(table.warnings.contains { $0.code == .unterminatedQuote && $0.message(.english).contains("line 4") })
        XCTAssertEqual(table.cell(row: 1, column: 1), "\"open")
    }
}

final class CSVLineTests: XCTestCase {
    func testCROnlyLineEnds() throws {
        let table = try XCTUnwrap(parse("Nombre,Tel\rAna,1\rLuis,\"a\rb\"\rEva,3"))
        XCTAssertEqual(rows(table), [["Ana", "1"], ["Luis", "a\rb"], ["Eva", "3"]])
        XCTAssertEqual(table.lineNumber(ofRow: 2), 5)
    }

    func testMixedLineEndsAndNoFinalNewline() throws {
        let table = try XCTUnwrap(parse("a,b\r\n1,2\n3,4\r5,6"))
        XCTAssertEqual(rows(table), [["1", "2"], ["3", "4"], ["5", "6"]])
        XCTAssertEqual((0..<3).map { table.lineNumber(ofRow: $0) }, [2, 3, 4])
    }

    func testBlankLinesAreSkippedButCounted() throws {
        let table = try XCTUnwrap(parse("\n\r\n  \na,b\n\n1,2\n,\n;\n   ,  \n3,4\n\n"))
        XCTAssertEqual(table.headers, ["a", "b"])
        XCTAssertEqual(table.headerLineNumber, 4)
        XCTAssertEqual(rows(table), [["1", "2"], [";"], ["3", "4"]])
        XCTAssertEqual(table.lineNumber(ofRow: 0), 6)
        XCTAssertEqual(table.lineNumber(ofRow: 2), 10)
    }

    func testExcelEmptyRowsOfDelimitersAreSkipped() throws {
        let table = try XCTUnwrap(parse("Nombre;Tel;Notas\nAna;1;x\n;;\n;;\n"))
        XCTAssertEqual(table.rowCount, 1)
        XCTAssertEqual(table.warnings, [])
    }

    func testOneBytePerLine() throws {
        let table = try XCTUnwrap(parse("a\nb\nc\n\nd"))
        XCTAssertEqual(table.headers, ["a"])
        XCTAssertEqual(rows(table), [["b"], ["c"], ["d"]])
        XCTAssertEqual(table.lineNumber(ofRow: 2), 5)
    }

    func testOneByteFilesAndQuoteOnlyLines() throws {
        XCTAssertThrowsError(try CSVReader.read(bytes: [UInt8(ascii: "a")])) { XCTAssertEqual(($0 as? CSVRejection)?.reason, .empty) }
        XCTAssertThrowsError(try CSVReader.read(bytes: [0x22])) { XCTAssertEqual(($0 as? CSVRejection)?.reason, .empty) }
        XCTAssertThrowsError(try CSVReader.read(bytes: [0x0A])) { XCTAssertEqual(($0 as? CSVRejection)?.reason, .empty) }
        let table = try XCTUnwrap(parse("a\n\"\n\"\nb"))
        XCTAssertEqual(rows(table), [["\n"], ["b"]])
        XCTAssertEqual([table.lineNumber(ofRow: 0), table.lineNumber(ofRow: 1)], [2, 4])
        let byteLines = try XCTUnwrap(parse("x\r1\r\r2\r\n3\n"))
        XCTAssertEqual(rows(byteLines), [["1"], ["2"], ["3"]])
        XCTAssertEqual((0..<3).map { byteLines.lineNumber(ofRow: $0) }, [2, 4, 5])
    }

    func testTrailingDelimiterAtEndOfFile() throws {
        let table = try XCTUnwrap(parse("a,b\n1,"))
        XCTAssertEqual(rows(table), [["1", ""]])
        XCTAssertEqual(table.fieldCount(ofRow: 0), 2)
    }
}

final class CSVHeaderTests: XCTestCase {
    func testEmptyHeadersAreNamedByColumnNumber() throws {
        let table = try XCTUnwrap(parse("Nombre,, Tel ,\nAna,x,1,y\n", CSVReadOptions(locale: .spanish)))
        XCTAssertEqual(table.headers, ["Nombre", "Columna 2", "Tel", "Columna 4"])
        XCTAssertEqual(table.originalHeaders, ["Nombre", "", " Tel ", ""])
        let warnings = table.warnings.filter { $0.code == .emptyHeader }
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].message(.english).contains("Columna 2"))
        let english = try XCTUnwrap(parse("a,\n1,2\n"))
        XCTAssertEqual(english.headers, ["a", "Column 2"])
    }

    func testDuplicateHeadersAreKeptApart() throws {
        let table = try XCTUnwrap(parse("Email,Nombre,Email,Email (2),Email\na,b,c,d,e\n"))
        XCTAssertEqual(table.headers, ["Email", "Nombre", "Email (3)", "Email (2)", "Email (4)"])
        let duplicates = table.warnings.filter { $0.code == .duplicateHeader }
        XCTAssertEqual(duplicates.count, 1)
        XCTAssertTrue(duplicates[0].message(.spanish).contains("«Email»"))
        XCTAssertEqual(table.cell(row: 0, column: 2), "c")
    }

    func testRaggedRowsAreKeptAndReported() throws {
        let table = try XCTUnwrap(parse("a,b,c\n1,2,3\n1,2\n1,2,3,4\n1,2,3\n"))
        XCTAssertEqual(table.rowCount, 4)
        XCTAssertEqual(table.fieldCount(ofRow: 1), 2)
        XCTAssertEqual(table.fieldCount(ofRow: 2), 4)
        XCTAssertEqual(table.cell(row: 1, column: 2), "")
        XCTAssertEqual(table.cell(row: 2, column: 3), "4")
        XCTAssertEqual(table.cells(ofRow: 2), ["1", "2", "3", "4"])
        let ragged = table.warnings.filter { $0.code == .raggedRows }
        XCTAssertEqual(ragged.count, 1)
        XCTAssertEqual(ragged[0].rows, [2, 3])
        XCTAssertEqual(table.raggedRows, [2, 3])
        XCTAssertTrue(ragged[0].message(.english).contains("lines 3, 4"), ragged[0].message(.english))
    }

    func testOutOfRangeAccessIsSafe() throws {
        let table = try XCTUnwrap(parse("a,b\n1,2\n"))
        XCTAssertEqual(table.cell(row: 5, column: 0), "")
        XCTAssertEqual(table.cell(row: 0, column: -1), "")
        XCTAssertEqual(table.cells(ofRow: -1), [])
        XCTAssertEqual(table.fieldCount(ofRow: 9), 0)
        XCTAssertEqual(table.lineNumber(ofRow: 9), 0)
        XCTAssertTrue(table.isEmpty(row: 0, column: 7))
    }
}

final class CSVCellTests: XCTestCase {
    func testIsBlankLooksThroughSpacesAndQuotes() throws {
        let table = try XCTUnwrap(parse("a,b,c,d,e\n  ,\"\",\" \n\",x,\" y \"\n"))
        XCTAssertEqual((0..<5).map { table.isBlank(row: 0, column: $0) }, [true, true, true, false, false])
        XCTAssertEqual((0..<5).map { table.isEmpty(row: 0, column: $0) }, [false, true, false, false, false])
        XCTAssertTrue(table.isBlank(row: 0, column: 9))
        XCTAssertTrue(table.isBlank(row: 3, column: 0))
    }
}
