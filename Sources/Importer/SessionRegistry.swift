import FoundationEssentials
import ThreadSupport
import CSV
import Localization

/// Why a session cannot be used. The server turns these into errors 1001, 1002 and 1009.
public enum SessionError: Error, Sendable, Hashable, LocalizedDescribable {
    /// An id the server never issued, or one closed with `import/close` (1001).
    case notFound(sessionId: String)
    /// An id that was live once and timed out (1002).
    case expired(sessionId: String)
    /// Opening one more session would exceed the limit (1009).
    case tooManySessions(limit: Int)

    public func message(_ locale: MessageLocale) -> String {
        switch self {
        case .notFound(let id):
            return LocalizedText(
                en: "No import session \"\(id)\" is open. Open the file again with import/open.",
                es: "No hay ninguna sesión de importación abierta con el id \"\(id)\". Vuelva a abrir el archivo con import/open.",
                pt: "Não há nenhuma sessão de importação aberta com o id \"\(id)\". Abra o arquivo novamente com import/open."
            ).text(locale)
        case .expired:
            return LocalizedText(
                en: "Session expired: the file was closed after a period without activity. Open it again to continue.",
                es: "Sesión caducada: el archivo se cerró tras un tiempo sin actividad. Vuelva a abrirlo para continuar.",
                pt: "Sessão expirada: o arquivo foi fechado após um período sem atividade. Abra-o novamente para continuar."
            ).text(locale)
        case .tooManySessions(let limit):
            return LocalizedText(
                en: "Too many open imports (at most \(formatCount(limit, .english))). Close one with import/close or wait for it to expire.",
                es: "Hay demasiadas importaciones abiertas (como máximo \(formatCount(limit, .spanish))). Cierre una con import/close o espere a que caduque.",
                pt: "Há importações abertas demais (no máximo \(formatCount(limit, .portuguese))). Feche uma com import/close ou espere que expire."
            ).text(locale)
        }
    }
}

/// The server's live import sessions and the lifetime rules of the contract:
/// - a session expires `ttl` seconds after the last request that touched it, unless its commit
///   has started (`ImportSession.commitStarted`): from then on it lives until `import/close` or
///   the end of the connection, as the contract says (the help page cancels only an import that was
///   not started within the hour); nor while a request holds it (`ImportSession.beginUse`);
/// - ids that expired are remembered, so a late request gets "expired" rather than "not found";
/// - at most `maxSessions` sessions are live at once, not counting those whose commit has ended
///   (of which the newest `maxSessions` are kept);
/// - an expired or closed session is dropped from the registry at once, so its table is freed as
///   soon as the last request still using it returns.
///
/// Expiry happens in two places: lazily, when a request looks up a session past its deadline,
/// and in `sweep()`, which the server calls from a timer. Both feed the same queue of expired
/// ids that `sweep()` hands back, so each expiry is announced exactly once.
public final class SessionRegistry: @unchecked Sendable {
    public let ttl: TimeInterval
    public let maxSessions: Int
    private let clock: @Sendable () -> Date

    // Everything below is guarded by `lock`.
    private let lock = ThreadLock()
    private var live: [String: Entry] = [:]
    private var expiredIds: Set<String> = []
    /// Insertion order of `expiredIds`, so the oldest can be forgotten past `expiredMemory`.
    private var expiredOrder: [String] = []
    private var unannouncedExpiries: [String] = []
    private var issuedCount = 0

    /// How many expired ids are remembered. Past that the oldest get 1001 instead of 1002,
    /// which only matters for a client that comes back after thousands of sessions.
    private let expiredMemory = 10_000

    private struct Entry {
        let session: ImportSession
        var lastTouched: Date
    }

    /// - Parameters:
    ///   - ttl: seconds of inactivity after which a session expires.
    ///   - maxSessions: live sessions allowed at once.
    ///   - clock: the current time; tests pass a controllable one.
    /// The contract's defaults: one hour (the help page's window), eight live sessions.
    public static let defaultTTL: TimeInterval = 3600
    public static let defaultMaxSessions = 8

