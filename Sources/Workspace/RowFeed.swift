import CSQLite
import ThreadSupport

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
/// `fill` makes each row by appending its cells to the `Rows` it is given. It runs on a thread
/// of its own, a batch of rows ahead of SQLite, which reads them on the caller's thread (the
/// writer): making a row (its text, keys and tags) was a third of the writer's time in these
/// inserts, and the second core had it to spare. `fill` must not touch what the caller's thread
/// uses meanwhile; the caller must not touch what `fill` uses until the statement has run
/// (`Statement.run(feeding:)` returns only once `fill` is done). `progress(done)` runs on the
/// caller's thread every `ImportBatch.progressInterval` rows; what it throws stops the statement
/// and is what `Statement.run(feeding:)` throws.
final class RowFeed: @unchecked Sendable {
    /// Columns `c0`…`c15` (unused ones are NULL), then the hidden argument.
    static let maximumColumns = 16
    /// Rows per batch, and batches made ahead at most.
    static let batchRows = 2_048
    private static let batches = 3

    /// Rows being made, or made: their cells in row order, their text in one buffer (freed by
    /// the feed: a `Rows` lives in its slot and is only ever changed there, in place).
    struct Rows {
        fileprivate enum Cell {
            case null
            case integer(Int64)
            case text(start: Int, count: Int)
        }
        fileprivate var cells: [Cell] = []
        /// Where each row's cells begin in `cells`.
        fileprivate var starts: [Int] = []
        fileprivate var bytes: UnsafeMutableBufferPointer<UInt8> = .allocate(capacity: 64 * 1_024)
        fileprivate var used = 0

        fileprivate init() {
            cells.reserveCapacity(RowFeed.batchRows * RowFeed.maximumColumns)
            starts.reserveCapacity(RowFeed.batchRows)
        }

        mutating func appendNull() { cells.append(.null) }
        mutating func append(_ value: Int64) { cells.append(.integer(value)) }

        /// Text, copied into the batch (NULL when `utf8` is empty).
        mutating func appendText(_ utf8: UnsafeBufferPointer<UInt8>) {
            guard !utf8.isEmpty else { return appendNull() }
            if used + utf8.count > bytes.count {
                // Only while the batch is being made: nobody reads it yet.
                let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count * 2, used + utf8.count))
                _ = larger.initialize(from: UnsafeBufferPointer(rebasing: bytes[0..<used]))
                bytes.deallocate()
                bytes = larger
            }
            _ = UnsafeMutableBufferPointer(rebasing: bytes[used..<used + utf8.count]).initialize(from: utf8)
            cells.append(.text(start: used, count: utf8.count))
            used += utf8.count
        }

        fileprivate mutating func beginRow() { starts.append(cells.count) }

        fileprivate mutating func clear() {
            cells.removeAll(keepingCapacity: true)
            starts.removeAll(keepingCapacity: true)
            used = 0
        }
    }

    let rowCount: Int
    private let fill: (_ index: Int, _ rows: inout Rows) -> Void
    /// Reader's thread only. Let go by `finish`: the maker's thread may hold the feed a moment
    /// longer, and `progress` is often a non-escaping closure made escaping for the statement.
    private var progress: ((_ done: Int) throws -> Void)?
    fileprivate var failure: (any Error)?

    /// Batch `k` of the statement is in `slots[k % batches]`. Guarded by `condition`: `made`
    /// (batches made so far), `taken` (batches the reader has moved past), `stopped`, `finished`.
    /// A pointer, not an array: the maker changes one slot while the reader reads another, and
    /// an array shared by two threads could be copied on write under either of them.
    private let slots = UnsafeMutablePointer<Rows>.allocate(capacity: RowFeed.batches)
    private let condition = ThreadCondition()
    private var made = 0
    private var taken = 0
    private var stopped = false
    private var finished = false
    private var started = false
    /// The reader's batch and where the current row's cells begin (reader's thread only).
    private var current = -1
    private var rowStart = 0
    private var rowEnd = 0

    init(rowCount: Int, progress: @escaping (_ done: Int) throws -> Void,
         fill: @escaping (_ index: Int, _ rows: inout Rows) -> Void) {
        self.rowCount = rowCount
        self.fill = fill
        self.progress = progress
        for slot in 0..<Self.batches { (slots + slot).initialize(to: Rows()) }
    }

    deinit {
        for slot in 0..<Self.batches { slots[slot].bytes.deallocate() }
        slots.deinitialize(count: Self.batches)
        slots.deallocate()
    }

    private var batchCount: Int { (rowCount + Self.batchRows - 1) / Self.batchRows }

    /// The maker's loop: batch after batch, each into a slot the reader has left.
    private func makeBatches() {
        var batch = 0
        while batch < batchCount {
            condition.lock()
            while batch - taken >= Self.batches && !stopped { condition.wait() }
            let stop = stopped
            condition.unlock()
            if stop { break }
            let slot = batch % Self.batches
            slots[slot].clear()
            for index in batch * Self.batchRows..<min((batch + 1) * Self.batchRows, rowCount) {
                slots[slot].beginRow()
                fill(index, &slots[slot])
            }
            condition.withLock {
                made = batch + 1
                condition.broadcast()
            }
            batch += 1
        }
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    fileprivate func makeCurrent(_ index: Int) -> Bool {
        do {
            if index % ImportBatch.progressInterval == 0 { try progress?(index) }
        } catch {
            failure = error
            return false
        }
        let batch = index / Self.batchRows
        if batch != current {
            if !started {
                started = true
                Threads.detach { self.makeBatches() }
            }
            condition.lock()
            taken = batch
            condition.broadcast()
            while made <= batch { condition.wait() }
            condition.unlock()
            current = batch
        }
        let slot = batch % Self.batches
        let local = index - batch * Self.batchRows
        rowStart = slots[slot].starts[local]
        rowEnd = local + 1 < slots[slot].starts.count ? slots[slot].starts[local + 1] : slots[slot].cells.count
        return true
    }

    /// Stops the maker and waits until it is done: after this, `fill` runs no more.
    fileprivate func finish() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while started && !finished { condition.wait() }
        condition.unlock()
        progress = nil
    }

    fileprivate func result(_ column: Int, into context: OpaquePointer?) {
        let slot = current % Self.batches
        guard rowStart + column < rowEnd else { return sqlite3_result_null(context) }
        switch slots[slot].cells[rowStart + column] {
        case .null: sqlite3_result_null(context)
        case .integer(let value): sqlite3_result_int64(context, value)
        case .text(let start, let count):
            // No copy: the batch is not made again before SQLite has moved past it.
            sqlite3_result_text(context, UnsafeRawPointer(slots[slot].bytes.baseAddress! + start).assumingMemoryBound(to: CChar.self),
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
            defer {
                feed.finish()
                clearBindings()
            }
            do {
                try run()
            } catch {
                if let failure = feed.failure { throw failure }
                throw error
            }
        }
    }
}
