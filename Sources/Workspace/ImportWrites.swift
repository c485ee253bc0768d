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
/// stored value), and tags go in batches of multi-row `INSERT`s. An added contact's id is the
/// one the store gives its row (`INTEGER PRIMARY KEY`), so ids follow the order of the adds.
/// Rows are given as the review's normalized values, one `FieldValue` per column.
///
/// Only valid inside the `write` closure of the transaction it was made from; call `finish()`
/// before that closure returns.
public final class ImportWriter {
    private enum Target {
        case builtin(column: String)
        case custom(fieldID: Int64)
        case tags
        case ignored
    }

    private static let tagBatch = 128

    private let transaction: WriteTransaction
    private let connection: Connection
    private let millis: Int64
    private let targets: [Target]
    /// The insert's parameter of each column that fills a built-in field of an added contact.
    private let insertSources: [(column: Int, parameter: Statement.Parameter)]
    /// The update's parameter of each column it sets.
    private let updateSources: [(column: Int, parameter: Statement.Parameter)]
    /// The built-in columns an update sets (name, value column, overwrite), in `updateSources` order.
    private let updatedColumns: [(name: String, column: Int, overwrite: Bool)]
    /// Positions in `updatedColumns` of the indexed ones (phone, e-mail): an `UPDATE` that
    /// assigns one rewrites its index entry even when the value is the same, so an update
    /// leaves out the ones whose stored value it would not change (`currentIndexedValues`).
    private let indexedColumns: [Int]
    /// Update statements by the set of indexed columns they assign (bit i: `indexedColumns[i]`).
    private var updateVariants: [Int: (statement: Statement, sources: [(column: Int, parameter: Statement.Parameter)?],
                                       keys: (updatedAt: Statement.Parameter, id: Statement.Parameter))] = [:]
    private var currentQueries: IDListStatements
    private let extraTags: [TagEntry]
    private let replacesTags: Bool
    private let hasCustomColumns: Bool
    private let columnOverwrites: [Bool]

    private var pendingTags: [(id: Int64, entry: TagEntry, position: Int64)] = []
    /// Row-major, `width` per row: the import's normalized values.
    private let values: FieldValueTable
    private let width: Int
    private let insert: Statement
    private let insertTimes: (created: Statement.Parameter, updated: Statement.Parameter)
    private let update: Statement
    private let updateKeys: (updatedAt: Statement.Parameter, id: Statement.Parameter)
    private var tagStatements: [Int: TagInsert] = [:]
    private var clearStatements = IDListStatements { "DELETE FROM contact_tags WHERE contact_id IN (\($0))" }
    private var pendingClears: [Int64] = []
    private var positionQueries = IDListStatements { "SELECT contact_id, max(position) + 1 FROM contact_tags WHERE contact_id IN (\($0)) GROUP BY contact_id" }
    private var rowTags: [TagEntry] = []
    private var updatedIDs = Set<Int64>()
    /// Seconds spent writing tags (`flushTags`), and the part of it spent inside `add`.
    private(set) var tagSeconds = 0.0
    private(set) var tagSecondsInAdds = 0.0
    /// The part of `tagSeconds` spent in `flushPendingTags` (outside `add` and `update`).
    private(set) var tagSecondsInUndoFlushes = 0.0

