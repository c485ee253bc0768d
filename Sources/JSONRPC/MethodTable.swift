import FoundationEssentials
import ThreadSupport
import Localization

/// The one table of methods a server answers: method name → handler, registered in one place
/// per area. Handlers throw `ResponseError` or a `ResponseErrorConvertible`; anything else they
/// throw is a bug and is answered `-32603` with the detail logged on stderr.
public final class MethodTable: @unchecked Sendable {
    /// Runs on the connection's request queue, a Dispatch thread: it may block (disk, SQLite).
    public typealias RequestHandler = @Sendable (RequestContext) throws -> JSONValue
    public typealias NotificationHandler = @Sendable (NotificationContext) throws -> Void

    /// How a request runs relative to the others.
    public enum Execution: Sendable {
        /// Alongside other requests; responses may come out of order.
        case concurrent
        /// Alone: waits for running requests to finish and holds back the next incoming message
        /// until it is answered (lifecycle methods, so a shell pipe of requests is deterministic).
        case exclusive
    }

    /// A server-wide decision taken before lookup (lifecycle gating, e.g. `-32002`).
    public enum GateDecision: Sendable {
        case dispatch
        case reject(ResponseError)
        /// Notifications only: ignore silently.
        case drop
    }

    public typealias Gate = @Sendable (_ method: String, _ isRequest: Bool, _ locale: MessageLocale) -> GateDecision

    struct RequestEntry {
        let execution: Execution
        let handler: RequestHandler
    }

    private let lock = ThreadLock()
    private var requests: [String: RequestEntry] = [:]
    private var notifications: [String: NotificationHandler] = [:]
    private var gate: Gate?

    public init() {}

    public func request(_ method: String, execution: Execution = .concurrent, _ handler: @escaping RequestHandler) {
        lock.lock()
        defer { lock.unlock() }
        requests[method] = RequestEntry(execution: execution, handler: handler)
    }

    /// Notification handlers run in arrival order on the reader thread, so they must be quick;
    /// start a `Task` for anything slow.
    public func notification(_ method: String, _ handler: @escaping NotificationHandler) {
        lock.lock()
        defer { lock.unlock() }
        notifications[method] = handler
    }

    public func setGate(_ gate: @escaping Gate) {
        lock.lock()
        defer { lock.unlock() }
        self.gate = gate
    }

    func requestEntry(_ method: String) -> RequestEntry? {
        lock.lock()
        defer { lock.unlock() }
        return requests[method]
    }

    func notificationHandler(_ method: String) -> NotificationHandler? {
        lock.lock()
        defer { lock.unlock() }
        return notifications[method]
    }

    func decide(_ method: String, isRequest: Bool, locale: MessageLocale) -> GateDecision {
        lock.lock()
        let gate = self.gate
        lock.unlock()
        return gate?(method, isRequest, locale) ?? .dispatch
    }
}

/// Everything a request handler may know and do: its id, method and params, the client's
/// locale, cooperative cancellation, progress, and server→client notifications.
public final class RequestContext: @unchecked Sendable {
    public let id: RequestID
    public let method: String
    public let params: Params
    public let locale: MessageLocale

    private let lock = ThreadLock()
    private var cancelled = false
    private var reporter: ProgressReporter?
    weak var connection: Connection?

    init(id: RequestID, method: String, params: Params, locale: MessageLocale, connection: Connection?) {
        self.id = id
        self.method = method
        self.params = params
        self.locale = locale
        self.connection = connection
    }

    /// Creates a context outside a connection (unit tests of handlers). Notifications and
    /// progress go nowhere.
    public static func detached(id: RequestID = 1, method: String, params: JSONValue? = nil,
                                locale: MessageLocale = .english) -> RequestContext {
        RequestContext(id: id, method: method, params: Params(params, locale: locale), locale: locale, connection: nil)
    }

