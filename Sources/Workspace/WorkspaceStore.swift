import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import Synchronization
import Contacts
import Localization

/// The contacts database and import files of one workspace folder. Safe to use from several
/// threads; several processes may open the same folder.
///
/// Connections: one writer connection behind a lock (SQLite allows one writer at a time anyway,
/// and in-process writers then queue on the lock, up to the busy timeout, instead of spinning
/// in SQLite's busy handler), plus
/// a small pool of reader connections. In WAL mode a reader works on a snapshot and is never
/// blocked by the writer, so `contacts/get` stays fast while a long import commit runs, and a
/// reader never sees half of that commit.
public final class Workspace: Sendable {
    /// How many schema migrations this version applies (`PRAGMA user_version` of its files).
    public static var schemaVersion: Int { Schema.currentVersion }

    /// The page size of a new workspace's file. A large import changes pages all over the
    /// contacts table and its two lookup indexes: with 16 KB pages SQLite has a quarter of the
    /// pages to find, dirty, spill and sync for the same rows, and its B-trees one level less.
    /// `contact-import-bench import` (200,000 rows into 1,000,000 contacts, median of 3):
    /// commit 1.37 s at 4 KB, 1.22 s at 16 KB, 1.20 s at 32 KB, 1.30 s at 64 KB; the addAll
    /// commit 1.12, 0.97, 0.93, 1.09 s; the review 0.48, 0.43, 0.43, 0.45 s; the peak RSS 99, 99,
    /// 97, 96 MB. 16 KB: as fast as 32 KB here, and half the bytes per page a one-contact edit
    /// writes.
    public static let pageSize = 16_384
    /// How long a writer waits for another process's write lock before giving up with `.locked`.
    public static let defaultBusyTimeout: TimeInterval = 5
    /// Result and error files are kept this long, then deleted (history keeps the row): the
    /// help page's "disponible durante 7 días", the one definition of retention.
    public static let resultRetention: TimeInterval = 7 * 24 * 3600

    /// The folder holding `contacts.sqlite` and `files/` (error and result files).
    public let directory: String
    public var filesDirectory: String { directory + "/files" }
    public var databasePath: String { directory + "/contacts.sqlite" }
    var lockFilePath: String { directory + "/import.lock" }
    var claimLockPath: String { directory + "/claim.lock" }

    private let busyTimeout: TimeInterval
    private let openedAt: Date
    private let writer: Guarded<Connection>
    /// Not a `Mutex`: a connection goes in and out of the pool and is used between, which
    /// `Mutex`'s `sending` rules cannot express for a non-Sendable class.
    private let idleReaders = Locked<[Connection]>([])
    /// File descriptors holding `import.lock` for the jobs this object claimed.
    private let heldJobLocks = Mutex<[Int64: Int32]>([:])
    /// Final rows of this process's jobs that `finishJob` could not write (see there).
    private let unrecordedEnds = Mutex<[Int64: ImportJob]>([:])
    private static let maxIdleReaders = 4
    /// `Locked`, not `Mutex`: a dispatch timer is not Sendable, so `Mutex` cannot take it.
    private let purgeTimer = Locked<(any DispatchSourceTimer)?>(nil)
    private let checkpointer: BackgroundCheckpointer

    /// Opens (creating folders, database and schema on first use) and recovers: marks jobs
    /// whose owner died as `interrupted` and deletes result files past retention.
    public static func open(directory: String, now: Date = Date()) throws(WorkspaceError) -> Workspace {
        try open(directory: directory, now: now, busyTimeout: defaultBusyTimeout)
    }

