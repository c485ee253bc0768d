import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Contacts
import Localization

/// A custom field as stored: its row id keys its values.
struct CustomFieldRecord {
    let id: Int64
    let definition: FieldDefinition
}

/// The columns of the built-in fields stored on the contact row.
enum ContactColumn {
    static let byKey: [String: String] = [
        "firstName": "first_name", "lastName": "last_name", "phone": "phone", "email": "email",
        "language": "language", "countryCode": "country_code",
    ]
    static let orderedKeys = ["firstName", "lastName", "phone", "email", "language", "countryCode"]
}

/// Statements an import runs per row. Their SQL is fixed, so they are cached by position.
enum HotStatement: Int, CaseIterable {
    case insertContact, idsByPhone, idsByPhoneText, idsByEmail, contactByID, customValuesOfContact
    case upsertCustomValue, insertCustomValueIfAbsent, deleteCustomValue

    var sql: String {
        switch self {
        case .insertContact:
            let insert = Schema.insertColumns(["first_name", "last_name", "phone", "email", "language", "country_code", "tags",
                                               "created_at", "updated_at"])
            return "INSERT INTO contacts (\(insert.names.joined(separator: ", "))) VALUES (\(insert.values.joined(separator: ", ")))"
        // The key alone decides for a canonical phone (`LookupKeys.isExactPhoneKey`), and the
        // query stays inside the index; any other value is compared too.
        case .idsByPhone: return "SELECT id FROM contacts WHERE phone_key = :key ORDER BY id"
        case .idsByPhoneText: return "SELECT id FROM contacts WHERE phone_key = :key AND phone = :value ORDER BY id"
        case .idsByEmail: return "SELECT id FROM contacts WHERE email_key = :key AND email = :value ORDER BY id"
        case .contactByID:
            return "SELECT first_name, last_name, phone, email, language, country_code, created_at, updated_at, tags FROM contacts WHERE id = :id"
        case .customValuesOfContact:
            return "SELECT f.name, v.value FROM custom_values v JOIN custom_fields f ON f.id = v.field_id WHERE v.contact_id = :contact_id"
        case .upsertCustomValue: return "INSERT OR REPLACE INTO custom_values (contact_id, field_id, value) VALUES (:contact_id, :field_id, :value)"
        case .insertCustomValueIfAbsent: return "INSERT OR IGNORE INTO custom_values (contact_id, field_id, value) VALUES (:contact_id, :field_id, :value)"
        case .deleteCustomValue: return "DELETE FROM custom_values WHERE contact_id = :contact_id AND field_id = :field_id"
        }
    }
}

/// The store's key of a tag or field name: `identityKey`, the one rule of when two are the same.
func foldedKey(_ text: String) -> String {
    identityKey(text)
}

/// Queries available in any transaction. Prepared statements are reused across calls.
/// Only valid inside the `read`/`write` closure it was given to.
/// Every method is `final`: nothing overrides them, and without vtable slots the class layout
/// that client modules compile against cannot go stale when a method is added here.
public class ReadTransaction {
    let connection: Connection
    var isOpen = true
    /// Custom fields by folded name, loaded once per transaction: within one transaction no one
    /// else can add a field (readers see a snapshot, the writer holds the lock).
    private var customFieldCache: [String: CustomFieldRecord]?
    private var customFieldOrder: [CustomFieldRecord] = []

    init(connection: Connection) {
        self.connection = connection
    }

    final func statement(_ sql: String) throws(WorkspaceError) -> Statement {
        guard isOpen else { throw Self.usedAfterClose() }
        return try connection.statement(sql)
    }

    /// The statements run once per row of an import, found without hashing their SQL.
    final func statement(_ hot: HotStatement) throws(WorkspaceError) -> Statement {
        guard isOpen else { throw Self.usedAfterClose() }
        return try connection.statement(hot)
    }

    private static func usedAfterClose() -> WorkspaceError {
        WorkspaceError.invalid("a transaction was used after its closure returned")
    }

    // MARK: contacts

