import FoundationEssentials
import ThreadSupport
#if canImport(Glibc)
import Glibc
#endif

/// The client side of a JSON-RPC connection: frames outgoing messages, matches responses to
/// requests, and queues everything else (notifications, responses to ids it did not track) in
/// arrival order. Calls block the calling thread; many threads may call at once. Used by the
/// tests' `WireClient`, the transcript replayer, the benchmark and the `contact-import` CLI.
public final class ClientConnection: @unchecked Sendable {
    public enum ClientError: Error, Sendable, CustomStringConvertible {
        case timeout(String)
        case closed
        case spawnFailed(String)
        case writeFailed(String)

        public var description: String {
            switch self {
            case .timeout(let what): return "timed out waiting for \(what)"
            case .closed: return "the connection is closed"
            case .spawnFailed(let why): return "could not start the server: \(why)"
            case .writeFailed(let why): return "could not write to the server: \(why)"
            }
        }
    }

    public let framing: MessageFramer.Framing
    private let readDescriptor: Int32
    private var writeDescriptor: Int32
    private let process: ChildProcess?

    private let condition = ThreadCondition()
    private var tracked: Set<RequestID> = []
    /// Requests whose caller gave up waiting; their late responses are dropped.
    private var abandoned: Set<RequestID> = []
    private var responses: [RequestID: Result<JSONValue, ResponseError>] = [:]
    private var inbox: [JSONValue] = []
    private var inputEnded = false
    private var nextID = 0
    private var stderrBytes: [UInt8] = []
    private var notificationHandler: (@Sendable (String, JSONValue?) -> Void)?
    private let writeLock = ThreadLock()
    /// Whoever reads the server's output holds this turn (under `condition`): a caller waiting
    /// for its response reads it itself, so the answer reaches it without a wake-up from another
    /// thread (that hand-over was ~20 µs of a ~50 µs round trip); the background reader only
    /// reads while no caller waits, and never while holding the turn blocked.
    private var readerActive = false
    private var responseWaiters = 0
    /// When the last waiting caller left: the background reader stays out a moment longer, so
    /// sequential requests keep reading their own answers instead of waking it for each one.
    private var waitersLeftAt = Date.distantPast
    private static let readerGrace: TimeInterval = 0.005
    private let input: InputState

    /// Uses descriptors someone else opened (e.g. pipes of an in-process server).
    public init(readFrom readDescriptor: Int32, writeTo writeDescriptor: Int32,
                framing: MessageFramer.Framing = .contentLength) {
        self.readDescriptor = readDescriptor
        self.writeDescriptor = writeDescriptor
        self.framing = framing
        self.process = nil
        self.input = InputState(framing: framing)
        startReader()
    }

