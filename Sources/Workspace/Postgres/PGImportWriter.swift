import FoundationEssentials
import Contacts

/// An import's writes on PostgreSQL, set-based: rows are decided a chunk at a time, then the
/// chunk's added contacts, tags, custom values and undo entries each go in one `COPY`, and its
/// updates are copied into a temporary table and applied with one `UPDATE … FROM` (and one
/// statement per custom column, one for tags). Round trips, not rows, are what a server
/// database charges for. Same results as `ImportWriter` (SQLite), rule for rule:
/// - an added contact's id is the next of the sequence, in file order;
/// - an update with "overwrite" replaces a value (an empty one clears it), without it only an
///   empty stored value is filled; the identifier's column is never rewritten;
/// - a tags column with "overwrite" replaces the contact's tags, otherwise new tags go after
///   the ones it has; the import's own tags follow the row's.
final class PGImportWriter {
    private enum Target {
        case builtin(column: String)
        case custom(fieldID: Int64)
        case tags
        case ignored
    }

    /// Rows decided before their chunk is written: large enough that a round trip is cheap
    /// beside the rows it carries, small enough that cancellation is noticed soon.
    static let chunk = 25_000

    private let transaction: PGWriteTransaction
    private let connection: PGConnection
    private let batch: ImportBatch
    private let width: Int
    private let millis: Int64
    private let targets: [Target]
    private let insertSources: [(column: Int, name: String)]
    private let updateSources: [(column: Int, name: String, overwrite: Bool)]
    private let customColumns: [(column: Int, fieldID: Int64, overwrite: Bool)]
    private let replacesTags: Bool
    private let extraTags: [TagEntry]
    private var updateTableReady = false
    private var hasCustomValues = true

    init(transaction: PGWriteTransaction, batch: ImportBatch) throws {
        self.transaction = transaction
        connection = transaction.connection
        self.batch = batch
        width = batch.columns.count
        millis = StoredTime.milliseconds(batch.now)
        let custom = try transaction.customFields()
        let targets = try batch.columns.map { column -> Target in
            if column.key == BuiltinField.contactId.rawValue { return .ignored }
            if column.type == .tags && column.key == BuiltinField.tags.rawValue { return .tags }
            if let name = ContactColumn.byKey[column.key] { return .builtin(column: name) }
            if column.type == .tags { return .tags }
            guard let field = custom[foldedKey(column.key)] else {
                throw WorkspaceError.invalid("The workspace has no field called \"\(column.key)\".")
            }
            return .custom(fieldID: field.id)
        }
        self.targets = targets
        var builtins: [(column: Int, name: String)] = []
        var customs: [(column: Int, fieldID: Int64, overwrite: Bool)] = []
        var replaces = false
        for (index, target) in targets.enumerated() {
            switch target {
            case .builtin(let name):
                builtins.removeAll { $0.name == name }
                builtins.append((index, name))
            case .custom(let fieldID):
                customs.append((index, fieldID, batch.columns[index].overwrite))
            case .tags:
                if batch.columns[index].overwrite { replaces = true }
            case .ignored: break
            }
        }
        insertSources = builtins
        updateSources = builtins.filter { batch.columns[$0.column].key != batch.unchangedKey }
            .map { ($0.column, $0.name, batch.columns[$0.column].overwrite) }
        customColumns = customs
        replacesTags = replaces
        var extras: [TagEntry] = []
        for tag in batch.extraTags {
            guard let entry = TagEntry(tag), !extras.contains(where: { $0.key == entry.key }) else { continue }
            extras.append(entry)
        }
        extraTags = extras
    }