    public final func contact(id: Int64) throws -> Contact? {
        try typedContact(id: id)
    }

    /// The contact; its custom values and tags only when asked (each is one more query).
    final func typedContact(id: Int64, customValues: Bool = true, tags withTags: Bool = true) throws(WorkspaceError) -> Contact? {
        let row = try statement(.contactByID)
        try row.bind(":id", id)
        defer { row.reset() }
        guard try row.step() else { return nil }
        var values: [String: String] = [:]
        for (column, key) in ContactColumn.orderedKeys.enumerated() {
            if let value = row.string(Int32(column)), !value.isEmpty { values[key] = value }
        }
        let createdAt = row.date(6)
        let updatedAt = row.date(7)
        let tags = withTags ? StoredTags.split(row.string(8)) : []
        row.reset()

        if customValues {
            let custom = try statement(.customValuesOfContact)
            try custom.bind(":contact_id", id)
            defer { custom.reset() }
            while try custom.step() {
                if let name = custom.string(0), let value = custom.string(1), !value.isEmpty { values[name] = value }
            }
        }
        return Contact(id: id, values: values, tags: tags, createdAt: createdAt, updatedAt: updatedAt)
    }

    /// Ids of contacts whose canonical phone is exactly `e164`, ascending.
    public final func contactIDs(phone e164: String) throws -> [Int64] {
        let key = LookupKeys.phone(e164)
        return try ids(LookupKeys.isExactPhoneKey(key) ? .idsByPhone : .idsByPhoneText, e164, key: key)
    }

    /// Ids of contacts whose stored (lower-case) e-mail is exactly `email`, ascending.
    public final func contactIDs(email: String) throws -> [Int64] {
        try ids(.idsByEmail, email, key: LookupKeys.email(email))
    }

    private final func ids(_ hot: HotStatement, _ value: String, key: Int64) throws(WorkspaceError) -> [Int64] {
        guard !value.isEmpty else { return [] }
        let query = try statement(hot)
        // `:key` is each statement's first parameter, `:value` the second.
        try query.bind(query.parameter(at: 1), key)
        if hot != .idsByPhone { try query.bind(query.parameter(at: 2), value) }
        var ids: [Int64] = []
        while try query.step() { ids.append(query.int64(0)) }
        return ids
    }

    public final func contactExists(id: Int64) throws -> Bool {
        let query = try statement("SELECT 1 FROM contacts WHERE id = :id")
        try query.bind(":id", id)
        defer { query.reset() }
        return try query.step()
    }

    /// The workspace's contacts version (see `workspace_state`): equal in two snapshots ⇔
    /// no write that may change contacts committed between them.
    public final func contactsVersion() throws -> Int64? {
        let query = try statement("SELECT contacts_version FROM workspace_state WHERE id = 1")
        defer { query.reset() }
        return try query.step() ? query.int64(0) : nil
    }

    public final func contactCount() throws -> Int {
        let query = try statement("SELECT count(*) FROM contacts")
        defer { query.reset() }
        return try query.step() ? query.int(0) : 0
    }

    // MARK: fields

    public final func fields() throws -> [FieldDefinition] {
        _ = try customFields()
        return BuiltinField.definitions + customFieldOrder.map(\.definition)
    }

    /// The custom field called `name` (case-insensitively), if any.
    public final func customField(named name: String) throws -> FieldDefinition? {
        try customFields()[foldedKey(name)]?.definition
    }

    final func customFields() throws(WorkspaceError) -> [String: CustomFieldRecord] {
        if let customFieldCache { return customFieldCache }
        let query = try statement("SELECT id, name, type, options FROM custom_fields ORDER BY id")
        var byKey: [String: CustomFieldRecord] = [:]
        var order: [CustomFieldRecord] = []
        while try query.step() {
            guard let name = query.string(1), let typeName = query.string(2) else { continue }
            // A type this version does not know (written by a newer one) reads as text.
            let type = FieldType(rawValue: typeName) ?? .text
            let record = CustomFieldRecord(id: query.int64(0), definition: FieldDefinition(
                key: name, label: LocalizedText(en: name, es: name, pt: name), type: type, isBuiltin: false,
                options: Self.decodeOptions(query.string(3))))
            byKey[foldedKey(name)] = record
            order.append(record)
        }
        customFieldCache = byKey
        customFieldOrder = order
        return byKey
    }

