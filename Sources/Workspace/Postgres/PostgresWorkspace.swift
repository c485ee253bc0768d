import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Contacts
import Localization

/// A workspace in a PostgreSQL database, shared by any number of daemons on any number of
/// machines. Safe to use from several threads.
///
/// Connections: a small pool (libpq connections are not thread-safe, so each use takes one
/// for itself), plus one connection per job this store claimed, which holds the workspace's
/// job slot (a session-level advisory lock) and runs that job's write transaction: if the
/// daemon dies, the server ends the session, rolls the transaction back and frees the slot.
///
/// Writers to contacts exclude one another with `LOCK TABLE contacts IN SHARE ROW EXCLUSIVE
/// MODE` for their whole transaction (readers are not blocked), which is what the import's
/// re-check relies on: a lookup begun while `writeImport` is open sees the state it started from.
public final class PostgresWorkspace: Sendable {
    /// How long a writer waits for another's lock before giving up with `.locked` (as SQLite's busy timeout).
    static let lockTimeout = "5s"
    private static let maxIdle = 4

    public let displayName: String
    /// The schema holding the workspace's tables.
    public let schema: String
    /// This machine's copies of the result and error files.
    public let filesDirectory: String
    private let conninfo: String
    private let openedAt: Date
    private let idle = Locked<[PGConnection]>([])
    /// The job this store holds the slot for, and the connection holding it.
    private let held = Locked<(id: Int64, connection: PGConnection)?>(nil)
    /// Final rows of this store's jobs that could not be written (see `finishJob`).
    private let unrecordedEnds = Mutex<[Int64: ImportJob]>([:])
    private let purgeTimer = Locked<(any DispatchSourceTimer)?>(nil)

    public var location: WorkspaceLocation { .postgres(conninfo: conninfo) }

    /// Connects, creates or migrates the schema, recovers jobs whose daemon died and runs retention.
    public static func open(conninfo: String, filesDirectory: String? = nil,
                            now: Date = Date()) throws(WorkspaceError) -> PostgresWorkspace {
        let parsed = displayConninfo(conninfo)
        guard let display = parsed.display else {
            throw WorkspaceError.postgres(redactPasswords(conninfo), reason: parsed.problem ?? "unreadable connection string",
                                          kind: .cannotOpen, connecting: true)
        }
        let first = try PGConnection(conninfo: conninfo, display: display)
        let schema = try PGSchema.name(first)
        try PGSchema.migrate(first, schema: schema)
        try configure(first, schema: schema)
        let files = filesDirectory ?? defaultFilesDirectory(identity: first.serverIdentity + "|" + schema)
        try createFolder(files, display: display)
        let workspace = PostgresWorkspace(conninfo: conninfo, display: display, schema: schema, files: files, now: now)
        workspace.idle.withLock { $0.append(first) }
        try workspace.recoverInterruptedJobs(now: now)
        try workspace.purgeExpiredFiles(now: now)
        return workspace
    }

    private init(conninfo: String, display: String, schema: String, files: String, now: Date) {
        self.conninfo = conninfo
        displayName = display
        self.schema = schema
        filesDirectory = files
        openedAt = now
    }

    deinit {
        purgeTimer.withLock { $0?.cancel() }
    }

