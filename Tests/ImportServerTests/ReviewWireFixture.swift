import Foundation
import XCTest
import CSV
import JSONRPC
import TestSupport
import Workspace
import Contacts

/// The workspace as another process sees it, on either engine: the store seam opened on the
/// daemon's `--workspace` (a folder or a PostgreSQL conninfo), for seeding and for checking.
final class WorkspaceProbe {
    let store: any WorkspaceStore

    convenience init(_ client: WireClient) throws {
        try self.init(location: client.workspacePath, filesDirectory: client.freshWorkspace?.filesDirectory)
    }

    convenience init(_ workspace: TestWorkspace) throws {
        try self.init(location: workspace.location, filesDirectory: workspace.filesDirectory)
    }

    init(location: String, filesDirectory: String?) throws {
        store = try openWorkspace(WorkspaceLocation.parse(location), filesDirectory: filesDirectory)
    }

    deinit { store.closeStore() }

    func read<T>(_ body: (any ContactReads) throws -> T) throws -> T { try store.readContacts(body) }
    func write<T>(_ body: (any ContactWrites) throws -> T) throws -> T { try store.writeContacts(body) }
    func writeImport<T>(_ body: (any ImportTransaction) throws -> T) throws -> T { try store.writeImport(body) }
    func jobs(limit: Int) throws -> [ImportJob] { try store.jobs(limit: limit) }
    func job(id: Int64) throws -> ImportJob? { try store.job(id: id) }
    func claimJob(fileName: String, importTag: String?, now: Date) throws -> ImportJob {
        try store.claimJob(fileName: fileName, importTag: importTag.map(ImportTagRequest.named) ?? .none, now: now)
    }
    func finishJob(_ job: ImportJob) throws { try store.finishJob(job) }
    func purgeExpiredFiles(now: Date) throws { try store.purgeExpiredFiles(now: now) }
    /// SQLite's page check; a PostgreSQL server checks its own pages, so there it is "ok".
    func integrityCheck() throws -> String { try (store as? Workspace)?.integrityCheck() ?? "ok" }
}

/// A real `contact-importd` on a fresh workspace, seeded directly through the store before
/// `initialize`, with shorthands for the import flow.
final class ImportWire {
    let client: WireClient

    init(locale: String = "en", contacts: [(values: [String: String], tags: [String])] = [],
         arguments: [String] = []) throws {
        client = try WireClient(arguments: arguments)
        if !contacts.isEmpty {
            let workspace = try WorkspaceProbe(client)
            try workspace.write { tx in
                for contact in contacts { _ = try tx.insertContact(values: contact.values, tags: contact.tags, now: Date()) }
            }
        }
        try client.initialize(locale: locale)
    }

    /// Another daemon on the same workspace (a second editor window).
    init(sharing other: ImportWire, locale: String = "en") throws {
        client = try WireClient(arguments: other.client.workspaceArguments)
        try client.initialize(locale: locale)
    }

    /// The workspace as another process sees it, for checking what a commit did.
    func workspace() throws -> WorkspaceProbe { try WorkspaceProbe(client) }

    func open(_ csv: String, fileName: String = "contactos.csv") throws -> String {
        let result = try client.request("import/open", ["text": .string(csv), "fileName": .string(fileName)])
        return try XCTUnwrap(result["sessionId"]?.stringValue)
    }

    func reviewParams(_ sessionId: String, _ purpose: String, identifier: String? = "phone",
                      mapping: [(Int, String?, Bool)], extra: [String: JSONValue] = [:]) -> JSONValue {
        var params: [String: JSONValue] = [
            "sessionId": .string(sessionId), "purpose": .string(purpose),
            "mapping": .array(mapping.map { column, field, overwrite in
                ["column": .int(column), "field": field.map(JSONValue.string) ?? .null, "overwrite": .bool(overwrite)]
            }),
        ]
        if let identifier { params["identifier"] = .string(identifier) }
        for (key, value) in extra { params[key] = value }
        return .object(params)
    }

    func review(_ sessionId: String, _ purpose: String, identifier: String? = "phone",
                mapping: [(Int, String?, Bool)], extra: [String: JSONValue] = [:]) throws -> JSONValue {
        try client.request("import/review", reviewParams(sessionId, purpose, identifier: identifier, mapping: mapping, extra: extra))
    }

    func commit(_ sessionId: String, _ review: JSONValue) throws -> JSONValue {
        try client.request("import/commit", ["sessionId": .string(sessionId), "reviewId": review["reviewId"] ?? .null],
                           timeout: 120)
    }

    func contact(phone: String) throws -> Contact? {
        try workspace().read { tx in try tx.contactIDs(phone: phone).first.flatMap { try tx.contact(id: $0) } }
    }

    func contactCount() throws -> Int {
        try workspace().read { tx in try tx.contactCount() }
    }
}

func mapped(_ column: Int, _ field: String?, overwrite: Bool = true) -> (Int, String?, Bool) {
    (column, field, overwrite)
}

/// The file behind a `file://` URI, read back as rows (checks the BOM and CRLF line ends).
func rowsOfFile(_ uri: JSONValue?, file: StaticString = #filePath, line: UInt = #line) throws -> [[String]] {
    let text = try XCTUnwrap(uri?.stringValue, "a file URI", file: file, line: line)
    let url = try XCTUnwrap(URL(string: text), file: file, line: line)
    XCTAssertTrue(url.isFileURL, file: file, line: line)
    let bytes = Array(try Data(contentsOf: url))
    XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "UTF-8 byte order mark", file: file, line: line)
    XCTAssertTrue(String(decoding: bytes, as: UTF8.self).contains("\r\n"), "CRLF line ends", file: file, line: line)
    let table = try CSVReader.read(bytes: bytes)
    return [table.originalHeaders] + (0..<table.rowCount).map { table.cells(ofRow: $0) }
}

/// A file of `rows` new contacts with distinct Spanish mobile numbers, for long commits.
func bulkCSV(rows: Int, phoneOffset: Int = 0) -> String {
    var text = "Nombre,Apellido,Teléfono\n"
    text.reserveCapacity(rows * 32)
    for index in 0..<rows {
        let number = String(600_000_000 + phoneOffset + index)
        text += "Persona\(index),Prueba,+34\(number)\n"
    }
    return text
}
