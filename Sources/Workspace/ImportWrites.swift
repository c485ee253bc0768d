import Foundation
import Contacts

/// One column of an import as the workspace writes it: the field it fills and the "overwrite"
/// choice of the review.
public struct ImportColumn: Sendable, Hashable {
    public let key: String
    public let type: FieldType
    public let overwrite: Bool
    public init(key: String, type: FieldType, overwrite: Bool) {
        self.key = key
        self.type = type
        self.overwrite = overwrite
    }
}

/// The writes of an import commit, made for 200,000 rows in one transaction: every statement is
/// prepared once, an update is one `UPDATE` without reading the contact first (the commit has
/// just matched it inside this transaction, and "don't overwrite" is decided by SQL on the
/// stored value), and added contacts go in batches of multi-row `INSERT`s whose ids are assigned
/// here (the writer holds the write lock, so `max(id) + 1...` are exactly the ids SQLite would
/// pick). Rows are given as the review's normalized values, one `FieldValue` per column.
///
/// Only valid inside the `write` closure of the transaction it was made from; call `finish()`
/// before that closure returns.
public final class ImportWriter {
    private enum Target {
        case builtin(slot: Int)
        case custom(fieldID: Int64)
        case tags
        case ignored
    }

    private static let contactBatch = 64
    private static let tagBatch = 128
    private static let builtinColumns = ["first_name", "last_name", "phone", "email", "language", "country_code"]
    private static let builtinKeys = ["firstName", "lastName", "phone", "email", "language", "countryCode"]

    private let transaction: WriteTransaction
    private let connection: Connection
    private let millis: Int64
    private let targets: [Target]
    /// Per built-in slot (0..<6), the column that fills it on insert.
    private let insertSources: [Int?]
    /// Columns the update statement sets, in bind order.
    private let updateSources: [Int]
    private let extraTags: [TagEntry]
    private let replacesTags: Bool
    private let hasCustomColumns: Bool
    private let columnOverwrites: [Bool]

    private var nextID: Int64?
    private var pendingIDs: [Int64] = []
    private var pendingTexts: [String?] = []
    private var pendingTags: [(id: Int64, entry: TagEntry, position: Int64)] = []
    /// The built-in slot whose index receives added contacts in sorted order (the identifier's),
    /// when added contacts are kept until `finish` (see there).
    private let sortSlot: Int?
    /// Added contacts kept for `finish`: their ids (given in row order) and rows.
    private var deferredAdds: [(id: Int64, row: Int)] = []
    /// Row-major, `width` per row: the import's normalized values.
    private let values: [FieldValue]
    private let width: Int
    private var insertStatements: [Int: Statement] = [:]
    private var tagStatements: [Int: Statement] = [:]
    private let update: Statement
    private var pendingClears: [Int64] = []
    private var rowTags: [TagEntry] = []
    private var updatedIDs = Set<Int64>()

