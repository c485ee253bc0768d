import FoundationEssentials
import Contacts
import Localization

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
/// stored value), and a contact's tags are a column of its row, written by the same statement.
/// An added contact's id is the one the store gives its row (`INTEGER PRIMARY KEY`), so ids
/// follow the order of the adds. Rows are given as the review's normalized values, one
/// `FieldValue` per column.
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

    /// What an update needs to know of a contact before writing it, read a block at a time
    /// (`currentValues`): the indexed columns it sets (an `UPDATE` that assigns one rewrites its
    /// index entry even when the value is the same, so an update leaves out the ones whose
    /// stored value it would not change) and, when new tags are appended, the stored tags.
    public struct StoredValues {
        var indexed: [String?]
        var tags: String?
    }

    private typealias UpdateStatement = (statement: Statement, sources: [(column: Int, parameter: Statement.Parameter)?],
                                         tags: Statement.Parameter?, updatedAt: Statement.Parameter, id: Statement.Parameter)

    private let transaction: WriteTransaction
    private let connection: Connection
    private let millis: Int64
    private let targets: [Target]
    /// The insert's parameter of each column that fills a built-in field of an added contact,
    /// and for a phone or an e-mail its key's parameter and whether it is the e-mail's.
    private let insertSources: [(column: Int, parameter: Statement.Parameter, key: (parameter: Statement.Parameter, isEmail: Bool)?)]
    /// The column of the import's identifier (matched, so never rewritten by an update), when
    /// it fills a built-in field.
    private let identifierColumn: Int?
    /// The built-in columns an update sets (name, value column, overwrite).
    private let updatedColumns: [(name: String, column: Int, overwrite: Bool)]
    /// Positions in `updatedColumns` of the indexed ones (phone, e-mail).
    private let indexedColumns: [Int]
    /// Update statements by the set of indexed columns they assign (bit i: `indexedColumns[i]`).
    private var updateVariants: [Int: UpdateStatement] = [:]
    private var currentQueries: IDListStatements
    /// The same read from the undo log's before-images of a block (`UndoLog.willUpdate`).
    private var beforeImageQueries: IDListStatements
    /// Every tag written, interned; the import's own tags (the request's, the import tag) as
    /// its spellings, one per key.
    private var interner = TagInterner()
    private let extraSpellings: [Int]
    /// Whether the import writes tags at all (a tags column, or tags of its own).
    private let writesTags: Bool
    private let replacesTags: Bool
    /// Whether a column fills a custom field.
    let writesCustomValues: Bool
    private let columnOverwrites: [Bool]

    /// Row-major, `width` per row: the import's normalized values.
    private let values: FieldValueTable
    private let width: Int
    private let insert: Statement
    /// `add(rows:)`'s statement: the insert's columns read from a `RowFeed`.
    private let feedInsertSQL: String
    private let insertTags: Statement.Parameter
    private let insertTimes: (created: Statement.Parameter, updated: Statement.Parameter)
    /// The current row's tags (spellings, one per key) and their stored text.
    private var rowSpellings: [Int] = []
    private var rowText: [UInt8] = []
    /// The columns holding tags.
    private let tagColumns: [Int]
    /// With at most one tags column, a row's tags and text by its cell's bytes (an import's
    /// tags cells repeat a few combinations), found by their FNV-1a hash.
    private var rowTagsByCell: [UInt64: [(cell: [UInt8], spellings: [Int], text: [UInt8])]] = [:]
    private var rememberedTagCells = 0
    private static let tagCellMemoLimit = 4_096
    private var storedKeys: [Int] = []
    /// The contacts updated so far: ids that came in ascending order (a large commit's, all of
    /// them) appended here, any other in the set. No hashing per row in the common case.
    private var ascendingUpdatedIDs: [Int64] = []
    private var otherUpdatedIDs = Set<Int64>()

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
        writesCustomValues = targets.contains { if case .custom = $0 { return true } else { return false } }
        var interner = TagInterner()
        var extras: [Int] = []
        for tag in extraTags {
            guard let spelling = interner.spelling(tag), !extras.contains(where: { interner.key($0) == interner.key(spelling) })
            else { continue }
            extras.append(spelling)
        }
        self.interner = interner
        extraSpellings = extras
        tagColumns = targets.indices.filter { if case .tags = targets[$0] { return true } else { return false } }
        writesTags = !extras.isEmpty || targets.contains { if case .tags = $0 { return true } else { return false } }

        // Built-in columns the file fills, each once (a later column for the same field wins).
        var builtins: [(name: String, column: Int)] = []
        for (index, target) in targets.enumerated() {
            guard case .builtin(let name) = target else { continue }
            builtins.removeAll { $0.name == name }
            builtins.append((name, index))
        }
        let inserted = Schema.insertColumns(builtins.map(\.name) + ["tags", "created_at", "updated_at"], keysBound: true)
        let insert = try transaction.statement("INSERT INTO contacts (" + inserted.names.joined(separator: ", ")
                                               + ") VALUES (" + inserted.values.joined(separator: ", ") + ")")
        insertSources = try builtins.map { name, column in
            let key = try Schema.lookupKey(of: name).map { (try insert.parameter(":" + $0.column), name == "email") }
            return (column, try insert.parameter(":" + name), key)
        }
        insertTags = try insert.parameter(":tags")
        insertTimes = (try insert.parameter(":created_at"), try insert.parameter(":updated_at"))
        self.insert = insert
        // The same columns, filled by `fillAdd` in this order.
        precondition(inserted.names.count <= RowFeed.maximumColumns)
        feedInsertSQL = "INSERT OR FAIL INTO contacts (" + inserted.names.joined(separator: ", ") + ") SELECT "
            + inserted.names.indices.map { "c\($0)" }.joined(separator: ", ") + " FROM import_rows(:rows)"

        identifierColumn = builtins.first { columns[$0.column].key == unchangedKey }?.column
        let updated = builtins.filter { entry in columns[entry.column].key != unchangedKey }
        updatedColumns = updated.map { ($0.name, $0.column, columns[$0.column].overwrite) }
        let indexed = updated.indices.filter { ["phone", "email"].contains(updated[$0].name) }
        indexedColumns = indexed
        let read = indexed.map { updated[$0].name } + (writesTags && !replacesTags ? ["tags"] : [])
        currentQueries = IDListStatements { "SELECT id, \(read.joined(separator: ", ")) FROM contacts WHERE id IN (\($0))" }
        beforeImageQueries = IDListStatements { UndoLog.beforeImagesQuery(columns: read, ids: $0) }
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

    /// The column whose values order a large import's adds (`inInsertionOrder`): the
    /// identifier's when it is indexed (its index is the one the updates never change), else
    /// the e-mail's, else the phone's; nil when neither is mapped.
    var insertionOrder: (column: Int, byEmail: Bool)? {
        let keyed = insertSources.compactMap { source in source.key.map { (column: source.column, byEmail: $0.isEmail) } }
        return keyed.first { $0.column == identifierColumn } ?? keyed.first { $0.byEmail } ?? keyed.first
    }

    /// `rows` in the order of their `insertionOrder` values' lookup keys (`LookupKeys`, the
    /// order of that column's index; empty values first), then in file order: each of the
    /// index's pages is changed in one go.
    func inInsertionOrder(_ rows: [Int32]) -> [Int32] {
        guard let (column, byEmail) = insertionOrder else { return rows }
        let keys = rows.map { row -> Int64 in
            values.withTextUTF8(at: Int(row) * width + column) { bytes in
                bytes.isEmpty ? Int64.min : Self.lookupKey(bytes, isEmail: byEmail)
            } ?? Int64.min
        }
        return LookupKeys.indexOrder(keys).map { rows[Int($0)] }
    }

    /// Adds a contact from row `row` of the values; returns its id. The row's text is bound as
    /// the table holds it, not copied (the insert runs inside the table's access), and the
    /// lookup keys are computed here from the same bytes (no SQL function call per row).
    @discardableResult
    public func add(row: Int) throws -> Int64 {
        let base = row * width
        try values.withCells(at: base, count: width) { cells in
            collectTags(base: base, cells: cells)
            try rowText.withUnsafeBufferPointer { tags in
                defer { insert.clearBindings() }
                for source in insertSources {
                    try bindCell(source.column, of: cells, base: base, to: source.parameter, of: insert, key: source.key)
                }
                if !tags.isEmpty { try insert.bindBorrowedText(insertTags, utf8: tags) }
                try insert.bind(insertTimes.created, millis)
                try insert.bind(insertTimes.updated, millis)
                try insert.run()
            }
        }
        let id = connection.lastInsertRowID
        if writesCustomValues {
            try writeCustomValues(base: base, contactID: id, adding: true)
        }
        return id
    }

    /// Adds a contact from each of `rows`, in that order, in one statement (`RowFeed`); returns
    /// their ids, consecutive in that order (nil when `rows` is empty). `progress(done)` is
    /// called every `ImportBatch.progressInterval` rows and may throw to stop.
    public func add(rows: [Int32], progress: (_ done: Int) throws -> Void) throws -> ClosedRange<Int64>? {
        guard !rows.isEmpty else { return nil }
        // New rowids are the largest plus one (INTEGER PRIMARY KEY): known before, checked after.
        let largest = try transaction.statement("SELECT coalesce(max(id), 0) FROM contacts")
        let first = try largest.step() ? largest.int64(0) + 1 : 1
        largest.reset()
        try withoutActuallyEscaping(progress) { progress in
            // `fillAdd` runs on the feed's own thread: until the statement has run, this
            // thread only steps it (SQLite reading the rows), never the tags state it uses.
            let feed = RowFeed(rowCount: rows.count, progress: progress) { index, feed in
                self.fillAdd(row: Int(rows[index]), into: &feed)
            }
            let statement = try transaction.statement(feedInsertSQL)
            try statement.run(feeding: feed, to: try statement.parameter(":rows"))
        }
        let ids = first...(first + Int64(rows.count) - 1)
        guard connection.changes == rows.count, connection.lastInsertRowID == ids.upperBound else {
            throw WorkspaceError.invalid("added contacts did not get consecutive ids from \(first)")
        }
        if writesCustomValues {
            for (offset, row) in rows.enumerated() {
                try writeCustomValues(base: Int(row) * width, contactID: first + Int64(offset), adding: true)
            }
        }
        return ids
    }

    /// Row `row` as `add(row:)` binds it, in the insert's column order.
    private func fillAdd(row: Int, into feed: inout RowFeed.Rows) {
        let base = row * width
        values.withCells(at: base, count: width) { cells in
            collectTags(base: base, cells: cells)
            for source in insertSources {
                withStoredText(source.column, of: cells, base: base) { text, _ in
                    guard let text else {
                        feed.appendNull()
                        if source.key != nil { feed.appendNull() }
                        return
                    }
                    feed.appendText(text)
                    if let key = source.key { feed.append(Self.lookupKey(text, isEmail: key.isEmail)) }
                }
            }
            rowText.withUnsafeBufferPointer { feed.appendText($0) }
            feed.append(millis)
            feed.append(millis)
        }
    }

    /// The row's tags, then the import's own, into `rowSpellings` (one per key) and `rowText`.
    /// `cells`: the row at `base`.
    private func collectTags(base: Int, cells: RowCells) {
        guard tagColumns.count <= 1 else { return assembleTags(base: base) }
        let cell = tagColumns.first.map { cells.tagsEncoding($0) } ?? UnsafeBufferPointer(start: nil, count: 0)
        let hash = StoredTags.hash(cell)
        if let entry = rowTagsByCell[hash]?.first(where: { entry in entry.cell.withUnsafeBufferPointer { $0.sameBytes(as: cell) } }) {
            rowSpellings = entry.spellings
            rowText = entry.text
            return
        }
        assembleTags(base: base)
        // Bounded: a file whose tags cells are all different gains nothing from it.
        guard rememberedTagCells < Self.tagCellMemoLimit else { return }
        rememberedTagCells += 1
        rowTagsByCell[hash, default: []].append((Array(cell), rowSpellings, rowText))
    }

    private func assembleTags(base: Int) {
        rowSpellings.removeAll(keepingCapacity: true)
        for column in tagColumns {
            values.forEachTagUTF8(at: base + column) { bytes in
                if let spelling = interner.spelling(bytes) { appendRowSpelling(spelling) }
            }
        }
        for spelling in extraSpellings { appendRowSpelling(spelling) }
        rowText = []
        for spelling in rowSpellings {
            if !rowText.isEmpty { rowText.append(0x1F) }
            rowText.append(contentsOf: interner.bytes(spelling))
        }
    }

    private func appendRowSpelling(_ spelling: Int) {
        let key = interner.key(spelling)
        if !rowSpellings.contains(where: { interner.key($0) == key }) { rowSpellings.append(spelling) }
    }

    /// Binds `rowText` (NULL when the row has no tags).
    private func bindRowText(to parameter: Statement.Parameter, of statement: Statement) throws {
        guard !rowText.isEmpty else { return try statement.bind(parameter, nil as String?) }
        try rowText.withUnsafeBufferPointer { bytes throws(WorkspaceError) in try statement.bindText(parameter, utf8: bytes) }
    }

    /// Binds a contact's `stored` tags followed by the row's it lacks, by key.
    private func bindRowTags(to parameter: Statement.Parameter, of statement: Statement, appendingTo stored: String?) throws {
        guard var stored, !stored.isEmpty else { return try bindRowText(to: parameter, of: statement) }
        storedKeys.removeAll(keepingCapacity: true)
        stored.withUTF8 { bytes in
            StoredTags.forEachTag(in: bytes) { tag in
                if let spelling = interner.spelling(tag) { storedKeys.append(interner.key(spelling)) }
            }
        }
        let lacking = rowSpellings.filter { !storedKeys.contains(interner.key($0)) }
        guard !lacking.isEmpty else { return try statement.bind(parameter, stored) }
        var text: [UInt8] = []
        stored.withUTF8 { text.append(contentsOf: $0) }
        for spelling in lacking {
            text.append(0x1F)
            text.append(contentsOf: interner.bytes(spelling))
        }
        try text.withUnsafeBufferPointer { bytes throws(WorkspaceError) in try statement.bindText(parameter, utf8: bytes) }
    }

    /// Updates contact `id`, which the caller matched in this transaction, from
    /// `values[base..<base + columns.count]`; `ContactNotFound` if it is gone. With overwrite a
    /// value replaces the stored one and an empty one clears it; without, only an empty stored
    /// value is filled. A tags column with overwrite replaces the contact's tags; otherwise new
    /// tags are appended after the ones it has.
    /// `current`: the contact as `currentValues` read it before this block of updates; nil:
    /// every column is assigned, and stored tags are read here.
    public func update(id: Int64, row: Int, current: StoredValues? = nil) throws {
        let base = row * width
        var stored = current
        // A contact written twice must see its first row's writes before the second changes them.
        if !noteUpdated(id) || (stored == nil && writesTags && !replacesTags) {
            stored = try currentValues([id])[id]
        }
        try values.withCells(at: base, count: width) { cells in
            let update = try updateStatement(changedIndexedColumns(of: cells, base: base, stored: stored))
            defer { update.statement.clearBindings() }
            if update.tags != nil { collectTags(base: base, cells: cells) }
            for case let (column, parameter)? in update.sources {
                try bindCell(column, of: cells, base: base, to: parameter, of: update.statement)
            }
            if let tags = update.tags {
                if replacesTags {
                    try bindRowText(to: tags, of: update.statement)
                } else {
                    try bindRowTags(to: tags, of: update.statement, appendingTo: stored?.tags)
                }
            }
            try update.statement.bind(update.updatedAt, millis)
            try update.statement.bind(update.id, id)
            try update.statement.run()
        }
        // The caller matched this contact in this same transaction.
        guard connection.changes > 0 else { throw ContactNotFound(contactId: id) }

        if writesCustomValues {
            try writeCustomValues(base: base, contactID: id, adding: false)
        }
    }

    /// Records that `id` is being updated; false when it already was in this import.
    private func noteUpdated(_ id: Int64) -> Bool {
        guard let last = ascendingUpdatedIDs.last, id <= last else {
            // Past every id so far (the set's were at most the last one when they came).
            ascendingUpdatedIDs.append(id)
            return true
        }
        var low = 0, high = ascendingUpdatedIDs.count
        while low < high {
            let middle = (low + high) / 2
            if ascendingUpdatedIDs[middle] < id { low = middle + 1 } else { high = middle }
        }
        if low < ascendingUpdatedIDs.count && ascendingUpdatedIDs[low] == id { return false }
        return otherUpdatedIDs.insert(id).inserted
    }

    /// The indexed columns (bit i: `indexedColumns[i]`) whose stored value an update from the
    /// row at `base` (`cells`) changes: what it would store is the cell's stored text (nil when
    /// empty), or with "don't overwrite" the stored value unless that is empty. All of them
    /// when the stored values are unknown. Compared as bytes: no value is made for it.
    private func changedIndexedColumns(of cells: RowCells, base: Int, stored: StoredValues?) -> Int {
        guard let stored, stored.indexed.count == indexedColumns.count else { return (1 << indexedColumns.count) - 1 }
        var mask = 0
        for (bit, position) in indexedColumns.enumerated() {
            let entry = updatedColumns[position]
            let old = stored.indexed[bit]
            if !entry.overwrite, let old, !old.isEmpty { continue }
            let same = withStoredText(entry.column, of: cells, base: base) { text, _ in
                guard let text else { return old == nil }
                guard var old else { return false }
                return old.withUTF8 { $0.sameBytes(as: text) }
            }
            if !same { mask |= 1 << bit }
        }
        return mask
    }

    /// What updates need of each of `ids` (contacts about to be updated), in one query; empty
    /// when they need nothing.
    /// `fromBeforeImages`: read from the undo log's before-images of these contacts, taken just
    /// before (`UndoLog.willUpdate`, the same values, from a small table in memory rather than
    /// the contacts' B-tree a second time).
    public func currentValues(_ ids: [Int64], fromBeforeImages: Bool = false) throws -> [Int64: StoredValues] {
        let readsTags = writesTags && !replacesTags
        guard !indexedColumns.isEmpty || readsTags, !ids.isEmpty else { return [:] }
        let query = fromBeforeImages ? try beforeImageQueries.bound(ids, in: transaction) : try currentQueries.bound(ids, in: transaction)
        var found: [Int64: StoredValues] = [:]
        found.reserveCapacity(ids.count)
        let tagsColumn = Int32(indexedColumns.count + 1)
        while try query.step() {
            found[query.int64(0)] = StoredValues(indexed: indexedColumns.indices.map { query.string(Int32($0 + 1)) },
                                                 tags: readsTags ? query.string(tagsColumn) : nil)
        }
        query.reset()
        return found
    }

    /// The update statement assigning the indexed columns in `mask`, every other column, and
    /// the tags when the import writes any.
    private func updateStatement(_ mask: Int) throws -> UpdateStatement {
        if let cached = updateVariants[mask] { return cached }
        let included = updatedColumns.indices.filter { position in
            guard let bit = indexedColumns.firstIndex(of: position) else { return true }
            return mask & (1 << bit) != 0
        }
        let assignments = included.flatMap { position -> [String] in
            let name = updatedColumns[position].name
            return Schema.assignments(name, updatedColumns[position].overwrite ? ":\(name)"
                                        : "CASE WHEN \(name) IS NULL OR \(name) = '' THEN :\(name) ELSE \(name) END")
        }
        // One row per statement: SQLite's UPDATE ... FROM (VALUES ...) materializes its rows
        // first and measured slower than this prepared statement.
        let statement = try transaction.statement("UPDATE contacts SET "
                                                  + (assignments + (writesTags ? ["tags = :tags"] : []) + ["updated_at = :updated_at"])
                                                  .joined(separator: ", ") + " WHERE id = :id")
        let sources = try updatedColumns.indices.map { position -> (column: Int, parameter: Statement.Parameter)? in
            guard included.contains(position) else { return nil }
            return (updatedColumns[position].column, try statement.parameter(":" + updatedColumns[position].name))
        }
        let made: UpdateStatement = (statement, sources, writesTags ? try statement.parameter(":tags") : nil,
                                     try statement.parameter(":updated_at"), try statement.parameter(":id"))
        updateVariants[mask] = made
        return made
    }

    /// Records the keys of the tags written. Must be called before the transaction's closure returns.
    public func finish() throws {
        try transaction.registerTagKeys(interner.keys)
    }

    // MARK: private

    /// Binds value `column` of the row at `base` (`cells`) as `withStoredText` gives it: text
    /// borrowed from the table (`bindBorrowedText`: the caller runs the statement inside the
    /// table's access, then clears its bindings), NULL when empty. With `key`, binds its lookup
    /// key from the same bytes too (NULL with the text).
    private func bindCell(_ column: Int, of cells: RowCells, base: Int, to parameter: Statement.Parameter, of statement: Statement,
                          key: (parameter: Statement.Parameter, isEmail: Bool)? = nil) throws {
        try withStoredText(column, of: cells, base: base) { text, borrowed in
            guard let text else {
                try statement.bind(parameter, nil as String?)
                if let key { try statement.bind(key.parameter, nil as Int64?) }
                return
            }
            if borrowed { try statement.bindBorrowedText(parameter, utf8: text) } else { try statement.bindText(parameter, utf8: text) }
            if let key { try statement.bind(key.parameter, Self.lookupKey(text, isEmail: key.isEmail)) }
        }
    }

    /// The text value `column` of the row at `base` (`cells`) is stored as, nil when empty:
    /// borrowed from the table (`borrowed`), or for a built-in cell holding tags their text,
    /// valid only inside `body`.
    private func withStoredText<R>(_ column: Int, of cells: RowCells, base: Int,
                                   _ body: (_ text: UnsafeBufferPointer<UInt8>?, _ borrowed: Bool) throws -> R) rethrows -> R {
        if let text = cells.text(column), !text.isEmpty { return try body(text, true) }
        guard var text = Self.text(values[base + column]) else { return try body(nil, false) }
        return try text.withUTF8 { try body($0, false) }
    }

    private static func lookupKey(_ text: UnsafeBufferPointer<UInt8>, isEmail: Bool) -> Int64 {
        isEmail ? LookupKeys.email(text) : LookupKeys.phone(text)
    }

    private static func text(_ value: FieldValue) -> String? {
        switch value {
        case .empty: return nil
        case .text(let text): return text.isEmpty ? nil : text
        case .tags(let list): return list.isEmpty ? nil : list.joined(separator: ", ")
        }
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