    public init(ttl: TimeInterval = SessionRegistry.defaultTTL, maxSessions: Int = SessionRegistry.defaultMaxSessions,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.ttl = ttl
        self.maxSessions = max(1, maxSessions)
        self.clock = clock
    }

    public var now: Date { clock() }

    /// Registers a freshly parsed file as a new session with a new id.
    /// Expired sessions are dropped first, so they never count against the limit.
    public func open(fileName: String, table: CSVTable, columns: [ColumnProfile]? = nil) throws(SessionError) -> ImportSession {
        try locked { () throws(SessionError) -> ImportSession in
            let now = clock()
            expireLocked(now: now)
            guard activeCountLocked() < maxSessions else { throw .tooManySessions(limit: maxSessions) }
            let id = newIdLocked()
            let session = ImportSession(id: id, fileName: fileName, table: table, columns: columns)
            live[id] = Entry(session: session, lastTouched: now)
            return session
        }
    }

    /// Checks that the limit allows one more session, without opening one. The server calls it
    /// before reading a large file so a client over the limit is not made to wait for the parse.
    public func checkCapacity() throws(SessionError) {
        try locked { () throws(SessionError) in
            expireLocked(now: clock())
            guard activeCountLocked() < maxSessions else { throw .tooManySessions(limit: maxSessions) }
        }
    }

    /// The live session with this id. A request that uses a session calls this with
    /// `touch: true` (the default), which restarts its time to live.
    public func session(_ id: String, touch: Bool = true) throws(SessionError) -> ImportSession {
        try locked { () throws(SessionError) -> ImportSession in try sessionLocked(id, touch: touch) }
    }

    private func sessionLocked(_ id: String, touch: Bool) throws(SessionError) -> ImportSession {
        let now = clock()
        // Everything due expires now, not only this id, so announcements stay in deadline order.
        expireLocked(now: now)
        guard var entry = live[id] else {
            throw expiredIds.contains(id) ? .expired(sessionId: id) : .notFound(sessionId: id)
        }
        if touch {
            entry.lastTouched = now
            live[id] = entry
        }
        return entry.session
    }

    /// The live session with this id, held for a long request (review, commit): touched and
    /// marked in use in one step under the registry's lock, so no sweep can expire it between
    /// the lookup and the request's start. Pair with `release`.
    public func acquire(_ id: String) throws(SessionError) -> ImportSession {
        try locked { () throws(SessionError) -> ImportSession in
            let session = try sessionLocked(id, touch: true)
            session.beginUse()
            return session
        }
    }

    /// Ends a hold taken by `acquire`; the session's time to live restarts now (touched before
    /// the hold ends, in the same step, so no sweep falls in between).
    public func release(_ session: ImportSession) {
        lock.withLock {
            let now = clock()
            if var entry = live[session.id], entry.session === session {
                entry.lastTouched = now
                live[session.id] = entry
            }
            session.endUse()
        }
    }

    /// Restarts a session's time to live, e.g. when its review ends. Unknown ids are ignored.
    public func touch(_ id: String) {
        lock.withLock {
            let now = clock()
            guard var entry = live[id], !isPastDeadline(entry, now: now) else { return }
            entry.lastTouched = now
            live[id] = entry
        }
    }

    /// When the session will expire if nothing touches it again; nil for a session whose commit
    /// has started (it does not expire) or an id that is not live.
    public func expiresAt(_ id: String) -> Date? {
        lock.withLock {
            guard let entry = live[id], !isRunningCommit(entry.session) else { return nil }
            return entry.lastTouched.addingTimeInterval(ttl)
        }
    }