    /// `unchangedKey`: the identifier's field, which an update never rewrites (the row was
    /// matched on exactly that stored value). Throws when a column names a custom field the
    /// workspace no longer has.
    public init(transaction: WriteTransaction, columns: [ImportColumn], values: [FieldValue], unchangedKey: String?,
                extraTags: [String], now: Date) throws {
        self.transaction = transaction
        self.values = values
        width = columns.count
        connection = transaction.connection
        millis = StoredTime.milliseconds(now)
        let custom = try transaction.customFields()
        var targets: [Target] = []
        var insertSources = [Int?](repeating: nil, count: Self.builtinColumns.count)
        var updateSources: [Int] = []
        var assignments: [String] = []
        var replacesTags = false
        for (index, column) in columns.enumerated() {
            if column.key == BuiltinField.contactId.rawValue {
                targets.append(.ignored)
            } else if column.type == .tags && column.key == BuiltinField.tags.rawValue {
                targets.append(.tags)
                replacesTags = replacesTags || column.overwrite
            } else if let slot = Self.builtinKeys.firstIndex(of: column.key) {
                targets.append(.builtin(slot: slot))
                insertSources[slot] = index
                guard column.key != unchangedKey else { continue }
                let name = Self.builtinColumns[slot]
                assignments.append(column.overwrite ? "\(name) = ?"
                                   : "\(name) = CASE WHEN \(name) IS NULL OR \(name) = '' THEN ? ELSE \(name) END")
                updateSources.append(index)
            } else if column.type == .tags {
                // A custom tags field cannot be created; read as the contact's tags if one appears.
                targets.append(.tags)
                replacesTags = replacesTags || column.overwrite
            } else {
                guard let field = custom[foldedKey(column.key)] else {
                    throw WorkspaceError.invalid("The workspace has no field called \"\(column.key)\".")
                }
                targets.append(.custom(fieldID: field.id))
            }
        }
        self.targets = targets
        columnOverwrites = columns.map(\.overwrite)
        let identifierSlot = unchangedKey.flatMap { Self.builtinKeys.firstIndex(of: $0) }
        sortSlot = identifierSlot.flatMap { insertSources[$0] == nil ? nil : $0 }
        self.insertSources = insertSources
        self.updateSources = updateSources
        self.replacesTags = replacesTags
        hasCustomColumns = targets.contains { if case .custom = $0 { return true } else { return false } }
        var extras: [TagEntry] = []
        for tag in extraTags {
            guard let entry = TagEntry(tag), !extras.contains(where: { $0.key == entry.key }) else { continue }
            extras.append(entry)
        }
        self.extraTags = extras
        // One row per statement: SQLite's UPDATE ... FROM (VALUES ...) materializes its rows
        // first and measured slower than this prepared statement.
        update = try transaction.statement("UPDATE contacts SET " + (assignments + ["updated_at = ?"]).joined(separator: ", ")
                                           + " WHERE id = ?")
        let maxID = try transaction.statement("SELECT max(id) FROM contacts")
        let highest: Int64 = try maxID.step() ? maxID.int64(0) : 0
        maxID.reset()
        // Past the largest id SQLite picks ids at random; then let it pick, one row at a time.
        nextID = highest < Int64.max - 10_000_000 ? highest + 1 : nil
    }

    /// Adds a contact from row `row` of the values.
    public func add(row: Int) throws {
        let base = row * width
        if sortSlot != nil && !hasCustomColumns, let next = nextID {
            nextID = next + 1
            deferredAdds.append((next, row))
            return
        }
        collectTags(base: base)
        let id: Int64
        if let next = nextID {
            id = next
            nextID = next + 1
            pendingIDs.append(id)
            for source in insertSources {
                pendingTexts.append(source.flatMap { Self.text(values[base + $0]) })
            }
            if hasCustomColumns || pendingIDs.count == Self.contactBatch { try flushContacts() }
        } else {
            let insert = try insertStatement(rows: 1)
            try insert.bind(1, Int64?.none)
            for (slot, source) in insertSources.enumerated() {
                try insert.bind(Int32(slot + 2), source.flatMap { Self.text(values[base + $0]) })
            }
            try insert.bind(8, millis)
            try insert.bind(9, millis)
            try insert.run()
            id = connection.lastInsertRowID
        }
        for (position, entry) in rowTags.enumerated() {
            pendingTags.append((id, entry, Int64(position)))
        }
        if hasCustomColumns {
            try writeCustomValues(base: base, contactID: id, adding: true)
        }
        if nextID == nil || pendingTags.count >= Self.tagBatch { try flushTags() }
    }

    /// The row's tags, then the import's own, into `rowTags`.
    private func collectTags(base: Int) {
        rowTags.removeAll(keepingCapacity: true)
        for (k, target) in targets.enumerated() {
            if case .tags = target, case .tags(let list) = values[base + k] { appendRowTags(list) }
        }
        appendExtraTags()
    }

