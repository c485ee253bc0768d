import Dispatch
import FoundationEssentials
import ThreadSupport
import Localization
#if canImport(Glibc)
import Glibc
#endif

/// The server side of one JSON-RPC connection over a pair of file descriptors (stdin/stdout).
///
/// Threads: one reader (the caller of `readUntilEndOfInput`) frames and decodes input and runs
/// notification handlers in order; request handlers run on `requestQueue`, a concurrent Dispatch
/// queue (the one executor of handlers: they may block on disk or on SQLite's locks without
/// starving anyone, and Swift's cooperative pool is not used), concurrently unless registered
/// `.exclusive`; every outgoing message is written whole under one lock, so the output has a
/// single serial writer and messages never interleave. Each request gets exactly one response.
public final class Connection: @unchecked Sendable {
    public let logger: Logger
    private let input: Int32
    private let output: Int32
    private let table: MethodTable
    private let recorder: TranscriptRecorder?
    private let maxBodyBytes: Int

    private let stateLock = ThreadCondition()
    private var currentLocale: MessageLocale = .english
    private var inFlight: [Int: RequestContext] = [:]
    private var latestByID: [RequestID: Int] = [:]
    private var nextSerial = 0
    private var detectedFraming: MessageFramer.Framing?

    private let requestQueue = DispatchQueue(label: "contact-importd.requests", qos: .userInitiated,
                                             attributes: .concurrent)

    private let outputLock = ThreadLock()
    private var outputClosed = false
    private var outputClosedHandler: (@Sendable () -> Void)?

