import CSQLite

/// Rows made by Swift that SQLite reads as the table-valued function `import_rows(:rows)`, so
/// that one `INSERT … SELECT c0, c1, … FROM import_rows(:rows)` writes a whole batch: the
/// statement runs once, its cursors on the table and its indexes stay open from row to row, and
/// each new rowid is the last one plus one without a descent of the table. Row by row, a
/// prepared `INSERT` paid all of that for every row: `contact-import-bench import` (133,364 adds
/// into 1,000,000 contacts) measured the inserts at 0.57 s row by row, 0.51 s fed.
///
/// The statement must be `INSERT OR FAIL`: a plain INSERT of many rows may abort halfway, so
/// SQLite keeps a statement journal, a copy of every page the statement changes (26 MB more
/// memory and no time saved in the same benchmark). Nothing is lost without it: an import's
/// writes are one transaction, rolled back whole on any error.
///
/// SQLite asks for row 0, 1, … in order; `fill` makes each current by appending its cells to
/// the `Row` it is given, which stay valid until the next row is asked for. An error `fill`
/// throws stops the statement and is what `Statement.run(feeding:)` throws.
final class RowFeed {
    /// Columns `c0`…`c15` (unused ones are NULL), then the hidden argument.
    static let maximumColumns = 16

    /// The current row. A value handed to `fill` whole (inout): its cells are appended without
    /// an exclusivity check of the feed's storage per cell.
    struct Row: ~Copyable {
        fileprivate enum Cell {
            case null
            case integer(Int64)
            case text(start: Int, count: Int)
        }
        fileprivate var cells: [Cell] = []
        /// The row's text. A buffer outgrown while a row is made is kept until the feed goes:
        /// SQLite may still hold the previous row's pointers into it.
        fileprivate var bytes: UnsafeMutableBufferPointer<UInt8> = .allocate(capacity: 4_096)
        fileprivate var used = 0
        fileprivate var outgrown: [UnsafeMutableBufferPointer<UInt8>] = []

        fileprivate init() { cells.reserveCapacity(RowFeed.maximumColumns) }

        deinit {
            bytes.deallocate()
            for buffer in outgrown { buffer.deallocate() }
        }

        mutating func appendNull() { cells.append(.null) }
        mutating func append(_ value: Int64) { cells.append(.integer(value)) }
        mutating func append(_ value: Int64?) { cells.append(value.map(Cell.integer) ?? .null) }

