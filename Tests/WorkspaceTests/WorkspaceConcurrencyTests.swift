import XCTest
import Foundation
import CSQLite
import Localization
@testable import Workspace

/// Several connections and several processes on one workspace.
final class WorkspaceConcurrencyTests: WorkspaceTestCase {
    func testReadersNeverSeeAHalfAppliedWrite() throws {
        let writerSide = try openWorkspace()
        let readerSide = try openWorkspace()
        try insert(writerSide, ["firstName": "Before"])
        let snapshotTaken = DispatchSemaphore(value: 0)
        let writeCommitted = DispatchSemaphore(value: 0)
        let counts = LockedCounts()
        let reader = Thread {
            do {
                try readerSide.read { transaction in
                    counts.append(try transaction.contactCount())
                    snapshotTaken.signal()
                    writeCommitted.wait()
                    // Same snapshot: the commit that happened meanwhile is invisible here.
                    counts.append(try transaction.contactCount())
                }
                counts.append(try readerSide.read { try $0.contactCount() })
            } catch {
                counts.append(-1)
            }
            snapshotTaken.signal()
        }
        reader.start()
        snapshotTaken.wait()
        try writerSide.write { transaction in
            for index in 0..<5_000 {
                _ = try transaction.insertContact(values: ["firstName": "New \(index)"], tags: ["batch"], now: Date())
            }
            // Mid-write, another connection still sees only committed data.
            XCTAssertEqual(try readerSide.read { try $0.contactCount() }, 1)
            XCTAssertFalse(try readerSide.read { try $0.tagExists("batch") })
        }
        writeCommitted.signal()
        snapshotTaken.wait()
        XCTAssertEqual(counts.values, [1, 1, 5_001])
    }

    func testSeveralProcessesCreatingTheSameNewWorkspaceAtOnceAllSucceed() throws {
        let children = try (0..<3).map { _ in try ChildWorkspaceProcess(script: "openAndInsert", directory: directory) }
        for child in children {
            XCTAssertEqual(child.waitForLine(prefix: "done"), "", child.outputText)
            XCTAssertEqual(child.wait(), 0, child.outputText)
        }
        let workspace = try openWorkspace()
        XCTAssertEqual(try workspace.read { try $0.contactCount() }, 3)
        XCTAssertEqual(try scalar("PRAGMA user_version"), Schema.currentVersion)
    }

    func testAWaitingWriterGetsThroughWhenTheOtherFinishesInTime() throws {
        let workspace = try openWorkspace(busyTimeout: 10)
        let child = try ChildWorkspaceProcess(script: "holdWrite", directory: directory, extra: ["WORKSPACE_CHILD_SECONDS": "1"])
        XCTAssertEqual(child.waitForLine(prefix: "holding"), "")
        let started = Date()
        try insert(workspace, ["firstName": "Waited"])
        XCTAssertGreaterThan(Date().timeIntervalSince(started), 0.3, "it really waited for the other process")
        XCTAssertEqual(child.wait(), 0)
        XCTAssertEqual(try workspace.read { try $0.contactCount() }, 2)
    }

    func testAWriterThatWaitsTooLongGetsALockedWorkspaceError() throws {
        let holder = try openWorkspace()
        let impatient = try openWorkspace(busyTimeout: 0.2)
        try holder.write { _ in
            XCTAssertThrowsError(try impatient.write { try $0.insertContact(values: ["firstName": "X"], tags: [], now: Date()) }) { error in
                let workspaceError = error as? WorkspaceError
                XCTAssertEqual(workspaceError?.kind, .locked)
                XCTAssertEqual(workspaceError?.message(.english), "The workspace is busy with another import or process; try again in a moment.")
                XCTAssertTrue(workspaceError?.message(.spanish).contains("ocupado") == true)
            }
            // Reading is never blocked by the writer.
            XCTAssertEqual(try impatient.read { try $0.contactCount() }, 0)
        }
    }

