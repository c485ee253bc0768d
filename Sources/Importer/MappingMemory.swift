import FoundationEssentials
import Contacts
import CSV
import Workspace

/// Remembered mappings: what a completed import records, and how a suggestion uses it.
public enum MappingMemory {
    /// What `import/suggestMapping` adds when the workspace remembers this header set.
    public struct Suggested: Sendable, Hashable {
        public let purpose: String?
        public let identifier: String?
        public let defaultCountry: String?
    }

    /// The file's normalized header row: one key per column.
    public static func headerKeys(_ table: CSVTable) -> [String] {
        table.headers.map(identityKey)
    }

    /// What a completed commit of `plan` remembers: every column, mapped or skipped.
    static func remembered(_ plan: ReviewPlan, columnCount: Int) -> RememberedMapping {
        var columns = Array(repeating: RememberedMapping.Column(field: nil, overwrite: true), count: columnCount)
        for mapped in plan.columns where mapped.column >= 0 && mapped.column < columnCount {
            columns[mapped.column] = RememberedMapping.Column(field: mapped.field.key, overwrite: mapped.overwrite)
        }
        return RememberedMapping(columns: columns, purpose: plan.purpose.rawValue, identifier: plan.identifier?.rawValue,
                                 defaultCountry: plan.defaultCountry)
    }

    /// The suggestion with memory applied: the header set's remembered mapping wins for every
    /// column (skipped ones stay skipped), else each header's own memory outranks synonyms,
    /// typos and content (not the field's exact name). A remembered field that no longer exists
    /// is ignored. Each field still goes to one column at most.
    public static func apply(to suggestion: MappingSuggestion, table: CSVTable, fields: [FieldDefinition],
                             store: any ImportStore) throws -> (MappingSuggestion, Suggested?) {
        let keys = headerKeys(table)
        let whole = try store.rememberedMapping(headerKeys: keys)
        let single = whole == nil ? try store.rememberedHeaders(keys) : [:]
        let known = Set(fields.map(\.key))
        var columns = suggestion.columns
        var rememberedColumns: Set<Int> = []
        for (index, column) in columns.enumerated() {
            let memory: RememberedMapping.Column?
            if let whole {
                memory = whole.columns[index]
            } else if let one = single[keys[index]], column.reason != .exactHeader {
                memory = one
            } else {
                memory = nil
            }
            guard let memory else { continue }
            if let field = memory.field, !known.contains(field) { continue }
            columns[index] = ColumnSuggestion(column: column.column, header: column.header, field: memory.field,
                                              confidence: 1, reason: .remembered)
            rememberedColumns.insert(index)
        }
        // A field the memory gave to one column is taken from any other.
        let taken = Set(rememberedColumns.compactMap { columns[$0].field })
        for index in columns.indices where !rememberedColumns.contains(index) {
            if let field = columns[index].field, taken.contains(field) {
                columns[index] = ColumnSuggestion(column: columns[index].column, header: columns[index].header,
                                                  field: nil, confidence: 0, reason: .none)
            }
        }
        let mappedFields = Set(columns.compactMap(\.field))
        var identifier = suggestion.identifier
        if let remembered = whole?.identifier, let field = BuiltinField(rawValue: remembered),
           field == .phone || field == .email, mappedFields.contains(remembered) {
            identifier = field
        } else if let current = identifier, !mappedFields.contains(current.rawValue) {
            identifier = mappedFields.contains(BuiltinField.phone.rawValue) ? .phone
                : mappedFields.contains(BuiltinField.email.rawValue) ? .email : nil
        }
        let suggested = whole.map { Suggested(purpose: $0.purpose, identifier: $0.identifier, defaultCountry: $0.defaultCountry) }
        return (MappingSuggestion(columns: columns, identifier: identifier), suggested)
    }
}
