import XCTest
import CSV
@testable import Importer
import Workspace

/// A clock the test moves by hand.
/// A job as a session's commit phase records it.
let runningJob = ImportJob(id: 1, fileName: "a.csv", state: .running, counts: JobCounts(), importTag: nil,
                           startedAt: Date(timeIntervalSince1970: 1_800_000_000), finishedAt: nil,
                           resultFilePath: nil, resultExpiresAt: nil, resultAvailable: false)

final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

final class OutcomeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var opened = 0
    private(set) var total = 0
    func add(opened: Bool) {
        lock.withLock {
            total += 1
            if opened { self.opened += 1 }
        }
    }
}

func smallTable(_ text: String = "Nombre,Teléfono\nAna,+525512345678\n") throws -> CSVTable {
    try CSVReader.read(bytes: Array(text.utf8))
}

final class SessionRegistryTests: XCTestCase {
    private var clock = ManualClock()
    private func registry(ttl: TimeInterval = 60, max: Int = 8) -> SessionRegistry {
        let clock = self.clock
        return SessionRegistry(ttl: ttl, maxSessions: max, clock: { clock.now })
    }

    private func assertThrows(_ expected: SessionError, _ body: () throws -> Void,
                              file: StaticString = #filePath, line: UInt = #line) {
        do {
            try body()
            XCTFail("expected \(expected)", file: file, line: line)
        } catch {
            XCTAssertEqual(error as? SessionError, expected, file: file, line: line)
        }
    }

    func testOpenedSessionIsFoundAndTouchingItPostponesExpiry() throws {
        let sessions = registry()
        let session = try sessions.open(fileName: "a.csv", table: try smallTable())
        XCTAssertTrue(session.id.hasPrefix("s-"))
        XCTAssertEqual(sessions.expiresAt(session.id), clock.now + 60)
        clock.advance(50)
        XCTAssertTrue(try sessions.session(session.id) === session)
        clock.advance(50)
        XCTAssertTrue(try sessions.session(session.id) === session, "the lookup at 50 s restarted the clock")
        XCTAssertEqual(sessions.expiresAt(session.id), clock.now + 60)
    }

    func testLookupWithoutTouchDoesNotPostpone() throws {
        let sessions = registry()
        let id = try sessions.open(fileName: "a.csv", table: try smallTable()).id
        clock.advance(50)
        _ = try sessions.session(id, touch: false)
        clock.advance(10)
        assertThrows(.expired(sessionId: id)) { _ = try sessions.session(id) }
    }

    func testExpiredIdsAnswerExpiredAndUnknownOrClosedIdsNotFound() throws {
        let sessions = registry()
        let expired = try sessions.open(fileName: "a.csv", table: try smallTable()).id
        let closed = try sessions.open(fileName: "b.csv", table: try smallTable()).id
        try sessions.close(closed)
        assertThrows(.notFound(sessionId: closed)) { _ = try sessions.session(closed) }
        assertThrows(.notFound(sessionId: closed)) { try sessions.close(closed) }
        assertThrows(.notFound(sessionId: "s-never")) { _ = try sessions.session("s-never") }
        clock.advance(60)
        assertThrows(.expired(sessionId: expired)) { _ = try sessions.session(expired) }
        assertThrows(.expired(sessionId: expired)) { _ = try sessions.session(expired) }
        assertThrows(.expired(sessionId: expired)) { try sessions.close(expired) }
        XCTAssertEqual(sessions.liveCount, 0)
    }

    func testSweepReportsEachExpiryOnceOldestFirst() throws {
        let sessions = registry()
        let first = try sessions.open(fileName: "a.csv", table: try smallTable()).id
        clock.advance(10)
        let second = try sessions.open(fileName: "b.csv", table: try smallTable()).id
        clock.advance(10)
        let third = try sessions.open(fileName: "c.csv", table: try smallTable()).id
        XCTAssertEqual(sessions.sweep(), [])
        XCTAssertEqual(sessions.nextDeadline(), clock.now + 40)
        clock.advance(55)
        // A request found the second one expired before the timer ran: still announced once.
        assertThrows(.expired(sessionId: second)) { _ = try sessions.session(second) }
        XCTAssertEqual(sessions.sweep(), [first, second])
        XCTAssertEqual(sessions.sweep(), [])
        XCTAssertEqual(sessions.liveSessionIds, [third])
        clock.advance(10)
        XCTAssertEqual(sessions.sweep(), [third])
        XCTAssertNil(sessions.nextDeadline())
    }