    func testAWriterInTheSameProcessWaitsThenGetsLockedOrGetsThrough() throws {
        let workspace = try openWorkspace(busyTimeout: 0.3)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holder = Thread {
            _ = try? workspace.write { _ in
                holding.signal()
                release.wait()
            }
            holding.signal()
        }
        holder.start()
        holding.wait()
        let started = Date()
        XCTAssertThrowsError(try insert(workspace, ["firstName": "Late"])) { error in
            XCTAssertEqual((error as? WorkspaceError)?.kind, .locked)
        }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.25)
        // Reads are not held up by the open write.
        XCTAssertEqual(try workspace.read { try $0.contactCount() }, 0)
        release.signal()
        holding.wait()
        XCTAssertNoThrow(try insert(workspace, ["firstName": "Now"]))
    }

    func testProcessKilledInTheMiddleOfALargeWriteLeavesTheWorkspaceAsBefore() throws {
        let workspace = try openWorkspace()
        for index in 0..<10 { try insert(workspace, ["firstName": "Old \(index)", "phone": "+3491000000\(index)"], tags: ["old"]) }
        let before = try workspace.read { try $0.contact(id: 3) }
        let child = try ChildWorkspaceProcess(script: "hugeWriteThenHang", directory: directory)
        let jobID = try XCTUnwrap(child.waitForLine(prefix: "claimed").flatMap { Int64($0) })
        XCTAssertEqual(child.waitForLine(prefix: "inserted"), "")
        // The write has spilled far past the page cache into the WAL by now.
        let walSize = (try? FileManager.default.attributesOfItem(atPath: directory + "/contacts.sqlite-wal")[.size] as? Int) ?? 0
        XCTAssertGreaterThan(walSize, 1_000_000)
        child.kill()

        let reopened = try openWorkspace()
        XCTAssertEqual(try reopened.read { try $0.contactCount() }, 10)
        XCTAssertEqual(try reopened.read { try $0.contact(id: 3) }, before)
        XCTAssertFalse(try reopened.read { try $0.tagExists("big") })
        XCTAssertEqual(try text("PRAGMA integrity_check"), "ok")
        XCTAssertEqual(try reopened.job(id: jobID)?.state, .interrupted)
        XCTAssertNotNil(try reopened.job(id: jobID)?.finishedAt)
        // And it is fully writable again.
        try insert(reopened, ["firstName": "After"])
        let job = try reopened.claimJob(fileName: "next.csv", importTag: nil, now: Date())
        XCTAssertGreaterThan(job.id, jobID)
    }
}

final class LockedCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Int] = []
    func append(_ value: Int) { lock.lock(); items.append(value); lock.unlock() }
    var values: [Int] { lock.lock(); defer { lock.unlock() }; return items }
}

final class WorkspaceJobTests: WorkspaceTestCase {
    func testClaimFinishAndHistory() throws {
        let workspace = try openWorkspace()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var job = try workspace.claimJob(fileName: "clientes.csv", importTag: "import-1", now: start)
        XCTAssertEqual(job.state, .running)
        XCTAssertEqual(try workspace.job(id: job.id), job)

        XCTAssertThrowsError(try workspace.claimJob(fileName: "other.csv", importTag: nil, now: start)) { error in
            XCTAssertEqual((error as? ImportInProgress)?.jobId, job.id)
            // The holder's start: the time asked, moved on by however long its claim took.
            XCTAssertEqual((error as? ImportInProgress)?.startedAt, job.startedAt)
            XCTAssertGreaterThanOrEqual(job.startedAt, start)
        }
        let resultPath = try workspace.newFilePath(prefix: "result \(job.id)")
        XCTAssertTrue(resultPath.hasPrefix(workspace.filesDirectory + "/result-"))
        _ = FileManager.default.createFile(atPath: resultPath, contents: Data("a,b\r\n".utf8))
        job.state = .completed
        job.counts = JobCounts(imported: 3, updated: 2, skipped: 1, errors: 4, drifted: 1)
        job.finishedAt = start.addingTimeInterval(2)
        job.resultFilePath = resultPath
        job.resultExpiresAt = start.addingTimeInterval(Workspace.resultRetention)
        job.resultAvailable = true
        try workspace.finishJob(job)
        XCTAssertEqual(try workspace.job(id: job.id), job)

        let second = try workspace.claimJob(fileName: "second.csv", importTag: nil, now: start.addingTimeInterval(10))
        var failed = second
        failed.state = .failed
        failed.finishedAt = start.addingTimeInterval(11)
        try workspace.finishJob(failed)
        XCTAssertEqual(try workspace.jobs(limit: 10).map(\.id), [second.id, job.id])
        XCTAssertEqual(try workspace.jobs(limit: 1).map(\.id), [second.id])
        XCTAssertFalse(try XCTUnwrap(workspace.job(id: second.id)).resultAvailable)
        XCTAssertNil(try workspace.job(id: 999))
    }

