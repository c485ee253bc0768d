import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import Contacts
import Localization

/// SQLite must copy bound text: our Swift strings do not outlive the bind call.
/// (The C macro `SQLITE_TRANSIENT` is `(sqlite3_destructor_type)-1`, which Swift cannot import.)
private var transientDestructor: sqlite3_destructor_type {
    unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}

/// One SQLite connection and its prepared statements. Not thread-safe: `Workspace` only touches
/// it while holding the lock that owns it.
final class Connection {
    /// Page cache sizes. The writer's holds an import's changed pages until the commit. What it
    /// must keep is the lookup index that a large import's adds reach at random (the other one
    /// takes them in order, see `ImportTransaction.write`), plus the pages streaming past: for a
    /// 1,000,000-contact workspace its 17 MB phone-key index and a few MB. With text keys (a
    /// 21 MB index) 26 MB rather than 32 took 6 MB off a 200,000-row import's peak for about
    /// 0.1 s more of its commit; with integer keys 24 MB keeps that peak under 100 MB (97-99
    /// against 101 MB at 26), its commit within the runs' noise (`contact-import-bench import`:
    /// 1.69-1.77 s at 24 MB, 1.56-1.72 at 26, 1.63-1.85 at 22). A reader's bulk lookups go in index order (`ReviewPlanner.matchAll`), so each
    /// leaf page is read about once and only the interior pages need to stay cached: 4 MB rather
    /// than 16 took 10 MB off a 200,000-row review's peak with no change in its time we could
    /// measure.
    static let writerCacheKilobytes = 24_576
    static let readerCacheKilobytes = 4_096
    let path: String
    private(set) var handle: OpaquePointer?
    private var statements: [String: Statement] = [:]
    private var hotStatements = [Statement?](repeating: nil, count: HotStatement.allCases.count)

    /// Memory statistics cost a global mutex on every allocation, shared by all connections;
    /// nothing reads them. Must happen before SQLite initializes, hence once, before any open.
    private static let processWideSettings: Bool = {
        csqlite_config_memstatus(0) == SQLITE_OK
    }()

    init(path: String, busyTimeout: TimeInterval, readOnlyQueries: Bool) throws(WorkspaceError) {
        self.path = path
        _ = Self.processWideSettings
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = WorkspaceError.fromSQLite(code: rc, systemErrno: db.map { sqlite3_system_errno($0) } ?? 0,
                                                   detail: db.map { String(cString: sqlite3_errmsg($0)) } ?? "",
                                                   path: path, opening: true)
            sqlite3_close_v2(db)
            throw error
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        // A file SQLite can only read is opened read-only without complaint; a workspace we
        // cannot write is useless for imports, so say so now rather than at the first commit.
        if sqlite3_db_readonly(db, "main") == 1 {
            close()
            throw WorkspaceError.readOnly(path: path)
        }
        // The busy handler waits (sleeping with back-off) for another process's write lock or a
        // checkpoint; past the timeout the caller gets `.locked`, never a raw "database is locked".
        sqlite3_busy_timeout(db, Int32(max(0, min(busyTimeout * 1000, Double(Int32.max)))))
        try registerLookupKeyFunctions(db)
        let feed = RowFeed.register(on: db)
        guard feed == SQLITE_OK else {
            close()
            throw WorkspaceError.fromSQLite(code: feed, systemErrno: 0, detail: "cannot register import_rows", path: path, opening: true)
        }
        try execute("PRAGMA foreign_keys = ON")
        // FULL: every COMMIT syncs the write-ahead log, so a job the daemon reports `completed`
        // survives power loss or a system crash, as protocol/README.md promises (§7.6). NORMAL
        // would sync only at checkpoints: still all or nothing, but the last completed imports
        // could vanish after a power cut while their result files and replies said otherwise.
        // Measured with `contact-import-bench import`: about 0.1 s of a 200,000-row commit.
        try execute("PRAGMA synchronous = FULL")
        if readOnlyQueries {
            // No mapped reads: every page a review's lookups touched stayed resident in the
            // daemon (about 60 MB of a 1,000,000-contact workspace, counted in its RSS until
            // the kernel wanted them back). The lookups go in index order, so read() serves
            // them about as well: `contact-import-bench import` showed no review-time change
            // we could tell from run-to-run noise (about 0.2 s in 2-4 s on a loaded machine).
            try execute("PRAGMA mmap_size = 0")
            try execute("PRAGMA cache_size = -\(Self.readerCacheKilobytes)")
        } else {
            // The writer changes what it reads, and SQLite copies every page it changes into
            // its cache anyway: mapped reads would keep a second copy of the same pages
            // resident. Room for a large import's working set before pages spill to the WAL
            // mid-transaction (allocated only as used).
            try execute("PRAGMA mmap_size = 0")
            try execute("PRAGMA temp_store = MEMORY")
            try execute("PRAGMA cache_size = -\(Self.writerCacheKilobytes)")
        }
        // A large import grows the WAL; once checkpointed, give the disk space back.
        try execute("PRAGMA journal_size_limit = 16777216")
        // CREATE INDEX after a bulk load sorts with a helper thread.
        try execute("PRAGMA threads = 2")
        if readOnlyQueries { try execute("PRAGMA query_only = ON") }
    }

