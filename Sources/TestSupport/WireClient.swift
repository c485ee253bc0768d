import Foundation
import JSONRPC

/// A test's handle on a real `contact-importd` process over pipes. Every wait has a timeout so
/// a hung server fails a test instead of hanging the suite.
public final class WireClient: @unchecked Sendable {
    public let connection: ClientConnection
    /// The fresh workspace passed with `--workspace` (unless the caller gave one), on the
    /// engine `TestEngine.current` names.
    public let freshWorkspace: TestWorkspace?
    /// Its temporary folder (the SQLite workspace's parent; PostgreSQL's result files).
    public var workspace: TemporaryDirectory? { freshWorkspace?.directory }
    /// What was passed with `--workspace`: a folder, or a PostgreSQL conninfo.
    public let workspacePath: String
    /// The arguments that select this daemon's workspace: another daemon started with them
    /// shares it (a second editor window, another machine's daemon).
    public let workspaceArguments: [String]
    public let defaultTimeout: TimeInterval

    /// Starts the daemon with `arguments` (plus a fresh `TestWorkspace`'s arguments unless the
    /// arguments name a workspace). `framing` must match what the test will send.
    public init(arguments: [String] = [], framing: MessageFramer.Framing = .contentLength,
                environment: [String: String]? = nil, timeout: TimeInterval = 30) throws {
        var arguments = arguments
        if let index = arguments.firstIndex(of: "--workspace"), index + 1 < arguments.count {
            freshWorkspace = nil
            workspacePath = arguments[index + 1]
            workspaceArguments = Array(arguments[index...(index + 1)])
                + (arguments.firstIndex(of: "--files-dir").map { Array(arguments[$0...min($0 + 1, arguments.count - 1)]) } ?? [])
        } else {
            let fresh = try TestWorkspace()
            freshWorkspace = fresh
            workspacePath = fresh.location
            workspaceArguments = fresh.arguments
            arguments += fresh.arguments
        }
        defaultTimeout = timeout
        connection = try ClientConnection.spawn(executable: try DaemonLocator.daemonPath(), arguments: arguments,
                                                environment: environment, framing: framing)
    }

    deinit {
        connection.closeInput()
        if connection.waitForExit(timeout: 5) == nil { connection.terminate() }
    }

    /// `initialize` then `initialized`; returns the initialize result.
    @discardableResult
    public func initialize(locale: String? = "en", workspace: String? = nil, extra: [String: JSONValue] = [:]) throws -> JSONValue {
        var params = extra
        params["processId"] = .int(Int(getpid()))
        params["clientInfo"] = ["name": "WireClient"]
        if let locale { params["locale"] = .string(locale) }
        if let workspace { params["initializationOptions"] = ["workspace": .string(workspace)] }
        let result = try request("initialize", .object(params))
        try notify("initialized", [:])
        return result
    }

    /// Sends a request and returns its result; an error response is thrown as `ResponseError`.
    @discardableResult
    public func request(_ method: String, _ params: JSONValue? = nil, timeout: TimeInterval? = nil) throws -> JSONValue {
        try connection.requestResult(method, params, timeout: timeout ?? defaultTimeout).get()
    }

    public func requestResult(_ method: String, _ params: JSONValue? = nil, id: RequestID? = nil,
                              timeout: TimeInterval? = nil) throws -> Result<JSONValue, ResponseError> {
        try connection.requestResult(method, params, id: id, timeout: timeout ?? defaultTimeout)
    }

    /// Sends a request that must fail and returns its error (throws if it succeeded).
    public func requestError(_ method: String, _ params: JSONValue? = nil, timeout: TimeInterval? = nil) throws -> ResponseError {
        switch try requestResult(method, params, timeout: timeout) {
        case .failure(let error): return error
        case .success(let result): throw UnexpectedSuccess(method: method, result: result)
        }
    }

    public struct UnexpectedSuccess: Error, CustomStringConvertible {
        public let method: String
        public let result: JSONValue
        public var description: String { "\(method) succeeded with \(result) but an error was expected" }
    }

    @discardableResult
    public func sendRequest(_ method: String, _ params: JSONValue? = nil, id: RequestID? = nil) throws -> RequestID {
        try connection.sendRequest(method, params, id: id)
    }

    public func waitForResponse(_ id: RequestID, timeout: TimeInterval? = nil) throws -> Result<JSONValue, ResponseError> {
        try connection.waitForResponse(id, timeout: timeout ?? defaultTimeout)
    }

    public func notify(_ method: String, _ params: JSONValue? = nil) throws {
        try connection.notify(method, params)
    }

    public func waitForNotification(_ method: String, timeout: TimeInterval? = nil) throws -> JSONValue {
        try connection.waitForNotification(method, timeout: timeout ?? defaultTimeout)
    }

    /// The next message not claimed by a request (notifications, answers to raw sends).
    public func nextMessage(timeout: TimeInterval? = nil) -> JSONValue? {
        connection.nextMessage(timeout: timeout ?? defaultTimeout)
    }

    /// Sends bytes exactly as given (protocol-abuse tests).
    public func sendRaw(_ bytes: [UInt8]) throws { try connection.sendRaw(bytes) }
    public func sendRaw(_ text: String) throws { try connection.sendRaw(Array(text.utf8)) }

    /// `shutdown`, `exit`, and the process's exit code.
    @discardableResult
    public func shutdownAndExit(timeout: TimeInterval? = nil) throws -> Int32? {
        try request("shutdown")
        try notify("exit")
        return connection.waitForExit(timeout: timeout ?? defaultTimeout)
    }

    /// Closes stdin (EOF) and waits for the exit code.
    public func closeInputAndWait(timeout: TimeInterval? = nil) -> Int32? {
        connection.closeInput()
        return connection.waitForExit(timeout: timeout ?? defaultTimeout)
    }

    public func waitForExit(timeout: TimeInterval? = nil) -> Int32? {
        connection.waitForExit(timeout: timeout ?? defaultTimeout)
    }

    public var stderrText: String { connection.stderrText }
}
