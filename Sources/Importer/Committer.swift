import Foundation
import CSV
import Contacts
import Localization
import Workspace

/// `1005 ReviewRequired`: the commit names no review, or not the session's latest one.
public struct ReviewRequired: Error, Sendable, LocalizedDescribable {
    public let reviewId: String?
    public init(reviewId: String?) { self.reviewId = reviewId }
    public func message(_ locale: MessageLocale) -> String {
        LocalizedText(en: "Review the import again before importing: this review is not the latest one of the session.",
                      es: "Vuelva a revisar la importación antes de importar: esta revisión no es la última de la sesión.",
                      pt: "Revise a importação novamente antes de importar: esta revisão não é a mais recente da sessão.").text(locale)
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

    /// Runs the commit. Throws `ReviewRequired`, `ImportInProgress` (nothing recorded),
    /// `ImportCancelled` (rolled back, history says `cancelled`) or the failure (rolled back,
    /// history says `failed`). `started` is called once the job holds the workspace's slot.
    public func commit(session: ImportSession, reviewId: String?,
                       now: @Sendable () -> Date = { Date() },
                       started: ((ImportJob) -> Void)? = nil,
                       progress: ((_ done: Int, _ total: Int) -> Void)? = nil,
                       isCancelled: (() -> Bool)? = nil) throws -> CommitResult {
        guard let reviewId, let plan = session.latestReview, plan.reviewId == reviewId else {
            throw ReviewRequired(reviewId: reviewId)
        }
        var importTag = plan.importTag
        if plan.importTagIsAutomatic, importTag != nil {
            // Another import may have taken the tag since the review: take the next free suffix.
            importTag = try ReviewPlanner.nextFreeTag(base: ReviewPlanner.automaticTagBase(plan.createdAt), workspace: workspace)
        }
        var job = try workspace.claimJob(fileName: session.fileName, importTag: importTag, now: now())
        // From here on the session never expires (contract: "unless its commit has started").
        session.commitEnded = false
        session.commitStarted = true
        defer { session.commitEnded = true }
        started?(job)

        let table = session.table
        let application: Application
        do {
            application = try workspace.write { tx in
                try apply(plan, importTag: importTag, tx: tx, now: now(), progress: progress, isCancelled: isCancelled)
            }
        } catch let error as ImportCancelled {
            job.state = .cancelled
            job.finishedAt = now()
            try? workspace.finishJob(job)
            throw error
        } catch {
            job.state = .failed
            job.finishedAt = now()
            try? workspace.finishJob(job)
            throw error
        }
        progress?(plan.outcomes.count, plan.outcomes.count)

        let finishedAt = now()
        var resultPath: String?
        do {
            let path = try workspace.newFilePath(prefix: "job-\(job.id)-\(ResultFiles.safeStem(session.fileName))-result", now: finishedAt)
            resultPath = path
            try ResultFiles.writeResultFile(table: table, actions: application.actions, errors: application.errors,
                                            locale: locale, path: path, directory: workspace.filesDirectory)
        } catch {
            // The contacts are committed; a missing result file must not turn the job into a failure.
            resultPath = nil
            FileHandle.standardError.write(Data("contact-importd: could not write the result file of job \(job.id): \(error)\n".utf8))
        }
        job.state = .completed
        job.counts = application.counts
        job.importTag = importTag
        job.finishedAt = finishedAt
        job.resultFilePath = resultPath
        job.resultExpiresAt = resultPath == nil ? nil : finishedAt.addingTimeInterval(ResultFiles.retention)
        job.resultAvailable = resultPath != nil
        try workspace.finishJob(job)
        // A review applies once: committing it again would import the file twice.
        if session.latestReview?.reviewId == plan.reviewId { session.latestReview = nil }
        return CommitResult(job: job, resultFilePath: resultPath)
    }

    struct Application {
        var actions: [RowAction]
        var errors: [Int: [RowError]]
        var counts: JobCounts
    }

    private func apply(_ plan: ReviewPlan, importTag: String?, tx: WriteTransaction, now: Date,
                       progress: ((Int, Int) -> Void)?, isCancelled: (() -> Bool)?) throws -> Application {
        let total = plan.outcomes.count
        // Hoisted out of the loop: each access through the plan would retain and release its arrays.
        let columns = plan.columns
        let values = plan.values
        let identifierValues = plan.identifierValues
        let width = columns.count
        let firstNameIndex = columns.firstIndex { $0.field.key == BuiltinField.firstName.rawValue }
        let extraTags = TagSet(plan.tags + (importTag.map { [$0] } ?? []))
        var actions: [RowAction] = []
        actions.reserveCapacity(total)
        var errors: [Int: [RowError]] = [:]
        var counts = JobCounts()

        for (row, planned) in plan.outcomes.enumerated() {
            if row % Self.checkInterval == 0 {
                if isCancelled?() == true { throw ImportCancelled() }
                if row > 0 { progress?(row, total) }
            }
            if planned.action == .error {
                actions.append(.error)
                errors[row] = planned.errors
                counts.errors += 1
                continue
            }
            var action = planned.action
            var contactId = planned.contactId
            if let identifier = plan.identifier {
                let value = identifierValues[row]
                switch try ReviewPlanner.match(identifier, value, in: tx) {
                case .none:
                    contactId = nil
                    action = plan.purpose == .updateExisting ? .skip : .add
                case .one(let id):
                    contactId = id
                    action = plan.purpose == .addNew ? .skip : .update
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
                if action != planned.action || contactId != planned.contactId { counts.drifted += 1 }
            }
            let base = row * width
            switch action {
            case .add:
                var newValues: [String: String] = [:]
                var tags = TagSet([])
                for (k, mapped) in columns.enumerated() {
                    let value = values[base + k]
                    if mapped.field.key == BuiltinField.contactId.rawValue { continue }
                    if mapped.field.type == .tags {
                        if case .tags(let list) = value { tags.add(list) }
                    } else if value != .empty {
                        newValues[mapped.field.key] = value.storedText
                    }
                }
                tags.add(extraTags.tags)
                _ = try tx.insertContact(values: newValues, tags: tags.tags, now: now)
                counts.imported += 1
            case .update:
                guard let id = contactId, let previous = try tx.contact(id: id) else {
                    action = .skip
                    counts.skipped += 1
                    break
                }
                var contact = previous
                var tags = TagSet(contact.tags)
                for (k, mapped) in columns.enumerated() {
                    let value = values[base + k]
                    let key = mapped.field.key
                    if key == BuiltinField.contactId.rawValue { continue }
                    if mapped.field.type == .tags {
                        let list: [String]
                        if case .tags(let given) = value { list = given } else { list = [] }
                        if mapped.overwrite { tags = TagSet(list) } else { tags.add(list) }
                    } else if mapped.overwrite {
                        if value == .empty { contact.values[key] = nil } else { contact.values[key] = value.storedText }
                    } else if value != .empty, contact.values[key]?.isEmpty ?? true {
                        contact.values[key] = value.storedText
                    }
                }
                tags.add(extraTags.tags)
                contact.tags = tags.tags
                try tx.storeContact(contact, replacing: previous, now: now)
                counts.updated += 1
            case .skip:
                counts.skipped += 1
            case .error:
                counts.errors += 1
            }
            actions.append(action)
        }
        if isCancelled?() == true { throw ImportCancelled() }
        return Application(actions: actions, errors: errors, counts: counts)
    }
}

/// Trimmed of white space at both ends, without Foundation's NSString round trip (hot: once
/// per tag per committed row).
func trimmedSpaces(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
          let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return text }
    return String(scalars[first...last])
}

/// Tags compared without case, first spelling kept, in first-seen order.
struct TagSet {
    private(set) var tags: [String] = []
    private var seen: Set<String> = []
    init(_ initial: [String]) { add(initial) }
    mutating func add(_ more: [String]) {
        for tag in more {
            let trimmed = trimmedSpaces(tag)
            guard !trimmed.isEmpty, seen.insert(trimmed.lowercased()).inserted else { continue }
            tags.append(trimmed)
        }
    }
}