    deinit { close() }

    /// `contact_phone_key(text)` and `contact_email_key(text)`: `LookupKeys` for SQL, so that
    /// every statement that stores a phone or an e-mail stores its key from the same code (NULL
    /// for NULL or empty text). Registered on every connection: the schema's migrations and
    /// the lookups use them.
    private func registerLookupKeyFunctions(_ db: OpaquePointer) throws(WorkspaceError) {
        let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS
        let functions: [(String, @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void)] = [
            ("contact_phone_key", { context, _, arguments in Connection.resultKey(context, arguments, LookupKeys.phone) }),
            ("contact_email_key", { context, _, arguments in Connection.resultKey(context, arguments, LookupKeys.email) }),
        ]
        for (name, function) in functions {
            let rc = sqlite3_create_function_v2(db, name, 1, flags, nil, function, nil, nil, nil)
            guard rc == SQLITE_OK else {
                close()
                throw WorkspaceError.fromSQLite(code: rc, systemErrno: 0, detail: "cannot register \(name)", path: path, opening: true)
            }
        }
    }

    private static func resultKey(_ context: OpaquePointer?, _ arguments: UnsafeMutablePointer<OpaquePointer?>?,
                                  _ key: (UnsafeBufferPointer<UInt8>) -> Int64) {
        guard let argument = arguments?[0], sqlite3_value_type(argument) != SQLITE_NULL,
              let text = sqlite3_value_text(argument) else { return sqlite3_result_null(context) }
        let count = Int(sqlite3_value_bytes(argument))
        guard count > 0 else { return sqlite3_result_null(context) }
        sqlite3_result_int64(context, key(UnsafeBufferPointer(start: text, count: count)))
    }

    func close() {
        for statement in statements.values { statement.finalize() }
        statements.removeAll()
        hotStatements = hotStatements.map { _ in nil }
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs SQL that returns no rows we need (pragmas, DDL, transaction control).
    func execute(_ sql: String) throws(WorkspaceError) {
        guard let handle else { throw WorkspaceError.closed() }
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let detail = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw error(rc, detail: detail)
        }
    }

