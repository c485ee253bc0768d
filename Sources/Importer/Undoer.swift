import FoundationEssentials
import CSV
import Localization
import Workspace

/// `1010 UndoUnavailable`: why an import cannot be undone.
public struct UndoUnavailable: Error, Sendable, LocalizedDescribable {
    public enum Reason: String, Sendable {
        case alreadyUndone, notCompleted, expired, isUndo
    }

    public let jobId: Int64
    public let reason: Reason
    public let undoneBy: Int64?

    public func message(_ locale: MessageLocale) -> String {
        switch reason {
        case .alreadyUndone:
            return LocalizedText(en: "Import \(jobId) was already undone (by job \(undoneBy ?? 0)).",
                                 es: "La importación \(jobId) ya se deshizo (con el trabajo \(undoneBy ?? 0)).",
                                 pt: "A importação \(jobId) já foi desfeita (pelo trabalho \(undoneBy ?? 0)).").text(locale)
        case .notCompleted:
            return LocalizedText(en: "Job \(jobId) did not complete, so nothing of it is in the workspace to undo.",
                                 es: "El trabajo \(jobId) no se completó: no hay nada suyo en el espacio de trabajo que deshacer.",
                                 pt: "O trabalho \(jobId) não foi concluído: não há nada dele no espaço de trabalho a desfazer.").text(locale)
        case .expired:
            return LocalizedText(en: "Import \(jobId) can no longer be undone: an import can be undone for 7 days, as long as its result file is kept.",
                                 es: "La importación \(jobId) ya no se puede deshacer: una importación se puede deshacer durante 7 días, mientras se conserva su archivo de resultados.",
                                 pt: "A importação \(jobId) não pode mais ser desfeita: uma importação pode ser desfeita por 7 dias, enquanto seu arquivo de resultados é mantido.").text(locale)
        case .isUndo:
            return LocalizedText(en: "Job \(jobId) is itself an undo; import the file again instead.",
                                 es: "El trabajo \(jobId) es en sí una anulación; vuelva a importar el archivo en su lugar.",
                                 pt: "O trabalho \(jobId) é ele mesmo uma anulação; importe o arquivo novamente.").text(locale)
        }
    }
}

/// An unknown job (`1008 NotFound`).
public struct JobNotFound: Error, Sendable {
    public let jobId: Int64
    public init(jobId: Int64) { self.jobId = jobId }
}

public struct UndoResult: Sendable {
    /// The undo job as history records it (state `completed`, `undoes`, `undoCounts`).
    public let job: ImportJob
}

/// Reverses a completed import as one new job: the same slot, transaction, cancellation and
/// crash safety as a commit (`Committer`).
public struct Undoer: Sendable {
    public let store: any ImportStore
    public let locale: MessageLocale

    public init(workspace: any ImportStore, locale: MessageLocale) {
        self.store = workspace
        self.locale = locale
    }

    public func undo(jobId: Int64, now: @Sendable () -> Date = { Date() },
                     started: ((ImportJob) -> Void)? = nil,
                     progress: ((_ done: Int, _ total: Int) -> Void)? = nil,
                     isCancelled: (() -> Bool)? = nil) throws -> UndoResult {
        let original = try available(jobId, now: now())
        let claimed = try store.claimJob(fileName: original.fileName, importTag: .none, now: now())
        started?(claimed)
        var resultPath: String?
        resultPath = try? store.newFilePath(prefix: "job-\(claimed.id)-undo-\(ResultFiles.safeStem(original.fileName))",
                                            extension: "csv", now: now())
        do {
            let job = try store.writeImport { tx -> ImportJob in
                // Checked again inside the slot: another process may have undone it meanwhile.
                guard try store.job(id: jobId)?.state == .completed, try store.hasUndoLog(jobId: jobId) else {
                    throw UndoUnavailable(jobId: jobId, reason: .alreadyUndone, undoneBy: nil)
                }
                let outcome = try tx.undoImport(jobId: jobId, now: now()) { done, total in
                    if isCancelled?() == true { throw ImportCancelled() }
                    progress?(done, total)
                }
                if isCancelled?() == true { throw ImportCancelled() }
                var written = false
                if let resultPath {
                    do {
                        try ResultFiles.writeUndoFile(outcome.conflicts, locale: locale, path: resultPath)
                        try ResultFiles.publish(resultPath)
                        written = true
                    } catch {
                        ResultFiles.discard(resultPath)
                    }
                }
                var undone = original
                undone.state = .undone
                undone.undoneBy = claimed.id
                try tx.updateJob(undone)
                var final = claimed
                final.state = .completed
                final.undoes = jobId
                final.undoCounts = outcome.counts
                final.finishedAt = now()
                final.resultFilePath = written ? resultPath : nil
                final.resultExpiresAt = written ? final.finishedAt.map { $0.addingTimeInterval(ResultFiles.retention) } : nil
                final.resultAvailable = written
                try tx.updateJob(final)
                return final
            }
            store.releaseJob(job)
            progress?(1, 1)
            return UndoResult(job: job)
        } catch {
            if let resultPath { ResultFiles.discard(resultPath) }
            var failed = claimed
            failed.undoes = jobId
            failed.state = error is ImportCancelled ? .cancelled : .failed
            failed.finishedAt = now()
            try? store.finishJob(failed)
            throw error
        }
    }

    /// The import if it can be undone now; else why not.
    private func available(_ jobId: Int64, now: Date) throws -> ImportJob {
        guard let job = try store.job(id: jobId) else { throw JobNotFound(jobId: jobId) }
        if job.undoes != nil { throw UndoUnavailable(jobId: jobId, reason: .isUndo, undoneBy: nil) }
        switch job.state {
        case .undone: throw UndoUnavailable(jobId: jobId, reason: .alreadyUndone, undoneBy: job.undoneBy)
        case .completed: break
        default: throw UndoUnavailable(jobId: jobId, reason: .notCompleted, undoneBy: nil)
        }
        let expires = job.resultExpiresAt ?? job.finishedAt.map { $0.addingTimeInterval(ResultFiles.retention) }
        guard let expires, expires > now, try store.hasUndoLog(jobId: jobId) else {
            throw UndoUnavailable(jobId: jobId, reason: .expired, undoneBy: nil)
        }
        return job
    }
}
