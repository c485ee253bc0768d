import Foundation
import XCTest
import JSONRPC
import ThreadSupport

/// The pthread locks, condition and threads the daemon's targets use instead of Foundation's,
/// and the child processes `ClientConnection.spawn` starts without `Process`.
final class ThreadSupportTests: XCTestCase {
    func testALockKeepsManyThreadsOutOfEachOther() {
        final class Counter: @unchecked Sendable { var value = 0 }
        let lock = ThreadLock()
        let counter = Counter()
        let done = DispatchGroup()
        for _ in 0..<8 {
            done.enter()
            Threads.detach {
                for _ in 0..<10_000 { lock.withLock { counter.value += 1 } }
                done.leave()
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(counter.value, 80_000)
    }

    func testARecursiveLockIsReenteredAndATimedLockGivesUp() {
        let recursive = ThreadLock(recursive: true)
        recursive.lock()
        XCTAssertTrue(recursive.lock(timeout: 0.1), "the owner takes it again")
        recursive.unlock()
        recursive.unlock()

        let held = ThreadLock()
        let taken = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), released = DispatchSemaphore(value: 0)
        Threads.detach {
            held.lock()
            taken.signal()
            release.wait()
            held.unlock()
            released.signal()
        }
        taken.wait()
        let start = Date()
        XCTAssertFalse(held.lock(timeout: 0.2), "another thread holds it")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.15)
        release.signal()
        released.wait()
        XCTAssertTrue(held.lock(timeout: 1))
        held.unlock()
    }

    func testAConditionTimesOutAndIsSignalled() {
        let condition = ThreadCondition()
        condition.lock()
        XCTAssertFalse(condition.wait(seconds: 0.05), "nobody signals")
        condition.unlock()

        final class Flag: @unchecked Sendable { var set = false }
        let flag = Flag()
        Threads.detach {
            Threads.sleep(seconds: 0.05)
            condition.withLock { flag.set = true }
            condition.broadcast()
        }
        condition.lock()
        let deadline = Date().addingTimeInterval(10)
        while !flag.set && Date() < deadline { _ = condition.wait(seconds: deadline.timeIntervalSinceNow) }
        condition.unlock()
        XCTAssertTrue(flag.set)
    }

    func testASpawnedChildGetsOnlyItsStandardDescriptorsAndReportsItsExit() throws {
        let child = try ClientConnection.spawn(executable: "/bin/sh", arguments: ["-c", "ls /proc/self/fd >&2; echo done >&2; exit 3"])
        XCTAssertEqual(child.waitForExit(timeout: 10), 3)
        let deadline = Date().addingTimeInterval(5)
        while !child.stderrText.contains("done") && Date() < deadline { Threads.sleep(seconds: 0.01) }
        let descriptors = Set(child.stderrText.split(separator: "\n").filter { $0 != "done" })
        // 0, 1 and 2, plus the one ls opens to read the folder.
        XCTAssertTrue(descriptors.isSubset(of: ["0", "1", "2", "3"]), "the child inherited \(descriptors.sorted())")
        XCTAssertTrue(descriptors.isSuperset(of: ["0", "1", "2"]), child.stderrText)

        let killed = try ClientConnection.spawn(executable: "/bin/sleep", arguments: ["30"])
        XCTAssertNil(killed.waitForExit(timeout: 0.05))
        killed.terminate()
        XCTAssertEqual(killed.waitForExit(timeout: 10), 15, "SIGTERM, as Process reported it")

        XCTAssertThrowsError(try ClientConnection.spawn(executable: "/nonexistent/daemon"))
    }
}