    /// `import/close`: forgets the session. Its id then answers 1001, like one never issued.
    /// Closing an expired id reports it as expired (the client's view of it is stale either way).
    /// Returns the closed session, so a caller can tell when the last reference to it is gone.
    @discardableResult
    public func close(_ id: String) throws(SessionError) -> ImportSession {
        try locked { () throws(SessionError) -> ImportSession in
            expireLocked(now: clock())
            guard let entry = live.removeValue(forKey: id) else {
                throw expiredIds.contains(id) ? .expired(sessionId: id) : .notFound(sessionId: id)
            }
            // Under the registry's lock and then the session's: a commit either began before
            // this (and runs to its end) or is refused with 1001 (`ImportSession.beginCommit`).
            entry.session.markClosed()
            return entry.session
        }
    }

    /// Expires every session past its deadline and returns the ids expired since the previous
    /// sweep (including those a lookup found expired), oldest first, for `import/sessionExpired`.
    public func sweep() -> [String] {
        lock.withLock {
            expireLocked(now: clock())
            let announced = unannouncedExpiries
            unannouncedExpiries.removeAll()
            return announced
        }
    }

    /// The earliest moment a live session may expire, for the server's timer; nil when no
    /// session can expire (none live, or all with a commit started).
    public func nextDeadline() -> Date? {
        lock.withLock {
            live.values.lazy
                .filter { !self.isRunningCommit($0.session) }
                .map { $0.lastTouched.addingTimeInterval(self.ttl) }
                .min()
        }
    }

    /// Ids of the live sessions, for diagnostics and tests.
    public var liveSessionIds: [String] {
        lock.withLock { Array(live.keys) }
    }

    public var liveCount: Int {
        lock.withLock { live.count }
    }

    // MARK: - Locked helpers

    /// `NSLock.withLock` loses typed throws on Linux; this keeps them.
    private func locked<T>(_ body: () throws(SessionError) -> T) throws(SessionError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// A session whose commit started never expires, whether the commit is still running or
    /// has ended (a commit longer than the TTL must not lose its session the moment it ends).
    private func isRunningCommit(_ session: ImportSession) -> Bool {
        session.commitStarted
    }

    private func isPastDeadline(_ entry: Entry, now: Date) -> Bool {
        !isRunningCommit(entry.session) && !entry.session.isInUse && now >= entry.lastTouched.addingTimeInterval(ttl)
    }

    private func expireLocked(now: Date) {
        // Sorted by last use so announcements come oldest first, whatever the dictionary order.
        let due = live.filter { isPastDeadline($0.value, now: now) }
            .sorted { $0.value.lastTouched < $1.value.lastTouched }
        for (id, _) in due { expireLocked(id: id) }
        // Sessions whose commit has ended never time out, so a client that never calls
        // import/close would pile up files in memory: keep the newest `maxSessions` of them.
        let finished = live.filter { isFinished($0.value.session) && !$0.value.session.isInUse }
            .sorted { $0.value.lastTouched < $1.value.lastTouched }
        for (id, _) in finished.dropLast(maxSessions) { expireLocked(id: id) }
    }

    /// A session whose commit has ended holds no import any more: it does not count against
    /// `maxSessions`, so finished imports never stop a client from opening the next file.
    private func isFinished(_ session: ImportSession) -> Bool {
        session.commitStarted && session.commitEnded
    }

    private func activeCountLocked() -> Int {
        live.values.reduce(0) { $0 + (isFinished($1.session) ? 0 : 1) }
    }

    private func expireLocked(id: String) {
        live[id] = nil
        expiredIds.insert(id)
        expiredOrder.append(id)
        unannouncedExpiries.append(id)
        if expiredOrder.count > expiredMemory {
            let forgotten = expiredOrder.count - expiredMemory
            for old in expiredOrder.prefix(forgotten) { expiredIds.remove(old) }
            expiredOrder.removeFirst(forgotten)
        }
    }

    private func newIdLocked() -> String {
        // 64 random bits make a collision practically impossible; the counter makes it impossible,
        // so an id is never reused even by a registry that lives for years.
        issuedCount += 1
        var generator = SystemRandomNumberGenerator()
        let random = String(generator.next() as UInt64, radix: 16)
        let padded = String(repeating: "0", count: 16 - random.count) + random
        return "s-\(padded)\(String(issuedCount, radix: 16))"
    }
}
