import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Contacts
import Localization
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

    /// `UnchangedTest` tells when this is empty without making it, and must agree with it.
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
            if final != stored {
                result.fields.append(.init(field: key, from: stored, to: final))
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
    /// whole table), and only the fields the mapping can change. Until `valuesReady` (the
    /// review reads the file's other columns meanwhile) the blocks read are kept; from then on
    /// each is compared on other threads while the next is read (the review's own thread
    /// waits for this one by then, its core free), and dropped.
    static func unchangedRows(_ candidates: [(row: Int, contactId: Int64)], columns: [MappedColumn],
                              values: () throws -> FieldValueTable, valuesReady: () -> Bool = { true },
                              tags: [String], identifierKey: String?, in lookup: any ContactLookup) throws -> [Int] {
        guard !candidates.isEmpty else { return [] }
        let comparer = BlockComparer(UnchangedTest(columns: columns, requestTags: tags, identifierKey: identifierKey))
        let (keys, needsTags) = (comparer.keys, comparer.needsTags)
        let sorted = candidates.sorted { $0.contactId < $1.contactId }
        var rowValues: FieldValueTable?
        var waiting: [(block: [(row: Int, contactId: Int64)], stored: StoredFields)] = []
        var ids: [Int64] = []
        // Whatever happens here, the comparisons already queued end before this returns.
        defer { comparer.wait() }
        for start in stride(from: 0, to: sorted.count, by: unchangedBlock) {
            let block = Array(sorted[start..<min(start + unchangedBlock, sorted.count)])
            ids.removeAll(keepingCapacity: true)
            for entry in block where ids.last != entry.contactId { ids.append(entry.contactId) }
            waiting.append((block, try lookup.storedFields(ids: ids, keys: keys, tags: needsTags)))
            if rowValues == nil && valuesReady() { rowValues = try values() }
            if let rowValues {
                for (block, stored) in waiting { comparer.compare(block, values: rowValues, stored: stored) }
                waiting = []
            }
        }
        if !waiting.isEmpty {
            let rowValues = try rowValues ?? values()
            for (block, stored) in waiting { comparer.compare(block, values: rowValues, stored: stored) }
        }
        comparer.wait()
        return comparer.rows
    }

    static let unchangedBlock = 2_000
}

/// Compares the blocks of `unchangedRows` on two serial queues of its own, in turn (each with
/// its own `UnchangedTest`): the blocks kept while the values were read are then compared on
/// both cores at once.
private final class BlockComparer: @unchecked Sendable {
    let keys: [String]
    let needsTags: Bool
    private let group = DispatchGroup()
    private let lanes: [Lane]
    private var next = 0

    private final class Lane: @unchecked Sendable {
        let queue = DispatchQueue(label: "review.unchanged")
        /// Used only on `queue`.
        var test: UnchangedTest
        /// Written on `queue`; read after the group's wait.
        var rows: [Int] = []
        init(_ test: UnchangedTest) { self.test = test }
    }

    init(_ test: UnchangedTest) {
        lanes = [Lane(test), Lane(test)]
        keys = test.keys
        needsTags = test.needsTags
    }

    func compare(_ block: [(row: Int, contactId: Int64)], values: FieldValueTable, stored: StoredFields) {
        let lane = lanes[next]
        next = (next + 1) % lanes.count
        lane.queue.async(group: group) {
            var positions: [Int64: Int] = [:]
            positions.reserveCapacity(stored.ids.count)
            for (position, id) in stored.ids.enumerated() { positions[id] = position }
            // In file order: the rows' values are then read forward through the table, not at random.
            for (row, id) in block.sorted(by: { $0.row < $1.row }) {
                guard let position = positions[id] else { continue }
                if lane.test.isUnchanged(row: row, values: values, stored: stored, at: position) { lane.rows.append(row) }
            }
        }
    }

    func wait() { group.wait() }

    /// After `wait`.
    var rows: [Int] { lanes.flatMap(\.rows) }
}

/// `ChangePreview.changes(…).isEmpty` of a row against a contact's
/// `StoredFields`, told from the values' bytes: equal bytes are equal text, and only bytes that
/// differ where one side is not ASCII are compared as `String`s (canonically equivalent
/// spellings are equal there, as in `changes`).
struct UnchangedTest {
    /// The mapped columns a value of which the update may write, by position in the row and
    /// in `keys`.
    private let compared: [(column: Int, overwrite: Bool)]
    /// Their fields, as `StoredFields` reads them.
    let keys: [String]
    let needsTags: Bool
    private let width: Int
    /// The last tags column (as `changes` takes it).
    private let tagsColumn: (column: Int, overwrite: Bool)?
    private let requestTags: [String]
    /// The identity key of each tag spelling met: few spellings repeat across many contacts.
    private var keyOfTag: [String: String] = [:]

    init(columns: [MappedColumn], requestTags: [String], identifierKey: String?) {
        var compared: [(column: Int, overwrite: Bool)] = []
        var keys: [String] = []
        var tagsColumn: (column: Int, overwrite: Bool)?
        for (k, column) in columns.enumerated() {
            let key = column.field.key
            if column.field.type == .tags {
                tagsColumn = (k, column.overwrite)
                continue
            }
            if key == BuiltinField.contactId.rawValue || key == identifierKey { continue }
            compared.append((k, column.overwrite))
            keys.append(key)
        }
        self.compared = compared
        self.keys = keys
        self.tagsColumn = tagsColumn
        self.requestTags = requestTags
        self.needsTags = !requestTags.isEmpty || tagsColumn != nil
        self.width = columns.count
    }

    mutating func isUnchanged(row: Int, values: FieldValueTable, stored: StoredFields, at position: Int) -> Bool {
        for (j, entry) in compared.enumerated() {
            let changed = values.withTextUTF8OrEmpty(at: row * width + entry.column) { given in
                stored.withValue(position, j) { current in
                    entry.overwrite ? !Self.sameText(given, current) : current.isEmpty && !given.isEmpty
                }
            }
            if changed { return false }
        }
        guard needsTags else { return true }
        var given: [String] = []
        if let tagsColumn { values.forEachTagUTF8(at: row * width + tagsColumn.column) { given.append(String(decoding: $0, as: UTF8.self)) } }
        given += requestTags
        let current = stored.tags(position)
        let givenKeys = Set(given.map { identity($0) })
        let currentKeys = Set(current.map { identity($0) })
        // Replacing the tags changes nothing when the keys are the same; adding, when none is new.
        return tagsColumn?.overwrite == true ? givenKeys == currentKeys : givenKeys.isSubset(of: currentKeys)
    }

    private mutating func identity(_ tag: String) -> String {
        if let known = keyOfTag[tag] { return known }
        let key = identityKey(tag)
        keyOfTag[tag] = key
        return key
    }

    static func sameText(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if a.sameBytes(as: b) { return true }
        // ASCII text is equal only to the same bytes; beyond it, canonical equivalence decides
        // (`"\u{212A}" == "K"`), and invalid UTF-8 reads as its repair, as in `changes`.
        guard a.contains(where: { $0 >= 0x80 }) || b.contains(where: { $0 >= 0x80 }) else { return false }
        return String(decoding: a, as: UTF8.self) == String(decoding: b, as: UTF8.self)
    }
}

extension FieldValueTable {
    /// `withTextUTF8`, with no bytes for a value that is not text.
    func withTextUTF8OrEmpty<R>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withTextUTF8(at: position, body) ?? body(UnsafeBufferPointer(start: nil, count: 0))
    }
}
