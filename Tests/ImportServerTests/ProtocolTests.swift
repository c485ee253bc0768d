import Foundation
import JSONRPC
import TestSupport
import XCTest

/// Framing, envelopes and every transport-level error code (protocol/README.md §1–3, §8)
/// against the real binary.
final class ProtocolTests: XCTestCase {
    private func started(_ arguments: [String] = [], locale: String = "en") throws -> WireClient {
        let client = try WireClient(arguments: arguments)
        try client.initialize(locale: locale)
        return client
    }

    func testIDsEchoWithTheirJSONType() throws {
        let client = try started()
        for id: JSONValue in [7, "7", -3, "", .int(Int.max), "ñ 😀"] {
            try client.sendRaw(framed(["jsonrpc": "2.0", "id": id, "method": "shutdown-not"]))
            let reply = try XCTUnwrap(client.nextMessage(timeout: 5))
            XCTAssertEqual(reply["id"], id)
            XCTAssertEqual(reply["error"]?["code"], .int(ErrorCode.methodNotFound))
        }
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testParseErrorHasNullIDAndServerKeepsServing() throws {
        let client = try started()
        for body in ["{not json", "", "{\"jsonrpc\":\"2.0\",\"id\":1,", "\u{FEFF}{}"] {
            try client.sendRaw(Array("Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
            let reply = try XCTUnwrap(client.nextMessage(timeout: 5))
            XCTAssertEqual(reply["id"], .null)
            XCTAssertEqual(reply["error"]?["code"], .int(ErrorCode.parseError), body)
        }
        XCTAssertNotNil(try client.request("fields/list")["fields"])
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testInvalidRequestsHaveNullID() throws {
        let client = try started(locale: "es")
        let bodies: [JSONValue] = [
            [["jsonrpc": "2.0", "id": 1, "method": "fields/list"]],                // a batch
            [],
            ["id": 1, "method": "fields/list"],                                    // no "jsonrpc"
            ["jsonrpc": "1.0", "id": 1, "method": "fields/list"],
            ["jsonrpc": "2.0", "id": 1.5, "method": "fields/list"],                // fractional id
            ["jsonrpc": "2.0", "id": ["x"], "method": "fields/list"],
            ["jsonrpc": "2.0", "id": 1, "method": 3],
            ["jsonrpc": "2.0", "id": 1, "method": "fields/list", "params": "x"],
            "just a string",
        ]
        for body in bodies {
            try client.sendRaw(framed(body))
            let reply = try XCTUnwrap(client.nextMessage(timeout: 5))
            XCTAssertEqual(reply["id"], .null, body.serialized)
            XCTAssertEqual(reply["error"]?["code"], .int(ErrorCode.invalidRequest), body.serialized)
            XCTAssertTrue(reply["error"]?["message"]?.stringValue?.hasPrefix("Solicitud no válida") ?? false)
        }
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testUnknownMethodAndUnknownNotification() throws {
        let client = try started()
        let error = try client.requestError("import/teleport")
        XCTAssertEqual(error.code, ErrorCode.methodNotFound)
        XCTAssertEqual(error.data?["method"], "import/teleport")
        XCTAssertEqual(try client.requestError("$/unknownRequest").code, ErrorCode.methodNotFound)
        try client.notify("import/teleported", ["x": 1])
        try client.notify("$/setTrace", ["value": "off"])
        XCTAssertNotNil(try client.request("fields/list")["fields"])
        XCTAssertNil(client.nextMessage(timeout: 0.2), "notifications never get a reply")
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testInvalidParamsNameTheField() throws {
        let client = try WireClient(arguments: ["--enable-test-methods"])
        let initializeError = try client.requestError("initialize", ["locale": 5])
        XCTAssertEqual(initializeError.code, ErrorCode.invalidParams)
        XCTAssertEqual(initializeError.data?["field"], "locale")
        let nested = try client.requestError("initialize", ["initializationOptions": ["workspace": true]])
        XCTAssertEqual(nested.data?["field"], "initializationOptions.workspace")
        try client.initialize(locale: "es")
        let error = try client.requestError("$/test/sleep", ["milliseconds": "soon"])
        XCTAssertEqual(error.code, ErrorCode.invalidParams)
        XCTAssertEqual(error.data?["field"], "milliseconds")
        XCTAssertEqual(error.message, "Parámetros no válidos: `milliseconds` debe ser un número entero")
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testHandlerBugIsInternalErrorLoggedAndServerKeepsServing() throws {
        let client = try started(["--enable-test-methods"])
        let error = try client.requestError("$/test/fail")
        XCTAssertEqual(error.code, ErrorCode.internalError)
        XCTAssertFalse(error.message.contains("simulated"), "details stay in the log")
        XCTAssertNotNil(try client.request("fields/list")["fields"])
        XCTAssertEqual(try client.shutdownAndExit(), 0)
        XCTAssertTrue(client.stderrText.contains("ERROR $/test/fail #"), client.stderrText)
        XCTAssertTrue(client.stderrText.contains("simulated bug"), client.stderrText)
    }

    func testCancelRequestGivesRequestCancelledWithProgressEnded() throws {
        let client = try started(["--enable-test-methods"], locale: "es")
        let id = try client.sendRequest("$/test/sleep", ["milliseconds": 20_000, "steps": 200, "workDoneToken": "sleep-1"])
        let begin = try client.waitForNotification("$/progress")
        XCTAssertEqual(begin["token"], "sleep-1")
        XCTAssertEqual(begin["value"]?["kind"], "begin")
        XCTAssertEqual(begin["value"]?["percentage"], 0)
        try client.notify("$/cancelRequest", ["id": 999])            // unknown ids are ignored
        try client.notify("$/cancelRequest", ["id": id.json])
        guard case .failure(let error) = try client.waitForResponse(id, timeout: 5) else { return XCTFail("not cancelled") }
        XCTAssertEqual(error.code, ErrorCode.requestCancelled)
        XCTAssertEqual(error.message, "Solicitud cancelada")
        var last: JSONValue?
        while let message = client.nextMessage(timeout: 0.3) { last = message }
        XCTAssertEqual(last?["params"]?["value"]?["kind"], "end", "progress always ends")
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testProgressPercentagesRiseAndAreRateLimited() throws {
        let client = try started(["--enable-test-methods"])
        let started = Date()
        let id = try client.sendRequest("$/test/sleep", ["milliseconds": 600, "steps": 300, "workDoneToken": 5])
        XCTAssertEqual(try client.waitForResponse(id).get(), ["slept": 600])
        let elapsed = Date().timeIntervalSince(started)
        var values: [JSONValue] = []
        while let message = client.nextMessage(timeout: 0.3) { values.append(message["params"]?["value"] ?? .null) }
        XCTAssertEqual(values.first?["kind"], "begin")
        XCTAssertEqual(values.last?["kind"], "end")
        let percentages = values.compactMap { $0["percentage"]?.intValue }
        XCTAssertEqual(percentages, percentages.sorted())
        // At most one report per 50 ms of the job (which may run long on a busy machine).
        XCTAssertLessThanOrEqual(values.count, 3 + Int(elapsed / 0.05), "about 20 reports per second at most")
        XCTAssertGreaterThan(values.count, 2, "a 600 ms job reports progress")
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testRequestsRunConcurrently() throws {
        let client = try started(["--enable-test-methods"])
        let started = Date()
        let slow = try client.sendRequest("$/test/sleep", ["milliseconds": 1500, "steps": 1])
        let fast = try client.sendRequest("fields/list")
        _ = try client.waitForResponse(fast).get()
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.0)
        _ = try client.waitForResponse(slow).get()
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testHeaderVariantsAndResyncAfterBadHeader() throws {
        let client = try started()
        let body = request(10, "fields/list").serialized
        let n = body.utf8.count
        try client.sendRaw("content-length: \(n)\n\n\(body)")                                    // LF only, lower case
        try client.sendRaw("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH: \(n)\r\n\r\n"
            + body.replacingOccurrences(of: "10", with: "11"))
        try client.sendRaw("Content-Length: twelve\r\n\r\n{\"lost\":true}")                         // bad header
        try client.sendRaw("Content-Length: \(n)\r\n\r\n" + body.replacingOccurrences(of: "10", with: "12"))
        try client.sendRaw("X-Junk: 1\r\nno colon here\r\nContent-Length: \(n)\r\n\r\n" + body.replacingOccurrences(of: "10", with: "13"))
        var ids: Set<Int> = []
        for _ in 0..<4 {
            let reply = try XCTUnwrap(client.nextMessage(timeout: 5))
            XCTAssertNotNil(reply["result"]?["fields"])
            ids.insert(reply["id"]?.intValue ?? -1)
        }
        XCTAssertEqual(ids, [10, 11, 12, 13])
        XCTAssertEqual(try client.shutdownAndExit(), 0)
        XCTAssertTrue(client.stderrText.contains("bad header"), client.stderrText)
    }

    func testOversizedBodyIsSkippedAndAnsweredWithNullID() throws {
        let client = try started()
        let size = 64 * 1024 * 1024 + 1
        try client.sendRaw("Content-Length: \(size)\r\n\r\n")
        try client.connection.sendSpaces(size)
        let reply = try XCTUnwrap(client.nextMessage(timeout: 10))
        XCTAssertEqual(reply["id"], .null)
        XCTAssertEqual(reply["error"]?["code"], .int(ErrorCode.invalidRequest))
        XCTAssertEqual(reply["error"]?["data"]?["bytes"], .int(size))
        XCTAssertNotNil(try client.request("fields/list")["fields"], "the connection stays open")
        XCTAssertEqual(try client.shutdownAndExit(), 0)
    }

    func testNewlineDelimitedSessionFromAShellPipe() throws {
        let daemon = shellQuote(try DaemonLocator.daemonPath())
        let workspace = try TemporaryDirectory()
        let lines = [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"locale":"es"}}"#,
            #"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"fields/list"}"#,
            #"{"jsonrpc":"2.0","id":"three","method":"nope"}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"shutdown"}"#,
            #"{"jsonrpc":"2.0","method":"exit"}"#,
        ]
        let script = "printf '%s\\n' " + lines.map(shellQuote).joined(separator: " ")
            + " | \(daemon) --workspace \(shellQuote(workspace.file("ws")))"
        let result = try runShell(script)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stdout.contains("Content-Length"))
        let replies = try result.stdout.split(separator: "\n").map { try JSONValue.parse(String($0)) }
        XCTAssertEqual(replies.count, 4, result.stdout)
        var byID: [JSONValue: JSONValue] = [:]
        for reply in replies { byID[reply["id"] ?? .null] = reply }
        XCTAssertEqual(byID[1]?["result"]?["serverInfo"]?["name"], "contact-importd")
        XCTAssertEqual(byID[2]?["result"]?["fields"]?[1]?["label"], "Nombre")
        XCTAssertEqual(byID["three"]?["error"]?["code"], .int(ErrorCode.methodNotFound))
        XCTAssertEqual(byID[4]?["result"], .null)
    }

    func testThousandSeededRandomOrTruncatedMessagesThenAValidRequest() throws {
        let client = try started(["--enable-test-methods"])
        var generator = SplitMix64(seed: 2024)
        // Ids the client's own counter never reaches: a late answer to one of these (a slower
        // store answers contacts/get later) must not be taken for the answer to `shutdown`.
        let templates: [JSONValue] = [
            request(1001, "fields/list"),
            request(1002, "contacts/get", ["contactId": 1]),
            request(1003, "$/test/sleep", ["milliseconds": 1, "steps": 1]),
            ["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": 1003]],
            request(1004, "import/open", ["text": "a,b\n1,2\n"]),
            request(1005, "fields/create", ["name": "X", "type": "nope"]),
        ]
        var stream: [UInt8] = []
        for index in 0..<1000 {
            var body = templates[index % templates.count].serializedBytes()
            switch generator.below(6) {
            case 0: body = Array(body.prefix(generator.below(body.count)))                   // truncated
            case 1: for _ in 0..<3 { body[generator.below(body.count)] = UInt8(generator.below(256)) }
            case 2: body = (0..<generator.below(64)).map { _ in UInt8(generator.below(256)) }
            case 3: body = Array("[".utf8) + body + Array("]".utf8)                                    // batch
            case 4: body = Array(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\"2.0\"", with: "2").utf8)
            default: break                                                                             // valid
            }
            if generator.below(20) == 0 {
                stream += Array("Content-Length: nope\r\n\r\n".utf8)                                   // bad header
            }
            let header = generator.below(2) == 0 ? "Content-Length: \(body.count)\r\n\r\n" : "content-length:\(body.count)\n\n"
            stream += Array(header.utf8) + body
        }
        try client.sendRaw(stream)
        let final = try client.requestResult("fields/list", nil, id: "final", timeout: 30)
        XCTAssertNotNil(try final.get()["fields"])
        XCTAssertEqual(try client.shutdownAndExit(), 0)
        XCTAssertFalse(client.stderrText.contains("Fatal error"), client.stderrText)
    }
}
