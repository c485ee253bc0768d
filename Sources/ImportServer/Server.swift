// The daemon's protocol server: lifecycle, gating, configuration and the state handlers share.
//
// How to add a method (the checklist):
// 1. Add one line to the table in Methods.swift, pointing at a handler in the area file that
//    owns it: Lifecycle.swift, ContactMethods.swift (fields/*, contacts/*), OpenMethods.swift
//    (import/open, suggestMapping, close), ReviewMethods.swift (review, rows, commit, history,
//    status). Requests run concurrently on Dispatch threads (they may block on the disk); pass
//    `execution: .exclusive` only for methods that must see no other request running.
// 2. Read params with the typed readers (`try context.params.string("sessionId")`); they throw
//    `-32602` naming the field, so never validate raw JSON by hand.
// 3. Call one function of `Importer` or the workspace; throw errors as
//    `LocalizedResponseError(code: ErrorCode.…, LocalizedText(en:es:pt:), data:)` (or any
//    `ResponseErrorConvertible`). Anything else thrown becomes `-32603` and is logged: a bug.
// 4. Long work: `let progress = context.progress(title: …)`, `progress.report(percentage:message:)`,
//    and call `try context.checkCancellation()` between chunks (→ `-32800`).
// 5. Shared state: `requireWorkspace()`, `locale`/`context.locale`, `configuration`, `now()`,
//    `notify(_:_:)`, `showMessage(_:)`, `logger`, and `areaState(_:create:)` for an area's
//    long-lived object (e.g. the session registry).
// 6. Document the method in protocol/README.md, add a wire test in Tests/ImportServerTests, and
//    record a transcript under protocol/transcripts/ (`contact-importd --record FILE`).
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import ThreadSupport
import Importer
import JSONRPC
import Localization
import Workspace

public final class ImportServer: @unchecked Sendable {
    public static let name = "contact-importd"
    public static let version = "0.1.0"

    public struct Configuration: Sendable {
        /// `--workspace` (a folder, or a PostgreSQL URI or conninfo); nil means
        /// `Workspace.defaultDirectory()`. `initializationOptions.workspace` wins.
        public var workspaceDirectory: String?
        /// `--files-dir`: this machine's folder for a PostgreSQL workspace's result files.
        public var filesDirectory: String?
        /// `--session-ttl`, in seconds.
        public var sessionTTL: TimeInterval
        /// `--max-sessions`.
        public var maxSessions: Int
        /// `--record`: transcript file to append to.
        public var recordPath: String?
        public var logLevel: LogLevel
        /// The server's notion of now (sessions, jobs, tags); tests inject a fixed or fast clock.
        public var clock: @Sendable () -> Date
        /// Enables `$/test/sleep` (hidden flag `--enable-test-methods`), a slow request that
        /// exists only so cancellation and concurrency can be tested through the wire.
        public var enableTestMethods: Bool
        public var version: String

        /// The TTL in whole seconds, as `initialize` announces it (never traps, whatever was configured).
        public var sessionTTLSeconds: Int {
            sessionTTL.isFinite ? Int(clamping: Int64(max(0, min(sessionTTL.rounded(), 9e15)))) : Int.max
        }

        public init(workspaceDirectory: String? = nil, sessionTTL: TimeInterval = SessionRegistry.defaultTTL,
                    maxSessions: Int = SessionRegistry.defaultMaxSessions,
                    recordPath: String? = nil, logLevel: LogLevel = .info,
                    clock: @escaping @Sendable () -> Date = { Date() }, enableTestMethods: Bool = false,
                    version: String = ImportServer.version) {
            self.workspaceDirectory = workspaceDirectory
            self.sessionTTL = sessionTTL
            self.maxSessions = maxSessions
            self.recordPath = recordPath
            self.logLevel = logLevel
            self.clock = clock
            self.enableTestMethods = enableTestMethods
            self.version = version
        }
    }

    /// Where the server is in the LSP lifecycle (protocol/README.md §4).
    public enum Phase: Sendable {
        case uninitialized
        case running
        case shutDown
    }

    public let configuration: Configuration
    public let logger: Logger
    public let connection: Connection
    public let table = MethodTable()

    private let lock = ThreadLock()
    private var phaseStorage: Phase = .uninitialized
    private var workspaceStorage: (any WorkspaceStore)?
    private var areaStates: [ObjectIdentifier: AnyObject] = [:]

