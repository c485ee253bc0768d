import Foundation
import JSONRPC
import TestSupport
import XCTest

/// The lifecycle of protocol/README.md §4 against the real binary.
final class LifecycleTests: XCTestCase {
    func testInitializeAnnouncesServerAndImportCapabilities() throws {
        let client = try WireClient(arguments: ["--session-ttl", "120"])
        let result = try client.initialize(locale: "en")
        XCTAssertEqual(result["serverInfo"]?["name"], "contact-importd")
        XCTAssertNotNil(result["serverInfo"]?["version"]?.stringValue)
        let provider = try XCTUnwrap(result["capabilities"]?["importProvider"])
        XCTAssertEqual(provider["purposes"], ["addNew", "updateExisting", "addAndUpdate", "addAll"])
        XCTAssertEqual(provider["identifiers"], ["phone", "email", "contactId"])
        XCTAssertEqual(provider["fieldTypes"], ["text", "number", "date", "list", "checkbox", "email", "phone", "url",
                                                "integer", "language", "country", "tags"])
        XCTAssertEqual(provider["limits"], ["maxFileBytes": 20_971_520, "maxRows": 200_000, "sessionTtlSeconds": 120,
                                            "resultRetentionDays": 7])
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testRequestsBeforeInitializeAreServerNotInitialized() throws {
        let client = try WireClient()
        let error = try client.requestError("fields/list")
        XCTAssertEqual(error.code, ErrorCode.serverNotInitialized)
        XCTAssertEqual(try client.requestError("shutdown").code, ErrorCode.serverNotInitialized)
        XCTAssertEqual(try client.requestError("no/such/method").code, ErrorCode.serverNotInitialized)
        // Notifications before initialize are dropped without a reply.
        try client.notify("initialized")
        try client.notify("$/cancelRequest", ["id": 1])
        try client.initialize()
        XCTAssertNil(client.nextMessage(timeout: 0.2))
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testExitBeforeInitializeExitsOne() throws {
        let client = try WireClient()
        try client.notify("exit")
        XCTAssertEqual(client.waitForExit(), 1)
    }

    func testSecondInitializeIsInvalidRequest() throws {
        let client = try WireClient()
        try client.initialize(locale: "es")
        let error = try client.requestError("initialize", ["locale": "en"])
        XCTAssertEqual(error.code, ErrorCode.invalidRequest)
        XCTAssertEqual(error.message, "Solicitud no válida: el servidor ya está inicializado")
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testRequestsAfterShutdownAreInvalidRequestAndExitIsZero() throws {
        let client = try WireClient()
        try client.initialize()
        XCTAssertEqual(try client.request("shutdown"), .null)
        XCTAssertEqual(try client.requestError("fields/list").code, ErrorCode.invalidRequest)
        XCTAssertEqual(try client.requestError("initialize").code, ErrorCode.invalidRequest)
        XCTAssertEqual(try client.requestError("shutdown").code, ErrorCode.invalidRequest)
        try client.notify("exit")
        XCTAssertEqual(client.waitForExit(), 0)
    }

    func testExitWithoutShutdownExitsOne() throws {
        let client = try WireClient()
        try client.initialize()
        try client.notify("exit")
        XCTAssertEqual(client.waitForExit(), 1)
    }

    func testEndOfInputWithoutShutdownExitsOne() throws {
        let client = try WireClient()
        try client.initialize()
        XCTAssertEqual(client.closeInputAndWait(), 1)
    }

    func testEndOfInputAfterShutdownExitsZero() throws {
        let client = try WireClient()
        try client.initialize()
        try client.request("shutdown")
        XCTAssertEqual(client.closeInputAndWait(), 0)
    }

    func testEndOfInputLetsRunningWorkFinish() throws {
        let client = try WireClient(arguments: ["--enable-test-methods"])
        try client.initialize()
        let id = try client.sendRequest("$/test/sleep", ["milliseconds": 400, "steps": 4])
        Thread.sleep(forTimeInterval: 0.05)
        client.connection.closeInput()
        XCTAssertEqual(try client.waitForResponse(id).get(), ["slept": 400])
        XCTAssertEqual(client.waitForExit(), 1)
    }

    func testServerExitsWhenTheParentProcessDies() throws {
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/bin/sleep")
        parent.arguments = ["0.3"]
        try parent.run()
        let client = try WireClient()
        _ = try client.request("initialize", ["processId": .int(Int(parent.processIdentifier))])
        parent.waitUntilExit()
        XCTAssertEqual(client.waitForExit(timeout: 10), 1, "the daemon outlived its parent")
        XCTAssertTrue(client.stderrText.contains("parent process"), client.stderrText)
    }

    func testWorkspaceThatCannotBeOpenedIsWorkspaceError() throws {
        let directory = try TemporaryDirectory()
        let blocker = try directory.write("not-a-folder", "x")
        let client = try WireClient(arguments: ["--workspace", blocker + "/workspace"])
        let error = try client.requestError("initialize", ["locale": "es"])
        XCTAssertEqual(error.code, ErrorCode.workspaceError)
        XCTAssertTrue(error.message.hasPrefix("No se puede abrir el espacio de trabajo en \(blocker)/workspace"), error.message)
        XCTAssertEqual(error.data?["directory"]?.stringValue, blocker + "/workspace")
        // A failed initialize leaves the server uninitialized: the client may try another folder.
        XCTAssertEqual(try client.requestError("fields/list").code, ErrorCode.serverNotInitialized)
        let retry = try client.request("initialize", ["initializationOptions": ["workspace": .string(directory.file("ws"))]])
        XCTAssertEqual(retry["serverInfo"]?["name"], "contact-importd")
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("ws")))
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testLocaleDrivesEveryMessage() throws {
        let expectations = [("en", "Unknown method: x/y"), ("es", "Método desconocido: x/y"),
                            ("pt-BR", "Método desconhecido: x/y"), ("fr", "Unknown method: x/y")]
        for (locale, message) in expectations {
            let client = try WireClient()
            try client.initialize(locale: locale)
            XCTAssertEqual(try client.requestError("x/y").message, message, locale)
            XCTAssertEqual(try client.shutdownAndExit(), 0)
        }
    }

    func testVersionHelpAndBadFlags() throws {
        let daemon = shellQuote(try DaemonLocator.daemonPath())
        let version = try runShell("\(daemon) --version")
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.hasPrefix("contact-importd "))
        let help = try runShell("\(daemon) --help")
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("--session-ttl SECONDS"))
        for bad in ["--bogus", "--log-level loud", "--session-ttl", "--session-ttl -5", "--max-sessions zero", "stray"] {
            let result = try runShell("\(daemon) \(bad) </dev/null")
            XCTAssertEqual(result.status, 2, bad)
            XCTAssertTrue(result.stderr.contains("usage: contact-importd"), bad)
            XCTAssertEqual(result.stdout, "", bad)
        }
    }

