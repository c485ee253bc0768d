import Foundation
import XCTest
import JSONRPC
import TestSupport

/// libpq is opened only when a PostgreSQL workspace is (`CONTACT_IMPORT_LIBPQ` names another
/// library to open): a daemon whose libpq cannot be loaded answers a PostgreSQL workspace with a
/// workspace error naming the library, and serves a SQLite workspace as ever. No server needed.
final class LibPQWireTests: XCTestCase {
    private var withoutLibPQ: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["CONTACT_IMPORT_LIBPQ"] = "/nonexistent/libpq.so.5"
        return environment
    }

    func testAPostgreSQLWorkspaceWithoutLibPQIsAWorkspaceErrorNamingIt() throws {
        let client = try WireClient(arguments: ["--workspace", "host=/nonexistent-pg-dir dbname=postgres user=u password=hunter2"],
                                    environment: withoutLibPQ)
        let error = try client.requestError("initialize", ["processId": .int(Int(getpid())), "locale": "es"])
        XCTAssertEqual(error.code, ErrorCode.workspaceError)
        XCTAssertEqual(error.data?["reason"], "cannotOpen")
        XCTAssertTrue(error.message.contains("libpq5"), error.message)
        XCTAssertTrue(error.message.contains("/nonexistent/libpq.so.5"), error.message)
        XCTAssertFalse(error.message.contains("hunter2"), error.message)
        // The daemon is still there, and says the same again.
        XCTAssertEqual(try client.requestError("initialize", ["locale": "es"]).code, ErrorCode.workspaceError)
    }

    func testASQLiteWorkspaceNeedsNoLibPQ() throws {
        // A folder named outright: the PostgreSQL test pass would otherwise hand out a schema.
        let folder = try TemporaryDirectory(prefix: "libpq-free")
        let client = try WireClient(arguments: ["--workspace", folder.path + "/ws"], environment: withoutLibPQ)
        _ = try client.initialize()
        let fields = try client.request("fields/list")
        XCTAssertFalse(fields["fields"]?.arrayValue?.isEmpty ?? true)
    }
}