    public init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, table: MethodTable, logger: Logger,
                recorder: TranscriptRecorder? = nil, maxBodyBytes: Int = MessageFramer.defaultMaxBodyBytes) {
        self.input = input
        self.output = output
        self.table = table
        self.logger = logger
        self.recorder = recorder
        self.maxBodyBytes = maxBodyBytes
    }

    /// The client's language for every message the transport itself writes; the server sets it
    /// at `initialize`.
    public var locale: MessageLocale {
        get { stateLock.lock(); defer { stateLock.unlock() }; return currentLocale }
        set { stateLock.lock(); currentLocale = newValue; stateLock.unlock() }
    }

    public var framing: MessageFramer.Framing? {
        stateLock.lock()
        defer { stateLock.unlock() }
        return detectedFraming
    }

    /// Called once, on a fresh thread, when writing to the output fails (the client closed it).
    public func onOutputClosed(_ handler: @escaping @Sendable () -> Void) {
        outputLock.lock()
        outputClosedHandler = handler
        outputLock.unlock()
    }

    // MARK: reading

    /// Reads and dispatches until end of input (or a read error). Returns without waiting for
    /// running requests; see `waitForInFlightRequests`.
    public func readUntilEndOfInput() {
        var framer = MessageFramer(maxBodyBytes: maxBodyBytes)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer { chunk.deallocate() }
        var events: [MessageFramer.Event] = []
        while true {
            let count: Int
            do {
                _ = FileDescriptorIO.spinUntilReadable(input)
                count = try FileDescriptorIO.read(input, into: chunk)
            } catch {
                logger.error("reading input failed: \(error)")
                break
            }
            if count == 0 { break }
            events.removeAll(keepingCapacity: true)
            framer.push(UnsafeRawBufferPointer(rebasing: chunk[0..<count]), into: &events)
            if let framing = framer.framing, self.framing == nil {
                stateLock.lock()
                detectedFraming = framing
                stateLock.unlock()
                recorder?.start(framing: framing)
                logger.debug("framing: \(framing.rawValue)")
            }
            for event in events { handle(event) }
        }
        for event in framer.finish() { handle(event) }
        logger.debug("end of input")
    }

    private func handle(_ event: MessageFramer.Event) {
        switch event {
        case .message(let body):
            handleBody(body)
        case .oversized(let bytes):
            recorder?.incomingEvent("oversized", ["bytes": .int(bytes)])
            logger.warn("message of \(bytes) bytes exceeds the \(maxBodyBytes)-byte limit; skipped")
            send(.errorResponse(id: nil, error: .messageTooLarge(bytes: bytes, limit: maxBodyBytes, locale)))
        case .badHeader(let reason):
            recorder?.incomingEvent("badHeader", ["reason": .string(reason)])
            logger.warn("bad header skipped: \(reason)")
        case .truncated(let expected, let received):
            logger.warn("input ended inside a message: \(received) of \(expected) bytes")
        }
    }

    private func handleBody(_ body: [UInt8]) {
        let json: JSONValue
        do {
            json = try JSONValue.parse(body)
        } catch {
            recorder?.incomingRaw(body)
            logger.warn("body is not JSON (\(error)); answered -32700")
            send(.errorResponse(id: nil, error: .parseError(locale)))
            return
        }
        recorder?.incoming(json)
        switch Message.decode(json) {
        case .failure(let invalid):
            logger.warn("not a JSON-RPC message: \(invalid.text.english)")
            send(.errorResponse(id: nil, error: .invalidRequest(invalid.text, locale)))
        case .success(.request(let id, let method, let params)):
            dispatchRequest(id: id, method: method, params: params)
        case .success(.notification(let method, let params)):
            dispatchNotification(method: method, params: params)
        case .success(.response(let id, _)), .success(.errorResponse(.some(let id), _)):
            logger.debug("ignored a response to id \(id): this server sends no requests")
        case .success(.errorResponse(nil, let error)):
            logger.debug("ignored an error response without id: \(error)")
        }
    }

    private func dispatchNotification(method: String, params: JSONValue?) {
        let locale = self.locale
        if method == "$/cancelRequest" {
            if let id = params?["id"].flatMap(RequestID.init(json:)) { cancel(id) }
            return
        }
        switch table.decide(method, isRequest: false, locale: locale) {
        case .drop, .reject:
            logger.debug("notification dropped", method: method)
            return
        case .dispatch:
            break
        }
        guard let handler = table.notificationHandler(method) else {
            logger.debug("unknown notification ignored", method: method)
            return
        }
        let context = NotificationContext(method: method, params: Params(params, locale: locale), locale: locale,
                                          connection: self)
        do {
            try handler(context)
        } catch {
            logger.error("notification handler failed: \(error)", method: method)
        }
    }

    private func dispatchRequest(id: RequestID, method: String, params: JSONValue?) {
        let locale = self.locale
        switch table.decide(method, isRequest: true, locale: locale) {
        case .reject(let error):
            logger.debug("rejected: \(error.code)", method: method, id: id)
            send(.errorResponse(id: id, error: error))
            return
        case .drop, .dispatch:
            break
        }
        guard let entry = table.requestEntry(method) else {
            logger.debug("unknown method", method: method, id: id)
            send(.errorResponse(id: id, error: .methodNotFound(method, locale)))
            return
        }
        let context = RequestContext(id: id, method: method, params: Params(params, locale: locale), locale: locale,
                                     connection: self)
        logger.debug("<-- request", method: method, id: id)
        if entry.execution == .exclusive {
            waitForInFlightRequests()
        }
        let serial = register(context)
        let handler = entry.handler
        if entry.execution == .exclusive {
            // Alone, and before the next message is read.
            requestQueue.sync(flags: .barrier) { self.run(context, serial: serial, handler: handler) }
        } else {
            requestQueue.async { self.run(context, serial: serial, handler: handler) }
        }
    }

    private func run(_ context: RequestContext, serial: Int, handler: MethodTable.RequestHandler) {
        let started = ContinuousClock.now
        let response: Message
        do {
            let result = try handler(context)
            response = .response(id: context.id, result: result)
        } catch {
            response = .errorResponse(id: context.id, error: responseError(for: error, in: context))
        }
        context.finishProgress()
        send(response)
        if logger.isEnabled(.debug) {
            logger.debug("--> response \(ContinuousClock.now - started)", method: context.method, id: context.id)
        }
        unregister(serial: serial, id: context.id)
    }

    private func responseError(for error: any Error, in context: RequestContext) -> ResponseError {
        if let convertible = error as? any ResponseErrorConvertible {
            let converted = convertible.responseError(context.locale)
            if converted.code == ErrorCode.internalError {
                logger.error("internal error: \(converted.message)", method: context.method, id: context.id)
            }
            return converted
        }
        logger.error("handler failed: \(String(reflecting: error))", method: context.method, id: context.id)
        return .internalError(context.locale)
    }

    // MARK: in-flight requests

    private func register(_ context: RequestContext) -> Int {
        stateLock.lock()
        defer { stateLock.unlock() }
        nextSerial += 1
        inFlight[nextSerial] = context
        // A reused id: the latest request wins cancellation, as in clangd.
        latestByID[context.id] = nextSerial
        return nextSerial
    }

    private func unregister(serial: Int, id: RequestID) {
        stateLock.lock()
        inFlight[serial] = nil
        if latestByID[id] == serial { latestByID[id] = nil }
        if inFlight.isEmpty { stateLock.broadcast() }
        stateLock.unlock()
    }

    /// Cooperative cancellation: the handler sees `isCancelled` / `checkCancellation()`. Unknown
    /// or finished ids are ignored.
    public func cancel(_ id: RequestID) {
        stateLock.lock()
        let context = latestByID[id].flatMap { inFlight[$0] }
        stateLock.unlock()
        if let context {
            logger.debug("cancel requested", method: context.method, id: id)
            context.cancel()
        }
    }

    /// Blocks until no request is running (used before exclusive requests and at end of input).
    public func waitForInFlightRequests() {
        stateLock.lock()
        while !inFlight.isEmpty { stateLock.wait() }
        stateLock.unlock()
    }

    public var inFlightCount: Int {
        stateLock.lock()
        defer { stateLock.unlock() }
        return inFlight.count
    }

    // MARK: writing

    public func notify(_ method: String, _ params: JSONValue) {
        send(.notification(method: method, params: params))
    }

    /// Serializes and writes one message whole. After a write failure the output is closed for
    /// good and the closed-output handler runs once.
    public func send(_ message: Message) {
        let json = message.json
        let framed = MessageFramer.frame(json.serializedBytes(), framing: framing ?? .contentLength)
        outputLock.lock()
        if outputClosed {
            outputLock.unlock()
            return
        }
        recorder?.outgoing(json)
        var handler: (@Sendable () -> Void)?
        do {
            try FileDescriptorIO.writeAll(output, framed)
        } catch {
            outputClosed = true
            handler = outputClosedHandler
            logger.warn("output closed (\(error)); no more messages will be written")
        }
        outputLock.unlock()
        if let handler { Threads.detach(handler) }
    }

    /// Ends the process once the message being written (if any) is complete.
    public func exitProcess(code: Int32) -> Never {
        outputLock.lock()
        recorder?.exit(code: code)
        logger.info("exit \(code)")
        Glibc.exit(code)
    }
}
