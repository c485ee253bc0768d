import Foundation
import CSV
import Contacts
import Localization
import Workspace

/// `1005 ReviewRequired`: the commit (or `import/rows`) names a review that cannot be used.
public struct ReviewRequired: Error, Sendable, LocalizedDescribable {
    public enum Reason: Sendable, Hashable {
        /// The session was never reviewed, or its latest review was imported.
        case noReview
        /// A newer review replaced it.
        case notLatest(latestReviewId: String)
        /// A completed job already applied it: committing it again would import the file twice.
        case alreadyImported(jobId: Int64)
    }

    public let reviewId: String
    public let reason: Reason
    /// The session's latest review now, if any (what the client may commit instead).
    public let latestReviewId: String?

    public init(reviewId: String, reason: Reason, latestReviewId: String?) {
        self.reviewId = reviewId
        self.reason = reason
        self.latestReviewId = latestReviewId
    }

    /// The job that imported the review, for `alreadyImported`.
    public var importedBy: Int64? {
        if case .alreadyImported(let jobId) = reason { return jobId }
        return nil
    }

    public func message(_ locale: MessageLocale) -> String {
        switch reason {
        case .noReview:
            return LocalizedText(
                en: "There is no review to import in this session (it was never reviewed, or its review was already imported): run import/review first.",
                es: "No hay ninguna revisión por importar en esta sesión (no se revisó o su revisión ya se importó): ejecute import/review primero.",
                pt: "Não há nenhuma revisão a importar nesta sessão (não foi revisada ou sua revisão já foi importada): execute import/review primeiro.").text(locale)
        case .notLatest(let latest):
            return LocalizedText(
                en: "Review \"\(reviewId)\" is not the latest review of this session (that is \"\(latest)\"): only the latest review can be imported.",
                es: "La revisión \"\(reviewId)\" no es la última de esta sesión (la última es \"\(latest)\"): solo se puede importar la última revisión.",
                pt: "A revisão \"\(reviewId)\" não é a mais recente desta sessão (a mais recente é \"\(latest)\"): só a revisão mais recente pode ser importada.").text(locale)
        case .alreadyImported(let jobId):
            return LocalizedText(
                en: "Review \"\(reviewId)\" was already imported (job \(jobId)); importing it again would apply the same changes twice. Review the file again to import it once more.",
                es: "La revisión \"\(reviewId)\" ya se importó (trabajo \(jobId)); importarla otra vez aplicaría los mismos cambios dos veces. Vuelva a revisar el archivo para importarlo de nuevo.",
                pt: "A revisão \"\(reviewId)\" já foi importada (trabalho \(jobId)); importá-la novamente aplicaria as mesmas alterações duas vezes. Revise o arquivo novamente para importá-lo outra vez.").text(locale)
        }
    }
}

/// The commit was cancelled by its client; the transaction was rolled back.
public struct ImportCancelled: Error, Sendable, LocalizedDescribable {
    public init() {}
    public func message(_ locale: MessageLocale) -> String {
        LocalizedText(en: "The import was cancelled; no contact was changed.",
                      es: "La importación se canceló; no se modificó ningún contacto.",
                      pt: "A importação foi cancelada; nenhum contato foi alterado.").text(locale)
    }
}

/// What a finished commit did.
public struct CommitResult: Sendable {
    /// The job as recorded in history (state `completed`).
    public let job: ImportJob
    public let resultFilePath: String?
    public init(job: ImportJob, resultFilePath: String?) {
        self.job = job
        self.resultFilePath = resultFilePath
    }
}

/// Applies a session's latest review as one job: one write transaction, all or nothing.
public struct Committer: Sendable {
    public let workspace: Workspace
    /// The language of the result file's added columns and messages.
    public let locale: MessageLocale
    /// How many rows between cancellation checks and progress reports.
    public static let checkInterval = 1_000

    public init(workspace: Workspace, locale: MessageLocale) {
        self.workspace = workspace
        self.locale = locale
    }

