import FoundationEssentials
import Contacts
import Localization

/// Reads of the PostgreSQL workspace inside one transaction: the SQLite `ReadTransaction`'s
/// queries, one by one, with the same results.
class PGReadTransaction: ContactReads {
    let connection: PGConnection
    private var customFieldCache: [String: CustomFieldRecord]?
    private var customFieldOrder: [CustomFieldRecord] = []
    private var lookupTableReady = false

    init(connection: PGConnection) {
        self.connection = connection
    }

    static let contactColumns = "first_name, last_name, phone, email, language, country_code, created_at, updated_at"

    /// The workspace's contacts version: equal in two snapshots ⇔ no write holding the
    /// contacts' write lock (every write that may change contacts) committed between them.
    final func contactsVersion() throws -> Int64? {
        let row = try connection.query("SELECT contacts_version FROM workspace_state WHERE id = 1")
        return row.count > 0 ? row.optionalInt64(0, 0) : nil
    }

    // MARK: contacts

    final func contact(id: Int64) throws -> Contact? {
        try contact(id: id, customValues: true, tags: true)
    }

    final func contact(id: Int64, customValues: Bool, tags withTags: Bool) throws -> Contact? {
        try contacts(ids: [id], customValues: customValues, tags: withTags)[id]
    }

    /// Each part for every id at once: the ids go as one array parameter.
    final func contacts(ids: [Int64], customValues: Bool, tags withTags: Bool) throws -> [Int64: Contact] {
        var result: [Int64: Contact] = [:]
        guard !ids.isEmpty else { return result }
        result.reserveCapacity(ids.count)
        let chunk = 10_000
        for start in stride(from: 0, to: ids.count, by: chunk) {
            let list = PGValue.text("{" + ids[start..<min(start + chunk, ids.count)].map(String.init).joined(separator: ",") + "}")
            let rows = try connection.query("SELECT id, \(Self.contactColumns) FROM contacts WHERE id = ANY($1::bigint[])", [list])
            for row in 0..<rows.count {
                var values: [String: String] = [:]
                for (column, key) in ContactColumn.orderedKeys.enumerated() {
                    if let value = rows.string(row, column + 1), !value.isEmpty { values[key] = value }
                }
                let id = rows.int64(row, 0)
                result[id] = Contact(id: id, values: values, tags: [], createdAt: rows.date(row, 7), updatedAt: rows.date(row, 8))
            }
            if customValues {
                let custom = try connection.query("""
                    SELECT v.contact_id, f.name, v.value FROM custom_values v JOIN custom_fields f ON f.id = v.field_id \
                    WHERE v.contact_id = ANY($1::bigint[])
                    """, [list])
                for row in 0..<custom.count {
                    if let name = custom.string(row, 1), let value = custom.string(row, 2), !value.isEmpty {
                        result[custom.int64(row, 0)]?.values[name] = value
                    }
                }
            }
            if withTags {
                let tags = try connection.query(
                    "SELECT contact_id, tag FROM contact_tags WHERE contact_id = ANY($1::bigint[]) ORDER BY contact_id, position",
                    [list])
                for row in 0..<tags.count {
                    if let tag = tags.string(row, 1) { result[tags.int64(row, 0)]?.tags.append(tag) }
                }
            }
        }
        return result
    }

    final func contactIDs(phone e164: String) throws -> [Int64] {
        try ids(column: "phone", e164)
    }

    final func contactIDs(email: String) throws -> [Int64] {
        try ids(column: "email", email)
    }

    private final func ids(column: String, _ value: String) throws(WorkspaceError) -> [Int64] {
        guard !value.isEmpty else { return [] }
        let rows = try connection.query("SELECT id FROM contacts WHERE \(column) = $1 ORDER BY id", [.text(value)])
        return (0..<rows.count).map { rows.int64($0, 0) }
    }

    var prefersBatchLookups: Bool { true }

    final func contactIDs(phones: [String]) throws -> [String: [Int64]] {
        try batchIDs(column: "phone", phones)
    }

