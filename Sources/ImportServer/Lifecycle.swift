import Contacts
import CSV
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import ThreadSupport
import JSONRPC
import Localization
import Workspace

/// `initialize`, `initialized`, `shutdown`, `exit` (protocol/README.md §4).
extension ImportServer {
    static let purposes = ["addNew", "updateExisting", "addAndUpdate", "addAll"]
    static let identifiers = ["phone", "email", "contactId"]

    func initialized(_ context: NotificationContext) {
        logger.debug("client confirmed initialization", method: "initialized")
    }

    func exit(_ context: NotificationContext) {
        // As at end of input: a running commit ends (committed or rolled back) before the
        // process does, so `exit` never leaves a job for the next daemon to mark interrupted.
        // After `shutdown` nothing is running (it waited for every request).
        connection.waitForInFlightRequests()
        connection.exitProcess(code: phase == .shutDown ? 0 : 1)
    }

    func initialize(_ context: RequestContext) throws -> JSONValue {
        let params = context.params
        let locale = MessageLocale(tag: try params.optionalString("locale"))
        // Every message from here on, including this request's errors, is in the client's language.
        connection.locale = locale
        let processID = try params.optionalInt("processId")
        let clientInfo = try params.nested("clientInfo")
        let clientName = try clientInfo?.optionalString("name")
        // Read to validate its type; progress is sent whenever a request carries a workDoneToken.
        let window = try params.nested("capabilities")?.nested("window")
        _ = try window?.optionalBool("workDoneProgress")
        let requestedWorkspace = try params.nested("initializationOptions")?.optionalString("workspace")

        let location = WorkspaceLocation.parse(requestedWorkspace ?? configuration.workspaceDirectory ?? Workspace.defaultDirectory())
        let shown = location.displayName
        let workspace: any WorkspaceStore
        do {
            workspace = try openWorkspace(location, filesDirectory: configuration.filesDirectory, now: now())
        } catch {
            logger.error("cannot open workspace \(shown): \(error.message(.english))", method: context.method, id: context.id)
            // A folder keeps its `directory` key; a database is named without its password.
            var data: [String: JSONValue] = ["reason": .string(error.kind.rawValue)]
            switch location {
            case .sqlite: data["directory"] = .string(shown)
            case .postgres: data["workspace"] = .string(shown)
            }
            throw ResponseError(code: ErrorCode.workspaceError,
                                message: ServerText.workspaceUnavailable(shown, reason: error.message(locale), locale),
                                data: .object(data))
        }
        // Retention runs at open and then hourly, so a daemon left running for days still deletes old files.
        let clock = configuration.clock
        workspace.startPeriodicPurge(every: 3600, clock: clock)
        setWorkspace(workspace)
        setPhase(.running)
        if let processID, processID > 0 { watchParent(Int32(clamping: processID)) }
        logger.info("initialized for \(clientName ?? "unnamed client") (locale \(locale.rawValue), workspace \(workspace.displayName))",
                    method: context.method, id: context.id)
        return [
            "serverInfo": ["name": .string(Self.name), "version": .string(configuration.version)],
            "capabilities": capabilities,
        ]
    }

    var capabilities: JSONValue {
        [
            "importProvider": [
                "purposes": .array(Self.purposes.map(JSONValue.string)),
                "identifiers": .array(Self.identifiers.map(JSONValue.string)),
                "fieldTypes": .array(FieldType.allCases.map { .string($0.rawValue) }),
                "limits": [
                    "maxFileBytes": .int(CSVReadOptions.maxFileBytes),
                    "maxRows": .int(CSVReadOptions.maxRows),
                    "sessionTtlSeconds": .int(configuration.sessionTTLSeconds),
                    "resultRetentionDays": .int(Int(Workspace.resultRetention / 86_400)),
                ],
            ],
        ]
    }

    func shutdown(_ context: RequestContext) -> JSONValue {
        setPhase(.shutDown)
        logger.info("shutdown requested", method: context.method, id: context.id)
        return .null
    }

    /// LSP: if the parent process (`processId`) dies the server should exit. Polled every few
    /// seconds; treated like end of input.
    private func watchParent(_ processID: Int32) {
        Threads.detach { [self] in
            while kill(processID, 0) == 0 || errno == EPERM {
                Threads.sleep(seconds: 3)
            }
            logger.warn("parent process \(processID) is gone; finishing running work and exiting")
            connection.waitForInFlightRequests()
            connection.exitProcess(code: phase == .shutDown ? 0 : 1)
        }
    }
}
