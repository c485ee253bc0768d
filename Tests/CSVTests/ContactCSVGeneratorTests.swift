import Foundation
import XCTest
import CSV
import TestSupport

final class ContactCSVGeneratorTests: XCTestCase {
    func testSameSeedSameBytesOtherSeedOtherBytes() {
        let first = ContactCSVGenerator(rows: 300, seed: 7).bytes()
        XCTAssertEqual(first, ContactCSVGenerator(rows: 300, seed: 7).bytes())
        XCTAssertNotEqual(first, ContactCSVGenerator(rows: 300, seed: 8).bytes())
        XCTAssertEqual(ContactCSVGenerator(rows: 300, seed: 7).rows(), ContactCSVGenerator(rows: 300, seed: 7, delimiter: UInt8(ascii: ";")).rows())
    }

    func testEveryEncodingAndDelimiterReadsBackTheSameRows() throws {
        let expected = ContactCSVGenerator(rows: 200, seed: 3).rows().map(\.cells)
        let encodings: [(ContactCSVGenerator.Encoding, TextEncoding, Bool)] = [
            (.utf8, .utf8, false), (.utf8BOM, .utf8, true), (.utf16LE, .utf16LE, true), (.windows1252, .windows1252, false),
        ]
        for (generated, detected, bom) in encodings {
            for delimiter in [",", ";", "\t", "|"].map({ UInt8(ascii: Unicode.Scalar($0)!) }) {
                let generator = ContactCSVGenerator(rows: 200, seed: 3, delimiter: delimiter, encoding: generated)
                let table = try CSVReader.read(bytes: generator.bytes())
                let label = "\(generated) \(delimiter)"
                XCTAssertEqual(table.encoding, detected, label)
                XCTAssertEqual(table.hasBOM, bom, label)
                XCTAssertEqual(table.delimiter, delimiter, label)
                XCTAssertEqual(table.headers, generator.headers, label)
                XCTAssertEqual(table.warnings, [], label)
                XCTAssertEqual((0..<table.rowCount).map { table.cells(ofRow: $0) }, expected, label)
            }
        }
    }

    func testRowsLookRealAndSayWhatTheyMean() {
        let rows = ContactCSVGenerator(rows: 5_000, seed: 11).rows()
        let duplicates = rows.filter { $0.duplicateOf != nil }
        XCTAssertGreaterThan(duplicates.count, 20)
        XCTAssertLessThan(duplicates.count, 100)
        for row in duplicates {
            guard let original = row.duplicateOf else { continue }
            XCTAssertEqual(row.intendedPhone, rows[original].intendedPhone)
            XCTAssertEqual(row.intendedEmail, rows[original].intendedEmail)
        }
        let phones = rows.filter { $0.duplicateOf == nil }.compactMap(\.intendedPhone)
        XCTAssertEqual(Set(phones).count, phones.count, "only planted duplicates repeat a phone")
        XCTAssertTrue(phones.allSatisfy { $0.hasPrefix("+") && $0.dropFirst().allSatisfy(\.isNumber) && (8...15).contains($0.count - 1) })
        let invalidPhones = rows.filter { !$0.phone.isEmpty && $0.intendedPhone == nil }
        XCTAssertGreaterThan(invalidPhones.count, 5)
        XCTAssertTrue(rows.contains { $0.phone.hasPrefix("'+") }, "Excel apostrophe")
        XCTAssertTrue(rows.contains { $0.phone.hasPrefix("00") })
        XCTAssertTrue(rows.contains { $0.phone.hasPrefix("(") })
        XCTAssertTrue(rows.contains { $0.notes.contains("\n") })
        XCTAssertTrue(rows.contains { $0.notes.contains("\"") })
        XCTAssertTrue(rows.contains { $0.tags.contains(", ") })
        XCTAssertTrue(rows.contains { $0.firstName == "João" || $0.lastName.contains("ã") })
        XCTAssertTrue(rows.contains { $0.email.isEmpty == false && $0.intendedEmail == nil })
        for row in rows where row.intendedEmail != nil && row.duplicateOf == nil {
            XCTAssertEqual(row.intendedEmail, row.email.trimmingCharacters(in: .whitespaces).lowercased())
        }
    }

    func testSpecificPhoneStyles() {
        let rows = ContactCSVGenerator(rows: 3_000, seed: 5).rows()
        func example(_ prefix: String) -> ContactCSVGenerator.Row? { rows.first { $0.phone.hasPrefix(prefix) && $0.intendedPhone != nil } }
        if let row = example("+52 ") { XCTAssertEqual(row.intendedPhone, "+52" + row.phone.filter(\.isNumber).dropFirst(2)) }
        if let row = example("0034 ") { XCTAssertEqual(row.intendedPhone, "+" + row.phone.filter(\.isNumber).dropFirst(2)) }
        if let row = example("'+34") { XCTAssertEqual(row.intendedPhone, String(row.phone.dropFirst())) }
        if let row = rows.first(where: { $0.phoneCountry == "AR" && $0.phone.contains(" 15 ") && $0.phone.hasPrefix("0") }) {
            XCTAssertEqual(row.intendedPhone?.hasPrefix("+54911"), true, row.phone)
        }
        XCTAssertTrue(rows.contains { $0.phoneCountry == "AR" && $0.phone.hasPrefix("15 ") && $0.intendedPhone == nil })
        let national = rows.filter { !$0.phoneIsInternational && $0.intendedPhone != nil }
        XCTAssertGreaterThan(national.count, 100)
        for row in rows where row.phoneIsInternational && row.intendedPhone != nil {
            let digits = row.phone.filter(\.isNumber)
            XCTAssertEqual(row.intendedPhone.map { String($0.dropFirst()) }, digits.hasPrefix("00") ? String(digits.dropFirst(2)) : digits, row.phone)
        }
    }

    func testTwoHundredThousandRowsFitUnderTheSizeLimit() throws {
        // Measured with a smaller sample: the benchmark's 200,000-row file must stay under 20 MiB.
        let bytes = ContactCSVGenerator(rows: 10_000, seed: 1).bytes().count
        XCTAssertLessThan(bytes * 20, 20_971_520)
        XCTAssertGreaterThan(bytes * 20, 17_000_000)
    }

    func testDistinctIdentifierLists() {
        let phones = ContactCSVGenerator.distinctPhones(count: 50_000, seed: 2)
        XCTAssertEqual(Set(phones).count, 50_000)
        XCTAssertEqual(phones, ContactCSVGenerator.distinctPhones(count: 50_000, seed: 2))
        XCTAssertTrue(phones.allSatisfy { $0.hasPrefix("+") && $0.dropFirst().allSatisfy(\.isNumber) })
        let emails = ContactCSVGenerator.distinctEmails(count: 50_000, seed: 2)
        XCTAssertEqual(Set(emails).count, 50_000)
        XCTAssertTrue(emails.allSatisfy { $0 == $0.lowercased() && $0.contains("@") })
    }

    func testWritesToDisk() throws {
        let path = NSTemporaryDirectory() + "generator-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let generator = ContactCSVGenerator(rows: 50, seed: 9, encoding: .utf8BOM)
        let size = try generator.write(toPath: path)
        let table = try CSVReader.read(path: path)
        XCTAssertEqual(table.byteCount, size)
        XCTAssertEqual(table.rowCount, 50)
        XCTAssertTrue(table.hasBOM)
    }
}