    final func contactIDs(emails: [String]) throws -> [String: [Int64]] {
        try batchIDs(column: "email", emails)
    }

    /// Many values matched at once: they are copied into a temporary table and joined with
    /// the contacts (one round trip for the values, one for the matches).
    private final func batchIDs(column: String, _ values: [String]) throws -> [String: [Int64]] {
        let distinct = Array(Set(values.filter { !$0.isEmpty }))
        guard !distinct.isEmpty else { return [:] }
        if distinct.count <= 8 {
            var result: [String: [Int64]] = [:]
            for value in distinct {
                let found = try ids(column: column, value)
                if !found.isEmpty { result[value] = found }
            }
            return result
        }
        if !lookupTableReady {
            try connection.execute("CREATE TEMP TABLE IF NOT EXISTS lookup_values (value text NOT NULL) ON COMMIT DELETE ROWS")
            lookupTableReady = true
        } else {
            try connection.execute("TRUNCATE lookup_values")
        }
        try connection.copyIn("COPY lookup_values (value) FROM STDIN") { buffer in
            for value in distinct {
                buffer.field(value)
                try buffer.endRow()
            }
        }
        // LATERAL: one index probe per value, whatever the statistics say (right after a bulk
        // load they say the table is small, and a plain join then scanned all of it).
        let rows = try connection.query("""
            SELECT l.value, c.id FROM lookup_values l, LATERAL (SELECT id FROM contacts WHERE \(column) = l.value) c \
            ORDER BY c.id
            """)
        var result: [String: [Int64]] = [:]
        for row in 0..<rows.count {
            if let value = rows.string(row, 0) { result[value, default: []].append(rows.int64(row, 1)) }
        }
        return result
    }

    final func contactExists(id: Int64) throws -> Bool {
        try connection.query("SELECT 1 FROM contacts WHERE id = $1", [PGValue(id)]).count > 0
    }

    final func tagExists(_ tag: String) throws(WorkspaceError) -> Bool {
        try connection.query("SELECT 1 FROM contact_tags WHERE tag_key = $1 LIMIT 1", [.text(foldedKey(tag))]).count > 0
    }

    // MARK: fields

    final func fields() throws -> [FieldDefinition] {
        _ = try customFields()
        return BuiltinField.definitions + customFieldOrder.map(\.definition)
    }