    /// A cached prepared statement, reset and with its bindings cleared.
    func statement(_ sql: String) throws(WorkspaceError) -> Statement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        guard let handle else { throw WorkspaceError.closed() }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else { throw error(rc) }
        let statement = Statement(raw: raw, connection: self)
        statements[sql] = statement
        return statement
    }

    func statement(_ hot: HotStatement) throws(WorkspaceError) -> Statement {
        if let cached = hotStatements[hot.rawValue] {
            cached.reset()
            return cached
        }
        let statement = try statement(hot.sql)
        hotStatements[hot.rawValue] = statement
        return statement
    }

    /// Resets every cached statement: DDL fails while a statement is still mid-read.
    func resetStatements() {
        for statement in statements.values { statement.reset() }
    }

    /// Frees the pages this connection's cache holds (none is in use between transactions):
    /// after a bulk read the cache would otherwise keep its full size while the connection
    /// waits in the pool.
    func releaseCache() {
        if let handle { _ = sqlite3_db_release_memory(handle) }
    }

    var lastInsertRowID: Int64 { handle.map { sqlite3_last_insert_rowid($0) } ?? 0 }
    var changes: Int { handle.map { Int(sqlite3_changes($0)) } ?? 0 }
    var isInTransaction: Bool { handle.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    func error(_ rc: Int32, detail: String? = nil) -> WorkspaceError {
        let message = detail ?? handle.map { String(cString: sqlite3_errmsg($0)) } ?? ""
        return WorkspaceError.fromSQLite(code: rc, systemErrno: handle.map { sqlite3_system_errno($0) } ?? 0,
                                         detail: message, path: path, opening: false)
    }
}

/// A prepared statement with typed binding by parameter name (`:name`) and 0-based column reads.
/// A name is resolved to its index once with `parameter(_:)` where a statement runs per row.
final class Statement {
    private var raw: OpaquePointer?
    private unowned let connection: Connection

    init(raw: OpaquePointer, connection: Connection) {
        self.raw = raw
        self.connection = connection
    }

    func finalize() {
        sqlite3_finalize(raw)
        raw = nil
    }

    func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    /// A parameter of this statement, found by its name once.
    struct Parameter {
        fileprivate let index: Int32
    }

    /// The statement's n-th parameter (from 1), without looking its name up (a C string made
    /// and the names searched per call showed in profiles of a review's 190,000 lookups).
    func parameter(at position: Int32) -> Parameter { Parameter(index: position) }

    /// Parameter `name` (with its `:`); an error names a parameter the SQL lacks.
    func parameter(_ name: String) throws(WorkspaceError) -> Parameter {
        let index = sqlite3_bind_parameter_index(raw, name)
        guard index > 0 else { throw WorkspaceError.invalid("no parameter \(name) in the statement") }
        return Parameter(index: index)
    }

    func bind(_ name: String, _ value: String?) throws(WorkspaceError) { try bind(try parameter(name), value) }
    func bind(_ name: String, _ value: Int64?) throws(WorkspaceError) { try bind(try parameter(name), value) }
    func bind(_ name: String, _ value: Int?) throws(WorkspaceError) { try bind(try parameter(name), value) }
    func bind(_ name: String, _ value: Bool) throws(WorkspaceError) { try bind(try parameter(name), value) }
    func bind(_ name: String, _ value: Date?) throws(WorkspaceError) { try bind(try parameter(name), value) }

    func bind(_ parameter: Parameter, _ value: String?) throws(WorkspaceError) { try bind(parameter.index, value) }
    func bind(_ parameter: Parameter, _ value: Int64?) throws(WorkspaceError) { try bind(parameter.index, value) }
    func bind(_ parameter: Parameter, _ value: Int?) throws(WorkspaceError) { try bind(parameter.index, value.map(Int64.init)) }
    func bind(_ parameter: Parameter, _ value: Bool) throws(WorkspaceError) { try bind(parameter.index, value) }
    func bind(_ parameter: Parameter, _ value: Date?) throws(WorkspaceError) { try bind(parameter.index, value.map(StoredTime.milliseconds)) }

    private func bind(_ index: Int32, _ value: String?) throws(WorkspaceError) {
        guard var value else { return try check(sqlite3_bind_null(raw, index)) }
        let rc = value.withUTF8 { bytes in
            sqlite3_bind_text(raw, index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                              Int32(bytes.count), transientDestructor)
        }
        try check(rc)
    }

    /// Binds UTF-8 bytes as text (copied by SQLite), without a `String` made of them.
    func bindText(_ parameter: Parameter, utf8 bytes: UnsafeBufferPointer<UInt8>) throws(WorkspaceError) {
        try check(sqlite3_bind_text(raw, parameter.index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                    Int32(bytes.count), transientDestructor))
    }

