import FoundationEssentials
import Contacts
import Localization

/// What an import changed, kept for its undo, written in the import's own transaction:
/// added contacts as ranges of consecutive ids in `import_undo_added` (a few rows however many
/// contacts: an import's new rows get ids max + 1, max + 2… and nobody else writes meanwhile),
/// updated ones in `import_undo_log`, a block of contacts at a time: their images before the
/// import go into a temporary table (one INSERT … SELECT read before the block's rows are
/// written), and once the block is written one INSERT … SELECT joins them with the contacts as
/// the import left them, while those pages are still in the writer's cache. Each log row is
/// written once, in contact-id order (appended). All in SQL: the images never travel through
/// Swift during the commit.
final class UndoLog {
    private let transaction: WriteTransaction
    private let jobId: Int64
    /// Added ids so far, as ranges of consecutive ids.
    private var addedRanges: [(first: Int64, last: Int64)] = []
    private var beforeImages = IDListStatements { list in """
        INSERT OR IGNORE INTO temp.undo_before (contact_id, b_first_name, b_last_name, b_phone, b_email, \
        b_language, b_country_code, b_tags, b_custom) \
        SELECT c.id, c.first_name, c.last_name, c.phone, c.email, c.language, c.country_code, \
        \(UndoLog.tagsOf("c")), \(UndoLog.customOf("c")) FROM contacts c WHERE c.id IN (\(list))
        """ }
    /// Whether `temp.undo_before` is made (and emptied) for this import.
    private var madeScratch = false

    /// `columns` (contact columns, `tags` among them) of the before-images `willUpdate` holds
    /// for the contacts in `ids` (an SQL list), keyed by `contact_id`.
    static func beforeImagesQuery(columns: [String], ids: String) -> String {
        "SELECT contact_id, \(columns.map { "b_" + $0 }.joined(separator: ", ")) FROM temp.undo_before WHERE contact_id IN (\(ids))"
    }

    /// A contact's tags as the log keeps them (as its row does), and its custom values, for `:alias.id`.
    static func tagsOf(_ alias: String) -> String { "\(alias).tags" }
    static func customOf(_ alias: String) -> String {
        "(SELECT group_concat(f.name || char(30) || v.value, char(31)) FROM custom_values v JOIN custom_fields f ON f.id = v.field_id WHERE v.contact_id = \(alias).id)"
    }

    /// The `updated_at` the import gives every contact it writes.
    private let writtenAt: Date

    /// The after-image of a contact's custom values: an import without custom columns leaves
    /// them as they were, so its before-image, not a second query per contact.
    private let customAfterImage: String

    init(transaction: WriteTransaction, jobId: Int64, writtenAt: Date, writesCustomValues: Bool) throws {
        self.transaction = transaction
        self.jobId = jobId
        self.writtenAt = writtenAt
        customAfterImage = writesCustomValues ? Self.customOf("c") : "b.b_custom"
    }

    /// An added contact needs only the time it was written: it changed since ⇔ it moved.
    /// Kept in memory until `finish`, as ranges.
    func added(_ id: Int64) { added(id...id) }

    /// Contacts added with consecutive ids.
    func added(_ ids: ClosedRange<Int64>) {
        if let last = addedRanges.last, ids.lowerBound == last.last + 1 {
            addedRanges[addedRanges.count - 1].last = ids.upperBound
        } else {
            addedRanges.append((ids.lowerBound, ids.upperBound))
        }
    }

    /// Before-images of `ids` (contacts about to be updated, sorted), as they are now, until
    /// `didUpdate`; a contact already held keeps its first image.
    func willUpdate(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        if !madeScratch {
            // In the connection's temporary schema (memory): never in the workspace file.
            try transaction.connection.execute("""
                CREATE TEMP TABLE IF NOT EXISTS undo_before (contact_id INTEGER PRIMARY KEY, b_first_name TEXT, \
                b_last_name TEXT, b_phone TEXT, b_email TEXT, b_language TEXT, b_country_code TEXT, b_tags TEXT, b_custom TEXT); \
                DELETE FROM temp.undo_before;
                """)
            madeScratch = true
        }
        try beforeImages.bound(ids, in: transaction).run()
    }