    public static func open(directory: String, now: Date = Date(), busyTimeout: TimeInterval) throws(WorkspaceError) -> Workspace {
        let directory = standardizedPath(directory)
        try createFolder(directory)
        try createFolder(directory + "/files")
        createOwnerOnlyFile(directory + "/contacts.sqlite")
        let connection = try Connection(path: directory + "/contacts.sqlite", busyTimeout: busyTimeout, readOnlyQueries: false)
        // Takes effect only in a new, empty file (the WAL switch below writes its first page);
        // an existing workspace keeps the page size it was made with.
        try connection.execute("PRAGMA page_size = \(Self.pageSize)")
        // WAL is persistent in the file; setting it again is a cheap no-op.
        let mode = try connection.statement("PRAGMA journal_mode = WAL")
        let journalMode = try mode.step() ? mode.string(0) : nil
        mode.reset()
        guard journalMode?.lowercased() == "wal" else {
            throw WorkspaceError.cannotOpen(path: directory, reason: WorkspaceError.walUnsupported)
        }
        try Schema.migrate(connection)
        let workspace = Workspace(directory: directory, writer: connection, busyTimeout: busyTimeout, now: now)
        try workspace.recoverInterruptedJobs(now: now)
        try workspace.purgeExpiredFiles(now: now)
        return workspace
    }