    /// Updates contact `id`, which the caller matched in this transaction, from
    /// `values[base..<base + columns.count]`; `ContactNotFound` if it is gone. With overwrite a
    /// value replaces the stored one and an empty one clears it; without, only an empty stored
    /// value is filled. A tags column with overwrite replaces the
    /// contact's tags; otherwise new tags are appended after the ones it has.
    public func update(id: Int64, row: Int) throws {
        let base = row * width
        // A contact written twice must see its first row's writes before the second changes them.
        if !updatedIDs.insert(id).inserted { try flush() }
        var bindIndex: Int32 = 1
        for source in updateSources {
            try update.bind(bindIndex, Self.text(values[base + source]))
            bindIndex += 1
        }
        try update.bind(bindIndex, millis)
        try update.bind(bindIndex + 1, id)
        try update.run()
        // The caller matched this contact in this same transaction.
        guard connection.changes > 0 else { throw ContactNotFound(contactId: id) }

        if hasCustomColumns {
            try writeCustomValues(base: base, contactID: id, adding: false)
        }
        var position: Int64 = 0
        if replacesTags {
            pendingClears.append(id)
        } else {
            let last = try transaction.statement(.nextTagPosition)
            try last.bind(1, id)
            position = try last.step() ? last.int64(0) : 0
            last.reset()
        }
        collectTags(base: base)
        // Batched with the added contacts' tags (a second row for the same contact flushes first).
        for (offset, entry) in rowTags.enumerated() {
            pendingTags.append((id, entry, position + Int64(offset)))
        }
        if pendingTags.count >= Self.tagBatch { try flushTags() }
    }

    /// Writes what is still batched. Must be called before the transaction's closure returns.
    ///
    /// Added contacts of an import matched by phone or e-mail wait until here and go in sorted
    /// by that value: each of the index's pages then takes its new entries in one visit instead
    /// of a random walk over a million-entry index (their ids are still given in row order).
    /// `progress(done, count)` is called every few thousand of those added contacts, and may
    /// throw to stop (the caller's transaction then rolls back).
    public func finish(progress: (_ done: Int, _ count: Int) throws -> Void = { _, _ in }) throws {
        try flush()
        guard let sortSlot, let sortColumn = insertSources[sortSlot], !deferredAdds.isEmpty else { return }
        let sorted = deferredAdds.sorted {
            (Self.text(values[$0.row * width + sortColumn]) ?? "") < (Self.text(values[$1.row * width + sortColumn]) ?? "")
        }
        var start = 0
        while start < sorted.count {
            if start % (Self.contactBatch * 32) == 0 { try progress(start, sorted.count) }
            let count = min(Self.contactBatch, sorted.count - start)
            let insert = try insertStatement(rows: count)
            var index: Int32 = 1
            for (id, row) in sorted[start..<(start + count)] {
                try insert.bind(index, id)
                for (slot, source) in insertSources.enumerated() {
                    try insert.bind(index + 1 + Int32(slot), source.flatMap { Self.text(values[row * width + $0]) })
                }
                try insert.bind(index + 7, millis)
                try insert.bind(index + 8, millis)
                index += 9
            }
            try insert.run()
            start += count
        }
        for (id, row) in deferredAdds {
            collectTags(base: row * width)
            for (position, entry) in rowTags.enumerated() {
                pendingTags.append((id, entry, Int64(position)))
            }
            if pendingTags.count >= Self.tagBatch { try flushTags() }
        }
        try flushTags()
        deferredAdds.removeAll()
    }

    private func flush() throws {
        try flushContacts()
        try flushTags()
    }

    // MARK: private

    private static func text(_ value: FieldValue) -> String? {
        switch value {
        case .empty: return nil
        case .text(let text): return text.isEmpty ? nil : text
        case .tags(let list): return list.isEmpty ? nil : list.joined(separator: ", ")
        }
    }

    private func appendRowTags(_ list: [String]) {
        for tag in list {
            guard let entry = TagEntry(tag), !rowTags.contains(where: { $0.key == entry.key }) else { continue }
            rowTags.append(entry)
        }
    }

    private func appendExtraTags() {
        if rowTags.isEmpty {
            rowTags.append(contentsOf: extraTags)
            return
        }
        for entry in extraTags where !rowTags.contains(where: { $0.key == entry.key }) {
            rowTags.append(entry)
        }
    }

    private func insertStatement(rows: Int) throws -> Statement {
        if let cached = insertStatements[rows] { return cached }
        let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
        let sql = "INSERT INTO contacts (id, first_name, last_name, phone, email, language, country_code, created_at, updated_at) VALUES "
            + repeatElement(row, count: rows).joined(separator: ", ")
        let statement = try transaction.statement(sql)
        insertStatements[rows] = statement
        return statement
    }

