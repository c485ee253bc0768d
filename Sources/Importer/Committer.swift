import Foundation
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
    public init(job: ImportJob, resultFilePath: String?, resultFileProblem: ResultFileProblem? = nil) {
        self.job = job
        self.resultFilePath = resultFilePath
        self.resultFileProblem = resultFileProblem
    }
}

/// Applies a session's latest review as one job: one write transaction, all or nothing.
///
/// The whole path, in order, on the caller's thread:
/// 1. `beginCommit` checks the review and claims the job slot in one step.
/// 2. In one write transaction of the store (no other writer anywhere until it ends), every
///    row's match is looked up again and its final action decided (`Recheck`).
/// 3. The result file is started on one background task (`ResultFileTask`), and the rows are
///    written meanwhile (`ImportTransaction.write`).
/// 4. The file is waited for and published, the job's final row is written, the transaction
///    commits; on any error it rolls back and the file is discarded.
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
        // Checking the review and claiming the slot are one step (see `beginCommit`).
        let (plan, claimed) = try session.beginCommit(reviewId: reviewId) { plan in
            try workspace.claimJob(fileName: session.fileName, importTag: plan.importTagRequest, now: now())
        }
        var ended = claimed
        defer { session.endCommit(reviewId: reviewId, job: ended) }
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
            report(error)
        }
        let resultFile = ResultFileTask()
        let completed: ImportJob
        do {
            completed = try workspace.writeImport { tx -> ImportJob in
                let checkCancelled = { if isCancelled?() == true { throw ImportCancelled() } }
                let decisions = try Recheck.decide(plan, in: tx, checkCancelled: checkCancelled)
                if let resultPath {
                    resultFile.start(table: session.table, actions: decisions.actions, errors: decisions.errors,
                                     locale: locale, path: resultPath)
                }
                try tx.write(decisions.batch(plan, importTag: claimed.importTag, now: now())) { done, total in
                    try checkCancelled()
                    if done > 0 { progress?(done, total) }
                }
                // The last cancellation check. A `$/cancelRequest` arriving after it finds the job
                // completing: the transaction commits and the reply says `completed`, which is
                // what the workspace then holds (a cancel never contradicts the data).
                try checkCancelled()
                var fileError = resultFile.wait()
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
                final.counts = decisions.counts
                final.finishedAt = now()
                final.resultFilePath = written ? resultPath : nil
                final.resultExpiresAt = written ? final.finishedAt.map { $0.addingTimeInterval(ResultFiles.retention) } : nil
                final.resultAvailable = written
                // Recorded with the data: a process killed right after this commit must not leave
                // a job whose contacts were saved marked `interrupted`.
                try tx.updateJob(final)
                return final
            }
        } catch {
            // A result file describes rows that were rolled back: it must not be offered.
            _ = resultFile.wait()
            if let resultPath { ResultFiles.discard(resultPath) }
            var failed = claimed
            failed.state = error is ImportCancelled ? .cancelled : .failed
            failed.finishedAt = now()
            ended = failed
            try? workspace.finishJob(failed)
            throw error
        }
        ended = completed
        // The final row is already committed with the data; only the slot remains to free.
        workspace.releaseJob(completed)
        progress?(plan.outcomes.count, plan.outcomes.count)
        return CommitResult(job: completed, resultFilePath: completed.resultFilePath, resultFileProblem: problem)
    }
}

/// Every row's final action at commit time. The review's matches may be stale: a contact may
/// have been added, changed or removed since. So each row's identifier is looked up again,
/// inside the commit's own write transaction and before its first write: the store lets no
/// other writer in until the commit ends, so these lookups see exactly the state the writes
/// start from. None of this import's own writes can change another row's match either (each
/// contact is matched by one row only: rows sharing an identifier value are errors, and an
/// added contact's identifier value is its own row's).
struct Recheck {
    var actions: [RowAction]
    var rows: [ImportBatch.Row]
    var errors: [Int: [RowError]]
    var counts: JobCounts