    /// After a block's writes (tags included): its contacts' log rows, each the image held by
    /// `willUpdate` and the contact as the import left it, field by field (compared one by one
    /// at undo). A contact already logged by this import keeps its row: blocks never split one
    /// contact's rows, so that row was written after all of them.
    func didUpdate() throws {
        guard madeScratch else { return }
        let insert = try transaction.statement("""
            INSERT OR IGNORE INTO import_undo_log (job_id, contact_id, added, b_first_name, b_last_name, b_phone, b_email, \
            b_language, b_country_code, b_tags, b_custom, a_first_name, a_last_name, a_phone, a_email, a_language, \
            a_country_code, a_tags, a_custom, a_updated_at) \
            SELECT :job_id, b.contact_id, 0, b.b_first_name, b.b_last_name, b.b_phone, b.b_email, b.b_language, \
            b.b_country_code, b.b_tags, b.b_custom, c.first_name, c.last_name, c.phone, c.email, c.language, \
            c.country_code, \(Self.tagsOf("c")), \(customAfterImage), c.updated_at \
            FROM temp.undo_before b JOIN contacts c ON c.id = b.contact_id ORDER BY b.contact_id
            """)
        try insert.bind(":job_id", jobId)
        try insert.run()
        try transaction.statement("DELETE FROM temp.undo_before").run()
    }

    /// After the writes: the added ranges.
    func finish() throws {
        let range = try transaction.statement("""
            INSERT INTO import_undo_added (job_id, first_id, last_id, written_at) VALUES (:job_id, :first_id, :last_id, :written_at)
            """)
        for (first, last) in addedRanges {
            try range.bind(":job_id", jobId)
            try range.bind(":first_id", first)
            try range.bind(":last_id", last)
            try range.bind(":written_at", writtenAt)
            try range.run()
        }
    }
}

/// A contact's values and tags as the undo log stores them (columns, tags and custom values).
struct UndoImage: Equatable {
    var values: [String: String]
    var tags: [String]

    init(_ contact: Contact) {
        values = contact.values
        tags = contact.tags
    }

    /// From the log's columns at `first` (the six built-in fields, tags, custom values).
    init(_ row: Statement, first: Int32) {
        values = [:]
        for (offset, key) in ContactColumn.orderedKeys.enumerated() {
            if let value = row.string(first + Int32(offset)), !value.isEmpty { values[key] = value }
        }
        tags = StoredTags.split(row.string(first + 6))
        for pair in (row.string(first + 7) ?? "").split(separator: "\u{1F}") {
            let parts = pair.split(separator: "\u{1E}", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, !parts[1].isEmpty { values[String(parts[0])] = String(parts[1]) }
        }
    }

    var tagKeys: Set<String> { Set(tags.map(identityKey)) }
}

/// One change an undo kept because the contact changed after the import.
public struct UndoConflict: Sendable, Hashable {
    public let contactId: Int64
    /// A field key, `tags`, or nil for the whole contact (deleted, or an added contact changed since).
    public let field: String?
    public let kept: String?
    public let imported: String?
}

public struct UndoOutcome: Sendable {
    public let counts: UndoCounts
    public let conflicts: [UndoConflict]
}

extension ReadTransaction {
    /// True when the import's undo log is still kept (it goes with the result file).
    public func hasUndoLog(jobId: Int64) throws -> Bool {
        let query = try statement("""
            SELECT 1 FROM import_undo_log WHERE job_id = :job_id UNION ALL SELECT 1 FROM import_undo_added WHERE job_id = :job_id LIMIT 1
            """)
        try query.bind(":job_id", jobId)
        defer { query.reset() }
        return try query.step()
    }
}

extension WriteTransaction {
    /// Reverses import `jobId` from its undo log: added contacts still as the import left them
    /// are deleted; updated contacts get back, field by field and tag by tag, what they had
    /// before it, except fields changed since (kept, and listed as conflicts). Tags the import
    /// added are removed and tags it removed come back, unless that already happened.
    public func undoImport(jobId: Int64, now: Date, progress: (_ done: Int, _ total: Int) throws -> Void) throws -> UndoOutcome {
        let query = try statement("""
            SELECT contact_id, added, a_updated_at, b_first_name, b_last_name, b_phone, b_email, b_language, b_country_code, \
            b_tags, b_custom, a_first_name, a_last_name, a_phone, a_email, a_language, a_country_code, a_tags, a_custom \
            FROM import_undo_log WHERE job_id = :job_id ORDER BY contact_id
            """)
        try query.bind(":job_id", jobId)
        var entries: [UndoEntry] = []
        while try query.step() {
            let added = query.int(1) != 0
            entries.append((query.int64(0), added, query.optionalDate(2), added ? nil : UndoImage(query, first: 3),
                            added ? nil : UndoImage(query, first: 11)))
        }
        query.reset()
        // Added contacts logged as ranges: those still there (one deleted since needs nothing).
        let ranges = try statement("""
            SELECT c.id, r.written_at FROM import_undo_added r JOIN contacts c ON c.id BETWEEN r.first_id AND r.last_id \
            WHERE r.job_id = :job_id ORDER BY c.id
            """)
        try ranges.bind(":job_id", jobId)
        var fromRanges: [(id: Int64, added: Bool, updatedAt: Date?, before: UndoImage?, after: UndoImage?)] = []
        while try ranges.step() { fromRanges.append((ranges.int64(0), true, ranges.optionalDate(1), nil, nil)) }
        ranges.reset()
        if !fromRanges.isEmpty {
            entries = (entries + fromRanges).sorted { $0.id < $1.id }
        }

        let (counts, conflicts) = try UndoReplay.apply(entries, progress: progress, contact: { try contact(id: $0) },
                                                       delete: { try deleteContact(id: $0) },
                                                       update: { _ = try updateContact($0, now: now) })
        try dropUndoLogs([jobId])
        return UndoOutcome(counts: counts, conflicts: conflicts)
    }

