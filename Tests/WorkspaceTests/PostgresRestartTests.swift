import XCTest
import Foundation
import Contacts
@testable import Workspace

/// A database server restarted in the middle of a commit (`pg_ctl restart -m fast`), on a
/// throwaway cluster of the test's own (`.ci/postgres`), when `CONTACT_IMPORT_TEST_POSTGRES` is set.
final class PostgresRestartTests: XCTestCase {
    private var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".ci/postgres").path
    }

    /// posix_spawn and waitpid, not `Process`: the server that `start` launches inherits the
    /// descriptors Foundation watches for the child's exit (and the test runner's output), so
    /// the script runs in a shell that closes every descriptor above stderr first.
    private func run(_ arguments: [String]) throws {
        let shell = "for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done; "
            + "exec \"$0\" \"$@\" </dev/null >/dev/null 2>&1"
        let argv = ["/bin/bash", "-c", shell, script] + arguments
        var pointers = argv.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", nil, nil, &pointers, environ) == 0 else { throw XCTSkip("cannot run .ci/postgres") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else { throw XCTSkip(".ci/postgres \(arguments[0]) failed (\(status))") }
    }

    private func adds(_ count: Int) -> ImportBatch {
        ImportBatch(columns: [ImportColumn(key: "firstName", type: .text, overwrite: true),
                              ImportColumn(key: "phone", type: .phone, overwrite: true)],
                    values: (0..<count).flatMap { [FieldValue.text("N\($0)"), .text("+3460000\(String(format: "%04d", $0))")] },
                    rowCount: count, unchangedKey: nil, extraTags: ["t"], now: Date())
    }

    func testARestartMidCommitFailsTheJobLeavesNothingAndTheStoreGoesOn() throws {
        guard ProcessInfo.processInfo.environment["CONTACT_IMPORT_TEST_POSTGRES"]?.isEmpty == false else {
            throw XCTSkip("CONTACT_IMPORT_TEST_POSTGRES is not set")
        }
        guard FileManager.default.isExecutableFile(atPath: script) else { throw XCTSkip("no .ci/postgres") }
        let dir = "/tmp/pgr-" + UUID().uuidString.prefix(6).lowercased()
        try run(["start", dir])
        let base = "host=\(dir) dbname=postgres user=postgres"
        defer { _ = try? run(["stop", dir]) }
        let files = NSTemporaryDirectory() + "pg-restart-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: files) }
        let store = try PostgresWorkspace.open(conninfo: base, filesDirectory: files)
        let job = try store.claimJob(fileName: "one.csv", importTag: .none, now: Date())
        XCTAssertThrowsError(try store.writeImport { tx in
            try tx.write(adds(200), row: { _ in .add }, progress: { _, _ in })
            try run(["restart", dir])
            try tx.write(adds(5), row: { _ in .add }, progress: { _, _ in })
        }) { error in
            XCTAssertNotNil(error as? WorkspaceError, "\(error)")
        }
        var failed = job
        failed.state = .failed
        failed.finishedAt = Date()
        try store.finishJob(failed)
        // The next requests are answered: fresh connections replace the dead ones.
        XCTAssertEqual(try store.job(id: job.id)?.state, .failed)
        XCTAssertEqual(try store.lookUp { try $0.contactExists(id: 1) }, false, "nothing half-written")
        let next = try store.claimJob(fileName: "two.csv", importTag: .none, now: Date())
        try store.writeImport { tx in
            try tx.write(adds(3), row: { _ in .add }, progress: { _, _ in })
            var done = next
            done.state = .completed
            done.finishedAt = Date()
            try tx.updateJob(done)
        }
        store.releaseJob(next)
        XCTAssertEqual(try store.jobs(limit: 5).map(\.state), [.completed, .failed])
    }
}