    func testJobRowCanCommitWithTheImportData() throws {
        let workspace = try openWorkspace()
        var job = try workspace.claimJob(fileName: "a.csv", importTag: nil, now: Date())
        job.state = .completed
        job.counts.imported = 1
        job.finishedAt = Date()
        try workspace.write { transaction in
            _ = try transaction.insertContact(values: ["firstName": "A"], tags: [], now: Date())
            try transaction.updateJob(job)
        }
        XCTAssertEqual(try workspace.job(id: job.id)?.state, .completed)
        try workspace.finishJob(job)
        XCTAssertNoThrow(try workspace.finishJob(job), "finishing twice is harmless")
    }

    func testClaimIsAtomicAcrossProcesses() throws {
        let workspace = try openWorkspace()
        let child = try ChildWorkspaceProcess(script: "claimAndHold", directory: directory)
        defer { child.kill() }
        let childJob = try XCTUnwrap(child.waitForLine(prefix: "claimed").flatMap { Int64($0) })
        XCTAssertThrowsError(try workspace.claimJob(fileName: "mine.csv", importTag: nil, now: Date())) { error in
            XCTAssertEqual((error as? ImportInProgress)?.jobId, childJob, "the loser learns which job holds the slot")
        }
        // Opening the workspace while the owner lives must not mark its job interrupted.
        XCTAssertEqual(try openWorkspace().job(id: childJob)?.state, .running)
    }

    func testOnlyOneOfTwoSimultaneousProcessesWins() throws {
        _ = try openWorkspace()
        let first = try ChildWorkspaceProcess(script: "claimOnce", directory: directory)
        let second = try ChildWorkspaceProcess(script: "claimOnce", directory: directory)
        defer { first.kill(); second.kill() }
        let outcomes = [first, second].compactMap { child -> String? in
            // Each prints either "claimed <id>" or "busy <id>".
            if let id = child.waitForLine(prefix: "claimed") { return "claimed \(id)" }
            return nil
        }
        // waitForLine returns nil only when the child's output ended: that one printed "busy".
        XCTAssertEqual(outcomes.count, 1, "\(outcomes)")
    }

    func testInterruptedJobOfADeadProcessIsMarkedWhenTheWorkspaceOpens() throws {
        _ = try openWorkspace()
        let child = try ChildWorkspaceProcess(script: "claimAndHold", directory: directory)
        let childJob = try XCTUnwrap(child.waitForLine(prefix: "claimed").flatMap { Int64($0) })
        child.kill()
        let now = Date()
        let reopened = try openWorkspace(now: now)
        let job = try XCTUnwrap(reopened.job(id: childJob))
        XCTAssertEqual(job.state, .interrupted)
        XCTAssertEqual(job.finishedAt, StoredTime.rounded(now))
        XCTAssertNoThrow(try reopened.claimJob(fileName: "next.csv", importTag: nil, now: now))
    }

