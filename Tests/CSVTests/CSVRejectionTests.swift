import Foundation
import XCTest
@testable import CSV

final class CSVRejectionTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "csv-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func rejection(_ bytes: [UInt8], _ options: CSVReadOptions = CSVReadOptions()) -> CSVRejection? {
        do {
            _ = try CSVReader.read(bytes: bytes, options: options)
            return nil
        } catch {
            return error
        }
    }

    private func rejection(path: String, _ options: CSVReadOptions = CSVReadOptions()) -> CSVRejection? {
        do {
            _ = try CSVReader.read(path: path, options: options)
            return nil
        } catch {
            return error
        }
    }

    private func write(_ bytes: [UInt8], _ name: String = "file.csv") throws -> String {
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testBinaryFormatsAreNotCsv() throws {
        let cases: [(bytes: [UInt8], english: String, spanish: String)] = [
            ([0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0] + Array("[Content_Types].xml".utf8), "Excel workbook (.xlsx)", "Guardar como > CSV UTF-8"),
            ([0x50, 0x4B, 0x03, 0x04] + Array("....mimetypeapplication/vnd.oasis.opendocument.spreadsheet".utf8), "OpenDocument", "LibreOffice"),
            ([0x50, 0x4B, 0x03, 0x04, 1, 2, 3] + Array("contacts.csv".utf8), "ZIP", "Descomprímalo"),
            ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], "Excel 97-2003", "libro de Excel 97-2003"),
            (Array("%PDF-1.7\n%âãÏÓ".utf8), "PDF", "documento PDF"),
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], "PNG image", "imagen PNG"),
            ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "JPEG image", "imagen JPEG"),
            (Array("GIF89a".utf8) + [1, 0], "GIF image", "imagen GIF"),
            (Array("Nombre,Tel\nAna,1\n".utf8) + [0, 0, 7], "binary data", "datos binarios"),
        ]
        for item in cases {
            let error = try XCTUnwrap(rejection(item.bytes), item.english)
            XCTAssertEqual(error.reason, .notCsv, item.english)
            XCTAssertTrue(error.message(.english).contains(item.english), error.message(.english))
            XCTAssertTrue(error.message(.spanish).contains(item.spanish), error.message(.spanish))
        }
    }

    func testNULBytesAreFineInUTF16() throws {
        let bytes: [UInt8] = [0xFF, 0xFE] + "a,b\n1,2\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        XCTAssertNil(rejection(bytes))
    }

    func testEmpty() throws {
        for bytes in [[], [0xEF, 0xBB, 0xBF], Array("\n\r\n  \n".utf8)] as [[UInt8]] {
            XCTAssertEqual(rejection(bytes)?.reason, .empty)
        }
        let headerOnly = try XCTUnwrap(rejection(Array("Nombre,Tel\n\n,\n".utf8)))
        XCTAssertEqual(headerOnly.reason, .empty)
        XCTAssertTrue(headerOnly.message(.spanish).contains("ninguna fila de contactos"))
        let emptyFile = try XCTUnwrap(rejection(path: try write([])))
        XCTAssertEqual(emptyFile.reason, .empty)
    }

    func testUnreadable() throws {
        let missing = try XCTUnwrap(rejection(path: directory + "/nope.csv"))
        XCTAssertEqual(missing.reason, .unreadable)
        XCTAssertTrue(missing.message(.spanish).contains("No se encontró"))
        let folder = try XCTUnwrap(rejection(path: directory))
        XCTAssertEqual(folder.reason, .unreadable)
        XCTAssertTrue(folder.message(.english).contains("is a folder"))
        if getuid() != 0 {
            let path = try write(Array("a,b\n1,2\n".utf8), "locked.csv")
            XCTAssertEqual(chmod(path, 0), 0)
            let denied = try XCTUnwrap(rejection(path: path))
            XCTAssertEqual(denied.reason, .unreadable)
            XCTAssertTrue(denied.message(.english).contains("no permission"))
        }
    }

    func testRowLimitBoundary() throws {
        func file(rows: Int) -> [UInt8] {
            var bytes = Array("n,t\n".utf8)
            bytes.reserveCapacity(4 + rows * 4)
            for _ in 0..<rows { bytes += [0x61, 0x2C, 0x31, 0x0A] }
            return bytes
        }
        let accepted = try CSVReader.read(bytes: file(rows: 200_000))
        XCTAssertEqual(accepted.rowCount, 200_000)
        XCTAssertEqual(accepted.lineNumber(ofRow: 199_999), 200_001)
        let refused = try XCTUnwrap(rejection(file(rows: 200_001)))
        XCTAssertEqual(refused.reason, .tooManyRows)
        XCTAssertTrue(refused.message(.english).contains("more than 200,000"))
        XCTAssertTrue(refused.message(.spanish).contains("más de 200.000"))
        // Blank lines do not count as rows.
        XCTAssertNil(rejection(file(rows: 200_000) + [0x0A, 0x0A, 0x2C, 0x0A]))
    }

    func testSizeLimitBoundaryOnDisk() throws {
        let limit = 20_971_520
        func file(size: Int) -> [UInt8] {
            // Few, long rows keep the parse short; the last cell pads to the exact size.
            var bytes = Array("Nombre,Notas\n".utf8)
            let row = Array("Ana,".utf8) + [UInt8](repeating: 0x78, count: 1_048_000) + [0x0A]
            while bytes.count + row.count < size { bytes += row }
            bytes += Array("Eva,".utf8)
            bytes += [UInt8](repeating: 0x79, count: size - bytes.count)
            return bytes
        }
        let exact = try write(file(size: limit), "exact.csv")
        let table = try CSVReader.read(path: exact)
        XCTAssertEqual(table.byteCount, limit)
        XCTAssertEqual(table.rowCount, 21)

        let over = try write(file(size: limit + 1), "over.csv")
        let error = try XCTUnwrap(rejection(path: over))
        XCTAssertEqual(error.reason, .tooLarge)
        XCTAssertTrue(error.message(.english).contains("the limit is 20.0 MB"), error.message(.english))
        XCTAssertTrue(error.message(.spanish).contains("el límite es 20,0 MB"), error.message(.spanish))
        XCTAssertEqual(rejection(file(size: limit + 1))?.reason, .tooLarge)
    }

    func testTooLargeIsDecidedBeforeReading() throws {
        // A sparse 1 GB file: if the reader read it before checking, the test would crawl.
        let path = directory + "/huge.csv"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 1 << 30)
        try handle.close()
        XCTAssertEqual(rejection(path: path)?.reason, .tooLarge)
    }

    func testReadsFromDisk() throws {
        let path = try write([0xEF, 0xBB, 0xBF] + Array("Nombre;Tel\r\nAna;1\r\n".utf8))
        let table = try CSVReader.read(path: path, options: CSVReadOptions())
        XCTAssertTrue(table.hasBOM)
        XCTAssertEqual(table.cells(ofRow: 0), ["Ana", "1"])
    }

    func testProgressIsReported() throws {
        var bytes = Array("a,b\n".utf8)
        for _ in 0..<300_000 { bytes += Array("xxxx,yyyy\n".utf8) }
        var fractions: [Double] = []
        _ = try CSVReader.read(bytes: bytes, options: CSVReadOptions(maxRows: 1_000_000)) { fractions.append($0) }
        XCTAssertGreaterThan(fractions.count, 1)
        XCTAssertLessThan(fractions.count, 300)
        XCTAssertEqual(fractions.last, 1)
        XCTAssertEqual(fractions, fractions.sorted())
    }
}