        /// Text, copied into the row (NULL when `utf8` is empty).
        mutating func appendText(_ utf8: UnsafeBufferPointer<UInt8>) {
            guard !utf8.isEmpty else { return appendNull() }
            if used + utf8.count > bytes.count {
                let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count * 2, used + utf8.count))
                _ = larger.initialize(from: UnsafeBufferPointer(rebasing: bytes[0..<used]))
                outgrown.append(bytes)
                bytes = larger
            }
            _ = UnsafeMutableBufferPointer(rebasing: bytes[used..<used + utf8.count]).initialize(from: utf8)
            cells.append(.text(start: used, count: utf8.count))
            used += utf8.count
        }

        fileprivate mutating func clear() {
            cells.removeAll(keepingCapacity: true)
            used = 0
        }
    }

    let rowCount: Int
    private let fill: (_ index: Int, _ row: inout Row) throws -> Void
    fileprivate var failure: (any Error)?
    private var row = Row()

    init(rowCount: Int, fill: @escaping (_ index: Int, _ row: inout Row) throws -> Void) {
        self.rowCount = rowCount
        self.fill = fill
    }

    fileprivate func makeCurrent(_ index: Int) -> Bool {
        row.clear()
        do {
            try fill(index, &row)
            return true
        } catch {
            failure = error
            return false
        }
    }

    fileprivate func result(_ column: Int, into context: OpaquePointer?) {
        guard column < row.cells.count else { return sqlite3_result_null(context) }
        switch row.cells[column] {
        case .null: sqlite3_result_null(context)
        case .integer(let value): sqlite3_result_int64(context, value)
        case .text(let start, let count):
            // No copy: valid until SQLite asks for the next row (see `Row.bytes`).
            sqlite3_result_text(context, UnsafeRawPointer(row.bytes.baseAddress! + start).assumingMemoryBound(to: CChar.self),
                                Int32(count), nil)
        }
    }

    /// Registers `import_rows` on a connection (an eponymous virtual table: no CREATE needed).
    static func register(on db: OpaquePointer) -> Int32 {
        sqlite3_create_module_v2(db, "import_rows", module, nil, nil)
    }

    nonisolated(unsafe) private static let module: UnsafeMutablePointer<sqlite3_module> = {
        let module = UnsafeMutablePointer<sqlite3_module>.allocate(capacity: 1)
        module.initialize(to: sqlite3_module())
        module.pointee.iVersion = 0
        // xCreate nil: eponymous only, never a table in the file.
        module.pointee.xConnect = { db, _, _, _, table, _ in
            let columns = (0..<RowFeed.maximumColumns).map { "c\($0)" }.joined(separator: ", ")
            let rc = sqlite3_declare_vtab(db, "CREATE TABLE x(\(columns), rows HIDDEN)")
            guard rc == SQLITE_OK else { return rc }
            _ = csqlite_vtab_direct_only(db)
            guard let made = sqlite3_malloc(Int32(MemoryLayout<sqlite3_vtab>.size)) else { return SQLITE_NOMEM }
            let vtab = made.bindMemory(to: sqlite3_vtab.self, capacity: 1)
            vtab.initialize(to: sqlite3_vtab())
            table?.pointee = vtab
            return SQLITE_OK
        }
        module.pointee.xDisconnect = { vtab in
            sqlite3_free(vtab)
            return SQLITE_OK
        }
        module.pointee.xBestIndex = { _, info in
            guard let info else { return SQLITE_ERROR }
            let argument = Int32(RowFeed.maximumColumns)
            for index in 0..<Int(info.pointee.nConstraint) {
                let constraint = info.pointee.aConstraint[index]
                guard constraint.iColumn == argument, constraint.op == SQLITE_INDEX_CONSTRAINT_EQ else { continue }
                guard constraint.usable != 0 else { return SQLITE_CONSTRAINT }
                info.pointee.aConstraintUsage[index].argvIndex = 1
                info.pointee.aConstraintUsage[index].omit = 1
                info.pointee.estimatedCost = 1
                return SQLITE_OK
            }
            // Without its argument the function has no rows to give.
            return SQLITE_CONSTRAINT
        }
        module.pointee.xOpen = { _, cursor in
            let made = UnsafeMutablePointer<csqlite_feed_cursor>.allocate(capacity: 1)
            made.initialize(to: csqlite_feed_cursor())
            cursor?.pointee = UnsafeMutableRawPointer(made).assumingMemoryBound(to: sqlite3_vtab_cursor.self)
            return SQLITE_OK
        }
        module.pointee.xClose = { cursor in
            UnsafeMutableRawPointer(cursor)?.assumingMemoryBound(to: csqlite_feed_cursor.self).deallocate()
            return SQLITE_OK
        }
        module.pointee.xFilter = { cursor, _, _, count, arguments in
            guard let state = UnsafeMutableRawPointer(cursor)?.assumingMemoryBound(to: csqlite_feed_cursor.self),
                  count == 1, let argument = arguments?[0],
                  let pointer = sqlite3_value_pointer(argument, csqlite_feed_pointer_type()) else { return SQLITE_ERROR }
            state.pointee.feed = pointer
            state.pointee.row = 0
            let feed = Unmanaged<RowFeed>.fromOpaque(pointer).takeUnretainedValue()
            return feed.rowCount == 0 || feed.makeCurrent(0) ? SQLITE_OK : SQLITE_ERROR
        }
        module.pointee.xNext = { cursor in
            guard let state = UnsafeMutableRawPointer(cursor)?.assumingMemoryBound(to: csqlite_feed_cursor.self),
                  let pointer = state.pointee.feed else { return SQLITE_ERROR }
            let feed = Unmanaged<RowFeed>.fromOpaque(pointer).takeUnretainedValue()
            state.pointee.row += 1
            return state.pointee.row >= feed.rowCount || feed.makeCurrent(Int(state.pointee.row)) ? SQLITE_OK : SQLITE_ERROR
        }
        module.pointee.xEof = { cursor in
            guard let state = UnsafeMutableRawPointer(cursor)?.assumingMemoryBound(to: csqlite_feed_cursor.self),
                  let pointer = state.pointee.feed else { return 1 }
            return state.pointee.row >= Unmanaged<RowFeed>.fromOpaque(pointer).takeUnretainedValue().rowCount ? 1 : 0
        }
        module.pointee.xColumn = { cursor, context, column in
            guard let state = UnsafeMutableRawPointer(cursor)?.assumingMemoryBound(to: csqlite_feed_cursor.self),
                  let pointer = state.pointee.feed else { return SQLITE_ERROR }
            Unmanaged<RowFeed>.fromOpaque(pointer).takeUnretainedValue().result(Int(column), into: context)
            return SQLITE_OK
        }
        module.pointee.xRowid = { cursor, rowid in
            guard let state = UnsafeMutableRawPointer(cursor)?.assumingMemoryBound(to: csqlite_feed_cursor.self) else { return SQLITE_ERROR }
            rowid?.pointee = state.pointee.row
            return SQLITE_OK
        }
        return module
    }()
}

extension Statement {
    /// Runs a statement reading `import_rows(parameter)` with `feed`'s rows; what `feed`'s
    /// `fill` threw, when it stopped the statement, is thrown as it is.
    func run(feeding feed: RowFeed, to parameter: Parameter) throws {
        try withExtendedLifetime(feed) {
            try bindPointer(parameter, Unmanaged.passUnretained(feed).toOpaque(), type: csqlite_feed_pointer_type())
            defer { clearBindings() }
            do {
                try run()
            } catch {
                if let failure = feed.failure { throw failure }
                throw error
            }
        }
    }
}
