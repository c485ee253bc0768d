import Foundation
import Contacts

extension ReadTransaction {
    /// A contact with only the parts a comparison needs: the built-in fields always, custom
    /// values and tags only when asked (each is one more query per contact, and a review may
    /// compare a hundred thousand of them).
    public func contact(id: Int64, customValues: Bool, tags withTags: Bool) throws -> Contact? {
        if customValues && withTags { return try typedContact(id: id) }
        let row = try statement(.contactByID)
        try row.bind(":id", id)
        defer { row.reset() }
        guard try row.step() else { return nil }
        var values: [String: String] = [:]
        for (column, key) in ContactColumn.orderedKeys.enumerated() {
            if let value = row.string(Int32(column)), !value.isEmpty { values[key] = value }
        }
        let createdAt = row.date(6)
        let updatedAt = row.date(7)
        row.reset()
        if customValues {
            let custom = try statement(.customValuesOfContact)
            try custom.bind(":contact_id", id)
            defer { custom.reset() }
            while try custom.step() {
                if let name = custom.string(0), let value = custom.string(1), !value.isEmpty { values[name] = value }
            }
        }
        return Contact(id: id, values: values, tags: withTags ? try tags(contactID: id) : [], createdAt: createdAt,
                       updatedAt: updatedAt)
    }
}
