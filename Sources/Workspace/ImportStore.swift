import FoundationEssentials
import Contacts

/// The workspace as an import sees it: the one seam between `Importer` and storage. `Importer`
/// names only this protocol and the value types beside it (`ImportJob`, `ImportBatch`…), never
/// a connection, a statement or SQL, so a second store (PostgreSQL, issue 12) implements these
/// few methods in a folder of its own. `Workspace` (SQLite) is the only implementation today.
///
/// The guarantees a store must give, which the review and the commit rely on:
/// - `lookUp` reads one consistent snapshot: it never sees half of another writer's import.
/// - `writeImport` is one all-or-nothing transaction that excludes every other writer (of this
///   process and of others) from its start to its end, and reads inside it see exactly the
///   state it started from plus its own writes.
/// - A `lookUp` begun (on any thread) while a `writeImport` is open sees exactly the state that
///   write started from: the commit re-checks its rows in such a snapshot, beside its writes.
///   (SQLite gives this by its single writer lock; a store with concurrent writers must lock
///   the contacts it imports into for the whole `writeImport`.)
/// - `claimJob` is "one job at a time" for the whole workspace, across processes; a dead
///   process's slot is freed by the store without trusting pids.
public protocol ImportStore: Sendable {
    // MARK: reads for review

    /// Built-in fields followed by custom fields in creation order.
    func fields() throws(WorkspaceError) -> [FieldDefinition]
    /// Runs `body` with lookups of existing contacts, all in one read snapshot.
    func lookUp<T>(_ body: (any ContactLookup) throws -> T) throws -> T
    /// `base` if no contact's tag and no job's import tag is it (ignoring case), else the first
    /// free of `base-2`, `base-3`…
    func freeImportTag(base: String) throws -> String

    // MARK: the commit's one write batch

    /// Runs `body` in one write transaction: it commits when `body` returns and rolls back
    /// when `body` throws (the error is rethrown unchanged).
    func writeImport<T>(_ body: (any ImportTransaction) throws -> T) throws -> T

    // MARK: jobs and the job slot

    /// Takes the workspace's single import slot and records a `running` job, or throws
    /// `ImportInProgress` at once. `.automatic` tags are decided inside the claim.
    func claimJob(fileName: String, importTag: ImportTagRequest, now: Date) throws -> ImportJob
    /// Records the end of a job that has no data transaction to record it in (cancelled,
    /// failed) and frees the slot.
    func finishJob(_ job: ImportJob) throws(WorkspaceError)
    /// Frees the slot of a job whose final row `ImportTransaction.updateJob` committed.
    func releaseJob(_ job: ImportJob)

    // MARK: history

    /// Newest first.
    func jobs(limit: Int) throws(WorkspaceError) -> [ImportJob]
    func job(id: Int64) throws(WorkspaceError) -> ImportJob?

    // MARK: undo

    /// True while the import's undo log is kept (as long as its result file).
    func hasUndoLog(jobId: Int64) throws -> Bool

    // MARK: remembered mappings

    /// The mapping of the last completed import of exactly this header set, if any.
    func rememberedMapping(headerKeys: [String]) throws -> RememberedMapping?
    /// How each of these headers was last mapped, in any file.
    func rememberedHeaders(_ headerKeys: [String]) throws -> [String: RememberedMapping.Column]

    // MARK: the Contacts API (`fields/*`, `contacts/*`)

    /// Runs `body` with contact reads in one snapshot.
    func readContacts<T>(_ body: (any ContactReads) throws -> T) throws -> T
    /// Runs `body` in one write transaction (committed when it returns, rolled back when it throws).
    func writeContacts<T>(_ body: (any ContactWrites) throws -> T) throws -> T

    // MARK: result files

    /// A new, unused path in the workspace's folder of result and error files.
    func newFilePath(prefix: String, extension fileExtension: String, now: Date) throws(WorkspaceError) -> String
}

