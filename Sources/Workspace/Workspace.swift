import Foundation
import Contacts
import Localization

/// Why the store cannot do what was asked. The server maps every case to `1007 WorkspaceError`.
public struct WorkspaceError: Error, Sendable, LocalizedDescribable {
    public enum Kind: String, Sendable { case cannotOpen, locked, readOnly, diskFull, corrupt, io, invalid }
    public let kind: Kind
    public let text: LocalizedText
    public init(kind: Kind, text: LocalizedText) {
        self.kind = kind
        self.text = text
    }
    public func message(_ locale: MessageLocale) -> String { text.text(locale) }
}

/// Another job holds the workspace's single import slot.
public struct ImportInProgress: Error, Sendable {
    public let jobId: Int64
    public let startedAt: Date
    public init(jobId: Int64, startedAt: Date) {
        self.jobId = jobId
        self.startedAt = startedAt
    }
}

public enum JobState: String, Sendable, CaseIterable {
    case running, completed, cancelled, failed, interrupted
}

public struct JobCounts: Sendable, Hashable {
    public var imported = 0
    public var updated = 0
    public var skipped = 0
    public var errors = 0
    /// Rows whose match changed between review and commit.
    public var drifted = 0
    public init(imported: Int = 0, updated: Int = 0, skipped: Int = 0, errors: Int = 0, drifted: Int = 0) {
        self.imported = imported
        self.updated = updated
        self.skipped = skipped
        self.errors = errors
        self.drifted = drifted
    }
}

public struct ImportJob: Sendable, Hashable {
    public var id: Int64
    public var fileName: String
    public var state: JobState
    public var counts: JobCounts
    public var importTag: String?
    public var startedAt: Date
    public var finishedAt: Date?
    public var resultFilePath: String?
    public var resultExpiresAt: Date?
    /// False once the result file has been deleted by retention (or never written).
    public var resultAvailable: Bool
    public init(id: Int64, fileName: String, state: JobState, counts: JobCounts, importTag: String?,
                startedAt: Date, finishedAt: Date?, resultFilePath: String?, resultExpiresAt: Date?,
                resultAvailable: Bool) {
        self.id = id
        self.fileName = fileName
        self.state = state
        self.counts = counts
        self.importTag = importTag
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.resultFilePath = resultFilePath
        self.resultExpiresAt = resultExpiresAt
        self.resultAvailable = resultAvailable
    }
}