    func testExpiredResultFilesAreDeletedAndHistoryKeepsTheRow() throws {
        // Real time: untracked files are judged by their modification time.
        let start = Date()
        let workspace = try openWorkspace(now: start)
        var job = try workspace.claimJob(fileName: "a.csv", importTag: nil, now: start)
        let resultPath = try workspace.newFilePath(prefix: "result", now: start)
        _ = FileManager.default.createFile(atPath: resultPath, contents: Data("x".utf8))
        job.state = .completed
        job.finishedAt = start
        job.resultFilePath = resultPath
        job.resultExpiresAt = start.addingTimeInterval(Workspace.resultRetention)
        job.resultAvailable = true
        try workspace.finishJob(job)
        // A review's error file: not tracked by a job, old by its modification time.
        let errorFile = try workspace.newFilePath(prefix: "errors", now: start)
        _ = FileManager.default.createFile(atPath: errorFile, contents: Data("y".utf8))
        let freshFile = try workspace.newFilePath(prefix: "errors", now: start)
        _ = FileManager.default.createFile(atPath: freshFile, contents: Data("z".utf8))
        try FileManager.default.setAttributes([.modificationDate: start.addingTimeInterval(-2 * 86_400)], ofItemAtPath: errorFile)
        // Written six days after the job: less than a week old when the workspace is next opened.
        try FileManager.default.setAttributes([.modificationDate: start.addingTimeInterval(6 * 86_400)], ofItemAtPath: freshFile)

        try workspace.purgeExpiredFiles(now: start.addingTimeInterval(6 * 86_400))
        XCTAssertTrue(FileManager.default.fileExists(atPath: resultPath))
        XCTAssertTrue(try XCTUnwrap(workspace.job(id: job.id)).resultAvailable)

        // Opening the workspace purges too.
        let later = try openWorkspace(now: start.addingTimeInterval(Workspace.resultRetention + 60))
        XCTAssertFalse(FileManager.default.fileExists(atPath: resultPath))
        XCTAssertFalse(FileManager.default.fileExists(atPath: errorFile))
        XCTAssertTrue(FileManager.default.fileExists(atPath: freshFile))
        let kept = try XCTUnwrap(later.job(id: job.id))
        XCTAssertFalse(kept.resultAvailable)
        XCTAssertEqual(kept.resultFilePath, resultPath, "history still names the file it had")
        XCTAssertEqual(kept.state, .completed)
    }