/// Existing contacts by an identifier's canonical value; ids ascending.
public protocol ContactLookup {
    func contactIDs(phone e164: String) throws -> [Int64]
    func contactIDs(email: String) throws -> [Int64]
    func contactExists(id: Int64) throws -> Bool
    /// A stored contact with the parts a comparison needs (`ChangePreview`).
    func contact(id: Int64, customValues: Bool, tags: Bool) throws -> Contact?
    /// The same for many contacts at once.
    func contacts(ids: [Int64], customValues: Bool, tags: Bool) throws -> [Int64: Contact]
    /// Only the fields `keys` (and the tags when asked) of many contacts, packed: what a review
    /// compares with its rows, without a `Contact` (and its dictionary) per contact.
    func storedFields(ids: [Int64], keys: [String], tags: Bool) throws -> StoredFields
    /// True when the batch lookups below answer many values faster than one call per value
    /// (a server database pays a round trip per call; SQLite does not).
    var prefersBatchLookups: Bool { get }
    /// `contactIDs(phone:)` for many values at once: values that match nothing are absent.
    func contactIDs(phones: [String]) throws -> [String: [Int64]]
    /// `contactIDs(email:)` for many values at once: values that match nothing are absent.
    func contactIDs(emails: [String]) throws -> [String: [Int64]]
    /// `contactIDs(phone:)` (or `contactIDs(email:)` when `byEmail`) of each of `values`:
    /// `found(i, id)` for every contact `values[i]` identifies, in no particular order. Values
    /// given in index order are looked up in one pass down the index.
    func eachContactID(matching values: [String], byEmail: Bool, _ found: (_ index: Int, _ id: Int64) throws -> Void) throws
    /// A number that changes whenever a write that may change contacts commits, in any
    /// process, read in this snapshot; nil when the store cannot tell (the commit then
    /// re-checks every match). Equal in a review's snapshot and inside a commit's transaction
    /// ⇔ the review's matches still stand.
    func contactsVersion() throws -> Int64?
}

extension ContactLookup {
    public var prefersBatchLookups: Bool { false }

    public func eachContactID(matching values: [String], byEmail: Bool, _ found: (_ index: Int, _ id: Int64) throws -> Void) throws {
        for (index, value) in values.enumerated() {
            for id in try byEmail ? contactIDs(email: value) : contactIDs(phone: value) { try found(index, id) }
        }
    }

    public func storedFields(ids: [Int64], keys: [String], tags: Bool) throws -> StoredFields {
        try StoredFields.gathering(ids: ids, keys: keys, tags: tags, from: self)
    }

    public func contactIDs(phones: [String]) throws -> [String: [Int64]] {
        var found: [String: [Int64]] = [:]
        for phone in Set(phones) {
            let ids = try contactIDs(phone: phone)
            if !ids.isEmpty { found[phone] = ids }
        }
        return found
    }

    public func contactIDs(emails: [String]) throws -> [String: [Int64]] {
        var found: [String: [Int64]] = [:]
        for email in Set(emails) {
            let ids = try contactIDs(email: email)
            if !ids.isEmpty { found[email] = ids }
        }
        return found
    }

    /// A store that cannot tell: every commit re-checks its matches.
    public func contactsVersion() throws -> Int64? { nil }
}

/// What the Contacts API reads.
public protocol ContactReads: ContactLookup {
    func contact(id: Int64) throws -> Contact?
    func fields() throws -> [FieldDefinition]
    /// How many contacts the workspace holds.
    func contactCount() throws -> Int
}

/// What the Contacts API writes, inside one transaction.
public protocol ContactWrites: ContactReads {
    func insertContact(values: [String: String], tags: [String], now: Date) throws -> Contact
    func updateContact(_ contact: Contact, now: Date) throws -> Contact
    func createField(name: String, type: FieldType, options: [String]) throws -> FieldDefinition
}

/// Inside `ImportStore.writeImport`: lookups see the state the transaction started from plus
/// its own writes.
public protocol ImportTransaction: ContactLookup {
    /// Writes every row of `batch`, asking `row(r)` what to do with row `r` once per row, in file
    /// order (so the decisions may still be in the making, and are given back after the last).
    /// Added rows are written in file order (their ids follow it), or in a large import in the
    /// order of one lookup index (SQLite, see `WriteTransaction.write`); a store may write the
    /// updates later and in an order of its own (SQLite: by contact id), keeping the file order
    /// of rows that update the same contact. `progress(done, total)`
    /// is called every `ImportBatch.progressInterval` rows; either may throw to stop (the
    /// transaction then rolls back).
    func write(_ batch: ImportBatch, row: (Int) throws -> ImportBatch.Row,
               progress: (_ done: Int, _ total: Int) throws -> Void) throws
    /// Reverses an import from its undo log (`WriteTransaction.undoImport`).
    func undoImport(jobId: Int64, now: Date, progress: (_ done: Int, _ total: Int) throws -> Void) throws -> UndoOutcome
    /// Remembers how a file's columns were mapped (for `import/suggestMapping`), with the data.
    func rememberMapping(headerKeys: [String], _ mapping: RememberedMapping, now: Date) throws
    /// Records a job's final state, counts and result file with the data: call it last.
    func updateJob(_ job: ImportJob) throws(WorkspaceError)
}