    /// `$XDG_DATA_HOME/contact-importer/default`, falling back to `~/.local/share/contact-importer/default`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return data + "/contact-importer/default"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? homeDirectory()
        return home + "/.local/share/contact-importer/default"
    }

    private init(directory: String, writer: Connection, busyTimeout: TimeInterval, now: Date) {
        self.directory = directory
        self.writer = Guarded(writer)
        self.busyTimeout = busyTimeout
        self.openedAt = now
        checkpointer = BackgroundCheckpointer(databasePath: directory + "/contacts.sqlite", busyTimeout: busyTimeout)
        // Our commits leave the copying of the WAL back into the database to the checkpointer.
        try? writer.execute("PRAGMA wal_autocheckpoint = 0")
    }

    deinit {
        purgeTimer.withLock { $0?.cancel() }
        heldJobLocks.withLock { locks in
            for fd in locks.values { close(fd) }
            locks.removeAll()
        }
    }

    /// `mkdir -p` with the reason kept: POSIX calls report errno, which tells a read-only
    /// volume from a full disk from a file in the way.
    private static func createFolder(_ path: String) throws(WorkspaceError) {
        var isFolder = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if !isFolder { throw WorkspaceError.cannotOpen(path: path, reason: WorkspaceError.fileInTheWay) }
            return
        }
        var partial = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            partial += "/" + component
            // Owner-only: the workspace holds contacts' personal data.
            if mkdir(partial, 0o700) == 0 {
                chmod(partial, 0o700)
                continue
            }
            let code = errno
            if code == EEXIST {
                if FileManager.default.fileExists(atPath: partial, isDirectory: &isFolder), isFolder { continue }
                throw WorkspaceError.cannotOpen(path: partial, reason: WorkspaceError.fileInTheWay)
            }
            switch code {
            case EACCES, EROFS, EPERM: throw WorkspaceError.readOnly(path: partial)
            case ENOSPC, EDQUOT: throw WorkspaceError.diskFull(path: partial)
            case ENOTDIR: throw WorkspaceError.cannotOpen(path: partial, reason: WorkspaceError.fileInTheWay)
            default: throw WorkspaceError.cannotOpen(path: partial, reason: String(cString: strerror(code)))
            }
        }
    }

    // MARK: fields

    /// Built-in fields followed by custom fields in creation order.
    public func fields() throws(WorkspaceError) -> [FieldDefinition] {
        do {
            return try read { try $0.fields() }
        } catch let error as WorkspaceError {
            throw error
        } catch {
            throw WorkspaceError.invalid(String(describing: error))
        }
    }

    // MARK: transactions

    /// Runs `body` in a read snapshot: it never sees half of another process's write. A read
    /// started inside `write` on the same thread sees the last committed state, not the open write.
    public func read<T>(_ body: (ReadTransaction) throws -> T) throws -> T {
        try read(releasingCache: false, body)
    }

    /// `read` for a bulk read (a review's lookups, a commit's re-check): the connection's page
    /// cache, filled to its limit by then, is emptied before the connection goes back to the
    /// pool, where it would otherwise hold those megabytes until its next use.
    func read<T>(releasingCache: Bool, _ body: (ReadTransaction) throws -> T) throws -> T {
        let connection = try idleReaders.withLock { idle throws(WorkspaceError) -> Connection in
            if let reused = idle.popLast() { return reused }
            return try Connection(path: databasePath, busyTimeout: busyTimeout, readOnlyQueries: true)
        }
        defer {
            if releasingCache { connection.releaseCache() }
            idleReaders.withLock { idle in
                if idle.count < Self.maxIdleReaders && !connection.isInTransaction { idle.append(connection) }
            }
        }
        return try Self.inTransaction(on: connection, begin: "BEGIN DEFERRED",
                                      ReadTransaction(connection: connection), body)
    }

    /// Runs `body` between `begin` and COMMIT, rolling back when it throws. Statements are reset
    /// either way: one left mid-iteration would keep the snapshot alive past the transaction.
    private static func inTransaction<Transaction: ReadTransaction, T>(
        on connection: Connection, begin: String, _ transaction: @autoclosure () -> Transaction,
        _ body: (Transaction) throws -> T
    ) throws -> T {
        try connection.execute(begin)
        let transaction = transaction()
        defer { transaction.isOpen = false }
        do {
            let result = try body(transaction)
            connection.resetStatements()
            try connection.execute("COMMIT")
            return result
        } catch {
            connection.resetStatements()
            if connection.isInTransaction { try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    /// Runs `body` in one IMMEDIATE write transaction; it commits when `body` returns and rolls
    /// back when `body` throws (the error is rethrown unchanged).
    ///
    /// IMMEDIATE takes the write lock up front, so the busy handler can wait for it; a deferred
    /// transaction that upgrades from read to write would fail at once in WAL mode.
    ///
    /// A writer in this process waits for another one here (as long as SQLite's busy timeout
    /// lets a writer in another process wait), then gets `.locked` too.
    public func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        try write(checkingForeignKeys: true, body)
    }

    public func write<T>(checkingForeignKeys: Bool, _ body: (WriteTransaction) throws -> T) throws -> T {
        try write(checkingForeignKeys: checkingForeignKeys, changesContacts: true, body)
    }

    /// `write` for a body that keeps the references between its rows right by construction (an
    /// import's tags go only to contacts it has just inserted or updated in the same
    /// transaction): SQLite then skips a lookup of the parent contact for every tag row, a
    /// third of a large import's time. SQLite only changes this setting outside a transaction.
    ///
    /// `changesContacts: false` only for the job slot's own rows (claim, end, recovery, purge):
    /// every other write moves the contacts version on, which tells a commit that its review's
    /// matches may be stale (`ReadTransaction.contactsVersion`).
    func write<T>(checkingForeignKeys: Bool, changesContacts: Bool, _ body: (WriteTransaction) throws -> T) throws -> T {
        let outcome = try writer.withLock(timeout: busyTimeout) { connection -> T in
            if connection.isInTransaction {
                throw WorkspaceError.invalid("a write transaction is already open on this thread")
            }
            if !checkingForeignKeys {
                try connection.execute("PRAGMA foreign_keys = OFF")
            }
            defer {
                if !checkingForeignKeys { try? connection.execute("PRAGMA foreign_keys = ON") }
            }
            return try Self.inTransaction(on: connection, begin: "BEGIN IMMEDIATE",
                                          WriteTransaction(connection: connection)) { transaction in
                let result = try body(transaction)
                if changesContacts { try transaction.bumpContactsVersion() }
                return result
            }
        }
        guard let outcome else { throw WorkspaceError.busy() }
        checkpointer.walGrew()
        return outcome
    }

    private func writeTyped<T>(changesContacts: Bool = true,
                               _ body: (WriteTransaction) throws(WorkspaceError) -> T) throws(WorkspaceError) -> T {
        do {
            return try write(checkingForeignKeys: true, changesContacts: changesContacts) { transaction in try body(transaction) }
        } catch let error as WorkspaceError {
            throw error
        } catch {
            throw WorkspaceError.invalid(String(describing: error))
        }
    }

    private func readTyped<T>(_ body: (ReadTransaction) throws(WorkspaceError) -> T) throws(WorkspaceError) -> T {
        do {
            return try read { transaction in try body(transaction) }
        } catch let error as WorkspaceError {
            throw error
        } catch {
            throw WorkspaceError.invalid(String(describing: error))
        }
    }

    /// Copies the WAL into the database file and truncates it (the WAL otherwise keeps the
    /// size of the largest transaction until the next checkpoint).
    public func checkpoint() throws(WorkspaceError) {
        try writer.withLock { connection throws(WorkspaceError) in
            try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// SQLite's own consistency check of the database, then that every contact's lookup keys
    /// are its phone's and e-mail's (a write that forgot them would hide the contact from
    /// matching): "ok", or what it found wrong.
    public func integrityCheck() throws(WorkspaceError) -> String {
        try readTyped { transaction throws(WorkspaceError) in
            let check = try transaction.statement("PRAGMA integrity_check")
            defer { check.reset() }
            let sqlite = try check.step() ? check.string(0) ?? "" : ""
            guard sqlite == "ok" else { return sqlite }
            let keys = try transaction.statement("""
                SELECT count(*) FROM contacts WHERE phone_key IS NOT contact_phone_key(phone) \
                OR email_key IS NOT contact_email_key(email)
                """)
            defer { keys.reset() }
            let wrong = try keys.step() ? keys.int64(0) : 0
            return wrong == 0 ? "ok" : "\(wrong) contacts have lookup keys that are not their phone's and e-mail's"
        }
    }

    /// Tests shrink the writer's page cache so a large transaction spills into the WAL before
    /// it commits (the state a crash mid-import must survive).
    func setWriterCacheSize(pages: Int) throws(WorkspaceError) {
        try writer.withLock { connection throws(WorkspaceError) in
            try connection.execute("PRAGMA cache_size = \(pages)")
        }
    }

    // MARK: files

    /// A new, unused path under `files/` for a result or error file (the folder is created if
    /// someone removed it).
    public func newFilePath(prefix: String, extension fileExtension: String = "csv", now: Date = Date()) throws(WorkspaceError) -> String {
        try Self.createFolder(filesDirectory)
        let stamp = StoredTime.milliseconds(now)
        let unique = UUID().uuidString.prefix(8).lowercased()
        let safePrefix = String(prefix.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
        return "\(filesDirectory)/\(safePrefix)-\(stamp)-\(unique).\(fileExtension)"
    }

    // MARK: jobs

    /// Takes the workspace's single import slot and records a `running` job, or throws
    /// `ImportInProgress` naming the job that holds it: at once, never after waiting for it.
    /// This is the one mechanism behind "one job at a time", for two sessions of one daemon
    /// and for daemons in different processes alike.
    ///
    /// The slot is an advisory `flock` on `import.lock`: the kernel drops it when the owning
    /// process dies, however it dies, so a crashed job never blocks the workspace and no pid is
    /// trusted. The `running` row is only the record of who holds it. Taking the slot and
    /// writing that row happen under a second lock, `claim.lock`, held for those few
    /// milliseconds only (also by the release and by recovery), so a claimant that finds the
    /// slot taken always finds the row of the job holding it.
    ///
    /// `importTag` `.automatic` is resolved here, inside the claim, to the first free
    /// `base`, `base-2`...: no other job can claim meanwhile, so every import's tag is its own.
    public func claimJob(fileName: String, importTag: ImportTagRequest, now asked: Date) throws -> ImportJob {
        let elapsed = SlotClock()
        let gate = try takeClaimGate()
        defer { releaseClaimGate(gate) }
        let fd = try openSlotFile()
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            let holder = try readTyped { transaction throws(WorkspaceError) in try transaction.runningOrNewestJob() }
            throw ImportInProgress(jobId: holder?.id ?? 0, startedAt: holder?.startedAt ?? asked)
        }
        let now = elapsed.taken(asked)
        let ends = unrecordedEnds.withLock { $0 }
        do {
            var interrupted: [Int64] = []
            let job = try write(checkingForeignKeys: true, changesContacts: false) { transaction -> ImportJob in
                // Ends this process could not record before go in first, as they were.
                for end in ends.values { try transaction.updateJob(end) }
                // Holding the slot proves no job is alive: any `running` row is a dead owner's.
                interrupted = try transaction.markRunningJobsInterrupted(now: now)
                let tag: String?
                switch importTag {
                case .none: tag = nil
                case .named(let name): tag = name
                case .automatic(let base): tag = try transaction.freeImportTag(base: base)
                }
                return try transaction.insertRunningJob(fileName: fileName, importTag: tag, now: now,
                                                         ownerStartedAt: openedAt)
            }
            removeFiles(ofJobs: interrupted)
            heldJobLocks.withLock { $0[job.id] = fd }
            unrecordedEnds.withLock { pending in for id in ends.keys { pending.removeValue(forKey: id) } }
            return job
        } catch {
            close(fd)
            throw error
        }
    }

    public func claimJob(fileName: String, importTag: String?, now: Date) throws -> ImportJob {
        try claimJob(fileName: fileName, importTag: importTag.map { .named($0) } ?? .none, now: now)
    }

    /// `claim.lock`, taken blocking: its holders keep it for a claim, a release or a recovery
    /// (milliseconds), never for a job.
    private func takeClaimGate() throws(WorkspaceError) -> Int32 {
        let gate = openLockFile(claimLockPath)
        guard gate >= 0 else { throw lockFileError(claimLockPath) }
        while flock(gate, LOCK_EX) != 0 {
            if errno != EINTR {
                let reason = String(cString: strerror(errno))
                close(gate)
                throw WorkspaceError.cannotOpen(path: claimLockPath, reason: reason)
            }
        }
        return gate
    }

    private func releaseClaimGate(_ gate: Int32) {
        flock(gate, LOCK_UN)
        close(gate)
    }

    private func openSlotFile() throws(WorkspaceError) -> Int32 {
        let fd = openLockFile(lockFilePath)
        guard fd >= 0 else { throw lockFileError(lockFilePath) }
        return fd
    }

    private func lockFileError(_ path: String) -> WorkspaceError {
        let code = errno
        if code == EACCES || code == EROFS { return WorkspaceError.readOnly(path: directory) }
        return WorkspaceError.cannotOpen(path: path, reason: String(cString: strerror(code)))
    }

    /// The result files (finished or `.partial`) of jobs that were interrupted: they describe
    /// rows that were rolled back. A job's files are named `job-<id>-…` (`ResultFiles`).
    private func removeFiles(ofJobs ids: [Int64]) {
        guard !ids.isEmpty, let names = try? FileManager.default.contentsOfDirectory(atPath: filesDirectory) else { return }
        let prefixes = ids.map { "job-\($0)-" }
        for name in names where prefixes.contains(where: { name.hasPrefix($0) }) {
            unlink(filesDirectory + "/" + name)
        }
    }

    /// Records the end of a job this process claimed and releases the slot. An import records
    /// its final row inside its own data transaction (`WriteTransaction.updateJob`) and then
    /// calls `releaseJob`, so a crash between its commit and the release cannot leave a
    /// committed job `interrupted`; `finishJob` is for endings without such a transaction
    /// (cancelled, failed).
    ///
    /// When the row cannot be written (disk full, another process holding the write lock past
    /// the busy timeout), the slot is released all the same and the end is kept in memory:
    /// `jobs` and `job(id:)` of this workspace object report it instead of `running`, and the
    /// next `claimJob` writes it before its own row. Another process sees `running` until then,
    /// and `interrupted` once it claims the slot itself (its claim marks every `running` row).
    public func finishJob(_ job: ImportJob) throws(WorkspaceError) {
        defer { releaseJobLock(job.id) }
        guard job.state != .running else {
            throw WorkspaceError.invalid("a finished job needs a final state")
        }
        do {
            try writeTyped(changesContacts: false) { transaction throws(WorkspaceError) in try transaction.updateJob(job) }
            unrecordedEnds.withLock { _ = $0.removeValue(forKey: job.id) }
        } catch {
            unrecordedEnds.withLock { $0[job.id] = job }
            throw error
        }
    }

    /// Frees the import slot of a job whose final row was written in its own transaction.
    public func releaseJob(_ job: ImportJob) {
        releaseJobLock(job.id)
    }

    /// Jobs as read, with the ends this process could not write yet in place of `running`.
    private func withUnrecordedEnds(_ jobs: [ImportJob]) -> [ImportJob] {
        let ends = unrecordedEnds.withLock { $0 }
        guard !ends.isEmpty else { return jobs }
        return jobs.map { job in job.state == .running ? ends[job.id] ?? job : job }
    }

    /// Under the claim gate, so a claimant that found the slot taken reads the holder's row
    /// before the slot is free again (`claimJob`).
    private func releaseJobLock(_ id: Int64) {
        guard let fd = heldJobLocks.withLock({ $0.removeValue(forKey: id) }) else { return }
        let gate = try? takeClaimGate()
        flock(fd, LOCK_UN)
        close(fd)
        if let gate { releaseClaimGate(gate) }
    }

    /// Newest first.
    public func jobs(limit: Int) throws(WorkspaceError) -> [ImportJob] {
        withUnrecordedEnds(try readTyped { transaction throws(WorkspaceError) in try transaction.jobs(limit: limit) })
    }

    public func job(id: Int64) throws(WorkspaceError) -> ImportJob? {
        let job = try readTyped { transaction throws(WorkspaceError) in try transaction.job(id: id) }
        return job.map { withUnrecordedEnds([$0])[0] }
    }

    /// A `running` row whose lock nobody holds belongs to a process that died: mark it.
    /// Also removes those jobs' result files, which describe rolled-back rows.
    func recoverInterruptedJobs(now: Date) throws(WorkspaceError) {
        let anyRunning = try readTyped { transaction throws(WorkspaceError) in try transaction.runningJob() != nil }
        guard anyRunning else { return }
        let gate = try takeClaimGate()
        defer { releaseClaimGate(gate) }
        let fd = openLockFile(lockFilePath)
        guard fd >= 0 else { return }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return }
        defer { flock(fd, LOCK_UN) }
        let interrupted = try writeTyped(changesContacts: false) { transaction throws(WorkspaceError) in
            try transaction.markRunningJobsInterrupted(now: now)
        }
        removeFiles(ofJobs: interrupted)
    }

    /// Runs `purgeExpiredFiles` every `interval` (an hour by default) for as long as this
    /// workspace object lives; `open` already purged once. Failures are left for the next run.
    public func startPeriodicPurge(every interval: TimeInterval = 3600, clock: @escaping @Sendable () -> Date = { Date() }) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in try? self?.purgeExpiredFiles(now: clock()) }
        purgeTimer.withLock { current in
            current?.cancel()
            current = timer
        }
        timer.resume()
    }

    /// Stops the periodic purge (the connections close with the object).
    public func closeStore() {
        purgeTimer.withLock { timer in
            timer?.cancel()
            timer = nil
        }
    }

    /// Deletes result and error files past their expiry; history keeps the rows.
    /// Files under `files/` that no job row tracks (review error files) go once they are older
    /// than the retention period. It cannot delete a file being written: a running job's
    /// result file is tracked by no row until the job completes, and is minutes old, not days.
    public func purgeExpiredFiles(now: Date) throws(WorkspaceError) {
        let (expired, kept, logs) = try readTyped { transaction throws(WorkspaceError) in
            (try transaction.expiredResultFiles(now: now), try transaction.trackedResultFiles(),
             try transaction.expiredUndoLogs(now: now))
        }
        for (_, path) in expired { unlink(path) }
        if !expired.isEmpty || !logs.isEmpty {
            // An import can be undone as long as its result file is kept; its undo log goes with it.
            try writeTyped(changesContacts: false) { transaction throws(WorkspaceError) in
                for (id, _) in expired { try transaction.markResultGone(jobID: id) }
                try transaction.dropUndoLogs(logs)
            }
        }
        let cutoff = now.addingTimeInterval(-Self.resultRetention)
        let keptPaths = Set(kept)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: filesDirectory)) ?? []
        for name in names {
            let path = filesDirectory + "/" + name
            guard !keptPaths.contains(path),
                  let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let modified = attributes[.modificationDate] as? Date,
                  modified < cutoff else { continue }
            unlink(path)
        }
    }
}