    /// The contact and its custom values: deleted here rather than by ON DELETE CASCADE, which
    /// needs foreign-key checks that `writeImport` turns off.
    func deleteContact(id: Int64) throws {
        for sql in ["DELETE FROM custom_values WHERE contact_id = :id",
                    "DELETE FROM contacts WHERE id = :id"] {
            let delete = try statement(sql)
            try delete.bind(":id", id)
            try delete.run()
        }
    }
}

extension ReadTransaction {
    /// Undo logs of jobs whose result file has expired go with it (`purgeExpiredFiles`).
    func expiredUndoLogs(now: Date) throws(WorkspaceError) -> [Int64] {
        let query = try statement("""
            SELECT DISTINCT l.job_id FROM (SELECT job_id FROM import_undo_log UNION SELECT job_id FROM import_undo_added) l \
            JOIN import_jobs j ON j.id = l.job_id \
            WHERE j.result_expires_at <= :now OR (j.result_expires_at IS NULL AND j.finished_at <= :cutoff)
            """)
        try query.bind(":now", now)
        try query.bind(":cutoff", now.addingTimeInterval(-Workspace.resultRetention))
        var ids: [Int64] = []
        while try query.step() { ids.append(query.int64(0)) }
        return ids
    }
}

extension WriteTransaction {
    func dropUndoLogs(_ jobIds: [Int64]) throws(WorkspaceError) {
        for sql in ["DELETE FROM import_undo_log WHERE job_id = :job_id", "DELETE FROM import_undo_added WHERE job_id = :job_id"] {
            let drop = try statement(sql)
            for id in jobIds {
                try drop.bind(":job_id", id)
                try drop.run()
            }
        }
    }
}

/// One contact an import added or updated, as its undo log recorded it.
typealias UndoEntry = (id: Int64, added: Bool, updatedAt: Date?, before: UndoImage?, after: UndoImage?)

enum UndoReplay {
    /// The undo's rule, one home for both stores: an added contact untouched since is removed; an
    /// updated one gets back each field and tag the import changed and nobody changed since; a
    /// later change is kept and counted as a conflict. Entries in contact-id order.
    static func apply(_ entries: [UndoEntry], progress: (_ done: Int, _ total: Int) throws -> Void,
                      contact: (Int64) throws -> Contact?, delete: (Int64) throws -> Void,
                      update: (Contact) throws -> Void) throws -> (UndoCounts, [UndoConflict]) {
        var counts = UndoCounts()
        var conflicts: [UndoConflict] = []
        for (index, entry) in entries.enumerated() {
            if index % 1_000 == 0 { try progress(index, entries.count) }
            guard let current = try contact(entry.id) else {
                // Deleted since: nothing to remove or restore.
                if !entry.added { conflicts.append(UndoConflict(contactId: entry.id, field: nil, kept: nil, imported: nil)) }
                continue
            }
            if entry.added {
                if entry.updatedAt == nil || current.updatedAt == entry.updatedAt {
                    try delete(entry.id)
                    counts.removed += 1
                } else {
                    counts.conflicts += 1
                    conflicts.append(UndoConflict(contactId: entry.id, field: nil, kept: nil, imported: nil))
                }
                continue
            }
            guard let before = entry.before, let after = entry.after else { continue }
            var restored = current
            var conflicted = false
            for key in Set(before.values.keys).union(after.values.keys) {
                let now = current.values[key]
                if now == after.values[key] {
                    restored.values[key] = before.values[key]
                } else if before.values[key] != after.values[key] {
                    conflicted = true
                    conflicts.append(UndoConflict(contactId: entry.id, field: key, kept: now, imported: after.values[key]))
                }
            }
            let beforeKeys = before.tagKeys, afterKeys = after.tagKeys
            let addedByImport = afterKeys.subtracting(beforeKeys)
            var tags = current.tags.filter { !addedByImport.contains(identityKey($0)) }
            let present = Set(tags.map(identityKey))
            tags += before.tags.filter { !afterKeys.contains(identityKey($0)) && !present.contains(identityKey($0)) }
            restored.tags = tags
            if restored.values != current.values || restored.tags != current.tags {
                try update(restored)
                counts.restored += 1
            }
            if conflicted { counts.conflicts += 1 }
        }
        return (counts, conflicts)
    }
}
