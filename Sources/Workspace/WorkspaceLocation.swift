import FoundationEssentials
import Localization

/// Where a workspace lives: a folder (the embedded SQLite store) or a PostgreSQL database.
public enum WorkspaceLocation: Sendable, Hashable {
    case sqlite(directory: String)
    /// A libpq connection URI or `key=value` conninfo string.
    case postgres(conninfo: String)

    /// The environment variable that names the workspace when no flag does.
    public static let environmentVariable = "CONTACT_IMPORT_WORKSPACE"

    /// `postgresql://…`/`postgres://…` or a conninfo whose first word is `key=value` is a
    /// database; anything else is a folder, as before.
    public static func parse(_ text: String) -> WorkspaceLocation {
        let trimmed = text.whitespaceTrimmed()
        let lower = trimmed.lowercased()
        if lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") { return .postgres(conninfo: trimmed) }
        let firstWord = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? ""
        if let equals = firstWord.firstIndex(of: "=") {
            let key = String(firstWord[..<equals]).whitespaceTrimmed()
            // A conninfo keyword (host, dbname, sslmode…); a path such as ./a=b is still a folder.
            if !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "_") }) { return .postgres(conninfo: trimmed) }
        }
        return .sqlite(directory: text)
    }

    /// For logs and messages: the folder, or the conninfo without its password.
    public var displayName: String {
        switch self {
        case .sqlite(let directory): return directory
        case .postgres(let conninfo): return displayConninfo(conninfo).display ?? redactPasswords(conninfo)
        }
    }
}

/// What the server needs of a workspace beyond the import seam: its name in logs, retention,
/// and the test method that holds a write open. Both stores implement it; nothing above
/// `Workspace` names either of them.
public protocol WorkspaceStore: ImportStore {
    var location: WorkspaceLocation { get }
    /// The folder or the conninfo (never a password), for logs and error messages.
    var displayName: String { get }
    /// Deletes result files (and their undo logs) whose 7 days are over at `now`.
    func purgeExpiredFiles(now: Date) throws(WorkspaceError)
    /// Runs retention every `interval` for as long as the store lives (opening already ran it once).
    func startPeriodicPurge(every interval: TimeInterval, clock: @escaping @Sendable () -> Date)
    /// Stops the periodic purge and lets idle connections go.
    func closeStore()
    /// `$/test/holdWrite`: inserts `count` synthetic contacts in one write transaction (the
    /// job's, when this store holds a job), calls `whileOpen` inside it and commits after.
    func holdWrite(count: Int, now: Date, whileOpen: () throws -> Void) throws
}

/// Opens the workspace at `location`, creating its schema on first use. `filesDirectory` is
/// where a PostgreSQL workspace's result files are kept on this machine (default: under the
/// data home, one folder per server, database and schema); a SQLite workspace keeps them in
/// its own folder.
public func openWorkspace(_ location: WorkspaceLocation, filesDirectory: String? = nil,
                          now: Date = Date()) throws(WorkspaceError) -> any WorkspaceStore {
    switch location {
    case .sqlite(let directory):
        return try Workspace.open(directory: directory, now: now)
    case .postgres(let conninfo):
        return try PostgresWorkspace.open(conninfo: conninfo, filesDirectory: filesDirectory, now: now)
    }
}

extension Workspace: WorkspaceStore {
    public var location: WorkspaceLocation { .sqlite(directory: directory) }
    public var displayName: String { directory }

    public func holdWrite(count: Int, now: Date, whileOpen: () throws -> Void) throws {
        try write { transaction in
            _ = try transaction.insertContacts(count: count, now: now) { index in
                NewContact(values: ["firstName": "Held \(index)", "phone": "+1212\(String(2_000_000 + index))",
                                    "email": "held\(index)@example.com"], tags: ["held"])
            }
            try whileOpen()
        }
    }
}