    func testASessionWhoseCommitStartedNeverExpires() throws {
        let sessions = registry()
        let session = try sessions.open(fileName: "a.csv", table: try smallTable())
        session.enterCommitPhase(running: runningJob)
        XCTAssertNil(sessions.expiresAt(session.id))
        XCTAssertNil(sessions.nextDeadline())
        clock.advance(3600)
        XCTAssertEqual(sessions.sweep(), [])
        XCTAssertTrue(try sessions.session(session.id) === session)
        // A commit longer than the TTL ends with nothing touching the session: it stays.
        clock.advance(3600)
        session.enterCommitPhase(running: nil)
        XCTAssertEqual(sessions.sweep(), [])
        XCTAssertNil(sessions.expiresAt(session.id))
        clock.advance(86_400)
        XCTAssertEqual(sessions.sweep(), [])
        XCTAssertTrue(try sessions.session(session.id) === session)
        try sessions.close(session.id)
        XCTAssertEqual(sessions.liveCount, 0)
    }

    func testASessionInUseByARunningRequestDoesNotExpireUntilItEnds() throws {
        let sessions = registry()
        let session = try sessions.open(fileName: "a.csv", table: try smallTable())
        session.beginUse()
        clock.advance(3600)
        XCTAssertEqual(sessions.sweep(), [])
        sessions.touch(session.id)
        session.endUse()
        clock.advance(59)
        XCTAssertEqual(sessions.sweep(), [])
        clock.advance(1)
        XCTAssertEqual(sessions.sweep(), [session.id])
    }

    func testSessionLimitCountsOnlyLiveSessions() throws {
        let sessions = registry(max: 2)
        let first = try sessions.open(fileName: "a.csv", table: try smallTable()).id
        _ = try sessions.open(fileName: "b.csv", table: try smallTable())
        assertThrows(.tooManySessions(limit: 2)) { try sessions.checkCapacity() }
        assertThrows(.tooManySessions(limit: 2)) { _ = try sessions.open(fileName: "c.csv", table: try smallTable()) }
        try sessions.close(first)
        XCTAssertNoThrow(try sessions.checkCapacity())
        _ = try sessions.open(fileName: "c.csv", table: try smallTable())
        clock.advance(60)
        // Both expired: the limit frees up without waiting for the sweep.
        _ = try sessions.open(fileName: "d.csv", table: try smallTable())
        XCTAssertEqual(sessions.liveCount, 1)
    }

    func testFinishedImportsDoNotCountAgainstTheLimitAndOnlyTheNewestAreKept() throws {
        let sessions = registry(max: 2)
        var finished: [String] = []
        for index in 0..<3 {
            let session = try sessions.open(fileName: "\(index).csv", table: try smallTable())
            session.enterCommitPhase(running: runningJob)
            session.enterCommitPhase(running: nil)
            finished.append(session.id)
            clock.advance(1)
        }
        // Three finished imports did not use up the limit of two...
        let first = try sessions.open(fileName: "a.csv", table: try smallTable())
        _ = try sessions.open(fileName: "b.csv", table: try smallTable())
        assertThrows(.tooManySessions(limit: 2)) { _ = try sessions.open(fileName: "c.csv", table: try smallTable()) }
        // ...and only the newest two of them are kept; the oldest is announced as expired.
        assertThrows(.expired(sessionId: finished[0])) { _ = try sessions.session(finished[0]) }
        XCTAssertNoThrow(try sessions.session(finished[2]))
        XCTAssertEqual(sessions.sweep(), [finished[0]])
        XCTAssertNoThrow(try sessions.close(first.id))
    }