    private init(process: ChildProcess, framing: MessageFramer.Framing) {
        self.process = process
        self.readDescriptor = process.output
        self.writeDescriptor = process.input
        self.framing = framing
        self.input = InputState(framing: framing)
        startReader()
        let stderrDescriptor = process.errors
        Threads.detach { [self] in
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 1)
            defer { chunk.deallocate() }
            while let count = try? FileDescriptorIO.read(stderrDescriptor, into: chunk), count > 0 {
                condition.lock()
                stderrBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
                condition.unlock()
            }
        }
    }

    /// Starts `executable` with `arguments` and talks to it over its stdin/stdout; its stderr is
    /// captured (see `stderrText`).
    public static func spawn(executable: String, arguments: [String] = [], environment: [String: String]? = nil,
                             framing: MessageFramer.Framing = .contentLength) throws(ClientError) -> ClientConnection {
        FileDescriptorIO.ignoreSIGPIPE()
        let process = try ChildProcess.spawn(executable: executable, arguments: arguments, environment: environment)
        return ClientConnection(process: process, framing: framing)
    }

    /// The framer and buffer of the output; only the holder of the reading turn touches them.
    private final class InputState: @unchecked Sendable {
        var framer: MessageFramer
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        var events: [MessageFramer.Event] = []
        init(framing: MessageFramer.Framing) { framer = MessageFramer(framing: framing, maxBodyBytes: Int.max) }
        deinit { chunk.deallocate() }
    }

    /// The background reader: delivers notifications and responses while no caller waits for a
    /// response (then that caller reads). It waits for output without the turn, so a caller can
    /// always take it.
    private func startReader() {
        Threads.detach { [self] in
            while true {
                condition.lock()
                // Not woken by the callers (that would cost each request a wake-up of this
                // thread): it looks again every few milliseconds while they read.
                while !inputEnded && (readerActive || responseWaiters > 0
                                      || waitersLeftAt.timeIntervalSinceNow > -Self.readerGrace) {
                    condition.unlock()
                    usleep(useconds_t(Self.readerGrace * 1_000_000))
                    condition.lock()
                }
                if inputEnded {
                    condition.unlock()
                    return
                }
                condition.unlock()
                guard Self.waitReadable(readDescriptor, milliseconds: -1) else { break }
                condition.lock()
                // A caller that started waiting meanwhile reads for itself.
                if readerActive || responseWaiters > 0 || inputEnded {
                    condition.unlock()
                    continue
                }
                readerActive = true
                condition.unlock()
                let open = readAvailable(waitMilliseconds: 0)
                condition.lock()
                readerActive = false
                condition.broadcast()
                condition.unlock()
                if !open { return }
            }
            endInput()
        }
    }

    /// Waits until `descriptor` has bytes (or its end) to read; false on a poll error.
    private static func waitReadable(_ descriptor: Int32, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let result = poll(&entry, 1, milliseconds)
            if result >= 0 { return true }
            if errno != EINTR { return false }
        }
    }

    /// With the reading turn held: waits up to `waitMilliseconds` (-1: no limit) for output,
    /// reads what there is and delivers every message framed. False once the output has ended.
    private func readAvailable(waitMilliseconds: Int32) -> Bool {
        var entry = pollfd(fd: readDescriptor, events: Int16(POLLIN), revents: 0)
        var ready: Int32
        // A caller waiting for its response polls briefly first (`FileDescriptorIO.readSpin`).
        if waitMilliseconds != 0, FileDescriptorIO.spinUntilReadable(readDescriptor) { ready = 1 } else {
            repeat { ready = poll(&entry, 1, waitMilliseconds) } while ready < 0 && errno == EINTR
        }
        if ready < 0 {
            endInput()
            return false
        }
        if ready == 0 { return true }
        guard let count = try? FileDescriptorIO.read(readDescriptor, into: input.chunk), count > 0 else {
            endInput()
            return false
        }
        input.events.removeAll(keepingCapacity: true)
        input.framer.push(UnsafeRawBufferPointer(rebasing: input.chunk[0..<count]), into: &input.events)
        for case .message(let body) in input.events {
            if let json = try? JSONValue.parse(body) { deliver(json) }
        }
        return true
    }

    private func endInput() {
        condition.lock()
        inputEnded = true
        condition.broadcast()
        condition.unlock()
    }

    private func deliver(_ json: JSONValue) {
        condition.lock()
        if json["method"] == nil, let id = json["id"].flatMap(RequestID.init(json:)), abandoned.contains(id) {
            abandoned.remove(id)
            condition.unlock()
            return
        }
        if json["method"] == nil, let id = json["id"].flatMap(RequestID.init(json:)), tracked.contains(id) {
            tracked.remove(id)
            if let error = json["error"].flatMap(ResponseError.init(json:)) {
                responses[id] = .failure(error)
            } else {
                responses[id] = .success(json["result"] ?? .null)
            }
            condition.broadcast()
            condition.unlock()
            return
        }
        inbox.append(json)
        let handler = notificationHandler
        condition.broadcast()
        condition.unlock()
        if let handler, let method = json["method"]?.stringValue, json["id"] == nil {
            handler(method, json["params"])
        }
    }

    /// Called (on the reader thread) for every notification the server sends. The notification
    /// still goes to the inbox.
    public func onNotification(_ handler: @escaping @Sendable (String, JSONValue?) -> Void) {
        condition.lock()
        notificationHandler = handler
        condition.unlock()
    }

    // MARK: sending

    public func makeRequestID() -> RequestID {
        condition.lock()
        defer { condition.unlock() }
        nextID += 1
        return RequestID(nextID)
    }

    /// Sends a request and waits for its response: the result, or the error the server sent
    /// (thrown as `ResponseError`).
    public func request(_ method: String, _ params: JSONValue? = nil, timeout: TimeInterval = 30) throws -> JSONValue {
        try requestResult(method, params, timeout: timeout).get()
    }

    /// Like `request`, but an error response is a value rather than a throw.
    public func requestResult(_ method: String, _ params: JSONValue? = nil, id: RequestID? = nil,
                              timeout: TimeInterval = 30) throws(ClientError) -> Result<JSONValue, ResponseError> {
        let id = try sendRequest(method, params, id: id)
        return try waitForResponse(id, timeout: timeout, what: method)
    }

    /// Sends a request without waiting; collect the answer with `waitForResponse`.
    @discardableResult
    public func sendRequest(_ method: String, _ params: JSONValue? = nil, id: RequestID? = nil) throws(ClientError) -> RequestID {
        let id = id ?? makeRequestID()
        condition.lock()
        tracked.insert(id)
        condition.unlock()
        try send(Message.request(id: id, method: method, params: params).json)
        return id
    }

    public func waitForResponse(_ id: RequestID, timeout: TimeInterval = 30,
                                what: String? = nil) throws(ClientError) -> Result<JSONValue, ResponseError> {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        responseWaiters += 1
        defer {
            responseWaiters -= 1
            if responseWaiters == 0 { waitersLeftAt = Date() }
            condition.broadcast()
            condition.unlock()
        }
        while true {
            if let response = responses.removeValue(forKey: id) { return response }
            if inputEnded { throw .closed }
            let left = deadline.timeIntervalSinceNow
            if left > 0 && !readerActive {
                // This caller reads: its response is delivered on its own thread.
                readerActive = true
                condition.unlock()
                _ = readAvailable(waitMilliseconds: Int32(min(ceil(left * 1000), 1_000)))
                condition.lock()
                readerActive = false
                condition.broadcast()
                continue
            }
            if left <= 0 || !condition.wait(seconds: deadline.timeIntervalSinceNow) {
                if responses[id] != nil { continue }
                if tracked.remove(id) != nil { abandoned.insert(id) }
                throw .timeout("the response to \(what ?? "request") #\(id)")
            }
        }
    }

    public func notify(_ method: String, _ params: JSONValue? = nil) throws(ClientError) {
        try send(Message.notification(method: method, params: params).json)
    }

    /// Sends any JSON value as one framed message; its responses land in the inbox.
    public func send(_ json: JSONValue) throws(ClientError) {
        try sendRaw(MessageFramer.frame(json.serializedBytes(), framing: framing))
    }

    /// Sends bytes exactly as given (protocol-abuse tests).
    /// Sends `count` spaces a megabyte at a time: the body of an oversized message, never held
    /// whole (the replayer's `oversized` event and the framing tests).
    public func sendSpaces(_ count: Int) throws(ClientError) {
        let chunk = [UInt8](repeating: UInt8(ascii: " "), count: 1 << 20)
        var remaining = count
        while remaining > 0 {
            let part = min(remaining, chunk.count)
            try sendRaw(part == chunk.count ? chunk : Array(chunk[0..<part]))
            remaining -= part
        }
    }

    public func sendRaw(_ bytes: [UInt8]) throws(ClientError) {
        writeLock.lock()
        defer { writeLock.unlock() }
        guard writeDescriptor >= 0 else { throw .closed }
        do {
            try FileDescriptorIO.writeAll(writeDescriptor, bytes)
        } catch {
            throw .writeFailed(error.description)
        }
    }

    /// Closes the server's stdin (EOF for the server).
    public func closeInput() {
        writeLock.lock()
        defer { writeLock.unlock() }
        if writeDescriptor >= 0 {
            close(writeDescriptor)
            writeDescriptor = -1
        }
    }

    // MARK: receiving

    /// The next message not claimed by `request`, in arrival order; nil on timeout or end of output.
    public func nextMessage(timeout: TimeInterval = 30) -> JSONValue? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while inbox.isEmpty {
            if inputEnded || !condition.wait(seconds: deadline.timeIntervalSinceNow) { return nil }
        }
        return inbox.removeFirst()
    }

    /// Waits for the next notification named `method` (others stay queued) and returns its params.
    public func waitForNotification(_ method: String, timeout: TimeInterval = 30) throws(ClientError) -> JSONValue {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let index = inbox.firstIndex(where: { $0["method"]?.stringValue == method && $0["id"] == nil }) {
                return inbox.remove(at: index)["params"] ?? .null
            }
            if inputEnded { throw .closed }
            if !condition.wait(seconds: deadline.timeIntervalSinceNow) { throw .timeout("notification \(method)") }
        }
    }

    /// Messages queued in the inbox right now, without removing them.
    public var pendingMessages: [JSONValue] {
        condition.lock()
        defer { condition.unlock() }
        return inbox
    }

    /// True once the server closed its output.
    public var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return inputEnded
    }

    /// Everything the server wrote on stderr so far (spawned servers only).
    public var stderrText: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: stderrBytes, as: UTF8.self)
    }

    /// The exit code once the spawned process ends, or nil if it is still running at the deadline.
    public func waitForExit(timeout: TimeInterval = 30) -> Int32? {
        guard let process else { return nil }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            if let status = process.exitStatus() { return status }
            if Date() > deadline { return nil }
            usleep(2_000)
        }
    }

    public var processIdentifier: Int32? { process?.pid }

    /// Kills the spawned process (tests that leave a server hanging).
    public func terminate() {
        process?.terminate()
    }
}