    final func rememberCustomField(_ record: CustomFieldRecord) {
        customFieldCache?[foldedKey(record.definition.key)] = record
        customFieldOrder.append(record)
    }

    static func decodeOptions(_ json: String?) -> [String] {
        guard let json, let options = try? JSONDecoder().decode([String].self, from: Data(json.utf8)) else { return [] }
        return options
    }

    static func encodeOptions(_ options: [String]) -> String {
        guard let data = try? JSONEncoder().encode(options) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: jobs

    static let jobColumns = """
        SELECT id, file_name, state, import_tag, imported, updated, skipped, errors, drifted, started_at, \
        finished_at, result_path, result_expires_at, result_available, undoes, undone_by, removed, restored, \
        conflicts FROM import_jobs
        """

    final func decodeJob(_ row: Statement) -> ImportJob {
        let path = row.string(11)
        // A file someone deleted by hand is as gone as one retention deleted.
        let available = row.int(13) != 0 && path.map { FileManager.default.fileExists(atPath: $0) } == true
        var job = ImportJob(
            id: row.int64(0), fileName: row.string(1) ?? "",
            state: JobState(rawValue: row.string(2) ?? "") ?? .failed,
            counts: JobCounts(imported: row.int(4), updated: row.int(5), skipped: row.int(6), errors: row.int(7), drifted: row.int(8)),
            importTag: row.string(3), startedAt: row.date(9), finishedAt: row.optionalDate(10),
            resultFilePath: path, resultExpiresAt: row.optionalDate(12), resultAvailable: available)
        job.undoes = row.isNull(14) ? nil : row.int64(14)
        job.undoneBy = row.isNull(15) ? nil : row.int64(15)
        job.undoCounts = UndoCounts(removed: row.int(16), restored: row.int(17), conflicts: row.int(18))
        return job
    }

    public final func jobs(limit: Int) throws(WorkspaceError) -> [ImportJob] {
        let query = try statement(Self.jobColumns + " ORDER BY id DESC LIMIT :limit")
        try query.bind(":limit", Int64(max(0, limit)))
        var jobs: [ImportJob] = []
        while try query.step() { jobs.append(decodeJob(query)) }
        return jobs
    }

    public final func job(id: Int64) throws(WorkspaceError) -> ImportJob? {
        let query = try statement(Self.jobColumns + " WHERE id = :id")
        try query.bind(":id", id)
        defer { query.reset() }
        return try query.step() ? decodeJob(query) : nil
    }

    /// `base` if no contact's tag and no job's import tag is it (ignoring case), else the first
    /// free of `base-2`, `base-3`... The one rule for an automatic import tag: review proposes
    /// it, and the job's claim decides it again inside the slot, so two imports never share one.
    public final func freeImportTag(base: String) throws -> String {
        let jobTag = try statement("SELECT 1 FROM import_jobs WHERE import_tag = :tag COLLATE NOCASE LIMIT 1")
        func taken(_ candidate: String) throws -> Bool {
            try jobTag.bind(":tag", candidate)
            defer { jobTag.reset() }
            return try jobTag.step() || tagExists(candidate)
        }
        var candidate = base
        var suffix = 1
        while try taken(candidate) {
            suffix += 1
            candidate = "\(base)-\(suffix)"
        }
        return candidate
    }

    /// The job that holds or just held the slot: the running one, else the newest.
    final func runningOrNewestJob() throws(WorkspaceError) -> ImportJob? {
        if let running = try runningJob() { return running }
        return try jobs(limit: 1).first
    }

    final func runningJob() throws(WorkspaceError) -> ImportJob? {
        let query = try statement(Self.jobColumns + " WHERE state = 'running' ORDER BY id DESC LIMIT 1")
        defer { query.reset() }
        return try query.step() ? decodeJob(query) : nil
    }

    final func expiredResultFiles(now: Date) throws(WorkspaceError) -> [(Int64, String)] {
        let query = try statement("SELECT id, result_path FROM import_jobs WHERE result_available = 1 AND result_expires_at <= :now")
        try query.bind(":now", now)
        var files: [(Int64, String)] = []
        while try query.step() {
            if let path = query.string(1) { files.append((query.int64(0), path)) }
        }
        return files
    }

    final func trackedResultFiles() throws(WorkspaceError) -> [String] {
        let query = try statement("SELECT result_path FROM import_jobs WHERE result_available = 1 AND result_path IS NOT NULL")
        var paths: [String] = []
        while try query.step() {
            if let path = query.string(0) { paths.append(path) }
        }
        return paths
    }
}

/// Writes, inside `Workspace.write`.
public final class WriteTransaction: ReadTransaction {