    static func decide(_ plan: ReviewPlan, in lookup: any ContactLookup,
                       checkCancelled: () throws -> Void) throws -> Recheck {
        let outcomes = plan.outcomes
        var matches: [MatchResult] = []
        if let identifier = plan.identifier {
            try checkCancelled()
            matches = try ReviewPlanner.matchAll(identifier, plan.identifierValues,
                                                 where: { outcomes[$0].action != .error }, in: lookup)
        }
        try checkCancelled()
        let firstNameIndex = plan.columns.firstIndex { $0.field.key == BuiltinField.firstName.rawValue }
        var decided = Recheck(actions: [], rows: [], errors: [:], counts: JobCounts())
        decided.actions.reserveCapacity(outcomes.count)
        decided.rows.reserveCapacity(outcomes.count)
        for (row, planned) in outcomes.enumerated() {
            var (action, contactId) = (planned.action, planned.contactId)
            if planned.action == .error {
                decided.errors[row] = planned.errors
            } else if let identifier = plan.identifier {
                let match = matches[row]
                (action, contactId) = Self.action(plan.purpose, for: match)
                if case .many(let ids) = match {
                    let value = plan.identifierValues[row]
                    decided.errors[row] = [RowError(code: .ambiguousMatch, contactIds: ids,
                                                    text: ReviewMessages.ambiguousMatch(identifier, value: value, contactIds: ids))]
                }
                if action == .add, let index = firstNameIndex, plan.values[row * plan.columns.count + index] == .empty {
                    action = .error
                    decided.errors[row] = [RowError(code: .nameMissing, column: plan.columns[index].column,
                                                    text: ReviewMessages.nameMissing)]
                }
                if action != planned.action || contactId != planned.contactId { decided.counts.drifted += 1 }
            }
            if action == .update && contactId == nil { action = .skip }
            decided.record(action, contactId: contactId)
        }
        return decided
    }

    /// What `purpose` does with a row that matched `match`.
    private static func action(_ purpose: ImportPurpose, for match: MatchResult) -> (RowAction, Int64?) {
        switch match {
        case .none: return (purpose == .updateExisting ? .skip : .add, nil)
        case .one(let id): return (purpose == .addNew ? .skip : .update, id)
        case .many: return (.error, nil)
        }
    }

    private mutating func record(_ action: RowAction, contactId: Int64?) {
        actions.append(action)
        switch action {
        case .add:
            rows.append(.add)
            counts.imported += 1
        case .update:
            rows.append(.update(contactId: contactId ?? 0))
            counts.updated += 1
        case .skip:
            rows.append(.none)
            counts.skipped += 1
        case .error:
            rows.append(.none)
            counts.errors += 1
        }
    }

    /// The one write batch of the commit.
    func batch(_ plan: ReviewPlan, importTag: String?, now: Date) -> ImportBatch {
        ImportBatch(columns: plan.columns.map { ImportColumn(key: $0.field.key, type: $0.field.type, overwrite: $0.overwrite) },
                    values: plan.values, rows: rows, unchangedKey: plan.identifier?.fieldKey,
                    extraTags: plan.tags + (importTag.map { [$0] } ?? []), now: now)
    }
}

/// The result file, written on one background task while the rows are stored: it depends only
/// on the decisions, not on the writes.
final class ResultFileTask: Sendable {
    private let group = DispatchGroup()
    private let failure = Mutex<(any Error)?>(nil)

    func start(table: CSVTable, actions: [RowAction], errors: [Int: [RowError]], locale: MessageLocale, path: String) {
        DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in
            do {
                try ResultFiles.writeResultFile(table: table, actions: actions, errors: errors, locale: locale, path: path)
            } catch {
                failure.withLock { $0 = error }
            }
        }
    }

    /// Waits for the file (at once when none was started); nil when it was written. Safe to
    /// call more than once.
    func wait() -> (any Error)? {
        group.wait()
        return failure.withLock { $0 }
    }
}