    /// `$XDG_DATA_HOME/contact-importer/files/<hash>` (or under `~/.local/share`), one folder
    /// per server, database and schema, so two workspaces never share file names.
    public static func defaultFilesDirectory(identity: String,
                                             environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in identity.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let name = String(hash, radix: 16)
        let base: String
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            base = data
        } else {
            base = (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? homeDirectory()) + "/.local/share"
        }
        return base + "/contact-importer/files/" + name
    }

    private static func configure(_ connection: PGConnection, schema: String) throws(WorkspaceError) {
        // No JIT: our statements are short, and a stale row estimate after a bulk load made
        // the server spend a tenth of a second compiling each lookup.
        try connection.execute("SET client_encoding TO 'UTF8'; SET jit = off; SET search_path TO \(PGSchema.quoted(schema))")
        // A daemon killed while the server runs one of its long statements (an import's
        // INSERT … SELECT) would otherwise hold its transaction, and the job slot, until that
        // statement ends: the server looks at the connection only between statements. With
        // this it checks every 200 ms and rolls back, so the job is `interrupted` at once.
        // PostgreSQL 14 and later; an older server keeps its default.
        try? connection.execute("SET client_connection_check_interval = '200ms'")
    }

    private static func createFolder(_ path: String, display: String) throws(WorkspaceError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw WorkspaceError(kind: .cannotOpen, text: LocalizedText(
                en: "The folder \(path) for the result files of the PostgreSQL workspace \(display) cannot be created.",
                es: "No se puede crear la carpeta \(path) para los archivos de resultados del espacio de trabajo PostgreSQL \(display).",
                pt: "Não é possível criar a pasta \(path) para os arquivos de resultado do espaço de trabalho PostgreSQL \(display)."))
        }
    }

    // MARK: connections

    /// A pooled connection that still answers, else a new one. The empty query costs one
    /// round trip and spares the caller an error after the server restarted or ended idle
    /// sessions (all pooled connections are then stale, so they all go).
    private func connect() throws(WorkspaceError) -> PGConnection {
        if let reused = idle.withLock({ $0.popLast() }) {
            if (try? reused.execute("")) != nil, reused.isHealthy { return reused }
            idle.withLock { $0.removeAll() }
        }
        let connection = try PGConnection(conninfo: conninfo, display: displayName)
        try Self.configure(connection, schema: schema)
        return connection
    }

    private func giveBack(_ connection: PGConnection) {
        guard connection.isHealthy, connection.isIdle else { return }
        idle.withLock { pool in
            if pool.count < Self.maxIdle { pool.append(connection) }
        }
    }

    private func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let connection = try connect()
        defer { giveBack(connection) }
        return try body(connection)
    }

    /// Runs `body` between `begin` and COMMIT on `connection`, rolling back when it throws.
    private static func inTransaction<T>(_ connection: PGConnection, begin: String, _ body: () throws -> T) throws -> T {
        try connection.execute(begin)
        do {
            let result = try body()
            try connection.execute("COMMIT")
            return result
        } catch {
            if connection.isHealthy { try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    /// One snapshot for the whole of `body` (REPEATABLE READ; not READ ONLY, which would
    /// forbid the temporary table of batch lookups).
    func read<T>(_ body: (PGReadTransaction) throws -> T) throws -> T {
        try withConnection { connection in
            try Self.inTransaction(connection, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ") {
                try body(PGReadTransaction(connection: connection))
            }
        }
    }

    /// A write transaction holding the contacts' write lock, on `connection` or a pooled one.
    func write<T>(on dedicated: PGConnection? = nil, _ body: (PGWriteTransaction) throws -> T) throws -> T {
        if let dedicated { return try write(connection: dedicated, body) }
        return try withConnection { try write(connection: $0, body) }
    }

    private func write<T>(connection: PGConnection, _ body: (PGWriteTransaction) throws -> T) throws -> T {
        try Self.inTransaction(connection, begin: """
            BEGIN; SET LOCAL lock_timeout = '\(Self.lockTimeout)'; LOCK TABLE contacts IN SHARE ROW EXCLUSIVE MODE
            """) {
            let transaction = PGWriteTransaction(connection: connection)
            transaction.storeResultFile = { [self] job, connection throws(WorkspaceError) in
                try storeResultFile(of: job, on: connection)
            }
            let result = try body(transaction)
            // Last, so the body's own `contactsVersion()` read the version its snapshot started from.
            try connection.query("UPDATE workspace_state SET contacts_version = contacts_version + 1 WHERE id = 1")
            return result
        }
    }

    /// Job rows and small writes that need no lock on the contacts.
    private func plainWrite<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try withConnection { connection in
            try Self.inTransaction(connection, begin: "BEGIN") { try body(connection) }
        }
    }

    private func typed<T>(_ body: () throws -> T) throws(WorkspaceError) -> T {
        do {
            return try body()
        } catch let error as WorkspaceError {
            throw error
        } catch {
            throw WorkspaceError.invalid(String(describing: error))
        }
    }

    // MARK: files

    public func newFilePath(prefix: String, extension fileExtension: String, now: Date) throws(WorkspaceError) -> String {
        try Self.createFolder(filesDirectory, display: displayName)
        let stamp = StoredTime.milliseconds(now)
        let unique = UUID().uuidString.prefix(8).lowercased()
        let safePrefix = String(prefix.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
        return "\(filesDirectory)/\(safePrefix)-\(stamp)-\(unique).\(fileExtension)"
    }

    /// Called as a job's final row is written, in the same transaction: its result file goes
    /// into the database with it (once; an undo rewriting the original's row keeps the stored copy).
    private func storeResultFile(of job: ImportJob, on connection: PGConnection) throws(WorkspaceError) {
        guard job.resultAvailable, let path = job.resultFilePath, let expires = job.resultExpiresAt else { return }
        let name = lastPathComponent(path)
        let present = try connection.query("SELECT 1 FROM result_files WHERE name = $1", [.text(name)])
        guard present.count == 0 else { return }
        guard let content = FileManager.default.contents(atPath: path) else {
            try connection.query("UPDATE import_jobs SET result_available = false WHERE id = $1", [PGValue(job.id)])
            return
        }
        try connection.query("INSERT INTO result_files (name, job_id, content, expires_at) VALUES ($1, $2, $3, $4)",
                             [.text(name), PGValue(job.id), .bytes(content), PGValue(expires)])
    }

    /// Rows as read, made this machine's: the file's path in this store's folder, fetched from
    /// the database when another daemon wrote it (or it was deleted here).
    private func localized(_ jobs: [ImportJob]) -> [ImportJob] {
        let ends = unrecordedEnds.withLock { $0 }
        return jobs.map { stored in
            var job = stored.state == .running ? ends[stored.id] ?? stored : stored
            guard let name = job.resultFilePath else { return job }
            let path = filesDirectory + "/" + lastPathComponent(name)
            job.resultFilePath = path
            if job.resultAvailable && !FileManager.default.fileExists(atPath: path) {
                job.resultAvailable = materialise(name: lastPathComponent(name), at: path)
            }
            return job
        }
    }

    private func materialise(name: String, at path: String) -> Bool {
        guard let content = try? withConnection({ connection -> Data? in
            let row = try connection.query("SELECT content FROM result_files WHERE name = $1", [.text(name)])
            return row.count > 0 ? row.bytes(0, 0) : nil
        }) else { return false }
        try? Self.createFolder(filesDirectory, display: displayName)
        let partial = path + ".partial-\(UUID().uuidString.prefix(8))"
        guard FileManager.default.createFile(atPath: partial, contents: content, attributes: [.posixPermissions: 0o600]) else {
            return false
        }
        guard rename(partial, path) == 0 else {
            unlink(partial)
            return false
        }
        return true
    }

    private func removeFiles(ofJobs ids: [Int64]) {
        guard !ids.isEmpty, let names = try? FileManager.default.contentsOfDirectory(atPath: filesDirectory) else { return }
        let prefixes = ids.map { "job-\($0)-" }
        for name in names where prefixes.contains(where: { name.hasPrefix($0) }) {
            unlink(filesDirectory + "/" + name)
        }
    }

    // MARK: jobs and the slot

    private var lockKey: [PGValue] { [PGValue(Int(PGSchema.slotLockClass)), .text(schema)] }
    private var gateKey: [PGValue] { [PGValue(Int(PGSchema.claimGateClass)), .text(schema)] }

    /// Marks every `running` job `interrupted` (the caller holds the slot, so their owners are
    /// dead) and drops their stored files; returns their ids.
    private static func markRunningJobsInterrupted(on connection: PGConnection, now: Date) throws(WorkspaceError) -> [Int64] {
        let rows = try connection.query("UPDATE import_jobs SET state = 'interrupted', finished_at = $1 WHERE state = 'running' RETURNING id",
                                        [PGValue(now)])
        let ids = (0..<rows.count).map { rows.int64($0, 0) }
        if !ids.isEmpty {
            try connection.query("DELETE FROM result_files WHERE job_id = ANY($1::bigint[])",
                                 [.text("{" + ids.map(String.init).joined(separator: ",") + "}")])
        }
        return ids
    }

    /// The slot is a session-level advisory lock taken with `pg_try_advisory_lock` in the
    /// transaction that writes the `running` row. A transaction-level lock (the claim gate) is
    /// held around that and around a loser's reading of the holder's row and a release, so a
    /// loser always finds the row of the job that holds the slot.
    public func claimJob(fileName: String, importTag: ImportTagRequest, now asked: Date) throws -> ImportJob {
        let elapsed = SlotClock()
        let connection = try connect()
        var locked = false
        do {
            let ends = unrecordedEnds.withLock { $0 }
            var interrupted: [Int64] = []
            let outcome = try Self.inTransaction(connection, begin: "BEGIN") { () throws -> Result<ImportJob, ImportInProgress> in
                try connection.query("SELECT pg_advisory_xact_lock($1::int, hashtext($2))", gateKey)
                let got = try connection.query("SELECT pg_try_advisory_lock($1::int, hashtext($2))", lockKey).bool(0, 0)
                let reads = PGReadTransaction(connection: connection)
                guard got else {
                    let holder = try reads.runningJob() ?? reads.jobs(limit: 1).first
                    return .failure(ImportInProgress(jobId: holder?.id ?? 0, startedAt: holder?.startedAt ?? asked))
                }
                locked = true
                let now = elapsed.taken(asked)
                for end in ends.values { try PGWriteTransaction.updateJob(end, on: connection) }
                interrupted = try Self.markRunningJobsInterrupted(on: connection, now: now)
                let tag: String?
                switch importTag {
                case .none: tag = nil
                case .named(let name): tag = name
                case .automatic(let base): tag = try reads.freeImportTag(base: base)
                }
                let row = try connection.query("""
                    INSERT INTO import_jobs (file_name, state, import_tag, started_at, owner_pid, owner_host, owner_started_at) \
                    VALUES ($1, 'running', $2, $3, $4, $5, $6) RETURNING id
                    """, [.text(fileName), PGValue(tag), PGValue(now), PGValue(Int(getpid())),
                          .text(ProcessInfo.processInfo.hostName), PGValue(openedAt)])
                return .success(ImportJob(id: row.int64(0, 0), fileName: fileName, state: .running, counts: JobCounts(),
                                          importTag: tag, startedAt: StoredTime.rounded(now), finishedAt: nil,
                                          resultFilePath: nil, resultExpiresAt: nil, resultAvailable: false))
            }
            switch outcome {
            case .failure(let busy):
                giveBack(connection)
                throw busy
            case .success(let job):
                removeFiles(ofJobs: interrupted)
                unrecordedEnds.withLock { pending in for id in ends.keys { pending.removeValue(forKey: id) } }
                held.withLock { $0 = (job.id, connection) }
                return job
            }
        } catch {
            // A session lock outlives a rolled-back transaction: give it back by hand.
            if locked && connection.isHealthy {
                _ = try? connection.query("SELECT pg_advisory_unlock($1::int, hashtext($2))", lockKey)
            }
            if !(error is ImportInProgress) { giveBack(connection) }
            throw error
        }
    }

    /// As `Workspace.finishJob`: the final row, then the slot; a row that cannot be written is
    /// kept in memory (reported by `jobs`, written by the next claim).
    public func finishJob(_ job: ImportJob) throws(WorkspaceError) {
        defer { releaseSlot(job.id) }
        guard job.state != .running else { throw WorkspaceError.invalid("a finished job needs a final state") }
        let own = held.withLock { $0?.id == job.id ? $0?.connection : nil }
        do {
            try typed {
                if let own, own.isHealthy, own.isIdle {
                    try PGWriteTransaction.updateJob(job, on: own)
                } else {
                    try withConnection { try PGWriteTransaction.updateJob(job, on: $0) }
                }
            }
            unrecordedEnds.withLock { _ = $0.removeValue(forKey: job.id) }
        } catch {
            unrecordedEnds.withLock { $0[job.id] = job }
            throw error
        }
    }

    public func releaseJob(_ job: ImportJob) {
        releaseSlot(job.id)
    }

    private func releaseSlot(_ id: Int64) {
        guard let connection = held.withLock({ current -> PGConnection? in
            guard let entry = current, entry.id == id else { return nil }
            current = nil
            return entry.connection
        }) else { return }
        // A connection that died has lost its lock with it; it is simply dropped.
        guard connection.isHealthy else { return }
        if !connection.isIdle { try? connection.execute("ROLLBACK") }
        do {
            try Self.inTransaction(connection, begin: "BEGIN") {
                try connection.query("SELECT pg_advisory_xact_lock($1::int, hashtext($2))", gateKey)
                try connection.query("SELECT pg_advisory_unlock($1::int, hashtext($2))", lockKey)
            }
            giveBack(connection)
        } catch {
            // Unsure whether the lock is still held: closing the connection frees it for sure.
        }
    }

    /// A `running` row whose slot nobody holds belongs to a daemon that died: mark it.
    func recoverInterruptedJobs(now: Date) throws(WorkspaceError) {
        try typed {
            let anyRunning = try read { try $0.runningJob() != nil }
            guard anyRunning else { return }
            let interrupted = try withConnection { connection -> [Int64] in
                let ids = try Self.inTransaction(connection, begin: "BEGIN") { () throws -> [Int64]? in
                    try connection.query("SELECT pg_advisory_xact_lock($1::int, hashtext($2))", gateKey)
                    guard try connection.query("SELECT pg_try_advisory_lock($1::int, hashtext($2))", lockKey).bool(0, 0) else {
                        return nil
                    }
                    return try Self.markRunningJobsInterrupted(on: connection, now: now)
                }
                if ids != nil { try connection.query("SELECT pg_advisory_unlock($1::int, hashtext($2))", lockKey) }
                return ids ?? []
            }
            removeFiles(ofJobs: interrupted)
        }
    }

    public func jobs(limit: Int) throws(WorkspaceError) -> [ImportJob] {
        localized(try typed { try read { try $0.jobs(limit: limit) } })
    }

    public func job(id: Int64) throws(WorkspaceError) -> ImportJob? {
        localized(try typed { try read { try $0.job(id: id) } }.map { [$0] } ?? []).first
    }

    // MARK: retention

    public func startPeriodicPurge(every interval: TimeInterval, clock: @escaping @Sendable () -> Date) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in try? self?.purgeExpiredFiles(now: clock()) }
        purgeTimer.withLock { current in
            current?.cancel()
            current = timer
        }
        timer.resume()
    }

    /// Drops the workspace's schema with everything in it (benchmarks and tests use a
    /// schema per run). The store is unusable afterwards.
    public func dropSchema() throws(WorkspaceError) {
        closeStore()
        let connection = try PGConnection(conninfo: conninfo, display: displayName)
        try connection.execute("DROP SCHEMA IF EXISTS \(PGSchema.quoted(schema)) CASCADE")
    }

    public func closeStore() {
        purgeTimer.withLock { timer in
            timer?.cancel()
            timer = nil
        }
        idle.withLock { $0.removeAll() }
    }

    /// As `Workspace.purgeExpiredFiles`, for every daemon at once: the expired files' rows go
    /// from the database, and each daemon's run deletes its own copies of files whose job no
    /// longer offers them (whoever expired them) and untracked files past the retention period.
    public func purgeExpiredFiles(now: Date) throws(WorkspaceError) {
        let cutoff = now.addingTimeInterval(-Workspace.resultRetention)
        let (gone, kept) = try typed {
            try plainWrite { connection -> ([String], Set<String>) in
                try connection.query("""
                    UPDATE import_jobs SET result_available = false WHERE result_available AND result_expires_at <= $1
                    """, [PGValue(now)])
                try connection.query("DELETE FROM result_files WHERE expires_at <= $1", [PGValue(now)])
                try connection.query("""
                    DELETE FROM import_undo_log WHERE job_id IN (SELECT id FROM import_jobs j WHERE j.result_expires_at <= $1 \
                    OR (j.result_expires_at IS NULL AND j.finished_at <= $2))
                    """, [PGValue(now), PGValue(cutoff)])
                let names = try connection.query("SELECT result_path, result_available FROM import_jobs WHERE result_path IS NOT NULL")
                var gone: [String] = []
                var kept = Set<String>()
                for row in 0..<names.count {
                    guard let name = names.string(row, 0) else { continue }
                    if names.bool(row, 1) { kept.insert(lastPathComponent(name)) } else { gone.append(name) }
                }
                return (gone, kept)
            }
        }
        for name in gone { unlink(filesDirectory + "/" + lastPathComponent(name)) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: filesDirectory)) ?? []
        // Files this machine wrote for jobs that another daemon found dead (their rows were rolled back).
        let jobIDs = Set(names.compactMap { name -> Int64? in
            guard name.hasPrefix("job-") else { return nil }
            return Int64(name.dropFirst(4).prefix { $0.isNumber })
        })
        if !jobIDs.isEmpty {
            let dead = try typed {
                try read { tx in
                    let rows = try tx.connection.query("SELECT id FROM import_jobs WHERE state = 'interrupted' AND id = ANY($1::bigint[])",
                                                       [.text("{" + jobIDs.map(String.init).joined(separator: ",") + "}")])
                    return (0..<rows.count).map { rows.int64($0, 0) }
                }
            }
            removeFiles(ofJobs: dead)
        }
        for name in names where !kept.contains(name) {
            let path = filesDirectory + "/" + name
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let modified = attributes[.modificationDate] as? Date, modified < cutoff else { continue }
            unlink(path)
        }
    }
}

