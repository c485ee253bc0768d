import Foundation
import XCTest
import CSV
import Contacts
import Localization
import Workspace
@testable import Importer

/// A throwaway workspace plus helpers to open a CSV text as a session and seed contacts.
final class ReviewFixture {
    let directory: String
    let workspace: Workspace

    init() throws {
        directory = NSTemporaryDirectory() + "review-tests-" + UUID().uuidString
        workspace = try Workspace.open(directory: directory)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func session(_ csv: String, fileName: String = "contacts.csv") throws -> ImportSession {
        let table = try CSVReader.read(bytes: Array(csv.utf8))
        return ImportSession(id: "s-test-" + UUID().uuidString, fileName: fileName, table: table)
    }

    @discardableResult
    func addContact(_ values: [String: String], tags: [String] = []) throws -> Int64 {
        try workspace.write { tx in try tx.insertContact(values: values, tags: tags, now: Date()).id }
    }

    func contact(_ id: Int64) throws -> Contact? {
        try workspace.read { tx in try tx.contact(id: id) }
    }

    func contactIDs(phone: String) throws -> [Int64] {
        try workspace.read { tx in try tx.contactIDs(phone: phone) }
    }

    func review(_ session: ImportSession, _ purpose: ImportPurpose, by identifier: ImportIdentifier? = .phone,
                mapping: [ColumnMapping], tags: [String] = [], importTag: ImportTagChoice = .none,
                defaultCountry: String? = nil, locale: MessageLocale = .english) throws -> ReviewPlan {
        let request = ReviewRequest(purpose: purpose, identifier: identifier, mapping: mapping, tags: tags,
                                    importTag: importTag, defaultCountry: defaultCountry)
        return try ReviewPlanner(workspace: workspace, locale: locale).review(session: session, request: request)
    }

    func commit(_ session: ImportSession, _ plan: ReviewPlan, locale: MessageLocale = .english) throws -> CommitResult {
        try Committer(workspace: workspace, locale: locale).commit(session: session, reviewId: plan.reviewId)
    }
}

/// Reads a result or error file back: checks the BOM and CRLF, returns the rows.
func readWrittenCSV(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[String]] {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "UTF-8 byte order mark", file: file, line: line)
    let table = try CSVReader.read(bytes: bytes)
    var rows = [table.originalHeaders]
    for row in 0..<table.rowCount { rows.append(table.cells(ofRow: row)) }
    let text = String(decoding: bytes, as: UTF8.self)
    XCTAssertTrue(text.contains("\r\n"), "CRLF line ends", file: file, line: line)
    return rows
}

func column(_ index: Int, _ field: String?, overwrite: Bool = true) -> ColumnMapping {
    ColumnMapping(column: index, field: field, overwrite: overwrite)
}
