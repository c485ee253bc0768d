import Foundation
import Contacts
import Synchronization
import Workspace

/// `contact-import-bench import --workspace <conninfo>`: the import benchmark on a PostgreSQL
/// workspace. Each run gets a schema of its own (dropped afterwards) and a files folder of its own.
enum BenchWorkspace {
    static let chosen = Mutex<String?>(nil)

    static var onPostgres: Bool {
        guard let given = chosen.withLock({ $0 }), case .postgres = WorkspaceLocation.parse(given) else { return false }
        return true
    }

    /// The daemon's `--workspace` and `--files-dir` for this run: the SQLite folder as before, or
    /// the conninfo with a fresh `contact_import.schema`.
    static func arguments(root: String) -> (workspace: String, extra: [String], postgres: Bool) {
        guard let given = chosen.withLock({ $0 }), case .postgres = WorkspaceLocation.parse(given) else {
            return (root + "/workspace", [], false)
        }
        let schema = "bench_" + UUID().uuidString.prefix(8).lowercased()
        let option = "-c contact_import.schema=\(schema)"
        let conninfo = given.contains("://")
            ? given + (given.contains("?") ? "&" : "?") + "options=" + (option.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            : given + " options='\(option)'"
        return (conninfo, ["--files-dir", root + "/files"], true)
    }

    /// Loads `count` contacts through the store seam (one import batch: `COPY` on PostgreSQL).
    static func load(_ conninfo: String, count: Int, contact: (Int) -> NewContact) throws {
        let store = try openWorkspace(.postgres(conninfo: conninfo))
        let columns = [ImportColumn(key: "firstName", type: .text, overwrite: true),
                       ImportColumn(key: "lastName", type: .text, overwrite: true),
                       ImportColumn(key: "phone", type: .phone, overwrite: true),
                       ImportColumn(key: "email", type: .email, overwrite: true),
                       ImportColumn(key: "tags", type: .tags, overwrite: true)]
        var values: [FieldValue] = []
        values.reserveCapacity(count * columns.count)
        for index in 0..<count {
            let next = contact(index)
            for column in columns.dropLast() { values.append(next.values[column.key].map { .text($0) } ?? .empty) }
            values.append(.tags(next.tags))
        }
        let batch = ImportBatch(columns: columns, values: values, rowCount: count, unchangedKey: nil, extraTags: [], now: Date())
        try store.writeImport { tx in try tx.write(batch, row: { _ in .add }, progress: { _, _ in }) }
        store.closeStore()
    }

    static func drop(_ conninfo: String) {
        guard let store = try? PostgresWorkspace.open(conninfo: conninfo, filesDirectory: NSTemporaryDirectory() + "bench-drop") else { return }
        try? store.dropSchema()
    }
}