    func write(row decision: (Int) throws -> ImportBatch.Row, progress: (_ done: Int, _ total: Int) throws -> Void) throws {
        let total = batch.rowCount
        var start = 0
        while start < total {
            let end = min(start + Self.chunk, total)
            var adds: [Int] = []
            var updates: [(row: Int, id: Int64)] = []
            for row in start..<end {
                // Deciding is quick when the review's matches stand: progress counts rows
                // written (below); this call is for cancellation while a re-check runs.
                if row % ImportBatch.progressInterval == 0 { try progress(start, total) }
                switch try decision(row) {
                case .none: break
                case .add: adds.append(row)
                case .update(let id): updates.append((row, id))
                }
            }
            let chunkStart = start
            writtenInChunk = 0
            try withoutActuallyEscaping(progress) { progress in
                reportWritten = { written in try progress(chunkStart + written, total) }
                defer { reportWritten = nil }
                try insert(adds)
                try update(updates)
            }
            start = end
        }
        if let job = batch.undoJobId { try recordAfterImages(jobId: job) }
        // A load that grows the table by much leaves the planner's statistics stale until
        // autovacuum comes by; lookups right after it would be planned for a small table.
        if added >= Self.analyzeAfter { try connection.execute("ANALYZE contacts") }
    }

    static let analyzeAfter = 100_000
    private var added = 0
    /// Rows of the current chunk sent to the server so far, and where `progress` hears of them.
    private var writtenInChunk = 0
    private var reportWritten: ((Int) throws -> Void)?

    /// Counts one row sent (an added or an updated contact), reporting every `progressInterval`.
    private func rowSent() throws {
        writtenInChunk += 1
        if writtenInChunk % ImportBatch.progressInterval == 0 { try reportWritten?(writtenInChunk) }
    }

    // MARK: values

    private static func text(_ value: FieldValue) -> String? {
        switch value {
        case .empty: return nil
        case .text(let text): return text.isEmpty ? nil : text
        case .tags(let list): return list.isEmpty ? nil : list.joined(separator: ", ")
        }
    }

    private func value(row: Int, column: Int) -> String? {
        Self.text(batch.values[row * width + column])
    }

    /// The row's tags (each once, first spelling), then the import's own.
    private func tags(row: Int) -> [TagEntry] {
        var entries: [TagEntry] = []
        for (k, target) in targets.enumerated() {
            guard case .tags = target, case .tags(let list) = batch.values[row * width + k] else { continue }
            for tag in list {
                guard let entry = TagEntry(tag), !entries.contains(where: { $0.key == entry.key }) else { continue }
                entries.append(entry)
            }
        }
        for entry in extraTags where !entries.contains(where: { $0.key == entry.key }) {
            entries.append(entry)
        }
        return entries
    }

    // MARK: added contacts

    private func insert(_ rows: [Int]) throws {
        guard !rows.isEmpty else { return }
        added += rows.count
        // Ids taken from the contacts' own sequence, in file order: this transaction holds the
        // contacts' write lock, so no other writer takes ids between them.
        let taken = try connection.query("SELECT nextval(pg_get_serial_sequence('contacts', 'id')) FROM generate_series(1, $1)",
                                         [PGValue(rows.count)])
        let ids = (0..<taken.count).map { taken.int64($0, 0) }.sorted()
        let columns = ["id"] + insertSources.map(\.name) + ["created_at", "updated_at"]
        try connection.copyIn("COPY contacts (\(columns.joined(separator: ", "))) FROM STDIN") { buffer in
            for (id, row) in zip(ids, rows) {
                buffer.field(id)
                for source in insertSources { buffer.field(value(row: row, column: source.column)) }
                buffer.field(millis)
                buffer.field(millis)
                try buffer.endRow()
                try rowSent()
            }
        }
        try connection.copyIn("COPY contact_tags (contact_id, tag_key, tag, position) FROM STDIN") { buffer in
            for (id, row) in zip(ids, rows) {
                for (position, entry) in tags(row: row).enumerated() {
                    buffer.field(id)
                    buffer.field(entry.key)
                    buffer.field(entry.tag)
                    buffer.field(Int64(position))
                    try buffer.endRow()
                }
            }
        }
        if !customColumns.isEmpty {
            try connection.copyIn("COPY custom_values (contact_id, field_id, value) FROM STDIN") { buffer in
                for (id, row) in zip(ids, rows) {
                    for custom in customColumns {
                        guard let text = value(row: row, column: custom.column) else { continue }
                        buffer.field(id)
                        buffer.field(custom.fieldID)
                        buffer.field(text)
                        try buffer.endRow()
                    }
                }
            }
        }
        if let job = batch.undoJobId {
            try connection.copyIn("COPY import_undo_log (job_id, contact_id, added, a_updated_at) FROM STDIN") { buffer in
                for id in ids {
                    buffer.field(job)
                    buffer.field(id)
                    buffer.field("t")
                    buffer.field(millis)
                    try buffer.endRow()
                }
            }
        }
    }