    /// Binds UTF-8 bytes as text without copying them: SQLite reads them when the statement
    /// runs, so they must stay valid until then and the binding must be cleared
    /// (`clearBindings`) before they are released.
    func bindBorrowedText(_ parameter: Parameter, utf8 bytes: UnsafeBufferPointer<UInt8>) throws(WorkspaceError) {
        try check(sqlite3_bind_text(raw, parameter.index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                    Int32(bytes.count), nil))
    }

    /// Binds a pointer only a function of ours reads back (`sqlite3_value_pointer` with the
    /// same `type`, which must be static); SQL itself never sees it.
    func bindPointer(_ parameter: Parameter, _ pointer: UnsafeMutableRawPointer, type: UnsafePointer<CChar>) throws(WorkspaceError) {
        try check(sqlite3_bind_pointer(raw, parameter.index, pointer, type, nil))
    }

    /// Every parameter back to NULL (no borrowed bytes left bound).
    func clearBindings() {
        sqlite3_clear_bindings(raw)
    }

    private func bind(_ index: Int32, _ value: Int64?) throws(WorkspaceError) {
        guard let value else { return try check(sqlite3_bind_null(raw, index)) }
        try check(sqlite3_bind_int64(raw, index, value))
    }

    private func bind(_ index: Int32, _ value: Bool) throws(WorkspaceError) {
        try check(sqlite3_bind_int64(raw, index, value ? 1 : 0))
    }

    /// Advances to the next row; false when done. Errors (busy, disk full...) are typed.
    func step() throws(WorkspaceError) -> Bool {
        let rc = sqlite3_step(raw)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.error(rc)
            sqlite3_reset(raw)
            throw error
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws(WorkspaceError) {
        while try step() {}
        sqlite3_reset(raw)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(raw, column) == SQLITE_NULL }

    func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(raw, column) else { return nil }
        let count = Int(sqlite3_column_bytes(raw, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column's text as UTF-8 bytes, valid only during `body` (no bytes for NULL).
    func withUTF8<R>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let text = sqlite3_column_text(raw, column)
        let count = text == nil ? 0 : Int(sqlite3_column_bytes(raw, column))
        return try body(UnsafeBufferPointer(start: text, count: count))
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(raw, column)) }
    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }
    func date(_ column: Int32) -> Date { StoredTime.date(int64(column)) }
    func optionalDate(_ column: Int32) -> Date? { isNull(column) ? nil : date(column) }

    private func check(_ rc: Int32) throws(WorkspaceError) {
        if rc != SQLITE_OK { throw connection.error(rc) }
    }
}

/// Times are stored as integer milliseconds since 1970 so they sort, compare and round-trip
/// exactly; every Date the workspace hands back has been through this rounding.
enum StoredTime {
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
    static func rounded(_ date: Date) -> Date { self.date(milliseconds(date)) }
}

extension WorkspaceError {
    /// Turns an SQLite result code into the error the user can act on.
    static func fromSQLite(code: Int32, systemErrno: Int32, detail: String, path: String, opening: Bool) -> WorkspaceError {
        let primary = code & 0xff
        if systemErrno == ENOSPC || primary == SQLITE_FULL { return .diskFull(path: path) }
        switch primary {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return .busy()
        case SQLITE_READONLY, SQLITE_PERM:
            return .readOnly(path: path)
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return .corrupt(path: path)
        case SQLITE_CANTOPEN:
            if systemErrno == EACCES || systemErrno == EROFS || systemErrno == EPERM { return .readOnly(path: path) }
            return .cannotOpen(path: path, reason: detail)
        case SQLITE_IOERR:
            return WorkspaceError(kind: .io, text: LocalizedText(
                en: "The workspace at \(path) could not be read or written (\(detail)).",
                es: "No se pudo leer o escribir el espacio de trabajo en \(path) (\(detail)).",
                pt: "Não foi possível ler ou gravar o espaço de trabalho em \(path) (\(detail))."))
        case SQLITE_CONSTRAINT:
            return .invalid(detail)
        default:
            if opening { return .cannotOpen(path: path, reason: detail) }
            return WorkspaceError(kind: .io, text: LocalizedText(
                en: "The workspace at \(path) reported an error: \(detail).",
                es: "El espacio de trabajo en \(path) informó de un error: \(detail).",
                pt: "O espaço de trabalho em \(path) informou um erro: \(detail)."))
        }
    }