    /// Counts this transaction as one that may change contacts (`Workspace.write` calls it
    /// for every write but the job slot's bookkeeping).
    func bumpContactsVersion() throws(WorkspaceError) {
        try statement("UPDATE workspace_state SET contacts_version = contacts_version + 1 WHERE id = 1").run()
    }

    /// Inserts a contact with these canonical values and tags; returns it with its new id.
    /// Empty values are not stored; `values["tags"]` and `values["contactId"]` are ignored (tags
    /// come from `tags`, ids from the database). An unknown key is an error.
    public func insertContact(values: [String: String], tags: [String], now: Date) throws -> Contact {
        var stored: [String: String] = [:]
        let millis = StoredTime.milliseconds(now)
        let (id, storedTags) = try insertRow(values: values, tags: tags, millis: millis, stored: &stored)
        try registerTagKeys(storedTags.map(\.key))
        let time = StoredTime.date(millis)
        return Contact(id: id, values: stored, tags: storedTags.map(\.tag), createdAt: time, updatedAt: time)
    }

    /// Inserts many contacts, asking `contact(i)` for the i-th, and returns their ids in order.
    /// Same rules as `insertContact`. When the batch is large compared with the table, the
    /// phone and e-mail indexes are dropped and rebuilt afterwards (a sort is much cheaper than
    /// a million random B-tree inserts); all inside the caller's transaction, so a rollback or
    /// a crash brings the indexes back with the old rows.
    public func insertContacts(count: Int, now: Date, _ contact: (Int) throws -> NewContact) throws -> [Int64] {
        guard count > 0 else { return [] }
        let existing = try contactCount()
        let rebuildIndexes = count >= 50_000 && count >= existing
        if rebuildIndexes {
            connection.resetStatements()
            try connection.execute(Schema.dropLookupIndexes)
        }
        let millis = StoredTime.milliseconds(now)
        var ids: [Int64] = []
        ids.reserveCapacity(count)
        var ignored: [String: String] = [:]
        var tagKeys = Set<String>()
        for index in 0..<count {
            let next = try contact(index)
            let (id, tags) = try insertRow(values: next.values, tags: next.tags, millis: millis, stored: &ignored, keepStored: false)
            ids.append(id)
            for tag in tags { tagKeys.insert(tag.key) }
        }
        try registerTagKeys(tagKeys)
        if rebuildIndexes {
            connection.resetStatements()
            try connection.execute(Schema.createLookupIndexes)
        }
        return ids
    }

    private func insertRow(values: [String: String], tags: [String], millis: Int64,
                           stored: inout [String: String], keepStored: Bool = true) throws -> (Int64, [TagEntry]) {
        let insert = try statement(.insertContact)
        var custom: [(CustomFieldRecord, String)] = []
        for (key, value) in values where !value.isEmpty {
            if let column = ContactColumn.byKey[key] {
                try insert.bind(":" + column, value)
                if keepStored { stored[key] = value }
            } else if key != "tags" && key != "contactId" {
                guard let field = try customFields()[foldedKey(key)] else { throw Self.unknownField(key) }
                custom.append((field, value))
                if keepStored { stored[field.definition.key] = value }
            }
        }
        let entries = StoredTags.entries(tags)
        try insert.bind(":tags", StoredTags.joined(entries))
        try insert.bind(":created_at", millis)
        try insert.bind(":updated_at", millis)
        try insert.run()
        let id = connection.lastInsertRowID
        try writeCustomValues(custom, contactID: id)
        return (id, entries)
    }

