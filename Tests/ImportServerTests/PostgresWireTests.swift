import Foundation
import XCTest
import JSONRPC
import TestSupport
import Workspace

/// The real daemon on a PostgreSQL workspace (`--workspace "<conninfo> options=…"`), when
/// `CONTACT_IMPORT_TEST_POSTGRES` names a server; skipped without it. Each test has a schema
/// of its own, dropped afterwards, and each daemon a files folder of its own (as two machines).
final class PostgresWireTests: XCTestCase {
    private var base = ""
    private var schema = ""
    private var folder: TemporaryDirectory?
    private let header = "Nombre,Apellido,Teléfono\n"
    private let nameAndPhone = [mapped(0, "firstName"), mapped(1, "lastName"), mapped(2, "phone")]

    override func setUpWithError() throws {
        guard let base = ProcessInfo.processInfo.environment["CONTACT_IMPORT_TEST_POSTGRES"], !base.isEmpty else {
            throw XCTSkip("CONTACT_IMPORT_TEST_POSTGRES is not set")
        }
        self.base = base
        schema = "w_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        folder = try TemporaryDirectory(prefix: "pg-wire")
    }

    override func tearDownWithError() throws {
        guard !base.isEmpty else { return }
        // Dropped with psql: the schema is the test's alone.
        let drop = Process()
        drop.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        drop.arguments = [base, "-qc", "DROP SCHEMA IF EXISTS \(schema) CASCADE"]
        drop.standardOutput = FileHandle.nullDevice
        drop.standardError = FileHandle.nullDevice
        try? drop.run()
        drop.waitUntilExit()
    }

    private var conninfo: String { base + " options='-c contact_import.schema=\(schema)'" }

    private func daemon(_ name: String, extra: [String] = []) throws -> ImportWire {
        let files = try XCTUnwrap(folder).file(name)
        return try ImportWire(arguments: ["--workspace", conninfo, "--files-dir", files] + extra)
    }

    func testOpenReviewCommitHistoryAcrossTwoDaemons() throws {
        let one = try daemon("one")
        _ = try one.client.request("contacts/create", ["firstName": "Viejo", "phone": "+34612345678"])
        let session = try one.open(header + "Ana,Ruiz,+34612345678\nLuis,Gil,+34622000111\n,Sin,+34633000222\n")
        let review = try one.review(session, "addAndUpdate", mapping: nameAndPhone, extra: ["importTag": "feria"])
        XCTAssertEqual(review["counts"]?["add"], 1)
        XCTAssertEqual(review["counts"]?["update"], 1)
        let result = try one.commit(session, review)
        XCTAssertEqual(result["state"], "completed")
        XCTAssertEqual(result["counts"]?["imported"], 1)
        XCTAssertEqual(result["counts"]?["updated"], 1)
        XCTAssertEqual(result["counts"]?["errors"], 1)
        let written = try rowsOfFile(result["resultFile"]?["uri"])
        XCTAssertEqual(written.count, 4)

        // A daemon "on another machine": same database, its own files folder.
        let two = try daemon("two")
        let history = try two.client.request("import/history", ["limit": 5])
        let job = try XCTUnwrap(history["jobs"]?[0])
        XCTAssertEqual(job["jobId"], result["jobId"])
        XCTAssertEqual(job["state"], "completed")
        XCTAssertEqual(job["importTag"], "feria")
        XCTAssertEqual(job["resultFile"]?["available"], true)
        let uri = try XCTUnwrap(job["resultFile"]?["uri"]?.stringValue)
        XCTAssertNotEqual(uri, result["resultFile"]?["uri"]?.stringValue, "its own copy")
        XCTAssertTrue(uri.hasPrefix("file://"))
        XCTAssertEqual(try rowsOfFile(job["resultFile"]?["uri"]), written)
        let status = try two.client.request("import/status", ["jobId": result["jobId"] ?? .null])
        XCTAssertEqual(status["resultFile"]?["uri"]?.stringValue, uri)

        let found = try two.client.request("contacts/find", ["phone": "+34612345678"])
        XCTAssertEqual(found["contacts"]?[0]?["firstName"], "Ana")
        XCTAssertEqual(found["contacts"]?[0]?["tags"], ["feria"])
    }

    func testOneJobAcrossDaemonsAndAKilledDaemonsJobIsInterrupted() throws {
        let holder = try daemon("one", extra: ["--enable-test-methods"])
        _ = try holder.client.sendRequest("$/test/holdWrite", ["count": 500, "claimJob": true])
        let held = try holder.client.waitForNotification("$/test/writeHeld")
        let heldJob = try XCTUnwrap(held["jobId"]?.intValue)

        let other = try daemon("two")
        let session = try other.open(header + "Ana,Ruiz,+34612345678\n")
        let review = try other.review(session, "addNew", mapping: nameAndPhone)
        let busy = try other.client.requestError("import/commit", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null])
        XCTAssertEqual(busy.code, ErrorCode.importInProgress)
        XCTAssertEqual(busy.data?["jobId"]?.intValue, heldJob, "\(busy)")

        let pid = try XCTUnwrap(holder.client.connection.processIdentifier)
        kill(pid, SIGKILL)
        _ = holder.client.waitForExit(timeout: 10)
        // The server notices the dead session at once (its socket closed); give it a moment.
        var committed: JSONValue?
        for _ in 0..<50 {
            let review = try other.review(session, "addNew", mapping: nameAndPhone)
            if let result = try? other.commit(session, review) {
                committed = result
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertEqual(committed?["state"], "completed")
        XCTAssertEqual(committed?["counts"]?["imported"], 1)
        let status = try other.client.request("import/status", ["jobId": .int(heldJob)])
        XCTAssertEqual(status["state"], "interrupted")
        let count = try other.client.request("contacts/find", ["phone": "+12122000001"])
        XCTAssertEqual(count["contacts"]?.arrayValue?.count, 0, "the held write was rolled back")
    }

    func testAnUnreachableDatabaseIs1007WithoutThePassword() throws {
        let client = try WireClient(arguments: ["--workspace", "host=/nonexistent-pg-dir dbname=postgres user=u password=hunter2"])
        let error = try client.requestError("initialize", ["processId": .int(Int(getpid())), "locale": "en"])
        XCTAssertEqual(error.code, ErrorCode.workspaceError)
        XCTAssertFalse(error.message.contains("hunter2"), error.message)
        XCTAssertTrue(error.message.contains("/nonexistent-pg-dir"), error.message)
        let named = try XCTUnwrap(error.data?["workspace"]?.stringValue)
        XCTAssertFalse(named.contains("hunter2"), named)
        XCTAssertNil(error.data?["directory"])
        XCTAssertEqual(error.data?["reason"], "cannotOpen")
    }
}
