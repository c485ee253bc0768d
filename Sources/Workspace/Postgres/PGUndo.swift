import FoundationEssentials
import Contacts

/// The undo log on PostgreSQL: the same rows as SQLite's `import_undo_log`, written by
/// `PGImportWriter`, read back here by the same rules as `WriteTransaction.undoImport`.
enum PGUndo {
    /// A contact's tags in order, and its custom values, as the log stores them (U+001F between
    /// items, U+001E between a custom field's name and its value).
    static func tagsOf(_ alias: String) -> String {
        "(SELECT string_agg(tag, chr(31) ORDER BY position) FROM contact_tags WHERE contact_id = \(alias).id)"
    }
    static func customOf(_ alias: String) -> String {
        "(SELECT string_agg(f.name || chr(30) || v.value, chr(31)) FROM custom_values v JOIN custom_fields f ON f.id = v.field_id WHERE v.contact_id = \(alias).id)"
    }

    /// From the log's columns at `first` (the six built-in fields, tags, custom values).
    static func image(_ rows: PGResult, row: Int, first: Int) -> UndoImage {
        var values: [String: String] = [:]
        for (offset, key) in ContactColumn.orderedKeys.enumerated() {
            if let value = rows.string(row, first + offset), !value.isEmpty { values[key] = value }
        }
        let tagsText = rows.string(row, first + 6) ?? ""
        let tags = tagsText.isEmpty ? [] : tagsText.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        for pair in (rows.string(row, first + 7) ?? "").split(separator: "\u{1F}") {
            let parts = pair.split(separator: "\u{1E}", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, !parts[1].isEmpty { values[String(parts[0])] = String(parts[1]) }
        }
        return UndoImage(Contact(id: 0, values: values, tags: tags, createdAt: Date(), updatedAt: Date()))
    }
}

extension PGWriteTransaction {
    func undoImport(jobId: Int64, now: Date, progress: (_ done: Int, _ total: Int) throws -> Void) throws -> UndoOutcome {
        let rows = try connection.query("""
            SELECT contact_id, added, a_updated_at, b_first_name, b_last_name, b_phone, b_email, b_language, b_country_code, \
            b_tags, b_custom, a_first_name, a_last_name, a_phone, a_email, a_language, a_country_code, a_tags, a_custom \
            FROM import_undo_log WHERE job_id = $1 ORDER BY contact_id
            """, [PGValue(jobId)])
        var entries: [UndoEntry] = []
        for row in 0..<rows.count {
            let added = rows.bool(row, 1)
            entries.append((rows.int64(row, 0), added, rows.optionalDate(row, 2),
                            added ? nil : PGUndo.image(rows, row: row, first: 3),
                            added ? nil : PGUndo.image(rows, row: row, first: 11)))
        }
        let (counts, conflicts) = try UndoReplay.apply(entries, progress: progress, contact: { try contact(id: $0) },
                                                       delete: { try deleteContact(id: $0) },
                                                       update: { _ = try updateContact($0, now: now) })
        try connection.query("DELETE FROM import_undo_log WHERE job_id = $1", [PGValue(jobId)])
        return UndoOutcome(counts: counts, conflicts: conflicts)
    }
}