    private func tagStatement(rows: Int) throws -> Statement {
        if let cached = tagStatements[rows] { return cached }
        let sql = "INSERT OR IGNORE INTO contact_tags (contact_id, tag_key, tag, position) VALUES "
            + repeatElement("(?, ?, ?, ?)", count: rows).joined(separator: ", ")
        let statement = try transaction.statement(sql)
        tagStatements[rows] = statement
        return statement
    }

    private func flushContacts() throws {
        guard !pendingIDs.isEmpty else { return }
        let columnCount = Self.builtinColumns.count
        let insert = try insertStatement(rows: pendingIDs.count)
        var index: Int32 = 1
        for (row, id) in pendingIDs.enumerated() {
            try insert.bind(index, id)
            for slot in 0..<columnCount {
                try insert.bind(index + 1 + Int32(slot), pendingTexts[row * columnCount + slot])
            }
            try insert.bind(index + 7, millis)
            try insert.bind(index + 8, millis)
            index += 9
        }
        try insert.run()
        pendingIDs.removeAll(keepingCapacity: true)
        pendingTexts.removeAll(keepingCapacity: true)
    }

    /// Tags, after the contacts they belong to (the foreign key needs them); the tags of
    /// updated contacts that the import replaces are deleted first.
    private func flushTags() throws {
        var start = 0
        while start < pendingClears.count {
            let count = min(Self.tagBatch, pendingClears.count - start)
            let clear = try transaction.statement("DELETE FROM contact_tags WHERE contact_id IN ("
                                                  + repeatElement("?", count: count).joined(separator: ", ") + ")")
            for (offset, id) in pendingClears[start..<(start + count)].enumerated() {
                try clear.bind(Int32(offset + 1), id)
            }
            try clear.run()
            start += count
        }
        pendingClears.removeAll(keepingCapacity: true)
        guard !pendingTags.isEmpty else { return }
        // Tags of contacts still in `pendingIDs` (added contacts kept for `finish` get theirs there).
        try flushContacts()
        try insertTags(pendingTags)
        pendingTags.removeAll(keepingCapacity: true)
    }

    private func insertTags(_ tags: [(id: Int64, entry: TagEntry, position: Int64)]) throws {
        var start = 0
        while start < tags.count {
            let count = min(Self.tagBatch, tags.count - start)
            let insert = try tagStatement(rows: count)
            var index: Int32 = 1
            for (id, entry, position) in tags[start..<(start + count)] {
                try insert.bind(index, id)
                try insert.bind(index + 1, entry.key)
                try insert.bind(index + 2, entry.tag)
                try insert.bind(index + 3, position)
                index += 4
            }
            try insert.run()
            start += count
        }
    }

    private func writeCustomValues(base: Int, contactID: Int64, adding: Bool) throws {
        for (k, target) in targets.enumerated() {
            guard case .custom(let fieldID) = target else { continue }
            let value = Self.text(values[base + k])
            let statement: Statement
            if let value {
                statement = try transaction.statement(adding || columnOverwrites[k] ? .upsertCustomValue : .insertCustomValueIfAbsent)
                try statement.bind(1, contactID)
                try statement.bind(2, fieldID)
                try statement.bind(3, value)
            } else {
                guard !adding && columnOverwrites[k] else { continue }
                statement = try transaction.statement(.deleteCustomValue)
                try statement.bind(1, contactID)
                try statement.bind(2, fieldID)
            }
            try statement.run()
        }
    }
}

/// A tag as stored: trimmed, and its case-folded key (the identity of a tag on a contact).
struct TagEntry {
    let key: String
    let tag: String

