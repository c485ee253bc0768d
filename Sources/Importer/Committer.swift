import Dispatch
import FoundationEssentials
import CSV
import Contacts
import Localization
import Synchronization
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

/// A result file that could not be written or published. The contacts are imported all the
/// same (a missing result file must not fail the job); the job then says the file is not
/// available, and the caller decides who hears about it (the daemon logs it).
public struct ResultFileProblem: Error, Sendable, CustomStringConvertible {
    public let jobId: Int64
    public let error: any Error
    public init(jobId: Int64, error: any Error) {
        self.jobId = jobId
        self.error = error
    }
    public var description: String { "could not write the result file of job \(jobId): \(error)" }
}

/// What a finished commit did.
public struct CommitResult: Sendable {
    /// The job as recorded in history (state `completed`).
    public let job: ImportJob
    public let resultFilePath: String?
    /// Why there is no result file, when the commit meant to write one and could not.
    public let resultFileProblem: ResultFileProblem?
    /// Seconds per phase of the commit (re-check, inserts, updates, tags, undo log, result
    /// file, COMMIT…), for the debug log; never on the wire.
    public let phases: CommitPhases?
    public init(job: ImportJob, resultFilePath: String?, resultFileProblem: ResultFileProblem? = nil,
                phases: CommitPhases? = nil) {
        self.job = job
        self.resultFilePath = resultFilePath
        self.resultFileProblem = resultFileProblem
        self.phases = phases
    }
}

/// Applies a session's latest review as one job: one write transaction, all or nothing.
///
/// The whole path, in order:
/// 1. `beginCommit` checks the review and claims the job slot in one step.
/// 2. One write transaction of the store begins (no other writer anywhere until it ends).
/// 3. If the store's contacts version is the one the review read its matches in, nothing
///    that could change a match has committed since (in any process), and the review's
///    matches stand; otherwise `Recheck` looks every row's match up again (the full re-check:
///    the store keeps no record of which contacts changed). Either way each row's final
///    action is decided on one background task, a block of rows ahead of the writes; when
///    every row is decided it writes the result file on that same task (streamed, never held
///    whole). Meanwhile this thread writes the rows as their decisions arrive
///    (`ImportTransaction.write`).
/// 4. The result file is waited for and published, the job's final row is written, and the
///    transaction commits; on any error it rolls back and the file is discarded.
///
/// Why a second task at all: measured with `contact-import-bench import` (200,000 rows against
/// 1,000,000 contacts, 2 shared cores, 3 runs each), the re-check takes about 0.3 s and the
/// result file about 0.4 s; run beside the writes instead of before them, the commit took a
/// median 2.7 s instead of 3.3 s (nothing is gained when the other core is busy). Both only
/// read what the review produced and a snapshot of the store, so nothing the writes do can
/// change them. The writes themselves stay on one thread: SQLite has one writer.
public struct Committer: Sendable {
    public let workspace: any ImportStore
    /// The language of the result file's added columns and messages.
    public let locale: MessageLocale
    /// How many rows between cancellation checks and progress reports.
    public static let checkInterval = ImportBatch.progressInterval

    public init(workspace: any ImportStore, locale: MessageLocale) {
        self.workspace = workspace
        self.locale = locale
    }