    func testLogsAreOneLineOnStderrWithTimeLevelMethodAndID() throws {
        let client = try WireClient(arguments: ["--log-level", "debug"])
        try client.initialize()
        _ = try client.requestResult("x/y", nil, id: 42)
        XCTAssertEqual(try client.shutdownAndExit(), 0)
        let lines = client.stderrText.split(separator: "\n")
        XCTAssertFalse(lines.isEmpty)
        let pattern = try NSRegularExpression(pattern: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (ERROR|WARN|INFO|DEBUG) "#)
        for line in lines {
            let text = String(line)
            XCTAssertNotNil(pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), text)
        }
        XCTAssertTrue(lines.contains { $0.contains("DEBUG x/y #42") }, client.stderrText)
        XCTAssertTrue(lines.contains { $0.contains("INFO initialize #") })
    }

    func testInfoLevelIsQuietPerRequest() throws {
        let client = try WireClient(arguments: ["--log-level", "warn"])
        try client.initialize()
        for _ in 0..<20 { _ = try client.request("fields/list") }
        XCTAssertEqual(try client.shutdownAndExit(), 0)
        XCTAssertEqual(client.stderrText, "")
    }

    func testClosedStdoutEndsTheProcessCleanly() throws {
        let daemon = shellQuote(try DaemonLocator.daemonPath())
        let workspace = try TemporaryDirectory()
        let message = request(1, "initialize", ["locale": "en"]).serialized
        let second = request(2, "no/such").serialized
        // `head -c 0` exits at once, so the daemon's writes meet a closed pipe (EPIPE); the second
        // message covers a slow start of `head`. Status 141 would mean SIGPIPE killed the daemon;
        // 1 means it noticed and exited.
        let script = "(sleep 0.3; printf '%s\\n' \(shellQuote(message)); sleep 0.7; printf '%s\\n' \(shellQuote(second)); sleep 3) | \(daemon) --workspace "
            + "\(shellQuote(workspace.file("ws"))) | head -c 0; echo \"status=${PIPESTATUS[1]}\""
        let result = try runShell(script)
        XCTAssertTrue(result.stdout.contains("status=1"), result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("output closed"), result.stderr)
    }

    func testRecordWritesATranscriptInOrder() throws {
        let directory = try TemporaryDirectory()
        let transcript = directory.file("session.jsonl")
        let client = try WireClient(arguments: ["--record", transcript])
        try client.initialize()
        _ = try client.requestResult("x/y")
        XCTAssertEqual(try client.shutdownAndExit(), 0)
        let lines = try String(contentsOfFile: transcript, encoding: .utf8).split(separator: "\n")
            .map { try JSONValue.parse(String($0)) }
        XCTAssertEqual(lines.first?["event"], "start")
        XCTAssertEqual(lines.first?["framing"], "content-length")
        XCTAssertEqual(lines.dropFirst().prefix(2).map { $0["direction"] }, ["in", "out"])
        XCTAssertEqual(lines[1]["message"]?["method"], "initialize")
        XCTAssertEqual(lines.last, ["event": "exit", "code": 0])
        let directions = lines.compactMap { $0["direction"]?.stringValue }
        XCTAssertEqual(directions, ["in", "out", "in", "in", "out", "in", "out", "in"])
    }
}