/// `updateContact` was given an id that no contact has.
public struct ContactNotFound: Error, Sendable, LocalizedDescribable {
    public let contactId: Int64
    public init(contactId: Int64) { self.contactId = contactId }
    public func message(_ locale: MessageLocale) -> String {
        LocalizedText(en: "No contact has id \(contactId).", es: "Ningún contacto tiene el id \(contactId).",
                      pt: "Nenhum contato tem o id \(contactId).").text(locale)
    }
}

/// Close-on-exec so that a child process (a test, a spawned tool) never inherits the job lock.
private func openLockFile(_ path: String) -> Int32 {
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    if fd >= 0 { fchmod(fd, 0o600) }
    return fd
}

/// Creates the database file owner-only before SQLite opens it (SQLite gives its WAL and
/// shared-memory files the database file's permissions), whatever the umask. An existing file
/// is left as it is.
private func createOwnerOnlyFile(_ path: String) {
    let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return }
    fchmod(fd, 0o600)
    close(fd)
}

/// Copies the WAL back into the database on a thread of its own once it has grown, instead of
/// in the commit that grew it (SQLite's automatic checkpoint runs inside `COMMIT`: after a
/// 200,000-row import that is a tenth of a second of a user's wait). Durability is unchanged: a
/// commit is in the WAL, synced (`synchronous = FULL`), before `COMMIT` returns, whether or not
/// it has been copied yet. Other
/// processes sharing the workspace keep SQLite's automatic checkpoints.
final class BackgroundCheckpointer: Sendable {
    /// SQLite's own automatic threshold (1000 pages of 4 KiB).
    static let threshold: Int64 = 4_096_000
    private let databasePath: String
    private let busyTimeout: TimeInterval
    private let queue = DispatchQueue(label: "contact-importd.checkpoint", qos: .utility)
    private let scheduled = Atomic<Bool>(false)
    /// Used only on `queue`; the lock is never contended and only proves that to the compiler.
    private let connection = Mutex<Connection?>(nil)

    init(databasePath: String, busyTimeout: TimeInterval) {
        self.databasePath = databasePath
        self.busyTimeout = busyTimeout
    }

    /// Called after each commit of this process: schedules a checkpoint when the WAL is large.
    func walGrew() {
        var info = stat()
        guard stat(databasePath + "-wal", &info) == 0, Int64(info.st_size) >= Self.threshold else { return }
        guard scheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        queue.async { [self] in
            scheduled.store(false, ordering: .releasing)
            connection.withLock { connection in
                do {
                    if connection == nil {
                        connection = try Connection(path: databasePath, busyTimeout: busyTimeout, readOnlyQueries: false)
                    }
                    // PASSIVE never waits for readers or writers: what it cannot copy now, the next one will.
                    try connection?.execute("PRAGMA wal_checkpoint(PASSIVE)")
                } catch {
                    connection = nil
                }
            }
        }
    }
}