extension PostgresWorkspace: WorkspaceStore {
    public func fields() throws(WorkspaceError) -> [FieldDefinition] {
        try typed { try read { try $0.fields() } }
    }

    public func lookUp<T>(_ body: (any ContactLookup) throws -> T) throws -> T {
        try read { try body($0) }
    }

    public func freeImportTag(base: String) throws -> String {
        try read { try $0.freeImportTag(base: base) }
    }

    /// On the connection that holds this store's job slot, when it holds one: that job's
    /// writes then end with its session, however the daemon ends.
    public func writeImport<T>(_ body: (any ImportTransaction) throws -> T) throws -> T {
        let own = held.withLock { $0?.connection }
        return try write(on: own) { try body($0) }
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

    public func readContacts<T>(_ body: (any ContactReads) throws -> T) throws -> T {
        try read { try body($0) }
    }

    public func writeContacts<T>(_ body: (any ContactWrites) throws -> T) throws -> T {
        try write { try body($0) }
    }

    public func holdWrite(count: Int, now: Date, whileOpen: () throws -> Void) throws {
        let own = held.withLock { $0?.connection }
        try write(on: own) { transaction in
            let millis = PGValue(StoredTime.milliseconds(now))
            let rows = try transaction.connection.query("""
                INSERT INTO contacts (first_name, phone, email, created_at, updated_at) \
                SELECT 'Held ' || i, '+1212' || (2000000 + i), 'held' || i || '@example.com', $1, $1 \
                FROM generate_series(0, $2 - 1) i RETURNING id
                """, [millis, PGValue(count)])
            if rows.count > 0 {
                try transaction.connection.query("""
                    INSERT INTO contact_tags (contact_id, tag_key, tag, position) \
                    SELECT id, 'held', 'held', 0 FROM contacts WHERE updated_at = $1 AND first_name LIKE 'Held %' \
                    ON CONFLICT DO NOTHING
                    """, [millis])
            }
            try whileOpen()
        }
    }
}
