import Foundation
import Contacts
import Workspace

/// What committing an `update` row would change on its contact, field by field, with the
/// overwrite rules the commit applies (protocol/README.md §7.6): with `overwrite` a value
/// replaces the stored one and an empty cell clears it; without, only empty stored values are
/// filled. Tags: a tags column with `overwrite` replaces the contact's tags, without it adds to
/// them; the request's `tags` are always added. The import's own tag, which every added and
/// updated contact gets, is not listed. The identifier and a `contactId` column only identify.
public struct RowChanges: Sendable, Hashable {
    public struct FieldChange: Sendable, Hashable {
        public let field: String
        /// nil = empty.
        public let from: String?
        public let to: String?
    }

    public var fields: [FieldChange] = []
    public var tagsAdded: [String] = []
    public var tagsRemoved: [String] = []

    public init() {}

    public var isEmpty: Bool { fields.isEmpty && tagsAdded.isEmpty && tagsRemoved.isEmpty }
}

public enum ChangePreview {
    /// The changes of data row `row` (0-based) of `plan` against `contact` as stored now.
    public static func changes(row: Int, of plan: ReviewPlan, contact: Contact) -> RowChanges {
        changes(row: row, columns: plan.columns, values: plan.values, tags: plan.tags,
                identifierKey: plan.identifier?.fieldKey, contact: contact)
    }

    /// `firstOnly`: stop at the first field that changes (what `isEmpty` needs; the tags are
    /// then not compared), for counting unchanged updates.
    static func changes(row: Int, columns: [MappedColumn], values: FieldValueTable, tags requestTags: [String],
                        identifierKey: String?, contact: Contact, firstOnly: Bool = false) -> RowChanges {
        var result = RowChanges()
        let width = columns.count
        var tagsColumn: (tags: [String], overwrite: Bool)?
        for (k, column) in columns.enumerated() {
            let key = column.field.key
            let value = values[row * width + k]
            if column.field.type == .tags {
                if case .tags(let list) = value { tagsColumn = (list, column.overwrite) } else { tagsColumn = ([], column.overwrite) }
                continue
            }
            if key == BuiltinField.contactId.rawValue || key == identifierKey { continue }
            let stored = contact.values[key].flatMap { $0.isEmpty ? nil : $0 }
            let given: String? = { if case .text(let text) = value, !text.isEmpty { return text } else { return nil } }()
            let final = column.overwrite ? given : (stored ?? given)
            if final != stored {
                result.fields.append(.init(field: key, from: stored, to: final))
                if firstOnly { return result }
            }
        }
        // Each tag's identity key is made once (a profile found it made four times a tag).
        let storedKeys = contact.tags.map(identityKey)
        let stored = Set(storedKeys)
        let given = (tagsColumn?.tags ?? []) + requestTags
        let candidates: [String]
        let candidateKeys: [String]
        if let tagsColumn, tagsColumn.overwrite {
            candidates = given
            candidateKeys = given.map(identityKey)
        } else {
            candidates = contact.tags + given
            candidateKeys = storedKeys + given.map(identityKey)
        }
        var seen = Set<String>()
        for (tag, key) in zip(candidates, candidateKeys) where seen.insert(key).inserted {
            if !stored.contains(key) { result.tagsAdded.append(tag) }
        }
        result.tagsRemoved = zip(contact.tags, storedKeys).filter { !seen.contains($0.1) }.map(\.0)
        return result
    }

    /// The changes of the `update` outcomes among `outcomes` (a page of `import/rows`), by
    /// 1-based row, against the workspace as it is now.
    public static func changes(of outcomes: [RowOutcome], in plan: ReviewPlan, store: any ImportStore) throws -> [Int: RowChanges] {
        guard outcomes.contains(where: { $0.action == .update }) else { return [:] }
        return try store.lookUp { lookup in
            var result: [Int: RowChanges] = [:]
            for outcome in outcomes where outcome.action == .update {
                guard let id = outcome.contactId, let contact = try lookup.contact(id: id, customValues: true, tags: true) else { continue }
                result[outcome.row] = changes(row: outcome.row - 1, of: plan, contact: contact)
            }
            return result
        }
    }

    /// Of `candidates` (0-based rows with the contact each would update), the rows whose update
    /// would change nothing: for `counts.unchanged`, in no particular order. The contacts are
    /// read from `lookup` (the review's snapshot, right after its matches) in id order, so each
    /// block's rows sit next to the previous block's in the table (file order jumps across the
    /// whole table); `values` is asked for only then (the review reads the file's other columns
    /// meanwhile), and the comparisons share the cores.
    static func unchangedRows(_ candidates: [(row: Int, contactId: Int64)], columns: [MappedColumn],
                              values: () throws -> FieldValueTable, tags: [String], identifierKey: String?,
                              in lookup: any ContactLookup) throws -> [Int] {
        guard !candidates.isEmpty else { return [] }
        // Only what the mapping can change is read: custom values if a custom field is mapped,
        // tags if a tags column or request tags are.
        let needsCustom = columns.contains { !$0.field.isBuiltin }
        let needsTags = !tags.isEmpty || columns.contains { $0.field.type == .tags }
        let sorted = candidates.sorted { $0.contactId < $1.contactId }
        var blocks: [[Int64: Contact]] = []
        for start in stride(from: 0, to: sorted.count, by: unchangedBlock) {
            let ids = sorted[start..<min(start + unchangedBlock, sorted.count)].map(\.contactId)
            blocks.append(try lookup.contacts(ids: ids, customValues: needsCustom, tags: needsTags))
        }
        let values = try values()
        let stored = ReadContacts(blocks)
        blocks = []
        let found = parallelChunks(count: stored.blocks.count, minimumChunk: 1) { range -> [Int] in
            var rows: [Int] = []
            for block in range {
                let start = block * unchangedBlock
                for (row, id) in sorted[start..<min(start + unchangedBlock, sorted.count)] {
                    guard let contact = stored.blocks[block][id] else { continue }
                    if changes(row: row, columns: columns, values: values, tags: tags, identifierKey: identifierKey,
                               contact: contact, firstOnly: true).isEmpty {
                        rows.append(row)
                    }
                }
            }
            return rows
        }
        // Tens of thousands of contacts' dictionaries take tens of milliseconds to free: not on
        // the lookup thread, which the review is waiting for.
        DispatchQueue.global(qos: .utility).async { stored.blocks = [] }
        return found.flatMap { $0 }
    }

    static let unchangedBlock = 2_000
}

/// The contacts `unchangedRows` compares, held where another thread can drop them.
private final class ReadContacts: @unchecked Sendable {
    /// Read by the comparisons while nothing writes it, then emptied once, after them.
    var blocks: [[Int64: Contact]]
    init(_ blocks: [[Int64: Contact]]) { self.blocks = blocks }
}