    final func customFields() throws(WorkspaceError) -> [String: CustomFieldRecord] {
        if let customFieldCache { return customFieldCache }
        let rows = try connection.query("SELECT id, name, type, options FROM custom_fields ORDER BY id")
        var byKey: [String: CustomFieldRecord] = [:]
        var order: [CustomFieldRecord] = []
        for row in 0..<rows.count {
            guard let name = rows.string(row, 1), let typeName = rows.string(row, 2) else { continue }
            let record = CustomFieldRecord(id: rows.int64(row, 0), definition: FieldDefinition(
                key: name, label: LocalizedText(en: name, es: name, pt: name), type: FieldType(rawValue: typeName) ?? .text,
                isBuiltin: false, options: ReadTransaction.decodeOptions(rows.string(row, 3))))
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

    // MARK: jobs

    static let jobColumns = """
        SELECT id, file_name, state, import_tag, imported, updated, skipped, errors, drifted, started_at, \
        finished_at, result_path, result_expires_at, result_available, undoes, undone_by, removed, restored, \
        conflicts FROM import_jobs
        """

    /// The row as stored: `resultFilePath` is the file's name, which the store turns into its
    /// own folder's path.
    final func decodeJobs(_ rows: PGResult) -> [ImportJob] {
        (0..<rows.count).map { row in
            var job = ImportJob(
                id: rows.int64(row, 0), fileName: rows.string(row, 1) ?? "",
                state: JobState(rawValue: rows.string(row, 2) ?? "") ?? .failed,
                counts: JobCounts(imported: rows.int(row, 4), updated: rows.int(row, 5), skipped: rows.int(row, 6),
                                  errors: rows.int(row, 7), drifted: rows.int(row, 8)),
                importTag: rows.string(row, 3), startedAt: rows.date(row, 9), finishedAt: rows.optionalDate(row, 10),
                resultFilePath: rows.string(row, 11), resultExpiresAt: rows.optionalDate(row, 12),
                resultAvailable: rows.bool(row, 13))
            job.undoes = rows.optionalInt64(row, 14)
            job.undoneBy = rows.optionalInt64(row, 15)
            job.undoCounts = UndoCounts(removed: rows.int(row, 16), restored: rows.int(row, 17), conflicts: rows.int(row, 18))
            return job
        }
    }

    final func jobs(limit: Int) throws(WorkspaceError) -> [ImportJob] {
        decodeJobs(try connection.query(Self.jobColumns + " ORDER BY id DESC LIMIT $1", [PGValue(max(0, limit))]))
    }

    final func job(id: Int64) throws(WorkspaceError) -> ImportJob? {
        decodeJobs(try connection.query(Self.jobColumns + " WHERE id = $1", [PGValue(id)])).first
    }

    final func runningJob() throws(WorkspaceError) -> ImportJob? {
        decodeJobs(try connection.query(Self.jobColumns + " WHERE state = 'running' ORDER BY id DESC LIMIT 1")).first
    }

    /// As `ReadTransaction.freeImportTag`: `base`, else the first free `base-2`, `base-3`…
    final func freeImportTag(base: String) throws -> String {
        func taken(_ candidate: String) throws -> Bool {
            let job = try connection.query("SELECT 1 FROM import_jobs WHERE lower(import_tag) = lower($1) LIMIT 1",
                                           [.text(candidate)])
            if job.count > 0 { return true }
            return try tagExists(candidate)
        }
        var candidate = base
        var suffix = 1
        while try taken(candidate) {
            suffix += 1
            candidate = "\(base)-\(suffix)"
        }
        return candidate
    }

    final func hasUndoLog(jobId: Int64) throws -> Bool {
        try connection.query("SELECT 1 FROM import_undo_log WHERE job_id = $1 LIMIT 1", [PGValue(jobId)]).count > 0
    }

    // MARK: remembered mappings

    final func rememberedMapping(headerKeys: [String]) throws -> RememberedMapping? {
        let rows = try connection.query(
            "SELECT columns, purpose, identifier, default_country FROM remembered_header_sets WHERE header_set = $1",
            [.text(RememberedMapping.headerSet(headerKeys))])
        guard rows.count > 0 else { return nil }
        let columns = RememberedMapping.decodeColumns(rows.string(0, 0) ?? "")
        guard columns.count == headerKeys.count else { return nil }
        return RememberedMapping(columns: columns, purpose: rows.string(0, 1), identifier: rows.string(0, 2),
                                 defaultCountry: rows.string(0, 3))
    }

    final func rememberedHeaders(_ headerKeys: [String]) throws -> [String: RememberedMapping.Column] {
        let keys = Array(Set(headerKeys.filter { !$0.isEmpty }))
        guard !keys.isEmpty else { return [:] }
        let rows = try connection.query("SELECT header_key, field, overwrite FROM remembered_headers WHERE header_key = ANY($1::text[])",
                                        [.text(Self.textArray(keys))])
        var result: [String: RememberedMapping.Column] = [:]
        for row in 0..<rows.count {
            guard let key = rows.string(row, 0) else { continue }
            let field = rows.string(row, 1)
            result[key] = RememberedMapping.Column(field: field?.isEmpty == false ? field : nil, overwrite: rows.bool(row, 2))
        }
        return result
    }

    /// A `text[]` literal: every element quoted, backslash and quote escaped.
    static func textArray(_ values: [String]) -> String {
        "{" + values.map { value in
            "\"" + value.replacingEvery("\\", with: "\\\\").replacingEvery("\"", with: "\\\"") + "\""
        }.joined(separator: ",") + "}"
    }
}

/// Writes of the PostgreSQL workspace inside one transaction that holds the contacts' write lock.
final class PGWriteTransaction: PGReadTransaction, ContactWrites, ImportTransaction {
    func insertContact(values: [String: String], tags: [String], now: Date) throws -> Contact {
        let millis = StoredTime.milliseconds(now)
        var stored: [String: String] = [:]
        var columns: [String] = []
        var parameters: [PGValue] = []
        var custom: [(CustomFieldRecord, String)] = []
        for (key, value) in values where !value.isEmpty {
            if let column = ContactColumn.byKey[key] {
                columns.append(column)
                parameters.append(.text(value))
                stored[key] = value
            } else if key != "tags" && key != "contactId" {
                guard let field = try customFields()[foldedKey(key)] else { throw Self.unknownField(key) }
                custom.append((field, value))
                stored[field.definition.key] = value
            }
        }
        columns += ["created_at", "updated_at"]
        parameters += [PGValue(millis), PGValue(millis)]
        let placeholders = (1...columns.count).map { "$\($0)" }.joined(separator: ", ")
        let row = try connection.query("INSERT INTO contacts (\(columns.joined(separator: ", "))) VALUES (\(placeholders)) RETURNING id",
                                       parameters)
        let id = row.int64(0, 0)
        try writeCustomValues(custom, contactID: id)
        let storedTags = try writeTags(tags, contactID: id)
        let time = StoredTime.date(millis)
        return Contact(id: id, values: stored, tags: storedTags, createdAt: time, updatedAt: time)
    }

    func updateContact(_ contact: Contact, now: Date) throws -> Contact {
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
        var parameters: [PGValue] = []
        var sets: [String] = []
        for key in ContactColumn.orderedKeys {
            guard let column = ContactColumn.byKey[key] else { continue }
            parameters.append(PGValue(assignments[key] ?? nil))
            sets.append("\(column) = $\(parameters.count)")
        }
        parameters.append(PGValue(StoredTime.milliseconds(now)))
        sets.append("updated_at = $\(parameters.count)")
        parameters.append(PGValue(contact.id))
        let update = try connection.query("UPDATE contacts SET \(sets.joined(separator: ", ")) WHERE id = $\(parameters.count)", parameters)
        guard update.affected > 0 else { throw ContactNotFound(contactId: contact.id) }
        try connection.query("DELETE FROM custom_values WHERE contact_id = $1", [PGValue(contact.id)])
        try writeCustomValues(custom, contactID: contact.id)
        try connection.query("DELETE FROM contact_tags WHERE contact_id = $1", [PGValue(contact.id)])
        _ = try writeTags(contact.tags, contactID: contact.id)
        guard let stored = try self.contact(id: contact.id) else { throw ContactNotFound(contactId: contact.id) }
        return stored
    }

    static func unknownField(_ key: String) -> WorkspaceError {
        WorkspaceError(kind: .invalid, text: LocalizedText(
            en: "The workspace has no field called \"\(key)\".",
            es: "El espacio de trabajo no tiene ningún campo llamado \"\(key)\".",
            pt: "O espaço de trabalho não tem nenhum campo chamado \"\(key)\"."))
    }

    private func writeCustomValues(_ values: [(CustomFieldRecord, String)], contactID: Int64) throws(WorkspaceError) {
        for (field, value) in values {
            try connection.query("""
                INSERT INTO custom_values (contact_id, field_id, value) VALUES ($1, $2, $3) \
                ON CONFLICT (contact_id, field_id) DO UPDATE SET value = excluded.value
                """, [PGValue(contactID), PGValue(field.id), .text(value)])
        }
    }

    /// Trimmed, empty ones dropped, de-duplicated case-insensitively keeping the first spelling.
    private func writeTags(_ tags: [String], contactID: Int64) throws(WorkspaceError) -> [String] {
        var seen = Set<String>()
        var stored: [String] = []
        for raw in tags {
            let tag = raw.whitespaceTrimmed()
            let key = foldedKey(tag)
            guard !tag.isEmpty, seen.insert(key).inserted else { continue }
            try connection.query("""
                INSERT INTO contact_tags (contact_id, tag_key, tag, position) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
                """, [PGValue(contactID), .text(key), .text(tag), PGValue(stored.count)])
            stored.append(tag)
        }
        return stored
    }

    func createField(name: String, type: FieldType, options: [String]) throws -> FieldDefinition {
        let definition = try FieldDefinitionProblem.validate(name: name, type: type, options: options, existing: try customFields())
        let row = try connection.query("""
            INSERT INTO custom_fields (name, name_key, type, options, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id
            """, [.text(definition.key), .text(foldedKey(definition.key)), .text(type.rawValue),
                  .text(ReadTransaction.encodeOptions(definition.options)), PGValue(Date())])
        rememberCustomField(CustomFieldRecord(id: row.int64(0, 0), definition: definition))
        return definition
    }

    /// With its tags and custom values (the schema has no cascading foreign keys, see PGSchema).
    func deleteContact(id: Int64) throws(WorkspaceError) {
        try connection.query("DELETE FROM contact_tags WHERE contact_id = $1", [PGValue(id)])
        try connection.query("DELETE FROM custom_values WHERE contact_id = $1", [PGValue(id)])
        try connection.query("DELETE FROM contacts WHERE id = $1", [PGValue(id)])
    }

    // MARK: import

    func write(_ batch: ImportBatch, row: (Int) throws -> ImportBatch.Row,
               progress: (_ done: Int, _ total: Int) throws -> Void) throws {
        let writer = try PGImportWriter(transaction: self, batch: batch)
        try writer.write(row: row, progress: progress)
    }

    func rememberMapping(headerKeys: [String], _ mapping: RememberedMapping, now: Date) throws {
        try connection.query("""
            INSERT INTO remembered_header_sets (header_set, columns, purpose, identifier, default_country, remembered_at) \
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (header_set) DO UPDATE SET columns = excluded.columns, \
            purpose = excluded.purpose, identifier = excluded.identifier, default_country = excluded.default_country, \
            remembered_at = excluded.remembered_at
            """, [.text(RememberedMapping.headerSet(headerKeys)), .text(mapping.encodedColumns), PGValue(mapping.purpose),
                  PGValue(mapping.identifier), PGValue(mapping.defaultCountry), PGValue(now)])
        for (key, column) in zip(headerKeys, mapping.columns) where !key.isEmpty {
            try connection.query("""
                INSERT INTO remembered_headers (header_key, field, overwrite, remembered_at) VALUES ($1, $2, $3, $4) \
                ON CONFLICT (header_key) DO UPDATE SET field = excluded.field, overwrite = excluded.overwrite, \
                remembered_at = excluded.remembered_at
                """, [.text(key), .text(column.field ?? ""), PGValue(column.overwrite), PGValue(now)])
        }
    }

    /// Set by the store: what to do with a job's result file as its final row is written.
    var storeResultFile: ((ImportJob, PGConnection) throws(WorkspaceError) -> Void)?

    func updateJob(_ job: ImportJob) throws(WorkspaceError) {
        try Self.updateJob(job, on: connection)
        try storeResultFile?(job, connection)
    }

    static func updateJob(_ job: ImportJob, on connection: PGConnection) throws(WorkspaceError) {
        let available = job.resultAvailable && job.resultFilePath != nil
        try connection.query("""
            UPDATE import_jobs SET state = $1, imported = $2, updated = $3, skipped = $4, errors = $5, drifted = $6, \
            import_tag = $7, finished_at = $8, result_path = $9, result_expires_at = $10, result_available = $11, \
            undoes = $12, undone_by = $13, removed = $14, restored = $15, conflicts = $16 WHERE id = $17
            """, [.text(job.state.rawValue), PGValue(job.counts.imported), PGValue(job.counts.updated),
                  PGValue(job.counts.skipped), PGValue(job.counts.errors), PGValue(job.counts.drifted),
                  PGValue(job.importTag), PGValue(job.finishedAt),
                  PGValue(job.resultFilePath.map { lastPathComponent($0) }), PGValue(job.resultExpiresAt),
                  PGValue(available), PGValue(job.undoes), PGValue(job.undoneBy), PGValue(job.undoCounts.removed),
                  PGValue(job.undoCounts.restored), PGValue(job.undoCounts.conflicts), PGValue(job.id)])
    }
}