    // MARK: updated contacts

    private func update(_ rows: [(row: Int, id: Int64)]) throws {
        guard !rows.isEmpty else { return }
        if !updateTableReady {
            let valueColumns = (updateSources.map { "u_\($0.name)" } + customColumns.indices.map { "u_custom_\($0)" })
                .map { "\($0) text" }
            // Temporary tables are not written to the WAL: the before-images wait there until
            // the end, then go into the undo log in one insert beside the after-images.
            try connection.execute("""
                CREATE TEMP TABLE import_updates (contact_id bigint PRIMARY KEY\(valueColumns.map { ", " + $0 }.joined())) ON COMMIT DROP;
                CREATE TEMP TABLE import_before (contact_id bigint PRIMARY KEY, b_first_name text, b_last_name text, b_phone text,
                    b_email text, b_language text, b_country_code text, b_tags text, b_custom text) ON COMMIT DROP;
                """)
            let anyStored = try connection.query("SELECT EXISTS (SELECT 1 FROM custom_values)").bool(0, 0)
            hasCustomValues = !customColumns.isEmpty || anyStored
            updateTableReady = true
        }
        // A contact written by two rows gets the first row's writes before the second's: each
        // wave holds a contact once, and waves go in file order.
        var waves: [[(row: Int, id: Int64)]] = []
        var seen: [Int64: Int] = [:]
        for entry in rows {
            let wave = seen[entry.id, default: 0]
            seen[entry.id] = wave + 1
            if wave == waves.count { waves.append([]) }
            waves[wave].append(entry)
        }
        for wave in waves { try updateWave(wave) }
    }