/// An import's rows, as one write: row `r`'s normalized values are
/// `values[r * columns.count ..< (r + 1) * columns.count]`; `rowCount` rows.
public struct ImportBatch: Sendable {
    public enum Row: Sendable, Hashable {
        /// Not written (skipped, or an error).
        case none
        case add
        /// Update this contact, matched inside the same transaction.
        case update(contactId: Int64)
    }

    public static let progressInterval = 1_000

    public var columns: [ImportColumn]
    /// Row-major, one per column: the review's compact table, not copied.
    public var values: FieldValueTable
    public var rowCount: Int
    /// The identifier's field: an update never rewrites it (the row matched on that value).
    public var unchangedKey: String?
    /// Added to every written contact after the row's own tags (the request's tags, the import tag).
    public var extraTags: [String]
    /// The job whose undo log records what this write changes (nil: none is kept).
    public var undoJobId: Int64?
    /// Where the store adds the seconds of its phases (inserts, updates, tags, undo log…), for
    /// the daemon's debug log; nil: not measured.
    public var phases: CommitPhases?
    public var now: Date

    /// `values` is kept as it is when it is a `FieldValueTable` (the review's), else packed into one.
    public init(columns: [ImportColumn], values: some Collection<FieldValue>, rowCount: Int, unchangedKey: String?,
                extraTags: [String], now: Date) {
        self.columns = columns
        self.values = values as? FieldValueTable ?? FieldValueTable(values)
        self.rowCount = rowCount
        self.unchangedKey = unchangedKey
        self.extraTags = extraTags
        self.now = now
    }
}

extension ReadTransaction: ContactReads {}
extension WriteTransaction: ContactWrites {}

extension WriteTransaction: ImportTransaction {
    /// Added rows as their decisions come, then the updates in contact-id order (one
    /// contact's rows in file order), a block at a time: one
    /// statement for the block's before-images (the undo log) and one read of what its updates
    /// need of the stored rows, then its rows. In id order each page of the contacts table is
    /// loaded and dirtied once, instead of once per update in file order (the pages of a large
    /// workspace do not fit the writer's cache). No row's write depends on another row's
    /// except for the same contact, so the order changes nothing else.
    ///
    /// Added rows go in file order (ids follow the file), except in a large import
    /// (`sortedAddsThreshold` rows or more), whose added rows wait for every decision and go in
    /// the order of the identifier they bring when it is a phone or an e-mail (else the e-mail,
    /// else the phone; `ImportWriter.insertionOrder`): that index then takes its new entries in
    /// order, one page after another, and the other lookup index is the only one written at
    /// random, instead of both: the pages a large workspace's two indexes change no longer fit
    /// the writer's cache, and every page that leaves it dirty is written to the WAL and read
    /// back again. The identifier's, because the updates never change it: the index the adds
    /// write at random is then the one the updates change, whose pages stay in the cache from
    /// one to the other instead of being written to the WAL twice (a page written twice in one
    /// transaction also makes its COMMIT read the log back from there to recompute checksums).
    /// Ids then follow that order. Those adds are one statement
    /// (`ImportWriter.add(rows:)`): a prepared insert run row by row paid the statement's setup,
    /// three cursors and a descent of the table for each new rowid, per row.
    public func write(_ batch: ImportBatch, row decision: (Int) throws -> ImportBatch.Row,
                      progress: (_ done: Int, _ total: Int) throws -> Void) throws {
        let total = batch.rowCount
        let writer = try ImportWriter(transaction: self, columns: batch.columns, values: batch.values,
                                      unchangedKey: batch.unchangedKey, extraTags: batch.extraTags, now: batch.now)
        let log = try batch.undoJobId.map { try UndoLog(transaction: self, jobId: $0, writtenAt: batch.now,
                                                                   writesCustomValues: writer.writesCustomValues) }
        // Sums of the phases, kept in locals (a clock read costs tens of nanoseconds).
        var waiting = 0.0, inserts = 0.0, updates = 0.0, undoBefore = 0.0
        let clock = CommitPhases.now
        let cpuStart = CommitPhases.threadCPU()
        var deferred: [(id: Int64, row: Int)] = []
        let sortsAdds = total >= Self.sortedAddsThreshold
        // Row numbers as 32 bits, reserved once: they live through the whole of the adds.
        var waitingAdds: [Int32] = []
        if sortsAdds { waitingAdds.reserveCapacity(total) }
        // The wait for decisions is this loop's time but its inserts': no clock read per row
        // where the adds wait (two per row were 2% of a large commit's writer).
        let decisionsStart = clock()
        for row in 0..<total {
            // Progress counts rows written: an update is written in the second pass.
            if row % ImportBatch.progressInterval == 0 { try progress(row - deferred.count - waitingAdds.count, total) }
            switch try decision(row) {
            case .none: break
            case .add where sortsAdds:
                waitingAdds.append(Int32(row))
            case .add:
                let start = clock()
                let id = try writer.add(row: row)
                log?.added(id)
                inserts += clock() - start
            case .update(let id):
                deferred.append((id, row))
            }
        }
        waiting = clock() - decisionsStart - inserts
        if !waitingAdds.isEmpty {
            let start = clock()
            let ordered = writer.inInsertionOrder(waitingAdds)
            waitingAdds = []
            let remaining = deferred.count + ordered.count
            if let ids = try writer.add(rows: ordered, progress: { done in try progress(total - (remaining - done), total) }) {
                log?.added(ids)
            }
            inserts += clock() - start
        }
        deferred.sort { $0.id != $1.id ? $0.id < $1.id : $0.row < $1.row }
        var ids: [Int64] = []
        ids.reserveCapacity(Self.writeBlock)
        var undoAfter = 0.0
        var blockStart = 0
        while blockStart < deferred.count {
            // A block never splits one contact's rows: its undo log row is written after all of them.
            var blockEnd = min(blockStart + Self.writeBlock, deferred.count)
            while blockEnd < deferred.count && deferred[blockEnd].id == deferred[blockEnd - 1].id { blockEnd += 1 }
            let block = deferred[blockStart..<blockEnd]
            try progress(total - (deferred.count - blockStart), total)
            let start = clock()
            ids.removeAll(keepingCapacity: true)
            for entry in block where ids.last != entry.id { ids.append(entry.id) }
            // The contacts as they were, read before this import writes any of them.
            try log?.willUpdate(ids)
            let logged = clock()
            undoBefore += logged - start
            let current = try writer.currentValues(ids, fromBeforeImages: log != nil)
            for entry in block {
                try writer.update(id: entry.id, row: entry.row, current: current[entry.id])
            }
            let written = clock()
            updates += written - logged
            if let log {
                // The block's contacts as the import left them.
                try log.didUpdate()
                undoAfter += clock() - written
            }
            blockStart = blockEnd
        }
        try writer.finish()
        let finished = clock()
        // The added ranges: an undo deletes only the added contacts still as the import left them.
        try log?.finish()
        undoAfter += clock() - finished
        if let phases = batch.phases {
            phases.add("waitForDecisions", waiting)
            phases.add("inserts", inserts)
            phases.add("updates", updates)
            phases.add("undoBeforeImages", undoBefore)
            phases.add("undoAfterImages", undoAfter)
            phases.add("writerCPU", CommitPhases.threadCPU() - cpuStart)
        }
    }

