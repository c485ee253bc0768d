import FoundationEssentials
import Contacts

extension ReadTransaction {
    /// A contact with only the parts a comparison needs: the built-in fields always, custom
    /// values and tags only when asked (a review may compare a hundred thousand of them).
    public func contact(id: Int64, customValues: Bool, tags withTags: Bool) throws -> Contact? {
        try typedContact(id: id, customValues: customValues, tags: withTags)
    }

    /// Many contacts at once, as `contact(id:customValues:tags:)` gives them: one query per
    /// part for each chunk of ids instead of one per contact (a review compares every contact
    /// it would update). Ids that no contact has are absent from the result.
    public func contacts(ids: [Int64], customValues: Bool, tags withTags: Bool) throws -> [Int64: Contact] {
        var result: [Int64: Contact] = [:]
        result.reserveCapacity(ids.count)
        let chunk = 1_000
        for start in stride(from: 0, to: ids.count, by: chunk) {
            let list = "[" + ids[start..<min(start + chunk, ids.count)].map(String.init).joined(separator: ",") + "]"
            let rows = try statement("""
                SELECT id, first_name, last_name, phone, email, language, country_code, created_at, updated_at, tags \
                FROM contacts WHERE id IN (SELECT value FROM json_each(:ids))
                """)
            try rows.bind(":ids", list)
            while try rows.step() {
                var values: [String: String] = [:]
                for (column, key) in ContactColumn.orderedKeys.enumerated() {
                    if let value = rows.string(Int32(column + 1)), !value.isEmpty { values[key] = value }
                }
                let id = rows.int64(0)
                result[id] = Contact(id: id, values: values, tags: withTags ? StoredTags.split(rows.string(9)) : [],
                                     createdAt: rows.date(7), updatedAt: rows.date(8))
            }
            rows.reset()
            if customValues {
                let custom = try statement("""
                    SELECT v.contact_id, f.name, v.value FROM custom_values v JOIN custom_fields f ON f.id = v.field_id \
                    WHERE v.contact_id IN (SELECT value FROM json_each(:ids))
                    """)
                try custom.bind(":ids", list)
                while try custom.step() {
                    if let name = custom.string(1), let value = custom.string(2), !value.isEmpty {
                        result[custom.int64(0)]?.values[name] = value
                    }
                }
                custom.reset()
            }
        }
        return result
    }
}

/// Some fields of many contacts, as `ContactLookup.storedFields` reads them: per contact its id,
/// the bytes of one value per key (none when it has none) and, when asked, of each of its tags,
/// all in one buffer: a few allocations for thousands of contacts, and no `String` per value.
public struct StoredFields: Sendable {
    public let keys: [String]
    public let hasTags: Bool
    public private(set) var ids: [Int64] = []
    private var bytes: [UInt8] = []
    /// Per value (a contact's keys, then its tags), the end of its bytes.
    private var ends: [Int] = []
    /// Per contact, the index in `ends` of its first value.
    private var starts: [Int] = []

    init(keys: [String], tags: Bool) {
        self.keys = keys
        self.hasTags = tags
    }

    /// Calls `body` with the bytes of field `k` (of `keys`) of the contact at `position` of `ids`.
    public func withValue<R>(_ position: Int, _ k: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withBytes(of: starts[position] + k, body)
    }

    /// The tags of the contact at `position` of `ids`, as stored (trimmed, one per key), in order.
    public func tags(_ position: Int) -> [String] {
        let end = position + 1 < starts.count ? starts[position + 1] : ends.count
        return (starts[position] + keys.count ..< end).map { value in withBytes(of: value) { String(decoding: $0, as: UTF8.self) } }
    }

    private func withBytes<R>(of value: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = value == 0 ? 0 : ends[value - 1]
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<ends[value]])) }
    }

    mutating func append(id: Int64) {
        ids.append(id)
        starts.append(ends.count)
    }

    /// A value (a field, or one tag) of the contact whose id was appended last.
    mutating func append(_ value: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: value)
        ends.append(bytes.count)
    }

    mutating func append(_ text: String?) {
        var text = text ?? ""
        text.withUTF8 { append($0) }
    }

    /// From whole contacts: for fields the contact row does not hold (custom ones), or a store
    /// without a leaner read.
    static func gathering(ids: [Int64], keys: [String], tags: Bool, from lookup: some ContactLookup) throws -> StoredFields {
        let needsCustom = keys.contains { ContactColumn.byKey[$0] == nil }
        let found = try lookup.contacts(ids: ids, customValues: needsCustom, tags: tags)
        var stored = StoredFields(keys: keys, tags: tags)
        for id in ids {
            guard let contact = found[id] else { continue }
            stored.append(id: id)
            for key in keys { stored.append(contact.values[key]) }
            if tags { for tag in contact.tags { stored.append(tag) } }
        }
        return stored
    }
}