    /// `unchangedKey`: the identifier's field, which an update never rewrites (the row was
    /// matched on exactly that stored value). Throws when a column names a custom field the
    /// workspace no longer has.
    public init(transaction: WriteTransaction, columns: [ImportColumn], values: some Collection<FieldValue>, unchangedKey: String?,
                extraTags: [String], now: Date) throws {
        self.transaction = transaction
        // The review's compact table as it is (no array of a FieldValue per cell during commit).
        self.values = values as? FieldValueTable ?? FieldValueTable(values)
        width = columns.count
        connection = transaction.connection
        millis = StoredTime.milliseconds(now)
        let targets = try Self.targets(of: columns, custom: try transaction.customFields())
        self.targets = targets
        columnOverwrites = columns.map(\.overwrite)
        replacesTags = zip(columns, targets).contains { column, target in
            if case .tags = target { return column.overwrite } else { return false }
        }
        hasCustomColumns = targets.contains { if case .custom = $0 { return true } else { return false } }
        var extras: [TagEntry] = []
        for tag in extraTags {
            guard let entry = TagEntry(tag), !extras.contains(where: { $0.key == entry.key }) else { continue }
            extras.append(entry)
        }
        self.extraTags = extras

        // Built-in columns the file fills, each once (a later column for the same field wins).
        var builtins: [(name: String, column: Int)] = []
        for (index, target) in targets.enumerated() {
            guard case .builtin(let name) = target else { continue }
            builtins.removeAll { $0.name == name }
            builtins.append((name, index))
        }
        let insertNames = builtins.map(\.name)
        let insert = try transaction.statement("INSERT INTO contacts (" + (insertNames + ["created_at", "updated_at"]).joined(separator: ", ")
                                               + ") VALUES (" + (insertNames + ["created_at", "updated_at"]).map { ":" + $0 }.joined(separator: ", ") + ")")
        insertSources = try builtins.map { ($0.column, try insert.parameter(":" + $0.name)) }
        insertTimes = (try insert.parameter(":created_at"), try insert.parameter(":updated_at"))
        self.insert = insert

        let updated = builtins.filter { entry in columns[entry.column].key != unchangedKey }
        let assignments = updated.map { entry -> String in
            let name = entry.name
            return columns[entry.column].overwrite ? "\(name) = :\(name)"
                : "\(name) = CASE WHEN \(name) IS NULL OR \(name) = '' THEN :\(name) ELSE \(name) END"
        }
        // One row per statement: SQLite's UPDATE ... FROM (VALUES ...) materializes its rows
        // first and measured slower than this prepared statement.
        let update = try transaction.statement("UPDATE contacts SET " + (assignments + ["updated_at = :updated_at"]).joined(separator: ", ")
                                               + " WHERE id = :id")
        updateSources = try updated.map { ($0.column, try update.parameter(":" + $0.name)) }
        updateKeys = (try update.parameter(":updated_at"), try update.parameter(":id"))
        self.update = update
        updatedColumns = updated.map { ($0.name, $0.column, columns[$0.column].overwrite) }
        let indexed = updated.indices.filter { ["phone", "email"].contains(updated[$0].name) }
        indexedColumns = indexed
        let indexedNames = indexed.map { updated[$0].name }.joined(separator: ", ")
        currentQueries = IDListStatements { "SELECT id, \(indexedNames) FROM contacts WHERE id IN (\($0))" }
    }

    /// Where each column's values go. Throws for a custom field the workspace no longer has.
    private static func targets(of columns: [ImportColumn], custom: [String: CustomFieldRecord]) throws -> [Target] {
        try columns.map { column in
            if column.key == BuiltinField.contactId.rawValue { return .ignored }
            if column.type == .tags && column.key == BuiltinField.tags.rawValue { return .tags }
            if let name = ContactColumn.byKey[column.key] { return .builtin(column: name) }
            // A custom tags field cannot be created; read as the contact's tags if one appears.
            if column.type == .tags { return .tags }
            guard let field = custom[foldedKey(column.key)] else {
                throw WorkspaceError.invalid("The workspace has no field called \"\(column.key)\".")
            }
            return .custom(fieldID: field.id)
        }
    }

    /// The column whose values order a large import's adds (`inInsertionOrder`): the e-mail's,
    /// else the phone's; nil when neither is mapped.
    var insertionOrderColumn: Int? {
        let filled = { (name: String) in
            self.insertSources.first { source in
                if case .builtin(let column) = self.targets[source.column] { return column == name } else { return false }
            }?.column
        }
        return filled("email") ?? filled("phone")
    }