    /// Updates per block of `write`: one before-image statement and one read of the stored values each.
    static let writeBlock = 512
    /// Imports of this many rows or more add their contacts in index order (see `write`).
    static let sortedAddsThreshold = 10_000
}

extension Workspace: ImportStore {
    public func lookUp<T>(_ body: (any ContactLookup) throws -> T) throws -> T {
        try read(releasingCache: true) { try body($0) }
    }

    public func freeImportTag(base: String) throws -> String {
        try read { try $0.freeImportTag(base: base) }
    }

    public func readContacts<T>(_ body: (any ContactReads) throws -> T) throws -> T {
        try read { try body($0) }
    }

    public func writeContacts<T>(_ body: (any ContactWrites) throws -> T) throws -> T {
        try write { try body($0) }
    }

    public func hasUndoLog(jobId: Int64) throws -> Bool {
        try read { try $0.hasUndoLog(jobId: jobId) }
    }

    public func rememberedMapping(headerKeys: [String]) throws -> RememberedMapping? {
        try read { try $0.rememberedMapping(headerKeys: headerKeys) }
    }

    public func rememberedHeaders(_ headerKeys: [String]) throws -> [String: RememberedMapping.Column] {
        try read { try $0.rememberedHeaders(headerKeys) }
    }

    /// Without SQLite's foreign-key checks (a parent lookup per custom value). The store still
    /// guards its references, by construction and
    /// without trusting the importer: `ImportWriter` writes custom values only for a
    /// contact it has just inserted (the id SQLite gave the row) or just updated (an `UPDATE`
    /// that changed no row throws `ContactNotFound` before anything refers to it), and field
    /// ids only from this transaction's own `custom_fields`. Nothing relies on ON DELETE
    /// CASCADE here: the import deletes no contact, and `undoImport` deletes a contact's custom
    /// values itself (`deleteContact`).
    public func writeImport<T>(_ body: (any ImportTransaction) throws -> T) throws -> T {
        try write(checkingForeignKeys: false) { try body($0) }
    }
}