    /// Runs the commit of review `reviewId`. Throws `ReviewRequired`, `ImportInProgress`
    /// (nothing recorded), `SessionError` (the session was closed), `ImportCancelled` (rolled
    /// back, history says `cancelled`) or the failure (rolled back, history says `failed`).
    /// `started` is called once the job holds the workspace's slot. `resultFileProblem` hears
    /// of a result file that could not be written as soon as that is known (also when the
    /// commit then fails); a completed commit also returns it in `CommitResult`.
    public func commit(session: ImportSession, reviewId: String,
                       now: @Sendable () -> Date = { Date() },
                       started: ((ImportJob) -> Void)? = nil,
                       progress: ((_ done: Int, _ total: Int) -> Void)? = nil,
                       isCancelled: (() -> Bool)? = nil,
                       resultFileProblem: ((ResultFileProblem) -> Void)? = nil) throws -> CommitResult {
        let workspace = self.workspace
        let phases = CommitPhases()
        let commitStart = CommitPhases.now()
        // Checking the review and claiming the slot are one step (see `beginCommit`).
        let (plan, claimed) = try session.beginCommit(reviewId: reviewId) { plan in
            try workspace.claimJob(fileName: session.fileName, importTag: plan.importTagRequest, now: now())
        }
        var ended = claimed
        defer { session.endCommit(reviewId: reviewId, job: ended) }
        phases.add("claim", CommitPhases.now() - commitStart)
        started?(claimed)

        var problem: ResultFileProblem?
        func report(_ error: any Error) {
            let found = ResultFileProblem(jobId: claimed.id, error: error)
            problem = found
            resultFileProblem?(found)
        }
        var resultPath: String?
        do {
            resultPath = try workspace.newFilePath(prefix: "job-\(claimed.id)-\(ResultFiles.safeStem(session.fileName))-result",
                                                   extension: "csv", now: now())
        } catch {
            // The contacts can still be imported; a missing result file must not fail the job.
            report(error)
        }
        let resultFile = resultPath.map { ResultFileRequest(table: session.table, locale: locale, path: $0) }
        let completed: ImportJob
        var bodyEnd = 0.0
        let writeStart = CommitPhases.now()
        do {
            completed = try workspace.writeImport { tx -> ImportJob in
                defer { bodyEnd = CommitPhases.now() }
                let checkCancelled = { if isCancelled?() == true { throw ImportCancelled() } }
                // Started inside the transaction: its snapshot is the state the writes start from.
                // Nothing that may change contacts committed since the review's snapshot (in
                // any process: every such write moves the version on, and this transaction
                // holds the write lock from here to its end): the review's matches stand.
                let current = try tx.contactsVersion()
                let matchesStand = plan.contactsVersion != nil && current == plan.contactsVersion
                let recheck = Recheck(plan: plan, resultFile: resultFile, store: workspace, matchesStand: matchesStand,
                                      phases: phases)
                // Whatever happens, the task has stopped before the caller decides about the file.
                defer { recheck.stop() }
                var batch = Self.batch(plan, importTag: claimed.importTag, jobId: claimed.id, now: now())
                batch.phases = phases
                let writesStart = CommitPhases.now()
                try tx.write(batch, row: recheck.row) { done, total in
                    try checkCancelled()
                    if done > 0 { progress?(done, total) }
                }
                // The last cancellation check. A `$/cancelRequest` arriving after it finds the job
                // completing: the transaction commits and the reply says `completed`, which is
                // what the workspace then holds (a cancel never contradicts the data).
                try checkCancelled()
                let waitStart = CommitPhases.now()
                phases.add("writes", waitStart - writesStart)
                let decided = try recheck.finished()
                phases.add("waitForResultFile", CommitPhases.now() - waitStart)
                var fileError = decided.resultFileError
                if fileError == nil, let resultPath {
                    // The file's final name comes with the job's `completed` row: a process
                    // killed before the COMMIT leaves a job that recovery marks `interrupted`,
                    // and recovery removes that job's files, published or not.
                    do { try ResultFiles.publish(resultPath) } catch { fileError = error }
                }
                if let fileError { report(fileError) }
                let written = resultPath != nil && fileError == nil
                var final = claimed
                final.state = .completed
                final.counts = decided.counts
                final.finishedAt = now()
                final.resultFilePath = written ? resultPath : nil
                final.resultExpiresAt = written ? final.finishedAt.map { $0.addingTimeInterval(ResultFiles.retention) } : nil
                final.resultAvailable = written
                // The workspace remembers how this file was mapped, only if the import completes.
                try tx.rememberMapping(headerKeys: MappingMemory.headerKeys(session.table),
                                       MappingMemory.remembered(plan, columnCount: session.table.columnCount), now: now())
                // Recorded with the data: a process killed right after this commit must not leave
                // a job whose contacts were saved marked `interrupted`.
                try tx.updateJob(final)
                return final
            }
        } catch {
            // A result file describes rows that were rolled back: it must not be offered.
            if let resultPath { ResultFiles.discard(resultPath) }
            var failed = claimed
            failed.state = error is ImportCancelled ? .cancelled : .failed
            failed.finishedAt = now()
            ended = failed
            try? workspace.finishJob(failed)
            throw error
        }
        let writeEnd = CommitPhases.now()
        phases.add("commitAndSync", writeEnd - bodyEnd)
        ended = completed
        // The final row is already committed with the data; only the slot remains to free.
        workspace.releaseJob(completed)
        progress?(plan.outcomes.count, plan.outcomes.count)
        phases.add("transaction", writeEnd - writeStart)
        phases.add("total", CommitPhases.now() - commitStart)
        return CommitResult(job: completed, resultFilePath: completed.resultFilePath, resultFileProblem: problem, phases: phases)
    }

    /// The one write batch of the commit.
    private static func batch(_ plan: ReviewPlan, importTag: String?, jobId: Int64, now: Date) -> ImportBatch {
        var batch = ImportBatch(columns: plan.columns.map { ImportColumn(key: $0.field.key, type: $0.field.type, overwrite: $0.overwrite) },
                                values: plan.values, rowCount: plan.outcomes.count, unchangedKey: plan.identifier?.fieldKey,
                                extraTags: plan.tags + (importTag.map { [$0] } ?? []), now: now)
        // What the import changes is logged with it, for `import/undo`.
        batch.undoJobId = jobId
        return batch
    }
}

