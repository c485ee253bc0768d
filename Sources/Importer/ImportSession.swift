import Foundation
import CSV

/// One uploaded file on its way into the workspace: the parsed table plus the latest review.
/// Lives in the server's memory only; the registry decides when it expires.
public final class ImportSession: @unchecked Sendable {
    public let id: String
    /// The file's name as the user knows it (for history and the result file's name).
    public let fileName: String
    public let table: CSVTable

    // Guarded by `lock`: reviews and commits of one session may arrive concurrently.
    private let lock = NSLock()
    private var latestReviewStorage: ReviewPlan?
    private var commitStartedStorage = false
    private var commitEndedStorage = false
    private var columnsStorage: [ColumnProfile]?
    private var activeUses = 0

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
        get { lock.withLock { latestReviewStorage } }
        set { lock.withLock { latestReviewStorage = newValue } }
    }

    /// A long request (a review of 200,000 rows) holds the session while it runs, so the session
    /// cannot expire under it even with a short TTL; its time to live restarts when it ends.
    public func beginUse() { lock.withLock { activeUses += 1 } }
    public func endUse() { lock.withLock { activeUses = max(0, activeUses - 1) } }
    public var isInUse: Bool { lock.withLock { activeUses > 0 } }

    /// Once a commit has started the session no longer expires (contract: "unless its commit has
    /// started"); `import/close` frees it.
    public var commitStarted: Bool {
        get { lock.withLock { commitStartedStorage } }
        set { lock.withLock { commitStartedStorage = newValue } }
    }

    /// Set when the commit's job has ended (whatever its outcome). Informational: the session
    /// still does not expire (see `commitStarted`).
    public var commitEnded: Bool {
        get { lock.withLock { commitEndedStorage } }
        set { lock.withLock { commitEndedStorage = newValue } }
    }
}
