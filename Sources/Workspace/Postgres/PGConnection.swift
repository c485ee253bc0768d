import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import CLibPQ
import Localization

/// One libpq connection. Not thread-safe (libpq's rule): it is used by one thread at a time,
/// handed out by `PostgresWorkspace`'s pool. Every call blocks its thread, so the store is only
/// ever called from Dispatch threads (request handlers, the commit's re-check task), never from
/// Swift's cooperative pool.
final class PGConnection {
    private let raw: OpaquePointer
    private let pq: LibPQ
    /// The conninfo without its password, for messages.
    let display: String

    init(conninfo: String, display: String) throws(WorkspaceError) {
        self.display = display
        let pq: LibPQ
        switch LibPQ.shared {
        case .success(let library): pq = library
        case .failure(let unavailable):
            throw WorkspaceError.postgres(display, reason: unavailable.reason, kind: .cannotOpen)
        }
        self.pq = pq
        guard let connection = pq.PQconnectdb(conninfo) else {
            throw WorkspaceError.postgres(display, reason: "out of memory", kind: .cannotOpen)
        }
        // Checked before `raw` is set: a failed init must not run `deinit`'s PQfinish as well.
        guard pq.PQstatus(connection) == CONNECTION_OK else {
            let reason = Self.errorText(connection, pq)
            pq.PQfinish(connection)
            throw WorkspaceError.postgres(display, reason: reason, kind: .cannotOpen, connecting: true)
        }
        raw = connection
        // Server notices ("table … does not exist, skipping") are not the user's business and
        // would otherwise go to stderr, the daemon's log.
        _ = pq.PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { pq.PQfinish(raw) }

    var isHealthy: Bool { pq.PQstatus(raw) == CONNECTION_OK }
    var isIdle: Bool { pq.PQtransactionStatus(raw) == PQTRANS_IDLE }

    /// The server's host (or socket folder), port and database, for the local files folder's name.
    var serverIdentity: String {
        [pq.PQhost(raw), pq.PQport(raw), pq.PQdb(raw)].map { $0.map { String(cString: $0) } ?? "" }.joined(separator: "|")
    }

    static func errorText(_ connection: OpaquePointer?, _ pq: LibPQ) -> String {
        guard let connection, let message = pq.PQerrorMessage(connection) else { return "unknown error" }
        return redactPasswords(String(cString: message).whitespaceTrimmed())
    }

    /// Runs one or more statements without parameters (schema, transaction control).
    func execute(_ sql: String) throws(WorkspaceError) {
        let result = pq.PQexec(raw, sql)
        defer { pq.PQclear(result) }
        try check(result)
    }

    /// One statement with text parameters (nil = NULL); binary parameters for `bytea` values.
    @discardableResult
    func query(_ sql: String, _ parameters: [PGValue] = []) throws(WorkspaceError) -> PGResult {
        var owned: [UnsafeMutablePointer<CChar>?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        owned.reserveCapacity(parameters.count)
        defer { for pointer in owned { free(pointer) } }
        for parameter in parameters {
            switch parameter {
            case .null:
                owned.append(nil)
                lengths.append(0)
                formats.append(0)
            case .text(let text):
                owned.append(strdup(text))
                lengths.append(0)
                formats.append(0)
            case .bytes(let data):
                let pointer = malloc(max(1, data.count))?.assumingMemoryBound(to: CChar.self)
                data.withUnsafeBytes { bytes in
                    if let pointer, let base = bytes.baseAddress { memcpy(pointer, base, data.count) }
                }
                owned.append(pointer)
                lengths.append(Int32(clamping: data.count))
                formats.append(1)
            }
        }
        let result = owned.withUnsafeBufferPointer { values in
            values.withMemoryRebound(to: UnsafePointer<CChar>?.self) { constValues in
                pq.PQexecParams(raw, sql, Int32(parameters.count), nil, constValues.baseAddress, lengths, formats, 0)
            }
        }
        do {
            try check(result)
        } catch {
            pq.PQclear(result)
            throw error
        }
        return PGResult(result, pq)
    }

    /// `COPY … FROM STDIN` in text format: `fill` appends rows to the buffer, which is sent in
    /// chunks of about a mebibyte (the size measured fastest for the issue).
    func copyIn(_ sql: String, _ fill: (inout PGCopyBuffer) throws -> Void) throws {
        let start = pq.PQexec(raw, sql)
        let status = pq.PQresultStatus(start)
        if status != PGRES_COPY_IN {
            defer { pq.PQclear(start) }
            try check(start)
            throw WorkspaceError.postgres(display, reason: "the server did not accept COPY", kind: .io)
        }
        pq.PQclear(start)
        var buffer = PGCopyBuffer(connection: self)
        do {
            try fill(&buffer)
            try buffer.flush()
        } catch {
            _ = pq.PQputCopyEnd(raw, "cancelled by the importer")
            drainResults()
            throw error
        }
        guard pq.PQputCopyEnd(raw, nil) == 1 else {
            drainResults()
            throw lost()
        }
        var failure: WorkspaceError?
        while let result = pq.PQgetResult(raw) {
            do { try check(result) } catch { failure = failure ?? error }
            pq.PQclear(result)
        }
        if let failure { throw failure }
    }

    fileprivate func send(_ bytes: UnsafeRawBufferPointer) throws(WorkspaceError) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) else { return }
        guard pq.PQputCopyData(raw, base, Int32(bytes.count)) == 1 else { throw lost() }
    }