    /// nil for a tag that is empty once trimmed. ASCII without capitals or surrounding spaces,
    /// the common case, is its own key: no new strings.
    init?(_ raw: String) {
        var plain = true
        var capitals = false
        var count = 0
        var first: UInt8 = 0
        var last: UInt8 = 0
        for byte in raw.utf8 {
            if byte >= 0x80 { plain = false; break }
            if byte >= 0x41 && byte <= 0x5A { capitals = true }
            if count == 0 { first = byte }
            last = byte
            count += 1
        }
        if plain {
            guard count > 0 else { return nil }
            let isSpace: (UInt8) -> Bool = { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
            if !isSpace(first) && !isSpace(last) {
                tag = raw
                key = capitals ? raw.lowercased() : raw
                return
            }
        }
        let trimmed = trimmedSpaces(raw)
        guard !trimmed.isEmpty else { return nil }
        tag = trimmed
        key = trimmed.lowercased()
    }
}

extension WriteTransaction {
    /// Stores `contact` as `updateContact` does (values as given, absent keys cleared, tags
    /// replaced, `updatedAt` = now), given `previous`, the contact as read in this transaction:
    /// only columns whose value changed are written (so an unchanged phone or e-mail leaves its
    /// index alone), tags only appended when the old ones are kept, nothing read back.
    /// Throws `ContactNotFound` for an unknown id.
    public func storeContact(_ contact: Contact, replacing previous: Contact, now: Date) throws {
        let customFields = try customFields()
        var assignments: [String] = []
        var arguments: [String?] = []
        for key in ContactColumn.orderedKeys {
            let new = contact.values[key].flatMap { $0.isEmpty ? nil : $0 }
            let old = previous.values[key].flatMap { $0.isEmpty ? nil : $0 }
            guard new != old, let column = ContactColumn.byKey[key] else { continue }
            assignments.append("\(column) = ?")
            arguments.append(new)
        }
        let update = try statement("UPDATE contacts SET " + (assignments + ["updated_at = ?"]).joined(separator: ", ") + " WHERE id = ?")
        for (offset, value) in arguments.enumerated() {
            try update.bind(Int32(offset + 1), value)
        }
        try update.bind(Int32(arguments.count + 1), StoredTime.milliseconds(now))
        try update.bind(Int32(arguments.count + 2), contact.id)
        try update.run()
        guard connection.changes > 0 else { throw ContactNotFound(contactId: contact.id) }

        if !customFields.isEmpty {
            var custom: [(CustomFieldRecord, String)] = []
            var changed = false
            for (key, value) in contact.values where !value.isEmpty && ContactColumn.byKey[key] == nil
                && key != "tags" && key != "contactId" {
                guard let field = customFields[foldedKey(key)] else {
                    throw WorkspaceError.invalid("The workspace has no field called \"\(key)\".")
                }
                custom.append((field, value))
                if previous.values[key] != value { changed = true }
            }
            let previousCustomCount = previous.values.keys.filter { ContactColumn.byKey[$0] == nil && $0 != "tags" && $0 != "contactId" }.count
            if changed || previousCustomCount != custom.count {
                let clearValues = try statement("DELETE FROM custom_values WHERE contact_id = ?")
                try clearValues.bind(1, contact.id)
                try clearValues.run()
                let insertValue = try statement(.upsertCustomValue)
                for (field, value) in custom {
                    try insertValue.bind(1, contact.id)
                    try insertValue.bind(2, field.id)
                    try insertValue.bind(3, value)
                    try insertValue.run()
                }
            }
        }

        var tags: [(key: String, tag: String)] = []
        var seen = Set<String>()
        for raw in contact.tags {
            let tag = trimmedSpaces(raw)
            let key = foldedKey(tag)
            guard !tag.isEmpty, seen.insert(key).inserted else { continue }
            tags.append((key, tag))
        }
        let previousTags = previous.tags
        let kept = previousTags.count <= tags.count
            && zip(previousTags, tags).allSatisfy { old, new in old == new.tag }
        var firstNew = previousTags.count
        if !kept {
            let clearTags = try statement(.deleteTagsOfContact)
            try clearTags.bind(1, contact.id)
            try clearTags.run()
            firstNew = 0
        }
        guard firstNew < tags.count else { return }
        let insertTag = try statement(.insertTag)
        for position in firstNew..<tags.count {
            try insertTag.bind(1, contact.id)
            try insertTag.bind(2, tags[position].key)
            try insertTag.bind(3, tags[position].tag)
            try insertTag.bind(4, Int64(position))
            try insertTag.run()
        }
    }
}