/// Where and how the commit's result file is written.
struct ResultFileRequest: Sendable {
    let table: CSVTable
    let locale: MessageLocale
    let path: String
}

/// Every row's final action at commit time, decided on one background task a block ahead of
/// the writes, then the result file.
///
/// The review's matches may be stale: a contact may have been added, changed or removed since.
/// So each row's identifier is looked up again, in a read snapshot of the store begun while the
/// commit's transaction holds the write lock: no other writer can commit until that
/// transaction ends, and its own writes are not visible to the snapshot, so the lookups see
/// exactly the state the writes start from. None of this import's own writes could change
/// another row's match anyway (each contact is matched by one row only: rows sharing an
/// identifier value are errors, and an added contact's identifier value is its own row's).
final class Recheck: Sendable {
    /// What the whole file came to, once every row is decided.
    struct Decided: Sendable {
        var counts = JobCounts()
        var resultFileError: (any Error)?
    }

    private struct State {
        /// Decided rows, in file order, as `encoded`: the writer reads them as they arrive. Eight
        /// bytes a row and reserved once, where the enum takes sixteen and a doubling series
        /// held old and new buffers together (the commit's peak: 4 MB at 200,000 rows).
        var rows: [Int64] = []
        var failure: (any Error)?
        var decided: Decided?
        /// The writer has been handed the last row, and `rows` was given back.
        var handedOut = false
    }

    /// Rows decided per hand-over: small enough that the writer starts at once, large enough
    /// that sorting a block's lookups into index order still pays.
    static let block = 2_048

    private let plan: ReviewPlan
    private let state = Mutex(State())
    /// Signalled once per decided block, and once on failure.
    private let published = DispatchSemaphore(value: 0)
    private let abandoned = Atomic<Bool>(false)
    private let running = DispatchGroup()

    /// `matchesStand`: the store has not changed since the review's lookups, so every row
    /// keeps the review's match and nothing is looked up again.
    init(plan: ReviewPlan, resultFile: ResultFileRequest?, store: any ImportStore, matchesStand: Bool = false,
         phases: CommitPhases? = nil) {
        self.plan = plan
        DispatchQueue.global(qos: .userInitiated).async(group: running) { [self] in
            do {
                let start = CommitPhases.now()
                var decided = matchesStand || plan.identifier == nil
                    ? try decideAll(in: nil)
                    : try store.lookUp { lookup in try decideAll(in: lookup) }
                let checked = CommitPhases.now()
                phases?.add(matchesStand ? "decide" : "recheck", checked - start)
                guard !abandoned.load(ordering: .relaxed) else { return }
                if let file = resultFile {
                    do {
                        try ResultFiles.writeResultFile(table: file.table, actions: decided.actions, errors: decided.errors,
                                                        locale: file.locale, path: file.path)
                    } catch {
                        decided.result.resultFileError = error
                    }
                }
                phases?.add("resultFile", CommitPhases.now() - checked)
                state.withLock { $0.decided = decided.result }
            } catch {
                state.withLock { $0.failure = error }
                published.signal()
            }
        }
    }

    /// A row's write in `State.rows`: a contact id (always positive) for an update, else 0 or -1.
    private static func encoded(_ row: ImportBatch.Row) -> Int64 {
        switch row {
        case .none: return 0
        case .add: return -1
        case .update(let id): return id
        }
    }

    private static func decoded(_ value: Int64) -> ImportBatch.Row {
        value > 0 ? .update(contactId: value) : value == 0 ? .none : .add
    }

    /// Row `index`'s write, waiting for its block if need be. The writer asks for each row once,
    /// in file order (`ImportTransaction.write`), so once it has the last one the decisions are
    /// given back: their 8 bytes a row would otherwise stay through the rest of the writes, when
    /// the store's cache is at its fullest.
    func row(_ index: Int) throws -> ImportBatch.Row {
        let last = plan.outcomes.count - 1
        while true {
            let (row, failure) = state.withLock { state -> (Int64?, (any Error)?) in
                if state.handedOut { return (nil, RowsHandedOut(row: index)) }
                guard state.rows.count > index else { return (nil, state.failure) }
                let row = state.rows[index]
                if index == last {
                    state.rows = []
                    state.handedOut = true
                }
                return (row, nil)
            }
            if let row { return Self.decoded(row) }
            if let failure { throw failure }
            published.wait()
        }
    }

    /// A row asked for after the last one was handed out (a writer breaking the contract): the
    /// commit fails, instead of waiting for a decision that will not come.
    struct RowsHandedOut: Error, CustomStringConvertible {
        let row: Int
        var description: String { "row \(row) of the import was asked for after the last one" }
    }

