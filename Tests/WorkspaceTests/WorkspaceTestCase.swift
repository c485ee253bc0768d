import XCTest
import Foundation
import Contacts
@testable import Workspace

/// A fresh temporary workspace folder per test, removed afterwards.
class WorkspaceTestCase: XCTestCase {
    var root = ""
    var directory = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "workspace-tests-\(UUID().uuidString)"
        directory = root + "/nested/ws"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    func openWorkspace(now: Date = Date(), busyTimeout: TimeInterval = Workspace.defaultBusyTimeout) throws -> Workspace {
        try Workspace.open(directory: directory, now: now, busyTimeout: busyTimeout)
    }

    @discardableResult
    func insert(_ workspace: Workspace, _ values: [String: String], tags: [String] = []) throws -> Contact {
        try workspace.write { try $0.insertContact(values: values, tags: tags, now: Date()) }
    }

    /// A database file as an earlier version left it: the first `schema` migrations, marked as
    /// such, then `sql` (its rows); with `pageSize`, in pages of that size (else SQLite's default).
    func writeOldWorkspace(schema: Int, pageSize: Int? = nil, _ sql: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let old = try Connection(path: directory + "/contacts.sqlite", busyTimeout: 5, readOnlyQueries: false)
        if let pageSize { try old.execute("PRAGMA page_size = \(pageSize)") }
        for migration in Schema.migrations.prefix(schema) { try old.execute(migration) }
        try old.execute("PRAGMA user_version = \(schema);\n" + sql)
    }

    /// Runs a query on a private connection, outside the Workspace API.
    func scalar(_ sql: String) throws -> Int {
        let connection = try Connection(path: directory + "/contacts.sqlite", busyTimeout: 5, readOnlyQueries: true)
        let statement = try connection.statement(sql)
        return try statement.step() ? statement.int(0) : -1
    }

    func text(_ sql: String) throws -> String? {
        let connection = try Connection(path: directory + "/contacts.sqlite", busyTimeout: 5, readOnlyQueries: true)
        let statement = try connection.statement(sql)
        return try statement.step() ? statement.string(0) : nil
    }
}

/// Runs this test bundle again as a child process that executes `ChildProcessScripts` with a
/// script name in the environment: a real second process on the same workspace.
final class ChildWorkspaceProcess {
    let process = Process()
    private let output = Pipe()
    private var buffer = Data()

    init(script: String, directory: String, extra: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["WorkspaceTests.ChildProcessScripts/testRunScript"]
        var environment = ProcessInfo.processInfo.environment
        environment["WORKSPACE_CHILD_SCRIPT"] = script
        environment["WORKSPACE_CHILD_DIR"] = directory
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for a line starting with `prefix` on the child's stdout and returns the rest.
    func waitForLine(prefix: String) -> String? {
        let handle = output.fileHandleForReading
        while true {
            if let text = String(data: buffer, encoding: .utf8) {
                for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
                    return String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
                }
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    /// What the child printed so far: its XCTest output says why it stopped early.
    var outputText: String { String(decoding: buffer, as: UTF8.self) }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// The scripts a child process runs. Without WORKSPACE_CHILD_SCRIPT the test does nothing.
final class ChildProcessScripts: XCTestCase {
    func testRunScript() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let script = environment["WORKSPACE_CHILD_SCRIPT"], let directory = environment["WORKSPACE_CHILD_DIR"] else {
            // Not a test of its own: the body of the child process other tests start and check.
            throw XCTSkip("runs only as the child process of a workspace concurrency test")
        }
        func say(_ line: String) {
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        if script == "openAndInsert" {
            // Started together with others on a folder that does not exist yet.
            do {
                let workspace = try Workspace.open(directory: directory)
                _ = try workspace.write { try $0.insertContact(values: ["firstName": "Racer"], tags: [], now: Date()) }
            } catch {
                say("failed: \(error)")
                throw error
            }
            say("done")
            return
        }
        let workspace = try Workspace.open(directory: directory)
        switch script {
        case "claimAndHold":
            let job = try workspace.claimJob(fileName: "child.csv", importTag: "child", now: Date())
            say("claimed \(job.id)")
            sleep(600)
        case "claimOnce":
            do {
                let job = try workspace.claimJob(fileName: "child.csv", importTag: nil, now: Date())
                say("claimed \(job.id)")
                sleep(600)
            } catch let busy as ImportInProgress {
                say("busy \(busy.jobId)")
            }
        case "hugeWriteThenHang":
            try workspace.setWriterCacheSize(pages: 100)
            let job = try workspace.claimJob(fileName: "big.csv", importTag: "big", now: Date())
            say("claimed \(job.id)")
            try workspace.write { transaction in
                for index in 0..<150_000 {
                    _ = try transaction.insertContact(values: [
                        "firstName": "Child \(index)", "phone": "+3460\(String(format: "%07d", index))",
                        "email": "child\(index)@example.com",
                    ], tags: ["big"], now: Date())
                }
                say("inserted")
                sleep(600)
            }
        case "holdWrite":
            try workspace.write { transaction in
                _ = try transaction.insertContact(values: ["firstName": "Held"], tags: [], now: Date())
                say("holding")
                let seconds = Double(environment["WORKSPACE_CHILD_SECONDS"] ?? "1") ?? 1
                usleep(UInt32(seconds * 1_000_000))
            }
            say("released")
        default:
            XCTFail("unknown script \(script)")
        }
    }
}