    /// Builds a server on the given descriptors (stdin/stdout by default). Throws when the
    /// transcript file cannot be opened.
    public init(configuration: Configuration, input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) throws {
        self.configuration = configuration
        logger = Logger(level: configuration.logLevel)
        var recorder: TranscriptRecorder?
        if let path = configuration.recordPath {
            recorder = try TranscriptRecorder(path: path, serverInfo: [
                "name": .string(Self.name), "version": .string(configuration.version),
                "sessionTtlSeconds": .int(configuration.sessionTTLSeconds),
                "maxSessions": .int(configuration.maxSessions),
                "testMethods": .bool(configuration.enableTestMethods),
            ])
        }
        connection = Connection(input: input, output: output, table: table, logger: logger, recorder: recorder)
        registerMethods()
    }

    /// Serves until `exit` or end of input, then ends the process: after EOF it lets running
    /// work (a commit) finish so the workspace stays consistent, then exits 0 if `shutdown` was
    /// received and 1 otherwise.
    public func run() -> Never {
        FileDescriptorIO.ignoreSIGPIPE()
        connection.onOutputClosed { [self] in
            logger.warn("client closed our output; finishing running work and exiting")
            connection.waitForInFlightRequests()
            connection.exitProcess(code: 1)
        }
        logger.info("\(Self.name) \(configuration.version) ready (pid \(getpid()))")
        connection.readUntilEndOfInput()
        let running = connection.inFlightCount
        if running > 0 { logger.info("end of input; waiting for \(running) running request(s)") }
        connection.waitForInFlightRequests()
        connection.exitProcess(code: phase == .shutDown ? 0 : 1)
    }

    // MARK: state for handlers

    public var phase: Phase {
        lock.lock()
        defer { lock.unlock() }
        return phaseStorage
    }

    func setPhase(_ phase: Phase) {
        lock.lock()
        phaseStorage = phase
        lock.unlock()
    }

    /// The client's language, from `initialize` (English until then).
    public var locale: MessageLocale { connection.locale }

    /// The workspace opened by `initialize`; nil before.
    public var workspace: (any WorkspaceStore)? {
        lock.lock()
        defer { lock.unlock() }
        return workspaceStorage
    }

    /// The workspace, or `-32002` if `initialize` has not opened one (the gate makes that rare).
    public func requireWorkspace() throws(ResponseError) -> any WorkspaceStore {
        guard let workspace else {
            throw ResponseError(code: ErrorCode.serverNotInitialized, ServerText.notInitialized, locale: locale)
        }
        return workspace
    }

    func setWorkspace(_ workspace: any WorkspaceStore) {
        lock.lock()
        workspaceStorage = workspace
        lock.unlock()
    }


    public func now() -> Date { configuration.clock() }

    /// Sends a server→client notification.
    public func notify(_ method: String, _ params: JSONValue) {
        connection.notify(method, params)
    }

    /// `window/showMessage` in the client's language (type 1 error, 2 warning, 3 info, 4 log).
    public func showMessage(_ text: LocalizedText, type: Int = 3) {
        notify("window/showMessage", ["type": .int(type), "message": .string(text.text(locale))])
    }

    /// One long-lived object per area (the session registry, caches), created on first use.
    public func areaState<State: AnyObject & Sendable>(_ type: State.Type = State.self, create: () -> State) -> State {
        lock.lock()
        defer { lock.unlock() }
        if let existing = areaStates[ObjectIdentifier(type)] as? State { return existing }
        let created = create()
        areaStates[ObjectIdentifier(type)] = created
        return created
    }

    // MARK: lifecycle gate

    func gate(_ method: String, isRequest: Bool, locale: MessageLocale) -> MethodTable.GateDecision {
        if method == "exit" { return .dispatch }
        switch phase {
        case .uninitialized:
            if !isRequest { return .drop }
            if method == "initialize" { return .dispatch }
            return .reject(ResponseError(code: ErrorCode.serverNotInitialized, ServerText.notInitialized, locale: locale))
        case .running:
            if isRequest && method == "initialize" {
                return .reject(.invalidRequest(ServerText.alreadyInitialized, locale))
            }
            return .dispatch
        case .shutDown:
            if !isRequest { return .drop }
            return .reject(.invalidRequest(ServerText.shutDown, locale))
        }
    }
}