    func testIdsAreNeverReused() throws {
        let sessions = registry(max: 1)
        var seen = Set<String>()
        for _ in 0..<500 {
            let id = try sessions.open(fileName: "a.csv", table: try smallTable()).id
            XCTAssertTrue(seen.insert(id).inserted)
            try sessions.close(id)
        }
    }

    func testClosedAndExpiredSessionsAreReleased() throws {
        let sessions = registry()
        weak var closedTable: CSVTable?
        weak var expiredSession: ImportSession?
        do {
            let a = try sessions.open(fileName: "a.csv", table: try smallTable())
            closedTable = a.table
            try sessions.close(a.id)
            expiredSession = try sessions.open(fileName: "b.csv", table: try smallTable())
        }
        clock.advance(60)
        XCTAssertEqual(sessions.sweep().count, 1)
        XCTAssertNil(closedTable)
        XCTAssertNil(expiredSession)
    }

    func testConcurrentOpensLookupsAndClosesKeepTheLimitAndLoseNothing() throws {
        let sessions = registry(max: 4)
        let table = try smallTable()
        let outcomes = OutcomeCounter()
        DispatchQueue.concurrentPerform(iterations: 400) { _ in
            do {
                let session = try sessions.open(fileName: "a.csv", table: table)
                XCTAssertLessThanOrEqual(sessions.liveCount, 4)
                _ = try sessions.session(session.id)
                try sessions.close(session.id)
                outcomes.add(opened: true)
            } catch {
                XCTAssertEqual(error as? SessionError, .tooManySessions(limit: 4))
                outcomes.add(opened: false)
            }
        }
        XCTAssertEqual(outcomes.total, 400)
        XCTAssertGreaterThan(outcomes.opened, 0)
        XCTAssertEqual(sessions.liveCount, 0)
        XCTAssertEqual(sessions.sweep(), [])
    }

    func testMessagesAreLocalized() {
        XCTAssertTrue(SessionError.expired(sessionId: "s-1").message(.spanish).hasPrefix("Sesión caducada"))
        XCTAssertTrue(SessionError.expired(sessionId: "s-1").message(.english).hasPrefix("Session expired"))
        XCTAssertTrue(SessionError.tooManySessions(limit: 8).message(.spanish).contains("8"))
        XCTAssertTrue(SessionError.notFound(sessionId: "s-9").message(.english).contains("s-9"))
    }
}

final class ColumnProfileTests: XCTestCase {
    func testSamplesAndFillCountsSkipBlankCells() throws {
        let table = try smallTable("Nombre,Teléfono,Notas\nAna,,\"  \"\n,+52 55 1234 5678, x\nLuis,\"55 \"\"8\"\"\",\n   ,1,\n")
        let columns = ColumnProfile.profiles(of: table)
        XCTAssertEqual(columns.map(\.header), ["Nombre", "Teléfono", "Notas"])
        XCTAssertEqual(columns.map(\.filled), [2, 3, 1])
        XCTAssertEqual(columns[0].samples, ["Ana", "Luis"])
        XCTAssertEqual(columns[1].samples, ["+52 55 1234 5678", "55 \"8\"", "1"])
        XCTAssertEqual(columns[2].samples, [" x"])
    }

    func testSamplesStopAtTheLimitButCountsDoNot() throws {
        let text = "Email\n" + (0..<500).map { "u\($0)@example.com\n" }.joined()
        let column = ColumnProfile.profiles(of: try smallTable(text), sampleLimit: 200)[0]
        XCTAssertEqual(column.samples.count, 200)
        XCTAssertEqual(column.filled, 500)
    }

    func testRaggedRowsCountOnlyTheirOwnCells() throws {
        let table = try smallTable("a,b,c\n1\n1,2,3,4\n")
        XCTAssertEqual(ColumnProfile.profiles(of: table).map(\.filled), [2, 1, 1])
    }
}
