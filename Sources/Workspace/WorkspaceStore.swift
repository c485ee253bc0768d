import Foundation
import Contacts

/// The contacts database and import files of one workspace folder. Safe to use from several
/// threads; several processes may open the same folder.
public final class Workspace: Sendable {
    /// The folder holding `contacts.sqlite` and `files/` (error and result files).
    public let directory: String
    public var filesDirectory: String { directory + "/files" }

    /// Opens (creating folders, database and schema on first use) and recovers: marks jobs
    /// whose owner died as `interrupted` and deletes result files past retention.
    public static func open(directory: String, now: Date = Date()) throws(WorkspaceError) -> Workspace {
        fatalError("implemented by Workspace")
    }
    /// `$XDG_DATA_HOME/contact-importer/default`, falling back to `~/.local/share/contact-importer/default`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        fatalError("implemented by Workspace")
    }

    init(directory: String) { self.directory = directory; fatalError("implemented by Workspace") }

    // MARK: fields
    /// Built-in fields followed by custom fields in creation order.
    public func fields() throws(WorkspaceError) -> [FieldDefinition] { fatalError("implemented by Workspace") }

    // MARK: transactions
    /// Runs `body` in a read snapshot: it never sees half of another process's write.
    public func read<T>(_ body: (ReadTransaction) throws -> T) throws -> T { fatalError("implemented by Workspace") }
    /// Runs `body` in one IMMEDIATE write transaction; it commits when `body` returns and rolls
    /// back when `body` throws (the error is rethrown unchanged).
    public func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T { fatalError("implemented by Workspace") }

    // MARK: jobs
    /// Takes the workspace's single import slot (atomic across processes) and records a
    /// `running` job. Throws `ImportInProgress` when another live job holds it.
    public func claimJob(fileName: String, importTag: String?, now: Date) throws -> ImportJob { fatalError("implemented by Workspace") }
    /// Records the end of a job this process claimed and releases the slot.
    public func finishJob(_ job: ImportJob) throws(WorkspaceError) { fatalError("implemented by Workspace") }
    public func jobs(limit: Int) throws(WorkspaceError) -> [ImportJob] { fatalError("implemented by Workspace") }
    public func job(id: Int64) throws(WorkspaceError) -> ImportJob? { fatalError("implemented by Workspace") }
    /// Deletes result and error files past their expiry; history keeps the rows.
    public func purgeExpiredFiles(now: Date) throws(WorkspaceError) { fatalError("implemented by Workspace") }
}

/// Queries available in any transaction. Prepared statements are reused across calls.
public class ReadTransaction {
    public func contact(id: Int64) throws -> Contact? { fatalError("implemented by Workspace") }
    /// Ids of contacts whose canonical phone is exactly `e164`, ascending.
    public func contactIDs(phone e164: String) throws -> [Int64] { fatalError("implemented by Workspace") }
    /// Ids of contacts whose stored (lower-case) e-mail is exactly `email`, ascending.
    public func contactIDs(email: String) throws -> [Int64] { fatalError("implemented by Workspace") }
    public func contactExists(id: Int64) throws -> Bool { fatalError("implemented by Workspace") }
    /// True when some contact already carries `tag` (case-insensitive): import tags must be unique.
    public func tagExists(_ tag: String) throws -> Bool { fatalError("implemented by Workspace") }
    public func fields() throws -> [FieldDefinition] { fatalError("implemented by Workspace") }
}

/// Writes, inside `Workspace.write`.
public final class WriteTransaction: ReadTransaction {
    /// Inserts a contact with these canonical values and tags; returns it with its new id.
    public func insertContact(values: [String: String], tags: [String], now: Date) throws -> Contact { fatalError("implemented by Workspace") }
    /// Stores `contact` as given: values (absent keys are cleared), tags replaced, `updatedAt` = now.
    public func updateContact(_ contact: Contact, now: Date) throws -> Contact { fatalError("implemented by Workspace") }
    public func createField(name: String, type: FieldType, options: [String]) throws -> FieldDefinition { fatalError("implemented by Workspace") }
}