    /// Stores `contact` as given: values (absent keys are cleared), tags replaced, `updatedAt` = now.
    /// Throws `ContactNotFound` for an unknown id.
    public func updateContact(_ contact: Contact, now: Date) throws -> Contact {
        var assignments: [String: String?] = [:]
        for key in ContactColumn.orderedKeys { assignments[key] = .some(nil) }
        var custom: [(CustomFieldRecord, String)] = []
        for (key, value) in contact.values where !value.isEmpty {
            if ContactColumn.byKey[key] != nil {
                assignments[key] = value
            } else if key != "tags" && key != "contactId" {
                guard let field = try customFields()[foldedKey(key)] else { throw Self.unknownField(key) }
                custom.append((field, value))
            }
        }
        let setters = ["first_name", "last_name", "phone", "email", "language", "country_code", "tags", "updated_at"]
            .flatMap { Schema.assignments($0, ":" + $0) }
        let update = try statement("UPDATE contacts SET \(setters.joined(separator: ", ")) WHERE id = :id")
        for key in ContactColumn.orderedKeys {
            guard let column = ContactColumn.byKey[key] else { continue }
            try update.bind(":" + column, assignments[key] ?? nil)
        }
        let tags = StoredTags.entries(contact.tags)
        try update.bind(":tags", StoredTags.joined(tags))
        try update.bind(":updated_at", StoredTime.milliseconds(now))
        try update.bind(":id", contact.id)
        try update.run()
        guard connection.changes > 0 else { throw ContactNotFound(contactId: contact.id) }
        try registerTagKeys(tags.map(\.key))

        let clearValues = try statement("DELETE FROM custom_values WHERE contact_id = :contact_id")
        try clearValues.bind(":contact_id", contact.id)
        try clearValues.run()
        try writeCustomValues(custom, contactID: contact.id)
        guard let stored = try typedContact(id: contact.id) else { throw ContactNotFound(contactId: contact.id) }
        return stored
    }

    private static func unknownField(_ key: String) -> WorkspaceError {
        WorkspaceError(kind: .invalid, text: LocalizedText(
            en: "The workspace has no field called \"\(key)\".",
            es: "El espacio de trabajo no tiene ningún campo llamado \"\(key)\".",
            pt: "O espaço de trabalho não tem nenhum campo chamado \"\(key)\"."))
    }

    private func writeCustomValues(_ values: [(CustomFieldRecord, String)], contactID: Int64) throws(WorkspaceError) {
        guard !values.isEmpty else { return }
        let insert = try statement(.upsertCustomValue)
        for (field, value) in values {
            try insert.bind(":contact_id", contactID)
            try insert.bind(":field_id", field.id)
            try insert.bind(":value", value)
            try insert.run()
        }
    }

    // MARK: fields

    /// Creates a custom field. Throws `FieldDefinitionProblem` when the definition is not
    /// acceptable (name taken or reserved, type not allowed, list without options).
    public func createField(name: String, type: FieldType, options: [String]) throws -> FieldDefinition {
        let definition = try FieldDefinitionProblem.validate(name: name, type: type, options: options,
                                                             existing: try customFields())
        let insert = try statement("INSERT INTO custom_fields (name, name_key, type, options, created_at) VALUES (:name, :name_key, :type, :options, :created_at)")
        try insert.bind(":name", definition.key)
        try insert.bind(":name_key", foldedKey(definition.key))
        try insert.bind(":type", type.rawValue)
        try insert.bind(":options", Self.encodeOptions(definition.options))
        try insert.bind(":created_at", Date())
        try insert.run()
        rememberCustomField(CustomFieldRecord(id: connection.lastInsertRowID, definition: definition))
        return definition
    }