    /// Runs the commit of review `reviewId`. Throws `ReviewRequired`, `ImportInProgress`
    /// (nothing recorded), `SessionError` (the session was closed), `ImportCancelled` (rolled
    /// back, history says `cancelled`) or the failure (rolled back, history says `failed`).
    /// `started` is called once the job holds the workspace's slot.
    public func commit(session: ImportSession, reviewId: String,
                       now: @Sendable () -> Date = { Date() },
                       started: ((ImportJob) -> Void)? = nil,
                       progress: ((_ done: Int, _ total: Int) -> Void)? = nil,
                       isCancelled: (() -> Bool)? = nil) throws -> CommitResult {
        let workspace = self.workspace
        // Checking the review and claiming the slot are one step (see `beginCommit`).
        let (plan, claimed) = try session.beginCommit(reviewId: reviewId) { plan in
            try workspace.claimJob(fileName: session.fileName, importTag: plan.importTagRequest, now: now())
        }
        var job = claimed
        var ended = claimed
        defer { session.endCommit(reviewId: reviewId, job: ended) }
        started?(job)
        let importTag = job.importTag

        let table = session.table
        var resultPath: String?
        do {
            resultPath = try workspace.newFilePath(prefix: "job-\(job.id)-\(ResultFiles.safeStem(session.fileName))-result", now: now())
        } catch {
            // The contacts can still be imported; a missing result file must not fail the job.
            Self.logResultFileProblem(jobID: job.id, error)
        }
        let resultFile = ResultFileWriter()
        let plannedResultPath = resultPath
        let completed: ImportJob
        do {
            completed = try workspace.write(checkingForeignKeys: false) { tx -> ImportJob in
                let application = try apply(plan, importTag: importTag, tx: tx, now: now(), progress: progress,
                                            isCancelled: isCancelled) { actions, errors in
                    // Written on another core while the rows are stored; joined before the commit.
                    if let resultPath = plannedResultPath {
                        resultFile.start(table: table, actions: actions, errors: errors, locale: locale, path: resultPath)
                    }
                }
                var written = resultFile.wait()
                if written.ok, let resultPath {
                    // The file's final name comes with the job's `completed` row: a process
                    // killed before the COMMIT leaves a job that recovery marks `interrupted`,
                    // and recovery removes that job's files, published or not.
                    do { try ResultFiles.publish(resultPath) } catch { written = (false, error) }
                }
                if let problem = written.error { Self.logResultFileProblem(jobID: job.id, problem) }
                var final = job
                final.state = .completed
                final.counts = application.counts
                final.importTag = importTag
                final.finishedAt = now()
                final.resultFilePath = written.ok ? resultPath : nil
                final.resultExpiresAt = written.ok ? final.finishedAt.map { $0.addingTimeInterval(ResultFiles.retention) } : nil
                final.resultAvailable = written.ok
                // The workspace remembers how this file was mapped, only if the import completes.
                try tx.rememberMapping(headerKeys: MappingMemory.headerKeys(table),
                                       MappingMemory.remembered(plan, columnCount: table.columnCount), now: now())
                // Recorded with the data: a process killed right after this commit must not leave
                // a job whose contacts were saved marked `interrupted`.
                try tx.updateJob(final)
                return final
            }
        } catch {
            // A result file describes rows that were rolled back: it must not be offered.
            _ = resultFile.wait()
            if let resultPath { ResultFiles.discard(resultPath) }
            job.state = error is ImportCancelled ? .cancelled : .failed
            job.finishedAt = now()
            ended = job
            try? workspace.finishJob(job)
            throw error
        }
        ended = completed
        // The final row is already committed with the data; only the slot remains to free.
        workspace.releaseJob(completed)
        progress?(plan.outcomes.count, plan.outcomes.count)
        return CommitResult(job: completed, resultFilePath: completed.resultFilePath)
    }

    private static func logResultFileProblem(jobID: Int64, _ error: any Error) {
        FileHandle.standardError.write(Data("contact-importd: could not write the result file of job \(jobID): \(error)\n".utf8))
    }

    struct Application {
        var actions: [RowAction]
        var errors: [Int: [RowError]]
        var counts: JobCounts
    }

