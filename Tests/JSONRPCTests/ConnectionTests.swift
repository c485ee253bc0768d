import Foundation
import XCTest
@testable import JSONRPC

/// The dispatcher over real pipes, in process: a `Connection` on one end, a `ClientConnection` on
/// the other.
final class ConnectionTests: XCTestCase {
    private final class Harness: @unchecked Sendable {
        let table = MethodTable()
        let client: ClientConnection
        let connection: Connection
        let finished = DispatchSemaphore(value: 0)

        init() {
            var toServer: [Int32] = [0, 0]
            var toClient: [Int32] = [0, 0]
            _ = toServer.withUnsafeMutableBufferPointer { pipe($0.baseAddress) }
            _ = toClient.withUnsafeMutableBufferPointer { pipe($0.baseAddress) }
            connection = Connection(input: toServer[0], output: toClient[1], table: table,
                                    logger: Logger(level: .error, descriptor: -1))
            client = ClientConnection(readFrom: toClient[0], writeTo: toServer[1])
            let connection = self.connection
            let finished = self.finished
            let serverInput = toServer[0], serverOutput = toClient[1]
            Thread.detachNewThread {
                connection.readUntilEndOfInput()
                connection.waitForInFlightRequests()
                close(serverInput)
                close(serverOutput)
                finished.signal()
            }
        }

        func stop() {
            client.closeInput()
            _ = finished.wait(timeout: .now() + 10)
        }
    }

    private struct Boom: Error {}

    func testUnknownMethodAndIDTypes() throws {
        let harness = Harness()
        defer { harness.stop() }
        harness.table.request("echo") { context in context.params.json }
        XCTAssertEqual(try harness.client.request("echo", ["a": 1]), ["a": 1])
        let result = try harness.client.requestResult("nope", nil, id: "s-1")
        XCTAssertEqual(try? result.get(), nil)
        if case .failure(let error) = result { XCTAssertEqual(error.code, ErrorCode.methodNotFound) }
    }