    // MARK: jobs

    /// Records a job's final state, counts and result file. Call it as the last write of the
    /// import's own transaction so the job row commits (or vanishes) with the data.
    public func updateJob(_ job: ImportJob) throws(WorkspaceError) {
        let update = try statement("""
            UPDATE import_jobs SET state = :state, imported = :imported, updated = :updated, skipped = :skipped, \
            errors = :errors, drifted = :drifted, import_tag = :import_tag, finished_at = :finished_at, \
            result_path = :result_path, result_expires_at = :result_expires_at, result_available = :result_available, \
            undoes = :undoes, undone_by = :undone_by, removed = :removed, restored = :restored, conflicts = :conflicts \
            WHERE id = :id
            """)
        try update.bind(":undoes", job.undoes)
        try update.bind(":undone_by", job.undoneBy)
        try update.bind(":removed", job.undoCounts.removed)
        try update.bind(":restored", job.undoCounts.restored)
        try update.bind(":conflicts", job.undoCounts.conflicts)
        try update.bind(":state", job.state.rawValue)
        try update.bind(":imported", job.counts.imported)
        try update.bind(":updated", job.counts.updated)
        try update.bind(":skipped", job.counts.skipped)
        try update.bind(":errors", job.counts.errors)
        try update.bind(":drifted", job.counts.drifted)
        try update.bind(":import_tag", job.importTag)
        try update.bind(":finished_at", job.finishedAt)
        try update.bind(":result_path", job.resultFilePath)
        try update.bind(":result_expires_at", job.resultExpiresAt)
        try update.bind(":result_available", job.resultAvailable && job.resultFilePath != nil)
        try update.bind(":id", job.id)
        try update.run()
    }

    func insertRunningJob(fileName: String, importTag: String?, now: Date, ownerStartedAt: Date) throws(WorkspaceError) -> ImportJob {
        let insert = try statement("""
            INSERT INTO import_jobs (file_name, state, import_tag, started_at, owner_pid, owner_host, owner_started_at) \
            VALUES (:file_name, 'running', :import_tag, :started_at, :owner_pid, :owner_host, :owner_started_at)
            """)
        try insert.bind(":file_name", fileName)
        try insert.bind(":import_tag", importTag)
        try insert.bind(":started_at", now)
        try insert.bind(":owner_pid", Int64(getpid()))
        try insert.bind(":owner_host", ProcessInfo.processInfo.hostName)
        try insert.bind(":owner_started_at", ownerStartedAt)
        try insert.run()
        return ImportJob(id: connection.lastInsertRowID, fileName: fileName, state: .running, counts: JobCounts(),
                         importTag: importTag, startedAt: StoredTime.rounded(now), finishedAt: nil,
                         resultFilePath: nil, resultExpiresAt: nil, resultAvailable: false)
    }

    /// Marks every `running` job `interrupted` (its owner is dead: the caller holds the slot)
    /// and returns their ids.
    func markRunningJobsInterrupted(now: Date) throws(WorkspaceError) -> [Int64] {
        let running = try statement("SELECT id FROM import_jobs WHERE state = 'running'")
        var ids: [Int64] = []
        while try running.step() { ids.append(running.int64(0)) }
        running.reset()
        guard !ids.isEmpty else { return [] }
        let update = try statement("UPDATE import_jobs SET state = 'interrupted', finished_at = :now WHERE state = 'running'")
        try update.bind(":now", now)
        try update.run()
        return ids
    }

    func markResultGone(jobID: Int64) throws(WorkspaceError) {
        let update = try statement("UPDATE import_jobs SET result_available = 0 WHERE id = :id")
        try update.bind(":id", jobID)
        try update.run()
    }
}

/// One contact for `WriteTransaction.insertContacts`.
public struct NewContact: Sendable, Hashable {
    public var values: [String: String]
    public var tags: [String]
    public init(values: [String: String], tags: [String] = []) {
        self.values = values
        self.tags = tags
    }
}