    func testPeriodicPurgeDeletesFilesThatExpireWhileTheServerRuns() throws {
        let workspace = try openWorkspace()
        var job = try workspace.claimJob(fileName: "a.csv", importTag: nil, now: Date())
        let path = try workspace.newFilePath(prefix: "result")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        job.state = .completed
        job.resultFilePath = path
        job.resultExpiresAt = Date().addingTimeInterval(Workspace.resultRetention)
        job.resultAvailable = true
        try workspace.finishJob(job)
        let eightDaysLater = Date().addingTimeInterval(8 * 86_400)
        workspace.startPeriodicPurge(every: 0.05, clock: { eightDaysLater })
        let deadline = Date().addingTimeInterval(10)
        while FileManager.default.fileExists(atPath: path) && Date() < deadline { usleep(20_000) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertFalse(try XCTUnwrap(workspace.job(id: job.id)).resultAvailable)
    }

    func testAResultFileDeletedByHandIsReportedUnavailable() throws {
        let workspace = try openWorkspace()
        var job = try workspace.claimJob(fileName: "a.csv", importTag: nil, now: Date())
        let path = try workspace.newFilePath(prefix: "result")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        job.state = .completed
        job.resultFilePath = path
        job.resultExpiresAt = Date().addingTimeInterval(3600)
        job.resultAvailable = true
        try workspace.finishJob(job)
        XCTAssertTrue(try XCTUnwrap(workspace.job(id: job.id)).resultAvailable)
        try FileManager.default.removeItem(atPath: path)
        XCTAssertFalse(try XCTUnwrap(workspace.job(id: job.id)).resultAvailable)
    }
}

final class WorkspaceErrorTests: WorkspaceTestCase {
    func testAFileWhereTheFolderShouldBeCannotBeOpened() throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + "/nested", contents: Data("x".utf8))
        XCTAssertThrowsError(try openWorkspace()) { error in
            XCTAssertEqual((error as? WorkspaceError)?.kind, .cannotOpen)
            XCTAssertTrue((error as? WorkspaceError)?.message(.english).contains(self.root + "/nested") == true)
        }
    }

    func testACorruptDatabaseIsReportedAsCorrupt() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        _ = FileManager.default.createFile(atPath: directory + "/contacts.sqlite", contents: garbage)
        XCTAssertThrowsError(try openWorkspace()) { error in
            let workspaceError = error as? WorkspaceError
            XCTAssertEqual(workspaceError?.kind, .corrupt)
            XCTAssertTrue(workspaceError?.message(.spanish).contains("dañada") == true)
        }
    }

    func testAReadOnlyFolderIsReportedAsReadOnly() throws {
        try XCTSkipIf(getuid() == 0, "root ignores file permissions")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: root)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root) }
        XCTAssertThrowsError(try openWorkspace()) { error in
            XCTAssertEqual((error as? WorkspaceError)?.kind, .readOnly)
        }
    }

    /// A tiny tmpfs (root only; skipped elsewhere) stands in for a full disk and, remounted
    /// read-only, for a read-only volume, where even root cannot write.
    private func mountTinyVolume(kilobytes: Int) throws -> String {
        try XCTSkipIf(getuid() != 0, "mounting a tmpfs needs root")
        let mountPoint = root + "/volume"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let status = run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", mountPoint])
        try XCTSkipIf(status != 0, "cannot mount a tmpfs here")
        addTeardownBlock { _ = self.run("/bin/umount", ["-l", mountPoint]) }
        return mountPoint
    }

    private func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func testAFullDiskIsReportedAndTheTransactionRollsBack() throws {
        // Room for a new workspace (its migrations leave about 0.6 MB of WAL with 16 KB pages), not for the import.
        let volume = try mountTinyVolume(kilobytes: 2_048)
        let workspace = try Workspace.open(directory: volume + "/ws")
        try insert(workspace, ["firstName": "Kept"])
        XCTAssertThrowsError(try workspace.write { transaction in
            for index in 0..<200_000 {
                _ = try transaction.insertContact(values: ["firstName": "Filler \(index)", "email": "filler\(index)@example.com"],
                                                  tags: [], now: Date())
            }
        }) { error in
            let workspaceError = error as? WorkspaceError
            XCTAssertEqual(workspaceError?.kind, .diskFull, "\(error)")
            XCTAssertTrue(workspaceError?.message(.spanish).contains("lleno") == true)
        }
        XCTAssertEqual(try workspace.read { try $0.contactCount() }, 1)
    }

    func testAReadOnlyVolumeIsReportedAsReadOnly() throws {
        let volume = try mountTinyVolume(kilobytes: 2048)
        do {
            let workspace = try Workspace.open(directory: volume + "/ws")
            try insert(workspace, ["firstName": "Before"])
        }
        try XCTSkipIf(run("/bin/mount", ["-o", "remount,ro", volume]) != 0, "cannot remount read-only")
        XCTAssertThrowsError(try Workspace.open(directory: volume + "/ws")) { error in
            XCTAssertEqual((error as? WorkspaceError)?.kind, .readOnly, "\(error)")
        }
        XCTAssertThrowsError(try Workspace.open(directory: volume + "/other")) { error in
            XCTAssertEqual((error as? WorkspaceError)?.kind, .readOnly, "\(error)")
        }
    }

    func testSQLiteCodesMapToTypedErrors() {
        let cases: [(Int32, Int32, WorkspaceError.Kind)] = [
            (SQLITE_BUSY, 0, .locked), (SQLITE_LOCKED, 0, .locked), (SQLITE_BUSY | (2 << 8), 0, .locked),
            (SQLITE_READONLY, 0, .readOnly), (SQLITE_FULL, 0, .diskFull), (SQLITE_IOERR | (3 << 8), ENOSPC, .diskFull),
            (SQLITE_CORRUPT, 0, .corrupt), (SQLITE_NOTADB, 0, .corrupt), (SQLITE_CANTOPEN, 0, .cannotOpen),
            (SQLITE_CANTOPEN, EACCES, .readOnly), (SQLITE_IOERR, EIO, .io), (SQLITE_CONSTRAINT, 0, .invalid),
        ]
        for (code, systemErrno, kind) in cases {
            let error = WorkspaceError.fromSQLite(code: code, systemErrno: systemErrno, detail: "detail", path: "/ws", opening: false)
            XCTAssertEqual(error.kind, kind, "code \(code)")
            XCTAssertFalse(error.message(.english).contains("database is locked"))
            XCTAssertNotEqual(error.message(.english), error.message(.spanish))
        }
    }
}
