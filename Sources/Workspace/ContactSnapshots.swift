import Foundation
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