    /// Every row's match is re-checked against the current state (one indexed lookup per row)
    /// and its final action decided, then the row is written. The re-checks run ahead on a
    /// second thread, in a read snapshot begun after this transaction took the write lock: no
    /// one else can commit until it ends, so that snapshot is exactly the state the writes
    /// start from, and none of this import's own writes can change another row's match (each
    /// contact is matched by one row only: rows sharing an identifier value are errors, and an
    /// added contact's identifier value is its own row's). `decided` is called once every row
    /// is decided, on that thread (the result file does not depend on the writes).
    private func apply(_ plan: ReviewPlan, importTag: String?, tx: WriteTransaction, now: Date,
                       progress: ((Int, Int) -> Void)?, isCancelled: (() -> Bool)?,
                       decided: @escaping @Sendable ([RowAction], [Int: [RowError]]) -> Void) throws -> Application {
        let total = plan.outcomes.count
        let columns = plan.columns
        let board = DecisionBoard(count: total)
        let rechecked = DispatchSemaphore(value: 0)
        // Whatever happens here, the re-check thread has stopped (and started the result file
        // or not) before the caller decides what to do with the file.
        defer {
            board.abandon()
            rechecked.wait()
        }
        let workspace = self.workspace
        let thread = Thread {
            do {
                try workspace.read { snapshot in
                    try Self.decide(plan, in: snapshot, board: board, decided: decided)
                }
            } catch {
                board.fail(error)
            }
            rechecked.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()

        let writer = try ImportWriter(
            transaction: tx,
            columns: columns.map { ImportColumn(key: $0.field.key, type: $0.field.type, overwrite: $0.overwrite) },
            values: plan.values, unchangedKey: plan.identifier?.fieldKey,
            extraTags: plan.tags + (importTag.map { [$0] } ?? []), now: now)
        var counts = JobCounts()
        var ready = 0
        for row in 0..<total {
            if row % Self.checkInterval == 0 {
                if isCancelled?() == true { throw ImportCancelled() }
                // Half for the rows, half for the added contacts the writer keeps for `finish`.
                if row > 0 { progress?(row / 2, total) }
            }
            if row >= ready { ready = try board.wait(beyond: row) }
            switch board.actions[row] {
            case .add:
                try writer.add(row: row)
                counts.imported += 1
            case .update:
                try writer.update(id: board.contactIDs[row], row: row)
                counts.updated += 1
            case .skip:
                counts.skipped += 1
            case .error:
                counts.errors += 1
            }
        }
        try writer.finish { done, count in
            if isCancelled?() == true { throw ImportCancelled() }
            progress?(total / 2 + done * (total - total / 2) / max(count, 1), total)
        }
        // The last cancellation check. A `$/cancelRequest` arriving after it finds the job
        // completing: the transaction commits and the reply says `completed`, which is what
        // the workspace then holds (a cancel never contradicts the data).
        if isCancelled?() == true { throw ImportCancelled() }
        _ = try board.wait(beyond: total)
        return board.withFinal { actions, errors in
            counts.drifted = board.drifted
            return Application(actions: actions, errors: errors, counts: counts)
        }
    }

    /// The re-check of every row, published to `board` a block of rows at a time; stops early
    /// when the writer has given up.
    private static func decide(_ plan: ReviewPlan, in snapshot: ReadTransaction, board: DecisionBoard,
                               decided: ([RowAction], [Int: [RowError]]) -> Void) throws {
        let columns = plan.columns
        let values = plan.values
        let identifierValues = plan.identifierValues
        let outcomes = plan.outcomes
        let width = columns.count
        let firstNameIndex = columns.firstIndex { $0.field.key == BuiltinField.firstName.rawValue }
        var errors: [Int: [RowError]] = [:]
        var drifted = 0
        let skipReasons = plan.identifier.map(ReviewMessages.SkipReasons.init)
        for row in 0..<outcomes.count {
            if row % DecisionBoard.block == 0 {
                if board.isAbandoned { return }
                if row > 0 { board.publish(upTo: row) }
            }
            let planned = outcomes[row]
            if planned.action == .error {
                board.actions[row] = .error
                errors[row] = planned.errors
                continue
            }
            var action = planned.action
            var contactId = planned.contactId
            if let identifier = plan.identifier {
                let value = identifierValues[row]
                switch try ReviewPlanner.match(identifier, value, in: snapshot) {
                case .none:
                    contactId = nil
                    action = plan.purpose.action(matched: false)
                case .one(let id):
                    contactId = id
                    action = plan.purpose.action(matched: true)
                case .many(let ids):
                    action = .error
                    contactId = nil
                    errors[row] = [RowError(code: .ambiguousMatch, contactIds: ids,
                                            text: ReviewMessages.ambiguousMatch(identifier, value: value, contactIds: ids))]
                }
                if action == .add, let index = firstNameIndex, values[row * width + index] == .empty {
                    action = .error
                    errors[row] = [RowError(code: .nameMissing, column: columns[index].column, text: ReviewMessages.nameMissing)]
                }
                if action != planned.action || contactId != planned.contactId { drifted += 1 }
            }
            if action == .update {
                if let contactId { board.contactIDs[row] = contactId } else { action = .skip }
            }
            // The result file says why a row was skipped.
            if action == .skip, let skipReasons {
                errors[row] = [skipReasons.reason(existing: plan.purpose == .addNew ? contactId : nil)]
            }
            board.actions[row] = action
        }
        // Before the board says finished, so the writer cannot end the job without its file.
        decided(Array(board.actions.prefix(outcomes.count)), errors)
        board.finish(errors: errors, drifted: drifted)
    }
}

/// The decisions of the re-check, handed from the thread that makes them to the one that
/// writes: slots below `published` are written once by the first and then only read.
final class DecisionBoard: @unchecked Sendable {
    static let block = 2_048
    let actions: UnsafeMutableBufferPointer<RowAction>
    let contactIDs: UnsafeMutableBufferPointer<Int64>
    private let count: Int
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var published = 0
    private var failure: (any Error)?
    private var abandoned = false
    private var errors: [Int: [RowError]] = [:]
    private(set) var drifted = 0

