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

    public init(id: String, fileName: String, table: CSVTable) {
        self.id = id
        self.fileName = fileName
        self.table = table
    }

    /// The only review that may be committed; a new review replaces it.
    public var latestReview: ReviewPlan? {
        get { lock.withLock { latestReviewStorage } }
        set { lock.withLock { latestReviewStorage = newValue } }
    }

    /// Once a commit has started the session no longer expires.
    public var commitStarted: Bool {
        get { lock.withLock { commitStartedStorage } }
        set { lock.withLock { commitStartedStorage = newValue } }
    }
}