    /// `rows` in the order of their `insertionOrderColumn` values' first 8 bytes (empty values
    /// first), then in file order: close enough to the index's own order that each of its pages
    /// is changed in one go.
    func inInsertionOrder(_ rows: [Int]) -> [Int] {
        guard let column = insertionOrderColumn else { return rows }
        let keys = rows.map { row -> UInt64 in
            values.withTextUTF8(at: row * width + column) { bytes in
                var key: UInt64 = 0
                for index in 0..<8 { key = key << 8 | UInt64(index < bytes.count ? bytes[index] : 0) }
                return key
            } ?? 0
        }
        var order = Array(rows.indices)
        order.sort { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
        return order.map { rows[$0] }
    }

    /// Adds a contact from row `row` of the values; returns its id.
    @discardableResult
    public func add(row: Int) throws -> Int64 {
        let base = row * width
        for (column, parameter) in insertSources {
            try bindCell(base + column, to: parameter, of: insert)
        }
        try insert.bind(insertTimes.created, millis)
        try insert.bind(insertTimes.updated, millis)
        try insert.run()
        let id = connection.lastInsertRowID
        collectTags(base: base)
        for (position, entry) in rowTags.enumerated() {
            pendingTags.append((id, entry, Int64(position)))
        }
        if hasCustomColumns {
            try writeCustomValues(base: base, contactID: id, adding: true)
        }
        if pendingTags.count >= Self.tagBatch {
            let before = tagSeconds
            try flushTags()
            tagSecondsInAdds += tagSeconds - before
        }
        return id
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
    /// `nextPosition`: where the contact's new tags go, from `nextTagPositions` read before
    /// this block of updates (nil: read here).
    /// `current`: the contact's stored values of the indexed columns (`currentIndexedValues`,
    /// read before this block of updates); nil: every column is assigned.
    public func update(id: Int64, row: Int, nextPosition: Int64? = nil, current: [String?]? = nil) throws {
        let base = row * width
        // A contact written twice must see its first row's writes before the second changes them.
        var knownPosition = nextPosition
        var stored = current
        if !updatedIDs.insert(id).inserted {
            try flushTags()
            knownPosition = nil
            stored = nil
        }
        var mask = (1 << indexedColumns.count) - 1
        if let stored, stored.count == indexedColumns.count {
            mask = 0
            for (bit, position) in indexedColumns.enumerated() {
                let entry = updatedColumns[position]
                let old = stored[bit]
                // What the assignment would store: the cell (nil when empty), or with "don't
                // overwrite" the stored value unless that is empty.
                let new = entry.overwrite || old == nil || old == "" ? Self.text(values[base + entry.column]) : old
                if new != old { mask |= 1 << bit }
            }
        }
        if mask == (1 << indexedColumns.count) - 1 {
            for (column, parameter) in updateSources {
                try bindCell(base + column, to: parameter, of: update)
            }
            try update.bind(updateKeys.updatedAt, millis)
            try update.bind(updateKeys.id, id)
            try update.run()
        } else {
            let variant = try updateVariant(mask)
            for case let (column, parameter)? in variant.sources {
                try bindCell(base + column, to: parameter, of: variant.statement)
            }
            try variant.statement.bind(variant.keys.updatedAt, millis)
            try variant.statement.bind(variant.keys.id, id)
            try variant.statement.run()
        }
        // The caller matched this contact in this same transaction.
        guard connection.changes > 0 else { throw ContactNotFound(contactId: id) }

        if hasCustomColumns {
            try writeCustomValues(base: base, contactID: id, adding: false)
        }
        var position: Int64 = 0
        if replacesTags {
            pendingClears.append(id)
        } else if let knownPosition {
            position = knownPosition
        } else {
            let last = try transaction.statement(.nextTagPosition)
            try last.bind(":contact_id", id)
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

    /// Where new tags go for each of `ids` (contacts about to be updated, none of them yet by
    /// this writer): after the tags they have, in one query. Empty when the import replaces tags.
    public func nextTagPositions(_ ids: [Int64]) throws -> [Int64: Int64] {
        guard !replacesTags, !ids.isEmpty else { return [:] }
        let query = try positionQueries.bound(ids, in: transaction)
        var positions: [Int64: Int64] = [:]
        positions.reserveCapacity(ids.count)
        for id in ids { positions[id] = 0 }
        while try query.step() { positions[query.int64(0)] = query.int64(1) }
        query.reset()
        return positions
    }

    /// The stored values of the indexed columns an update sets, for each of `ids` (contacts
    /// about to be updated, none of them yet by this writer), in one query; empty when the
    /// update sets none.
    public func currentIndexedValues(_ ids: [Int64]) throws -> [Int64: [String?]] {
        guard !indexedColumns.isEmpty, !ids.isEmpty else { return [:] }
        let query = try currentQueries.bound(ids, in: transaction)
        var found: [Int64: [String?]] = [:]
        found.reserveCapacity(ids.count)
        while try query.step() {
            found[query.int64(0)] = indexedColumns.indices.map { query.string(Int32($0 + 1)) }
        }
        query.reset()
        return found
    }

    /// The update statement assigning the indexed columns in `mask` and every other column.
    private func updateVariant(_ mask: Int) throws -> (statement: Statement, sources: [(column: Int, parameter: Statement.Parameter)?],
                                                       keys: (updatedAt: Statement.Parameter, id: Statement.Parameter)) {
        if let cached = updateVariants[mask] { return cached }
        let included = updatedColumns.indices.filter { position in
            guard let bit = indexedColumns.firstIndex(of: position) else { return true }
            return mask & (1 << bit) != 0
        }
        let assignments = included.map { position -> String in
            let name = updatedColumns[position].name
            return updatedColumns[position].overwrite ? "\(name) = :\(name)"
                : "\(name) = CASE WHEN \(name) IS NULL OR \(name) = '' THEN :\(name) ELSE \(name) END"
        }
        let statement = try transaction.statement("UPDATE contacts SET " + (assignments + ["updated_at = :updated_at"]).joined(separator: ", ")
                                                  + " WHERE id = :id")
        let sources = try updatedColumns.indices.map { position -> (column: Int, parameter: Statement.Parameter)? in
            guard included.contains(position) else { return nil }
            return (updatedColumns[position].column, try statement.parameter(":" + updatedColumns[position].name))
        }
        let made = (statement, sources, (try statement.parameter(":updated_at"), try statement.parameter(":id")))
        updateVariants[mask] = made
        return made
    }

    /// Writes what is still batched. Must be called before the transaction's closure returns.
    public func finish() throws {
        try flushTags()
    }

    /// Writes the batched tags now (the undo log reads the contacts as the import left them).
    func flushPendingTags() throws {
        let before = tagSeconds
        try flushTags()
        tagSecondsInUndoFlushes += tagSeconds - before
    }

    // MARK: private

    /// Binds the value at `position` as `text(_:)` gives it, text straight from the table's
    /// bytes (no `String` per cell).
    private func bindCell(_ position: Int, to parameter: Statement.Parameter, of statement: Statement) throws {
        let bound = try values.withTextUTF8(at: position) { bytes throws(WorkspaceError) -> Bool in
            guard !bytes.isEmpty else { return false }
            try statement.bindText(parameter, utf8: bytes)
            return true
        }
        if bound != true { try statement.bind(parameter, Self.text(values[position])) }
    }

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

    /// A multi-row tag insert and its parameters, row by row.
    private struct TagInsert {
        let statement: Statement
        let parameters: [(contact: Statement.Parameter, key: Statement.Parameter, tag: Statement.Parameter, position: Statement.Parameter)]
    }

    private func tagInsert(rows: Int) throws -> TagInsert {
        if let cached = tagStatements[rows] { return cached }
        let sql = "INSERT OR IGNORE INTO contact_tags (contact_id, tag_key, tag, position) VALUES "
            + (0..<rows).map { "(:contact_id_\($0), :tag_key_\($0), :tag_\($0), :position_\($0))" }.joined(separator: ", ")
        let statement = try transaction.statement(sql)
        let parameters = try (0..<rows).map { row in
            (try statement.parameter(":contact_id_\(row)"), try statement.parameter(":tag_key_\(row)"),
             try statement.parameter(":tag_\(row)"), try statement.parameter(":position_\(row)"))
        }
        let made = TagInsert(statement: statement, parameters: parameters)
        tagStatements[rows] = made
        return made
    }

    /// Tags, after the contacts they belong to (the foreign key needs them); the tags of
    /// updated contacts that the import replaces are deleted first.
    private func flushTags() throws {
        let started = CommitPhases.now()
        defer { tagSeconds += CommitPhases.now() - started }
        var start = 0
        while start < pendingClears.count {
            let count = min(Self.tagBatch, pendingClears.count - start)
            // One `DELETE` per batch: a statement per contact measured slower.
            try clearStatements.bound(pendingClears[start..<(start + count)], in: transaction).run()
            start += count
        }
        pendingClears.removeAll(keepingCapacity: true)
        guard !pendingTags.isEmpty else { return }
        start = 0
        while start < pendingTags.count {
            let count = min(Self.tagBatch, pendingTags.count - start)
            let insert = try tagInsert(rows: count)
            for (offset, (id, entry, position)) in pendingTags[start..<(start + count)].enumerated() {
                let parameters = insert.parameters[offset]
                try insert.statement.bind(parameters.contact, id)
                try insert.statement.bind(parameters.key, entry.key)
                try insert.statement.bind(parameters.tag, entry.tag)
                try insert.statement.bind(parameters.position, position)
            }
            try insert.statement.run()
            start += count
        }
        pendingTags.removeAll(keepingCapacity: true)
    }

    private func writeCustomValues(base: Int, contactID: Int64, adding: Bool) throws {
        for (k, target) in targets.enumerated() {
            guard case .custom(let fieldID) = target else { continue }
            let value = Self.text(values[base + k])
            let statement: Statement
            if let value {
                statement = try transaction.statement(adding || columnOverwrites[k] ? .upsertCustomValue : .insertCustomValueIfAbsent)
                try statement.bind(":value", value)
            } else {
                guard !adding && columnOverwrites[k] else { continue }
                statement = try transaction.statement(.deleteCustomValue)
            }
            try statement.bind(":contact_id", contactID)
            try statement.bind(":field_id", fieldID)
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
        try storeChangedColumns(contact, replacing: previous, now: now)
        try storeCustomValues(contact, replacing: previous)
        try storeTags(contact, replacing: previous)
    }

    /// The contact row: only the built-in columns whose value changed, and `updated_at`.
    private func storeChangedColumns(_ contact: Contact, replacing previous: Contact, now: Date) throws {
        var assignments: [String] = []
        var arguments: [(String, String?)] = []
        for key in ContactColumn.orderedKeys {
            let new = contact.values[key].flatMap { $0.isEmpty ? nil : $0 }
            let old = previous.values[key].flatMap { $0.isEmpty ? nil : $0 }
            guard new != old, let column = ContactColumn.byKey[key] else { continue }
            assignments.append("\(column) = :\(column)")
            arguments.append((":" + column, new))
        }
        let update = try statement("UPDATE contacts SET " + (assignments + ["updated_at = :updated_at"]).joined(separator: ", ") + " WHERE id = :id")
        for (name, value) in arguments {
            try update.bind(name, value)
        }
        try update.bind(":updated_at", StoredTime.milliseconds(now))
        try update.bind(":id", contact.id)
        try update.run()
        guard connection.changes > 0 else { throw ContactNotFound(contactId: contact.id) }
    }

    /// Custom values, rewritten only when one of them changed.
    private func storeCustomValues(_ contact: Contact, replacing previous: Contact) throws {
        let customFields = try customFields()
        guard !customFields.isEmpty else { return }
        let isCustom = { (key: String) in ContactColumn.byKey[key] == nil && key != "tags" && key != "contactId" }
        var custom: [(CustomFieldRecord, String)] = []
        var changed = false
        for (key, value) in contact.values where !value.isEmpty && isCustom(key) {
            guard let field = customFields[foldedKey(key)] else {
                throw WorkspaceError.invalid("The workspace has no field called \"\(key)\".")
            }
            custom.append((field, value))
            if previous.values[key] != value { changed = true }
        }
        guard changed || previous.values.keys.filter(isCustom).count != custom.count else { return }
        let clearValues = try statement("DELETE FROM custom_values WHERE contact_id = :contact_id")
        try clearValues.bind(":contact_id", contact.id)
        try clearValues.run()
        let insertValue = try statement(.upsertCustomValue)
        for (field, value) in custom {
            try insertValue.bind(":contact_id", contact.id)
            try insertValue.bind(":field_id", field.id)
            try insertValue.bind(":value", value)
            try insertValue.run()
        }
    }

    /// Tags: appended when the old ones are kept as they were, else replaced.
    private func storeTags(_ contact: Contact, replacing previous: Contact) throws {
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
            try clearTags.bind(":contact_id", contact.id)
            try clearTags.run()
            firstNew = 0
        }
        guard firstNew < tags.count else { return }
        let insertTag = try statement(.insertTag)
        for position in firstNew..<tags.count {
            try insertTag.bind(":contact_id", contact.id)
            try insertTag.bind(":tag_key", tags[position].key)
            try insertTag.bind(":tag", tags[position].tag)
            try insertTag.bind(":position", Int64(position))
            try insertTag.run()
        }
    }
}

/// A statement whose `IN (…)` list holds one parameter per id, prepared once per number of
/// ids (blocks and batches come in few sizes) and bound for the ids asked.
struct IDListStatements {
    private var prepared: [Int: (statement: Statement, ids: [Statement.Parameter])] = [:]
    /// The SQL, given the list of parameters (":id_0, :id_1, …").
    private let sql: (String) -> String

    init(_ sql: @escaping (String) -> String) { self.sql = sql }

    /// The statement, reset and bound to `ids`.
    mutating func bound(_ ids: some Collection<Int64>, in transaction: ReadTransaction) throws(WorkspaceError) -> Statement {
        let entry: (statement: Statement, ids: [Statement.Parameter])
        if let cached = prepared[ids.count] {
            entry = cached
            entry.statement.reset()
        } else {
            let statement = try transaction.statement(sql((0..<ids.count).map { ":id_\($0)" }.joined(separator: ", ")))
            var parameters: [Statement.Parameter] = []
            for index in 0..<ids.count { parameters.append(try statement.parameter(":id_\(index)")) }
            entry = (statement, parameters)
            prepared[ids.count] = entry
        }
        for (parameter, id) in zip(entry.ids, ids) { try entry.statement.bind(parameter, id) }
        return entry.statement
    }
}