extension ReadTransaction {
    /// The contact row's own columns only, one query per chunk of ids. Ids that no contact has
    /// are absent; the order is the store's.
    public final func storedFields(ids: [Int64], keys: [String], tags withTags: Bool) throws -> StoredFields {
        let columns = keys.compactMap { ContactColumn.byKey[$0] }
        guard columns.count == keys.count else { return try StoredFields.gathering(ids: ids, keys: keys, tags: withTags, from: self) }
        var stored = StoredFields(keys: keys, tags: withTags)
        let tagsColumn = Int32(columns.count + 1)
        let selected = (["id"] + columns + (withTags ? ["tags"] : [])).joined(separator: ", ")
        let chunk = 1_000
        for start in stride(from: 0, to: ids.count, by: chunk) {
            let list = "[" + ids[start..<min(start + chunk, ids.count)].map(String.init).joined(separator: ",") + "]"
            let rows = try statement("SELECT \(selected) FROM contacts WHERE id IN (SELECT value FROM json_each(:ids))")
            try rows.bind(":ids", list)
            while try rows.step() {
                stored.append(id: rows.int64(0))
                for column in 0..<columns.count { rows.withUTF8(Int32(column + 1)) { stored.append($0) } }
                if withTags { rows.withUTF8(tagsColumn) { StoredTags.forEachTag(in: $0) { stored.append($0) } } }
            }
            rows.reset()
        }
        return stored
    }

}

extension ReadTransaction {
    /// One statement per batch of values, joining them (a JSON array) with the phone or e-mail
    /// index inside SQLite, instead of a statement run, its binding copied and an array made
    /// per value. An empty value matches nothing, as in `contactIDs(phone:)`.
    /// A canonical phone's key decides alone and the lookup stays inside the index; e-mails and
    /// any other phone are compared with the contact's text too (`LookupKeys`). Each batch is one
    /// JSON array per statement, aligned with the values (`null` or `""` where a value goes to
    /// the other statement), so a result's array index names its value.
    public final func eachContactID(matching values: [String], byEmail: Bool,
                                    _ found: (_ index: Int, _ id: Int64) throws -> Void) throws {
        var keys: [UInt8] = []
        var texts: [UInt8] = []
        for start in stride(from: 0, to: values.count, by: Self.matchBatch) {
            let batch = values[start..<min(start + Self.matchBatch, values.count)]
            // A phone's exact key, nil for a value the text statement takes.
            let exactKeys = batch.map { value -> Int64? in
                guard !byEmail, !value.isEmpty else { return nil }
                let key = LookupKeys.phone(value)
                return LookupKeys.isExactPhoneKey(key) ? key : nil
            }
            if exactKeys.contains(where: { $0 != nil }) {
                keys.removeAll(keepingCapacity: true)
                for (n, key) in exactKeys.enumerated() {
                    if n > 0 { keys.append(UInt8(ascii: ",")) }
                    if let key { Self.appendDecimal(key, to: &keys) } else { keys.append(contentsOf: "null".utf8) }
                }
                try run("SELECT j.key, c.id FROM json_each(:values) AS j CROSS JOIN contacts AS c ON c.phone_key = j.value",
                        keys, start: start, found)
            }
            if zip(batch, exactKeys).contains(where: { !$0.isEmpty && $1 == nil }) {
                texts.removeAll(keepingCapacity: true)
                for (n, (value, key)) in zip(batch, exactKeys).enumerated() {
                    if n > 0 { texts.append(UInt8(ascii: ",")) }
                    Self.appendJSONString(key == nil ? value : "", to: &texts)
                }
                try run(byEmail
                    ? "SELECT j.key, c.id FROM json_each(:values) AS j CROSS JOIN contacts AS c ON c.email_key = contact_email_key(j.value) AND c.email = j.value WHERE j.value <> ''"
                    : "SELECT j.key, c.id FROM json_each(:values) AS j CROSS JOIN contacts AS c ON c.phone_key = contact_phone_key(j.value) AND c.phone = j.value WHERE j.value <> ''",
                    texts, start: start, found)
            }
        }
    }

    /// Runs one batch's lookup over the JSON array `elements` (without its brackets).
    private final func run(_ sql: String, _ elements: [UInt8], start: Int,
                           _ found: (_ index: Int, _ id: Int64) throws -> Void) throws {
        let query = try statement(sql)
        try query.bind(":values", "[" + String(decoding: elements, as: UTF8.self) + "]")
        while try query.step() { try found(start + query.int(0), query.int64(1)) }
        query.reset()
    }

    /// A non-negative integer's decimal digits, with no intermediate string.
    static func appendDecimal(_ value: Int64, to bytes: inout [UInt8]) {
        var divisor: Int64 = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    static let matchBatch = 1_024

    /// `value` as a JSON string: quotes, backslashes and control characters escaped, the rest
    /// as its UTF-8 bytes.
    static func appendJSONString(_ value: String, to json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                json.append(UInt8(ascii: "\\"))
                json.append(byte)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                json.append(contentsOf: Array("\\u00".utf8))
                json.append(hex[Int(byte >> 4)])
                json.append(hex[Int(byte & 0x0F)])
            default:
                json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }
}
