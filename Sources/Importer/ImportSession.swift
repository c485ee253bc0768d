import FoundationEssentials
import ThreadSupport
import CSV
import Localization
import Workspace

/// One uploaded file on its way into the workspace: the parsed table plus the latest review.
/// Lives in the server's memory only; the registry decides when it expires.
///
/// Every decision about what a request may do with the session (review it, commit a review,
/// close it) is taken under the session's one lock, so two requests can never both pass a check
/// before either acts on it: a review is committed at most once, a review cannot replace the
/// plan a running commit applies, and a closed session starts no commit.
public final class ImportSession: @unchecked Sendable {
    public let id: String
    /// The file's name as the user knows it (for history and the result file's name).
    public let fileName: String
    public let table: CSVTable

    // Everything below is guarded by `lock`.
    private let lock = ThreadLock()
    private var latestReviewStorage: ReviewPlan?
    private var commit: CommitPhase = .none
    /// Reviews applied by a completed job, with that job's id: committing one again is refused.
    private var importedReviews: [String: Int64] = [:]
    private var closed = false
    private var columnsStorage: [ColumnProfile]?
    private var activeUses = 0

    private enum CommitPhase {
        case none
        case running(ImportJob)
        case ended
    }

    public init(id: String, fileName: String, table: CSVTable, columns: [ColumnProfile]? = nil) {
        self.id = id
        self.fileName = fileName
        self.table = table
        self.columnsStorage = columns
    }

    /// Per-column facts (samples, fill counts) computed once when the file is opened; what
    /// `import/open` reports and `import/suggestMapping` reads, so neither rescans the table.
    public var columns: [ColumnProfile] {
        lock.withLock {
            if let columnsStorage { return columnsStorage }
            let computed = ColumnProfile.profiles(of: table)
            columnsStorage = computed
            return computed
        }
    }

    /// The only review that may be committed; a new review replaces it.
    public var latestReview: ReviewPlan? {
        lock.withLock { latestReviewStorage }
    }

    /// Review `reviewId` if it is the latest one (for `import/rows`); else `ReviewRequired`
    /// saying why.
    public func review(_ reviewId: String) throws -> ReviewPlan {
        try lock.withLock { () throws -> ReviewPlan in try latestLocked(reviewId) }
    }

    private func latestLocked(_ reviewId: String) throws -> ReviewPlan {
        let latest = latestReviewStorage?.reviewId
        if let jobId = importedReviews[reviewId] {
            throw ReviewRequired(reviewId: reviewId, reason: .alreadyImported(jobId: jobId), latestReviewId: latest)
        }
        guard let plan = latestReviewStorage else {
            throw ReviewRequired(reviewId: reviewId, reason: .noReview, latestReviewId: nil)
        }
        guard plan.reviewId == reviewId else {
            throw ReviewRequired(reviewId: reviewId, reason: .notLatest(latestReviewId: plan.reviewId), latestReviewId: latest)
        }
        return plan
    }

    /// Refuses a review while this session's commit runs: the plan being applied stays the
    /// latest one until its job ends. Called before a review starts and again to store it.
    public func checkReviewAllowed() throws {
        try lock.withLock { () throws in
            if case .running(let job) = commit { throw ImportInProgress(jobId: job.id, startedAt: job.startedAt) }
        }
    }

    /// Makes `plan` the latest review, unless a commit of this session started meanwhile.
    public func storeReview(_ plan: ReviewPlan) throws {
        try lock.withLock { () throws in
            if case .running(let job) = commit { throw ImportInProgress(jobId: job.id, startedAt: job.startedAt) }
            latestReviewStorage = plan
        }
    }

    /// Starts the commit of review `reviewId`: checks that it is the latest, not yet imported,
    /// that no commit of this session runs and that the session is open, then calls `claim`
    /// (which takes the workspace's job slot) — all under the session's lock, so a second
    /// commit of the same review, arriving at any moment, sees either the running job (1006) or
    /// the job that imported it (1005). From here on the session never expires.
    public func beginCommit(reviewId: String, claim: (ReviewPlan) throws -> ImportJob) throws -> (ReviewPlan, ImportJob) {
        try lock.withLock { () throws -> (ReviewPlan, ImportJob) in
            if closed { throw SessionError.notFound(sessionId: id) }
            if case .running(let job) = commit { throw ImportInProgress(jobId: job.id, startedAt: job.startedAt) }
            let plan = try latestLocked(reviewId)
            let job = try claim(plan)
            commit = .running(job)
            return (plan, job)
        }
    }

    /// Ends the commit begun by `beginCommit`. A completed job consumes its review; a cancelled
    /// or failed one rolled everything back, so its review stays the latest and may be
    /// committed again.
    public func endCommit(reviewId: String, job: ImportJob) {
        lock.withLock {
            commit = .ended
            guard job.state == .completed else { return }
            importedReviews[reviewId] = job.id
            if latestReviewStorage?.reviewId == reviewId { latestReviewStorage = nil }
        }
    }

    /// The phases `beginCommit` and `endCommit` pass through, reached directly by the
    /// registry's unit tests (which have no workspace to claim a job in).
    func enterCommitPhase(running job: ImportJob?) {
        lock.withLock { commit = job.map { .running($0) } ?? .ended }
    }

    /// `import/close`: no commit starts after this. A commit already running goes on to its end
    /// (cancelling is `$/cancelRequest`'s job); the session is freed when it returns.
    public func markClosed() {
        lock.withLock { closed = true }
    }

    /// A long request (a review of 200,000 rows) holds the session while it runs, so the session
    /// cannot expire under it even with a short TTL. The registry calls these (see
    /// `SessionRegistry.acquire`), so taking a session and holding it is one step.
    func beginUse() { lock.withLock { activeUses += 1 } }
    func endUse() { lock.withLock { activeUses = max(0, activeUses - 1) } }
    var isInUse: Bool { lock.withLock { activeUses > 0 } }

    /// Once a commit has started the session no longer expires (contract: "unless its commit has
    /// started"); `import/close` frees it.
    public var commitStarted: Bool {
        lock.withLock {
            if case .none = commit { return false }
            return true
        }
    }

    /// The commit's job has ended (whatever its outcome). Such a session holds no import any
    /// more and does not count against `--max-sessions`.
    public var commitEnded: Bool {
        lock.withLock {
            if case .ended = commit { return true }
            return false
        }
    }
}
