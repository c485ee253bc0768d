import FoundationEssentials
import Contacts
import Importer
import JSONRPC
import Localization
import Workspace

/// The wire types of review and commit results, encoded by the one encoder (`JSONValueEncoder`).
/// Members that the protocol sends as `null` are `OrNull`; optional members are left out.
enum ReviewWire {
    static func encode<T: Encodable>(_ value: T) -> JSONValue {
        do {
            return try JSONValueEncoder.encode(value)
        } catch {
            // Our wire types are plain structs of strings, numbers and arrays: nothing can fail.
            return .null
        }
    }

    struct ReviewCountsShape: Encodable {
        let add, update, skip, error, total, unchanged: Int
        init(_ counts: ReviewCounts) {
            (add, update, skip, error, total, unchanged) = (counts.add, counts.update, counts.skip, counts.error,
                                                            counts.total, counts.unchanged)
        }
    }

    struct JobCountsShape: Encodable {
        let imported, updated, skipped, errors, drifted: Int
        init(_ counts: JobCounts) {
            (imported, updated, skipped, errors, drifted) = (counts.imported, counts.updated, counts.skipped,
                                                             counts.errors, counts.drifted)
        }
    }

    struct RowErrorShape: Encodable {
        let code: String
        let message: String
        let column: Int?
        let rows: [Int]?
        let contactIds: [Int64]?
        init(_ error: RowError, _ locale: MessageLocale) {
            code = error.code.rawValue
            message = error.message(locale)
            column = error.column
            rows = error.rows
            contactIds = error.contactIds
        }
    }

    struct Outcome: Encodable {
        let row: Int
        let line: Int
        let action: String
        let contactId: Int64?
        let errors: [RowErrorShape]
        init(_ outcome: RowOutcome, _ locale: MessageLocale) {
            row = outcome.row
            line = outcome.line
            action = outcome.action.rawValue
            contactId = outcome.contactId
            errors = outcome.errors.map { RowErrorShape($0, locale) }
        }
    }

    /// A normalized value: a string, an array for tags, null when empty.
    struct Value: Encodable {
        let value: FieldValue
        init(_ value: FieldValue) { self.value = value }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch value {
            case .empty: try container.encodeNil()
            case .text(let text): try container.encode(text)
            case .tags(let tags): try container.encode(tags)
            }
        }
    }

    struct FieldChange: Encodable {
        let field: String
        let from: OrNull<String>
        let to: OrNull<String>
    }

    struct TagsChange: Encodable {
        let field = "tags"
        let added: [String]
        let removed: [String]
    }

    /// `[{field, from, to}]`, then `{field: "tags", added, removed}` when tags change.
    static func changes(_ changes: RowChanges) -> [JSONValue] {
        var list = changes.fields.map { encode(FieldChange(field: $0.field, from: OrNull($0.from), to: OrNull($0.to))) }
        if !changes.tagsAdded.isEmpty || !changes.tagsRemoved.isEmpty {
            list.append(encode(TagsChange(added: changes.tagsAdded, removed: changes.tagsRemoved)))
        }
        return list
    }

    struct ResultFile: Encodable {
        let uri: OrNull<String>
        let expiresAt: OrNull<String>
        let available: Bool
        init(_ job: ImportJob) {
            uri = OrNull(job.resultFilePath.map { URL(fileURLWithPath: $0).absoluteString })
            expiresAt = OrNull(job.resultFilePath == nil ? nil : job.resultExpiresAt.map { WireTime.string($0) })
            available = job.resultFilePath != nil && job.resultAvailable
        }
    }

    struct CommitResultFile: Encodable, Sendable {
        let uri: String
        let expiresAt: OrNull<String>
        init?(_ job: ImportJob) {
            guard let path = job.resultFilePath else { return nil }
            uri = URL(fileURLWithPath: path).absoluteString
            expiresAt = OrNull(job.resultExpiresAt.map { WireTime.string($0) })
        }
    }

    struct UndoCountsShape: Encodable {
        let removed, restored, conflicts: Int
        init(_ counts: UndoCounts) { (removed, restored, conflicts) = (counts.removed, counts.restored, counts.conflicts) }
    }

    /// `import/undo`'s result.
    struct UndoResultShape: Encodable {
        let jobId: Int64
        let undoes: Int64
        let state: String
        let counts: UndoCountsShape
        let resultFile: OrNull<CommitResultFile>
        let startedAt: String
        let finishedAt: OrNull<String>
        init(_ job: ImportJob) {
            jobId = job.id
            undoes = job.undoes ?? 0
            state = job.state.rawValue
            counts = UndoCountsShape(job.undoCounts)
            resultFile = OrNull(CommitResultFile(job))
            startedAt = WireTime.string(job.startedAt)
            finishedAt = OrNull(job.finishedAt.map { WireTime.string($0) })
        }
    }

    struct Job: Encodable {
        let jobId: Int64
        let fileName: String
        let state: String
        let counts: JobCountsShape
        let importTag: OrNull<String>
        let startedAt: String
        let finishedAt: OrNull<String>
        let resultFile: ResultFile
        /// An undone import: its undo job.
        let undoneBy: Int64?
        /// An undo job: the import it reverses, and what it did.
        let undoes: Int64?
        let undoCounts: UndoCountsShape?
        init(_ job: ImportJob) {
            undoneBy = job.undoneBy
            undoes = job.undoes
            undoCounts = job.undoes == nil ? nil : UndoCountsShape(job.undoCounts)
            jobId = job.id
            fileName = job.fileName
            state = job.state.rawValue
            counts = JobCountsShape(job.counts)
            importTag = OrNull(job.importTag)
            startedAt = WireTime.string(job.startedAt)
            finishedAt = OrNull(job.finishedAt.map { WireTime.string($0) })
            resultFile = ResultFile(job)
        }
    }
}