    /// Waits for the last decision and the result file.
    func finished() throws -> Decided {
        running.wait()
        return try state.withLock { state in
            if let failure = state.failure { throw failure }
            guard let decided = state.decided else { throw ImportCancelled() }
            return decided
        }
    }

    /// Stops the task at its next block (when the writes gave up) and waits until it has ended.
    func stop() {
        abandoned.store(true, ordering: .relaxed)
        running.wait()
    }

    /// `lookup` nil: the review's matches stand.
    private func decideAll(in lookup: (any ContactLookup)?) throws -> (actions: [RowAction], errors: [Int: [RowError]], result: Decided) {
        let count = plan.outcomes.count
        var actions: [RowAction] = []
        actions.reserveCapacity(count)
        var errors: [Int: [RowError]] = [:]
        var result = Decided()
        state.withLock { $0.rows.reserveCapacity(count) }
        for start in stride(from: 0, to: count, by: Self.block) {
            if abandoned.load(ordering: .relaxed) { break }
            let rows = try decide(start..<min(start + Self.block, count), in: lookup, actions: &actions, errors: &errors,
                                  counts: &result.counts)
            state.withLock { $0.rows.append(contentsOf: rows.lazy.map(Self.encoded)) }
            published.signal()
        }
        return (actions, errors, result)
    }

    /// Decides `range`, appending to `actions`, `errors` and `counts`; returns its writes.
    private func decide(_ range: Range<Int>, in lookup: (any ContactLookup)?, actions: inout [RowAction],
                        errors: inout [Int: [RowError]], counts: inout JobCounts) throws -> [ImportBatch.Row] {
        let outcomes = plan.outcomes
        var matches = [MatchResult](repeating: .none, count: range.count)
        if let identifier = plan.identifier {
            let matchable = range.filter { outcomes.action(at: $0) != .error }
            if let lookup {
                // Only this range's values are made, from the plan's table.
                let values = matchable.map(plan.identifierValue)
                let found = try ReviewPlanner.matchAll(identifier, values, rows: Array(values.indices), in: lookup)
                for (row, match) in zip(matchable, found) { matches[row - range.lowerBound] = match }
            } else {
                // The review's own match: a row it did not mark `error` matched one contact or none.
                for row in matchable { matches[row - range.lowerBound] = outcomes.contactId(at: row).map(MatchResult.one) ?? .none }
            }
        }
        let firstNameIndex = plan.columns.firstIndex { $0.field.key == BuiltinField.firstName.rawValue }
        let skipReasons = plan.identifier.map(ReviewMessages.SkipReasons.init)
        var writes: [ImportBatch.Row] = []
        writes.reserveCapacity(range.count)
        for row in range {
            // A row's outcome is made (its errors found) only for an error row.
            let planned = (action: outcomes.action(at: row), contactId: outcomes.contactId(at: row))
            var (action, contactId) = planned
            if planned.action == .error {
                errors[row] = outcomes[row].errors
            } else if let identifier = plan.identifier {
                let match = matches[row - range.lowerBound]
                (action, contactId) = Self.action(plan.purpose, for: match)
                if case .many(let ids) = match {
                    let value = plan.identifierValue(row)
                    errors[row] = [RowError(code: .ambiguousMatch, contactIds: ids,
                                            text: ReviewMessages.ambiguousMatch(identifier, value: value, contactIds: ids))]
                }
                if action == .add, let index = firstNameIndex, plan.values.isEmpty(at: row * plan.columns.count + index) {
                    action = .error
                    errors[row] = [RowError(code: .nameMissing, column: plan.columns[index].column, text: ReviewMessages.nameMissing)]
                }
                if action != planned.action || contactId != planned.contactId { counts.drifted += 1 }
            }
            if action == .update && contactId == nil { action = .skip }
            if action == .skip, let skipReasons {
                // The result file says why a row was skipped.
                errors[row] = [skipReasons.reason(existing: plan.purpose == .addNew ? contactId : nil)]
            }
            actions.append(action)
            switch action {
            case .add:
                writes.append(.add)
                counts.imported += 1
            case .update:
                writes.append(.update(contactId: contactId ?? 0))
                counts.updated += 1
            case .skip:
                writes.append(.none)
                counts.skipped += 1
            case .error:
                writes.append(.none)
                counts.errors += 1
            }
        }
        return writes
    }

    /// What `purpose` does with a row that matched `match`.
    /// The purpose's rule (`ImportPurpose.action(matched:)`) applied to a match.
    private static func action(_ purpose: ImportPurpose, for match: MatchResult) -> (RowAction, Int64?) {
        switch match {
        case .none: return (purpose.action(matched: false), nil)
        case .one(let id): return (purpose.action(matched: true), id)
        case .many: return (.error, nil)
        }
    }
}
