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

    static func changes(row: Int, columns: [MappedColumn], values: [FieldValue], tags requestTags: [String],
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
        let storedKeys = Set(contact.tags.map(identityKey))
        var finalTags: [String]
        if let tagsColumn, tagsColumn.overwrite {
            finalTags = tagsColumn.tags + requestTags
        } else {
            finalTags = contact.tags + (tagsColumn?.tags ?? []) + requestTags
        }
        var seen = Set<String>()
        finalTags = finalTags.filter { seen.insert(identityKey($0)).inserted }
        result.tagsAdded = finalTags.filter { !storedKeys.contains(identityKey($0)) }
        result.tagsRemoved = contact.tags.filter { !seen.contains(identityKey($0)) }
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
    /// snapshot of the workspace.
    static func unchangedCount(outcomes: [RowOutcome], columns: [MappedColumn], values: [FieldValue], tags: [String],
                               identifierKey: String?, store: any ImportStore) throws -> Int {
        guard outcomes.contains(where: { $0.action == .update }) else { return 0 }
        // Only what the mapping can change is read: custom values if a custom field is mapped,
        // tags if a tags column or request tags are.
        let needsCustom = columns.contains { !$0.field.isBuiltin }
        let needsTags = !tags.isEmpty || columns.contains { $0.field.type == .tags }
        let updates = outcomes.enumerated().filter { $0.element.action == .update && $0.element.contactId != nil }
        let stored = try store.lookUp { lookup in
            try lookup.contacts(ids: updates.compactMap { $0.element.contactId }, customValues: needsCustom, tags: needsTags)
        }
        var unchanged = 0
        for (row, outcome) in updates {
            guard let id = outcome.contactId, let contact = stored[id] else { continue }
            if changes(row: row, columns: columns, values: values, tags: tags, identifierKey: identifierKey,
                       contact: contact).isEmpty {
                unchanged += 1
            }
        }
        return unchanged
    }
}