    private func updateWave(_ rows: [(row: Int, id: Int64)]) throws {
        try connection.execute("TRUNCATE import_updates")
        let columns = ["contact_id"] + updateSources.map { "u_\($0.name)" } + customColumns.indices.map { "u_custom_\($0)" }
        try connection.copyIn("COPY import_updates (\(columns.joined(separator: ", "))) FROM STDIN") { buffer in
            for (row, id) in rows {
                buffer.field(id)
                for source in updateSources { buffer.field(value(row: row, column: source.column)) }
                for custom in customColumns { buffer.field(value(row: row, column: custom.column)) }
                try buffer.endRow()
                try rowSent()
            }
        }
        // Row counts for the planner: the joins below then probe the contacts' primary key.
        try connection.execute("ANALYZE import_updates")
        if batch.undoJobId != nil {
            // The contact as it was, before this import writes it (a second row keeps the first image).
            try connection.execute("""
                INSERT INTO import_before SELECT c.id, c.first_name, c.last_name, c.phone, c.email, c.language, c.country_code, \
                \(PGUndo.tagsOf("c")), \(customOf("c")) FROM contacts c JOIN import_updates u ON u.contact_id = c.id \
                ON CONFLICT (contact_id) DO NOTHING
                """)
        }
        let assignments = updateSources.map { source -> String in
            source.overwrite ? "\(source.name) = u.u_\(source.name)"
                : "\(source.name) = CASE WHEN c.\(source.name) IS NULL OR c.\(source.name) = '' THEN u.u_\(source.name) ELSE c.\(source.name) END"
        } + ["updated_at = $1"]
        let updated = try connection.query("UPDATE contacts c SET \(assignments.joined(separator: ", ")) FROM import_updates u WHERE c.id = u.contact_id",
                                           [PGValue(millis)])
        if updated.affected != rows.count {
            let missing = try connection.query(
                "SELECT u.contact_id FROM import_updates u LEFT JOIN contacts c ON c.id = u.contact_id WHERE c.id IS NULL LIMIT 1")
            throw ContactNotFound(contactId: missing.count > 0 ? missing.int64(0, 0) : rows[0].id)
        }
        for (index, custom) in customColumns.enumerated() {
            let column = "u_custom_\(index)"
            let conflict = custom.overwrite ? "DO UPDATE SET value = excluded.value" : "DO NOTHING"
            try connection.query("""
                INSERT INTO custom_values (contact_id, field_id, value) SELECT contact_id, $1, \(column) FROM import_updates \
                WHERE \(column) IS NOT NULL ON CONFLICT (contact_id, field_id) \(conflict)
                """, [PGValue(custom.fieldID)])
            if custom.overwrite {
                try connection.query("""
                    DELETE FROM custom_values v USING import_updates u WHERE v.contact_id = u.contact_id AND v.field_id = $1 \
                    AND u.\(column) IS NULL
                    """, [PGValue(custom.fieldID)])
            }
        }
        // New tags go after the contact's last one; a tag it already has stays where it is.
        // The stored tags are read in one query and the new rows copied in, rather than an
        // INSERT … SELECT with a conflict check per row (measured: half the time).
        var existing: [Int64: (next: Int64, keys: Set<String>)] = [:]
        if replacesTags {
            try connection.execute("DELETE FROM contact_tags t USING import_updates u WHERE t.contact_id = u.contact_id")
        } else {
            let stored = try connection.query("""
                SELECT t.contact_id, t.tag_key, t.position FROM contact_tags t JOIN import_updates u ON u.contact_id = t.contact_id
                """)
            for index in 0..<stored.count {
                let id = stored.int64(index, 0)
                var entry = existing[id] ?? (0, [])
                entry.next = max(entry.next, stored.int64(index, 2) + 1)
                if let key = stored.string(index, 1) { entry.keys.insert(key) }
                existing[id] = entry
            }
        }
        try connection.copyIn("COPY contact_tags (contact_id, tag_key, tag, position) FROM STDIN") { buffer in
            for (row, id) in rows {
                let stored = existing[id]
                for (offset, entry) in tags(row: row).enumerated() where stored?.keys.contains(entry.key) != true {
                    buffer.field(id)
                    buffer.field(entry.key)
                    buffer.field(entry.tag)
                    buffer.field((stored?.next ?? 0) + Int64(offset))
                    try buffer.endRow()
                }
            }
        }
    }

    /// A contact's custom values for the undo log, or NULL when the workspace has none at all
    /// (a subquery per contact saved).
    private func customOf(_ alias: String) -> String {
        hasCustomValues ? PGUndo.customOf(alias) : "NULL"
    }

    /// The updated contacts' log rows: the images before (kept aside) and as the import left
    /// them, in one insert.
    private func recordAfterImages(jobId: Int64) throws {
        guard updateTableReady else { return }
        try connection.query("""
            INSERT INTO import_undo_log (job_id, contact_id, added, b_first_name, b_last_name, b_phone, b_email, b_language, \
            b_country_code, b_tags, b_custom, a_first_name, a_last_name, a_phone, a_email, a_language, a_country_code, \
            a_updated_at, a_tags, a_custom) \
            SELECT $1, b.contact_id, false, b.b_first_name, b.b_last_name, b.b_phone, b.b_email, b.b_language, \
            b.b_country_code, b.b_tags, b.b_custom, c.first_name, c.last_name, c.phone, c.email, c.language, c.country_code, \
            c.updated_at, \(PGUndo.tagsOf("c")), \(customOf("c")) FROM import_before b LEFT JOIN contacts c ON c.id = b.contact_id \
            ON CONFLICT (job_id, contact_id) DO NOTHING
            """, [PGValue(jobId)])
    }
}