    private func drainResults() {
        while let result = pq.PQgetResult(raw) { pq.PQclear(result) }
    }

    private func lost() -> WorkspaceError {
        WorkspaceError.postgres(display, reason: Self.errorText(raw, pq), kind: .io)
    }

    private func check(_ result: OpaquePointer?) throws(WorkspaceError) {
        guard let result else { throw lost() }
        switch pq.PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN, PGRES_EMPTY_QUERY: return
        default:
            let state = pq.PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            let primary = pq.PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
                ?? Self.errorText(raw, pq)
            throw WorkspaceError.fromPostgres(state: state, message: redactPasswords(primary), display: display,
                                              connectionLost: pq.PQstatus(raw) != CONNECTION_OK)
        }
    }
}

enum PGValue {
    case null
    case text(String)
    case bytes(Data)

    init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    init(_ number: Int64?) { self = number.map { .text(String($0)) } ?? .null }
    init(_ number: Int) { self = .text(String(number)) }
    init(_ flag: Bool) { self = .text(flag ? "true" : "false") }
    init(_ date: Date?) { self = date.map { .text(String(StoredTime.milliseconds($0))) } ?? .null }
}

/// A query's rows, in text format.
final class PGResult {
    private let raw: OpaquePointer?
    private let pq: LibPQ
    let count: Int
    init(_ raw: OpaquePointer?, _ pq: LibPQ) {
        self.raw = raw
        self.pq = pq
        count = raw.map { Int(pq.PQntuples($0)) } ?? 0
    }
    deinit { pq.PQclear(raw) }

    /// Rows an INSERT/UPDATE/DELETE touched.
    var affected: Int {
        guard let raw, let text = pq.PQcmdTuples(raw) else { return 0 }
        return Int(String(cString: text)) ?? 0
    }

    func isNull(_ row: Int, _ column: Int) -> Bool { pq.PQgetisnull(raw, Int32(row), Int32(column)) == 1 }
    func string(_ row: Int, _ column: Int) -> String? {
        guard !isNull(row, column), let value = pq.PQgetvalue(raw, Int32(row), Int32(column)) else { return nil }
        return String(cString: value)
    }
    func int64(_ row: Int, _ column: Int) -> Int64 { string(row, column).flatMap { Int64($0) } ?? 0 }
    func optionalInt64(_ row: Int, _ column: Int) -> Int64? { string(row, column).flatMap { Int64($0) } }
    func int(_ row: Int, _ column: Int) -> Int { Int(int64(row, column)) }
    func bool(_ row: Int, _ column: Int) -> Bool { string(row, column) == "t" }
    func date(_ row: Int, _ column: Int) -> Date { StoredTime.date(int64(row, column)) }
    func optionalDate(_ row: Int, _ column: Int) -> Date? { optionalInt64(row, column).map(StoredTime.date) }
    /// A `bytea` column in text format (`\x` followed by hex).
    func bytes(_ row: Int, _ column: Int) -> Data? {
        guard !isNull(row, column), let value = pq.PQgetvalue(raw, Int32(row), Int32(column)) else { return nil }
        var length = 0
        guard let decoded = pq.PQunescapeBytea(UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), &length) else { return nil }
        defer { pq.PQfreemem(decoded) }
        return Data(bytes: decoded, count: length)
    }
}