    func testHandlersRunConcurrentlyAndRepliesMayComeOutOfOrder() throws {
        let harness = Harness()
        defer { harness.stop() }
        harness.table.request("sleep") { context in
            let milliseconds = try context.params.int("ms")
            try context.pause(seconds: Double(milliseconds) / 1000)
            return .int(milliseconds)
        }
        let started = Date()
        let slow = try harness.client.sendRequest("sleep", ["ms": 600])
        let fast = try harness.client.sendRequest("sleep", ["ms": 10])
        XCTAssertEqual(try harness.client.waitForResponse(fast).get(), 10)
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5, "the fast request waited for the slow one")
        XCTAssertEqual(try harness.client.waitForResponse(slow).get(), 600)
    }

    func testExactlyOneReplyPerRequest() throws {
        let harness = Harness()
        harness.table.request("work") { context in
            let n = try context.params.int("n")
            if n % 3 == 0 { throw Boom() }
            if n % 3 == 1 { throw ResponseError(code: 1008, message: "no") }
            return .int(n)
        }
        for n in 0..<300 { try harness.client.send(Message.request(id: RequestID(n), method: "work", params: ["n": .int(n)]).json) }
        var seen: [Int: Int] = [:]
        for _ in 0..<300 {
            guard let message = harness.client.nextMessage(timeout: 10), let id = message["id"]?.intValue else {
                return XCTFail("missing replies")
            }
            seen[id, default: 0] += 1
            switch id % 3 {
            case 0: XCTAssertEqual(message["error"]?["code"], .int(ErrorCode.internalError))
            case 1: XCTAssertEqual(message["error"]?["code"], 1008)
            default: XCTAssertEqual(message["result"], .int(id))
            }
        }
        harness.stop()
        XCTAssertNil(harness.client.nextMessage(timeout: 0.2), "a request was answered twice")
        XCTAssertEqual(seen.count, 300)
        XCTAssertTrue(seen.values.allSatisfy { $0 == 1 })
    }

    func testCancellationGivesRequestCancelled() throws {
        let harness = Harness()
        defer { harness.stop() }
        let started = DispatchSemaphore(value: 0)
        harness.table.request("loop") { context in
            started.signal()
            while true {
                try context.checkCancellation()
                usleep(5_000)
            }
        }
        let id = try harness.client.sendRequest("loop")
        XCTAssertEqual(started.wait(timeout: .now() + 5), .success)
        try harness.client.notify("$/cancelRequest", ["id": .int(12345)])
        try harness.client.notify("$/cancelRequest", ["id": id.json])
        let result = try harness.client.waitForResponse(id, timeout: 5)
        guard case .failure(let error) = result else { return XCTFail("expected -32800") }
        XCTAssertEqual(error.code, ErrorCode.requestCancelled)
    }

    func testAPausedHandlerIsWokenByCancellation() throws {
        let harness = Harness()
        defer { harness.stop() }
        harness.table.request("sleepy") { context in
            try context.pause(seconds: 30)
            return .null
        }
        let id = try harness.client.sendRequest("sleepy")
        Thread.sleep(forTimeInterval: 0.05)
        try harness.client.notify("$/cancelRequest", ["id": id.json])
        guard case .failure(let error) = try harness.client.waitForResponse(id, timeout: 5) else { return XCTFail() }
        XCTAssertEqual(error.code, ErrorCode.requestCancelled)
    }

    func testProgressBeginReportsEnd() throws {
        let harness = Harness()
        defer { harness.stop() }
        harness.table.request("long") { context in
            let progress = context.progress(title: "Working")
            for step in 0...1000 {
                progress.report(percentage: step % 2 == 0 ? step / 10 : 5, message: "\(step)")
                if step % 100 == 0 { Thread.sleep(forTimeInterval: 0.02) }
            }
            return "done"
        }
        let started = Date()
        let id = try harness.client.sendRequest("long", ["workDoneToken": "t1"])
        XCTAssertEqual(try harness.client.waitForResponse(id).get(), "done")
        let elapsed = Date().timeIntervalSince(started)
        var kinds: [String] = []
        var percentages: [Int] = []
        while let message = harness.client.nextMessage(timeout: 0.2) {
            XCTAssertEqual(message["method"], "$/progress")
            XCTAssertEqual(message["params"]?["token"], "t1")
            kinds.append(message["params"]?["value"]?["kind"]?.stringValue ?? "?")
            if let percentage = message["params"]?["value"]?["percentage"]?.intValue { percentages.append(percentage) }
        }
        XCTAssertEqual(kinds.first, "begin")
        XCTAssertEqual(kinds.last, "end")
        XCTAssertEqual(kinds.filter { $0 == "begin" }.count, 1)
        XCTAssertEqual(kinds.filter { $0 == "end" }.count, 1)
        XCTAssertLessThanOrEqual(kinds.count, 3 + Int(elapsed / 0.05), "reports are rate-limited to one per 50 ms")
        XCTAssertEqual(percentages, percentages.sorted(), "percentages never go back")
    }

    func testProgressWithoutTokenIsSilentAndEndIsAutomatic() throws {
        let harness = Harness()
        defer { harness.stop() }
        harness.table.request("p") { context in
            context.progress(title: "x").report(percentage: 50)
            return .null
        }
        _ = try harness.client.request("p")
        XCTAssertNil(harness.client.nextMessage(timeout: 0.1))
        _ = try harness.client.request("p", ["workDoneToken": 9])
        let kinds = [harness.client.nextMessage(timeout: 1), harness.client.nextMessage(timeout: 1)]
            .map { $0?["params"]?["value"]?["kind"]?.stringValue }
        XCTAssertEqual(kinds, ["begin", "end"])
    }

    func testExclusiveRequestWaitsForRunningOnesAndHoldsTheNext() throws {
        let harness = Harness()
        defer { harness.stop() }
        let order = OrderLog()
        harness.table.request("slow") { _ in
            Thread.sleep(forTimeInterval: 0.2)
            order.append("slow")
            return .null
        }
        harness.table.request("barrier", execution: .exclusive) { _ in
            order.append("barrier")
            return .null
        }
        harness.table.request("fast") { _ in
            order.append("fast")
            return .null
        }
        let a = try harness.client.sendRequest("slow")
        let b = try harness.client.sendRequest("barrier")
        let c = try harness.client.sendRequest("fast")
        for id in [a, b, c] { _ = try harness.client.waitForResponse(id) }
        XCTAssertEqual(order.entries, ["slow", "barrier", "fast"])
    }

    func testGateRejectsAndDrops() throws {
        let harness = Harness()
        defer { harness.stop() }
        let notified = OrderLog()
        harness.table.request("m") { _ in "ok" }
        harness.table.notification("n") { _ in notified.append("n") }
        harness.table.setGate { method, _, locale in
            method == "m" ? .reject(ResponseError(code: -32002, message: locale.rawValue)) : .drop
        }
        guard case .failure(let error) = try harness.client.requestResult("m") else { return XCTFail() }
        XCTAssertEqual(error.code, -32002)
        try harness.client.notify("n")
        _ = try harness.client.requestResult("m")
        XCTAssertEqual(notified.entries, [])
    }

    func testClientTimesOutAndReportsAClosedConnection() throws {
        let harness = Harness()
        harness.table.request("never") { context in
            try context.pause(seconds: 30)
            return .null
        }
        let started = Date()
        XCTAssertThrowsError(try harness.client.requestResult("never", nil, id: "slow", timeout: 0.2)) { error in
            guard case ClientConnection.ClientError.timeout = error else { return XCTFail("\(error)") }
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        try harness.client.notify("$/cancelRequest", ["id": "slow"])
        let id = try harness.client.sendRequest("never")
        try harness.client.notify("$/cancelRequest", ["id": id.json])
        _ = try harness.client.waitForResponse(id)
        harness.stop()
        XCTAssertThrowsError(try harness.client.requestResult("never", nil, timeout: 5))
    }

    func testNotificationCallbackSeesServerNotifications() throws {
        let harness = Harness()
        defer { harness.stop() }
        let seen = OrderLog()
        harness.client.onNotification { method, params in seen.append("\(method) \(params?["n"]?.intValue ?? -1)") }
        harness.table.request("announce") { context in
            context.notify("news", ["n": 1])
            context.notify("news", ["n": 2])
            return .null
        }
        _ = try harness.client.request("announce")
        XCTAssertEqual(try harness.client.waitForNotification("news", timeout: 5)["n"], 1)
        XCTAssertEqual(seen.entries, ["news 1", "news 2"])
    }

    func testNotificationsRunInOrder() throws {
        let harness = Harness()
        defer { harness.stop() }
        let log = OrderLog()
        harness.table.notification("note") { context in log.append(String(try context.params.int("n"))) }
        harness.table.request("sync") { _ in .null }
        for n in 0..<50 { try harness.client.notify("note", ["n": .int(n)]) }
        _ = try harness.client.request("sync")
        XCTAssertEqual(log.entries, (0..<50).map(String.init))
    }
}

final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ entry: String) { lock.lock(); storage.append(entry); lock.unlock() }
    var entries: [String] { lock.lock(); defer { lock.unlock() }; return storage }
}
