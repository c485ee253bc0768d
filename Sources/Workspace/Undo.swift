import Foundation
import Contacts
import Localization

/// What an import changed, kept for its undo in `import_undo_log`, written in the import's own
/// transaction: added contacts by id, updated ones with their image before the import; after
/// the writes, every logged contact's image as the import left it.
final class UndoLog {
    private let transaction: WriteTransaction
    private let jobId: Int64
    private var logged: [Int64] = []

    init(transaction: WriteTransaction, jobId: Int64) throws {
        self.transaction = transaction
        self.jobId = jobId
    }

    func added(_ id: Int64) throws {
        try insert(id, added: true, before: nil)
    }

    func willUpdate(_ id: Int64) throws {
        guard let contact = try transaction.contact(id: id) else { return }
        try insert(id, added: false, before: UndoImage(contact).encoded)
    }

    private func insert(_ id: Int64, added: Bool, before: String?) throws {
        let insert = try transaction.statement("""
            INSERT OR IGNORE INTO import_undo_log (job_id, contact_id, added, before_image) \
            VALUES (:job_id, :contact_id, :added, :before_image)
            """)
        try insert.bind(":job_id", jobId)
        try insert.bind(":contact_id", id)
        try insert.bind(":added", added)
        try insert.bind(":before_image", before)
        try insert.run()
        logged.append(id)
    }

    func recordAfterImages() throws {
        let update = try transaction.statement("""
            UPDATE import_undo_log SET after_image = :after_image WHERE job_id = :job_id AND contact_id = :contact_id
            """)
        for id in logged {
            guard let contact = try transaction.contact(id: id) else { continue }
            try update.bind(":after_image", UndoImage(contact).encoded)
            try update.bind(":job_id", jobId)
            try update.bind(":contact_id", id)
            try update.run()
        }
    }
}

/// A contact's values and tags, as the undo log stores them (a JSON object in one column, a
/// storage detail like a list field's options).
struct UndoImage: Equatable {
    var values: [String: String]
    var tags: [String]

    init(_ contact: Contact) {
        values = contact.values
        tags = contact.tags
    }

    init?(encoded: String?) {
        guard let encoded, let data = encoded.data(using: .utf8),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        values = object["values"] as? [String: String] ?? [:]
        tags = object["tags"] as? [String] ?? []
    }

    var encoded: String {
        let object: [String: Any] = ["values": values, "tags": tags]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
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
        let query = try statement("SELECT 1 FROM import_undo_log WHERE job_id = :job_id LIMIT 1")
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
            SELECT contact_id, added, before_image, after_image FROM import_undo_log WHERE job_id = :job_id ORDER BY contact_id
            """)
        try query.bind(":job_id", jobId)
        var entries: [(id: Int64, added: Bool, before: UndoImage?, after: UndoImage?)] = []
        while try query.step() {
            entries.append((query.int64(0), query.int(1) != 0, UndoImage(encoded: query.string(2)), UndoImage(encoded: query.string(3))))
        }
        query.reset()

        var counts = UndoCounts()
        var conflicts: [UndoConflict] = []
        for (index, entry) in entries.enumerated() {
            if index % 1_000 == 0 { try progress(index, entries.count) }
            guard let current = try contact(id: entry.id) else {
                // Deleted since: nothing to remove or restore.
                if !entry.added { conflicts.append(UndoConflict(contactId: entry.id, field: nil, kept: nil, imported: nil)) }
                continue
            }
            guard let after = entry.after else { continue }
            if entry.added {
                if UndoImage(current) == after {
                    try deleteContact(id: entry.id)
                    counts.removed += 1
                } else {
                    counts.conflicts += 1
                    conflicts.append(UndoConflict(contactId: entry.id, field: nil, kept: nil, imported: nil))
                }
                continue
            }
            guard let before = entry.before else { continue }
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
                _ = try updateContact(restored, now: now)
                counts.restored += 1
            }
            if conflicted { counts.conflicts += 1 }
        }
        let drop = try statement("DELETE FROM import_undo_log WHERE job_id = :job_id")
        try drop.bind(":job_id", jobId)
        try drop.run()
        return UndoOutcome(counts: counts, conflicts: conflicts)
    }

    func deleteContact(id: Int64) throws {
        let delete = try statement("DELETE FROM contacts WHERE id = :id")
        try delete.bind(":id", id)
        try delete.run()
    }
}

extension ReadTransaction {
    /// Undo logs of jobs whose result file has expired go with it (`purgeExpiredFiles`).
    func expiredUndoLogs(now: Date) throws(WorkspaceError) -> [Int64] {
        let query = try statement("""
            SELECT DISTINCT l.job_id FROM import_undo_log l JOIN import_jobs j ON j.id = l.job_id \
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
        let drop = try statement("DELETE FROM import_undo_log WHERE job_id = :job_id")
        for id in jobIds {
            try drop.bind(":job_id", id)
            try drop.run()
        }
    }
}