/// Rows for `COPY … FROM STDIN` (text format): fields separated by tabs, `\N` for NULL, and
/// backslash, tab, newline and carriage return escaped, the four bytes the format gives meaning.
struct PGCopyBuffer {
    static let chunk = 1 << 20
    private let connection: PGConnection
    private var bytes: [UInt8] = []
    private var fieldsInRow = 0

    fileprivate init(connection: PGConnection) {
        self.connection = connection
        bytes.reserveCapacity(Self.chunk + 4096)
    }

    mutating func field(_ text: String?) {
        if fieldsInRow > 0 { bytes.append(0x09) }
        fieldsInRow += 1
        guard let text else {
            bytes.append(0x5C)
            bytes.append(0x4E)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x09: bytes.append(0x5C); bytes.append(0x74)
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)
            default: bytes.append(byte)
            }
        }
    }

    mutating func field(_ number: Int64) { field(String(number)) }

    mutating func endRow() throws(WorkspaceError) {
        bytes.append(0x0A)
        fieldsInRow = 0
        if bytes.count >= Self.chunk { try flush() }
    }

    mutating func flush() throws(WorkspaceError) {
        guard !bytes.isEmpty else { return }
        let connection = self.connection
        var failure: WorkspaceError?
        bytes.withUnsafeBytes { buffer in
            do throws(WorkspaceError) { try connection.send(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
        bytes.removeAll(keepingCapacity: true)
    }
}

/// A conninfo or URI with every password replaced, for anything printed or logged.
func redactPasswords(_ text: String) -> String {
    var result = text
    // key=value conninfo: password=secret or password='sec ret'.
    if let pattern = try? Regex(#"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]*)"#).ignoresCase().matchingSemantics(.unicodeScalar) {
        result = result.replacing(pattern) { match in String(match.output[1].substring ?? "") + "***" }
    }
    // URI: scheme://user:secret@host, and ?password=… (already covered above).
    if let pattern = try? Regex(#"(postgres(?:ql)?://[^:/@\s]*):[^@\s]*@"#).ignoresCase().matchingSemantics(.unicodeScalar) {
        result = result.replacing(pattern) { match in String(match.output[1].substring ?? "") + ":***@" }
    }
    return result
}

/// The conninfo as libpq understands it, without the password: `key=value` pairs (a URI is
/// rewritten the same way). `nil` when libpq cannot parse it; `problem` then says why.
func displayConninfo(_ conninfo: String) -> (display: String?, problem: String?) {
    let pq: LibPQ
    switch LibPQ.shared {
    case .success(let library): pq = library
    case .failure(let unavailable): return (nil, unavailable.reason)
    }
    var message: UnsafeMutablePointer<CChar>?
    guard let options = pq.PQconninfoParse(conninfo, &message) else {
        let problem = message.map { String(cString: $0) } ?? "the connection string cannot be read"
        if let message { pq.PQfreemem(message) }
        return (nil, redactPasswords(problem.whitespaceTrimmed()))
    }
    defer { pq.PQconninfoFree(options) }
    var parts: [String] = []
    var option = options
    while let keyword = option.pointee.keyword {
        let key = String(cString: keyword)
        if let value = option.pointee.val, key != "password" {
            let text = String(cString: value)
            let quoted = text.isEmpty || text.contains(where: { $0 == " " || $0 == "'" || $0 == "\\" })
                ? "'" + text.replacingEvery("\\", with: "\\\\").replacingEvery("'", with: "\\'") + "'"
                : text
            parts.append("\(key)=\(quoted)")
        }
        option = option.advanced(by: 1)
    }
    return (parts.joined(separator: " "), nil)
}