    /// True once the client sent `$/cancelRequest` for this request.
    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    /// Throws `-32800` if the request was cancelled; call it between units of work.
    public func checkCancellation() throws(ResponseError) {
        if isCancelled { throw ResponseError.cancelled(locale) }
    }

    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    /// Waits `seconds`, or less if the request is cancelled meanwhile (then throws `-32800`):
    /// for a handler that waits on something outside its control.
    public func pause(seconds: Double) throws(ResponseError) {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            try checkCancellation()
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return }
            Threads.sleep(seconds: min(left, 0.005))
        }
    }

    /// The progress reporter for this request's `workDoneToken`; sends `begin` at once. Without a
    /// token it does nothing, so handlers call it unconditionally. Repeated calls return the
    /// same reporter (a token carries one begin/end pair).
    public func progress(title: String, cancellable: Bool = true) -> ProgressReporter {
        lock.lock()
        defer { lock.unlock() }
        if let reporter { return reporter }
        let created = ProgressReporter(token: params.workDoneToken, title: title, cancellable: cancellable,
                                       connection: connection)
        reporter = created
        return created
    }

    public func progress(title: LocalizedText, cancellable: Bool = true) -> ProgressReporter {
        progress(title: title.text(locale), cancellable: cancellable)
    }

    /// Ends an open progress before the response goes out, so a client always sees `end`.
    func finishProgress() {
        lock.lock()
        let reporter = self.reporter
        lock.unlock()
        reporter?.end(message: nil)
    }

    public func notify(_ method: String, _ params: JSONValue) {
        connection?.notify(method, params)
    }

    public func log(_ level: LogLevel, _ text: @autoclosure () -> String) {
        connection?.logger.log(level, text(), method: method, id: id)
    }
}

/// What a notification handler sees.
public struct NotificationContext: Sendable {
    public let method: String
    public let params: Params
    public let locale: MessageLocale
    let connection: Connection?

    public func notify(_ method: String, _ params: JSONValue) { connection?.notify(method, params) }
}

/// `$/progress` for one `workDoneToken`: exactly one `begin` (percentage 0), `report`s with
/// non-decreasing percentages at most every 50 ms (about 20 per second), exactly one `end`.
/// Without a token every call is a no-op.
public final class ProgressReporter: @unchecked Sendable {
    public static let minimumReportInterval: Duration = .milliseconds(50)

    public let token: JSONValue?
    private weak var connection: Connection?
    private let lock = ThreadLock()
    private var lastPercentage = 0
    private var lastReport: ContinuousClock.Instant?
    private var ended = false

    init(token: JSONValue?, title: String, cancellable: Bool, connection: Connection?) {
        self.token = token
        self.connection = connection
        if let token, let connection {
            // `begin` counts towards the rate limit, so a report right after it is dropped.
            lastReport = ContinuousClock.now
            connection.notify("$/progress", ["token": token, "value": [
                "kind": "begin", "title": .string(title), "cancellable": .bool(cancellable), "percentage": 0,
            ]])
        }
    }

    /// Reports progress; percentages are clamped to 0...100 and never go backwards. Calls closer
    /// together than the rate limit are dropped (the next one or `end` carries the news).
    public func report(percentage: Int, message: String? = nil) {
        guard let token, let connection else { return }
        let now = ContinuousClock.now
        lock.lock()
        if ended {
            lock.unlock()
            return
        }
        if let lastReport, now - lastReport < Self.minimumReportInterval {
            lock.unlock()
            return
        }
        let clamped = max(lastPercentage, min(100, max(0, percentage)))
        lastPercentage = clamped
        lastReport = now
        var value: [String: JSONValue] = ["kind": "report", "percentage": .int(clamped)]
        if let message { value["message"] = .string(message) }
        // Sent under the lock so reports and end cannot swap places on the wire.
        connection.notify("$/progress", ["token": token, "value": .object(value)])
        lock.unlock()
    }

    public func end(message: String? = nil) {
        guard let token, let connection else { return }
        lock.lock()
        defer { lock.unlock() }
        guard !ended else { return }
        ended = true
        var value: [String: JSONValue] = ["kind": "end"]
        if let message { value["message"] = .string(message) }
        connection.notify("$/progress", ["token": token, "value": .object(value)])
    }

    public var isEnded: Bool {
        lock.lock()
        defer { lock.unlock() }
        return ended
    }
}
