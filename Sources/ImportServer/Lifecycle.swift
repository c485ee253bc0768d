import Contacts
import CSV
import Foundation
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

        let directory = requestedWorkspace ?? configuration.workspaceDirectory ?? Workspace.defaultDirectory()
        let workspace: Workspace
        do {
            workspace = try Workspace.open(directory: directory, now: now())
        } catch {
            logger.error("cannot open workspace \(directory): \(error.message(.english))", method: context.method, id: context.id)
            throw ResponseError(code: ErrorCode.workspaceError,
                                message: ServerText.workspaceUnavailable(directory, reason: error.message(locale), locale),
                                data: ["reason": .string(error.kind.rawValue), "directory": .string(directory)])
        }
        // Retention runs at open and then hourly, so a daemon left running for days still deletes old files.
        let clock = configuration.clock
        workspace.startPeriodicPurge(clock: clock)
        setWorkspace(workspace)
        setPhase(.running)
        if let processID, processID > 0 { watchParent(Int32(clamping: processID)) }
        logger.info("initialized for \(clientName ?? "unnamed client") (locale \(locale.rawValue), workspace \(directory))",
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
        Thread.detachNewThread { [self] in
            while kill(processID, 0) == 0 || errno == EPERM {
                Thread.sleep(forTimeInterval: 3)
            }
            logger.warn("parent process \(processID) is gone; finishing running work and exiting")
            connection.waitForInFlightRequests()
            connection.exitProcess(code: phase == .shutDown ? 0 : 1)
        }
    }
}