    init(count: Int) {
        self.count = count
        actions = .allocate(capacity: max(count, 1))
        actions.initialize(repeating: .skip)
        contactIDs = .allocate(capacity: max(count, 1))
        contactIDs.initialize(repeating: 0)
    }

    deinit {
        actions.deallocate()
        contactIDs.deallocate()
    }

    var isAbandoned: Bool { condition.withLock { abandoned } }

    func publish(upTo row: Int) {
        condition.withLock {
            published = row
            condition.broadcast()
        }
    }

    func finish(errors: [Int: [RowError]], drifted: Int) {
        condition.withLock {
            self.errors = errors
            self.drifted = drifted
            published = count + 1
            condition.broadcast()
        }
    }

    func fail(_ error: any Error) {
        condition.withLock {
            if failure == nil { failure = error }
            condition.broadcast()
        }
    }

    /// The writer gave up (or finished): the re-check stops at its next block.
    func abandon() {
        condition.withLock { abandoned = true }
    }

    /// Waits until row `row` is decided (`count` waits for the end); returns how many rows are.
    func wait(beyond row: Int) throws -> Int {
        condition.lock()
        defer { condition.unlock() }
        while published <= row {
            if let failure { throw failure }
            condition.wait()
        }
        return published
    }

    /// Every row's final action, and the errors by row; call once the board is finished.
    func withFinal<T>(_ body: ([RowAction], [Int: [RowError]]) throws -> T) rethrows -> T {
        let errors = condition.withLock { self.errors }
        return try body(Array(actions[0..<count]), errors)
    }
}

/// Writes the result file on its own thread and hands back whether it worked.
final class ResultFileWriter: @unchecked Sendable {
    // Guarded by `lock`; `done` is signalled once when the writing thread ends.
    private let lock = NSLock()
    private var outcome: (ok: Bool, error: (any Error)?) = (false, nil)
    private var running = false
    private let done = DispatchSemaphore(value: 0)

    func start(table: CSVTable, actions: [RowAction], errors: [Int: [RowError]], locale: MessageLocale,
               path: String) {
        lock.withLock { running = true }
        let thread = Thread { [self] in
            var result: (Bool, (any Error)?) = (true, nil)
            do {
                try ResultFiles.writeResultFile(table: table, actions: actions, errors: errors, locale: locale,
                                                path: path)
            } catch {
                result = (false, error)
            }
            lock.withLock { outcome = result }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Waits for the file (at once when none was started). Safe to call more than once.
    func wait() -> (ok: Bool, error: (any Error)?) {
        let started = lock.withLock { () -> Bool in
            let was = running
            running = false
            return was
        }
        if started { done.wait() }
        return lock.withLock { outcome }
    }
}