    static func busy() -> WorkspaceError {
        WorkspaceError(kind: .locked, text: LocalizedText(
            en: "The workspace is busy with another import or process; try again in a moment.",
            es: "El espacio de trabajo está ocupado con otra importación u otro proceso; inténtelo de nuevo en un momento.",
            pt: "O espaço de trabalho está ocupado com outra importação ou outro processo; tente novamente em instantes."))
    }

    static func readOnly(path: String) -> WorkspaceError {
        WorkspaceError(kind: .readOnly, text: LocalizedText(
            en: "The workspace at \(path) is read-only: check the folder's permissions.",
            es: "El espacio de trabajo en \(path) es de solo lectura: revise los permisos de la carpeta.",
            pt: "O espaço de trabalho em \(path) é somente leitura: verifique as permissões da pasta."))
    }

    static func diskFull(path: String) -> WorkspaceError {
        WorkspaceError(kind: .diskFull, text: LocalizedText(
            en: "The disk holding the workspace at \(path) is full; nothing was changed. Free some space and try again.",
            es: "El disco del espacio de trabajo en \(path) está lleno; no se ha cambiado nada. Libere espacio e inténtelo de nuevo.",
            pt: "O disco do espaço de trabalho em \(path) está cheio; nada foi alterado. Libere espaço e tente novamente."))
    }

    static func corrupt(path: String) -> WorkspaceError {
        WorkspaceError(kind: .corrupt, text: LocalizedText(
            en: "The workspace database at \(path) is damaged or is not a contacts database.",
            es: "La base de datos del espacio de trabajo en \(path) está dañada o no es una base de datos de contactos.",
            pt: "O banco de dados do espaço de trabalho em \(path) está danificado ou não é um banco de contatos."))
    }

    /// `detail` is the system's or SQLite's own (English) wording, quoted as is.
    static func cannotOpen(path: String, reason detail: String) -> WorkspaceError {
        cannotOpen(path: path, reason: LocalizedText(en: detail, es: detail, pt: detail))
    }

    static func cannotOpen(path: String, reason: LocalizedText) -> WorkspaceError {
        WorkspaceError(kind: .cannotOpen, text: LocalizedText(
            en: "The workspace at \(path) cannot be opened: \(reason.english).",
            es: "No se puede abrir el espacio de trabajo en \(path): \(reason.spanish).",
            pt: "Não é possível abrir o espaço de trabalho em \(path): \(reason.portuguese)."))
    }

    static let walUnsupported = LocalizedText(
        en: "its file system does not support SQLite's write-ahead log (a network or special file system?)",
        es: "su sistema de archivos no admite el registro de escritura anticipada de SQLite (¿un sistema de archivos de red o especial?)",
        pt: "seu sistema de arquivos não suporta o registro de escrita antecipada do SQLite (um sistema de arquivos de rede ou especial?)")
    static let fileInTheWay = LocalizedText(
        en: "a file with that name is in the way of the folder",
        es: "hay un archivo con ese nombre donde debería estar la carpeta",
        pt: "há um arquivo com esse nome onde deveria estar a pasta")
    static let folderNotCreated = LocalizedText(
        en: "the folder could not be created", es: "no se pudo crear la carpeta", pt: "não foi possível criar a pasta")

    static func invalid(_ detail: String) -> WorkspaceError {
        WorkspaceError(kind: .invalid, text: LocalizedText(
            en: "The workspace refused the change: \(detail).",
            es: "El espacio de trabajo rechazó el cambio: \(detail).",
            pt: "O espaço de trabalho recusou a alteração: \(detail)."))
    }

    static func closed() -> WorkspaceError {
        WorkspaceError(kind: .invalid, text: LocalizedText(
            en: "The workspace connection is closed.",
            es: "La conexión con el espacio de trabajo está cerrada.",
            pt: "A conexão com o espaço de trabalho está fechada."))
    }
}
