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

    static func changes(row: Int, columns: [MappedColumn], values: FieldValueTable, tags requestTags: [String],
                        identifierKey: String?, contact: Contact) -> RowChanges {
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
            if final != stored { result.fields.append(.init(field: key, from: stored, to: final)) }
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

    /// How many `update` outcomes would change nothing (`counts.unchanged`), read in one
    /// snapshot of the workspace a block of contacts at a time; each block is compared on
    /// another core while the next one is read (a profile found this count, read whole and
    /// compared on one thread, to be a sixth of the review), and at most a few blocks are held.
    static func unchangedCount(outcomes: RowOutcomes, columns: [MappedColumn], values: FieldValueTable, tags: [String],
                               identifierKey: String?, store: any ImportStore) throws -> Int {
        let updates = outcomes.indices.filter { outcomes.action(at: $0) == .update && outcomes.contactId(at: $0) != nil }
        guard !updates.isEmpty else { return 0 }
        // Only what the mapping can change is read: custom values if a custom field is mapped,
        // tags if a tags column or request tags are.
        let needsCustom = columns.contains { !$0.field.isBuiltin }
        let needsTags = !tags.isEmpty || columns.contains { $0.field.type == .tags }
        let unchanged = RowCounter()
        let group = DispatchGroup()
        let inFlight = DispatchSemaphore(value: 4)
        defer { group.wait() }
        try store.lookUp { lookup in
            for start in stride(from: 0, to: updates.count, by: unchangedBlock) {
                let rows = Array(updates[start..<min(start + unchangedBlock, updates.count)])
                let stored = try lookup.contacts(ids: rows.compactMap { outcomes.contactId(at: $0) },
                                                 customValues: needsCustom, tags: needsTags)
                inFlight.wait()
                DispatchQueue.global(qos: .userInitiated).async(group: group) {
                    var count = 0
                    for row in rows {
                        guard let id = outcomes.contactId(at: row), let contact = stored[id] else { continue }
                        if changes(row: row, columns: columns, values: values, tags: tags, identifierKey: identifierKey,
                                   contact: contact).isEmpty {
                            count += 1
                        }
                    }
                    _ = unchanged.add(count)
                    inFlight.signal()
                }
            }
        }
        group.wait()
        return unchanged.add(0)
    }

    static let unchangedBlock = 2_000
}
