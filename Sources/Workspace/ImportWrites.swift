import Foundation
import Contacts

// Added by helper "review" (owner: workspace): the write an import commit does once per updated
// row, without `updateContact`'s read-back of the stored contact (three queries per row that an
// import never looks at) and without rewriting custom values in a workspace that has none.

extension WriteTransaction {
    /// Stores `contact` as `updateContact` does (values as given, absent keys cleared, tags
    /// replaced, `updatedAt` = now), given `previous`, the contact as read in this transaction:
    /// only columns whose value changed are written (so an unchanged phone or e-mail leaves its
    /// index alone), tags only appended when the old ones are kept, nothing read back.
    /// Throws `ContactNotFound` for an unknown id.
    public func storeContact(_ contact: Contact, replacing previous: Contact, now: Date) throws {
        let customFields = try customFields()
        var assignments: [String] = []
        var arguments: [String?] = []
        for key in ContactColumn.orderedKeys {
            let new = contact.values[key].flatMap { $0.isEmpty ? nil : $0 }
            let old = previous.values[key].flatMap { $0.isEmpty ? nil : $0 }
            guard new != old, let column = ContactColumn.byKey[key] else { continue }
            assignments.append("\(column) = ?")
            arguments.append(new)
        }
        let update = try statement("UPDATE contacts SET " + (assignments + ["updated_at = ?"]).joined(separator: ", ") + " WHERE id = ?")
        for (offset, value) in arguments.enumerated() {
            try update.bind(Int32(offset + 1), value)
        }
        try update.bind(Int32(arguments.count + 1), StoredTime.milliseconds(now))
        try update.bind(Int32(arguments.count + 2), contact.id)
        try update.run()
        guard connection.changes > 0 else { throw ContactNotFound(contactId: contact.id) }

        if !customFields.isEmpty {
            var custom: [(CustomFieldRecord, String)] = []
            var changed = false
            for (key, value) in contact.values where !value.isEmpty && ContactColumn.byKey[key] == nil
                && key != "tags" && key != "contactId" {
                guard let field = customFields[foldedKey(key)] else {
                    throw WorkspaceError.invalid("The workspace has no field called \"\(key)\".")
                }
                custom.append((field, value))
                if previous.values[key] != value { changed = true }
            }
            let previousCustomCount = previous.values.keys.filter { ContactColumn.byKey[$0] == nil && $0 != "tags" && $0 != "contactId" }.count
            if changed || previousCustomCount != custom.count {
                let clearValues = try statement("DELETE FROM custom_values WHERE contact_id = ?")
                try clearValues.bind(1, contact.id)
                try clearValues.run()
                let insertValue = try statement("INSERT OR REPLACE INTO custom_values (contact_id, field_id, value) VALUES (?, ?, ?)")
                for (field, value) in custom {
                    try insertValue.bind(1, contact.id)
                    try insertValue.bind(2, field.id)
                    try insertValue.bind(3, value)
                    try insertValue.run()
                }
            }
        }

        var tags: [(key: String, tag: String)] = []
        var seen = Set<String>()
        for raw in contact.tags {
            let tag = trimmedSpaces(raw)
            let key = tag.lowercased()
            guard !tag.isEmpty, seen.insert(key).inserted else { continue }
            tags.append((key, tag))
        }
        let previousTags = previous.tags
        let kept = previousTags.count <= tags.count
            && zip(previousTags, tags).allSatisfy { old, new in old == new.tag }
        var firstNew = previousTags.count
        if !kept {
            let clearTags = try statement("DELETE FROM contact_tags WHERE contact_id = ?")
            try clearTags.bind(1, contact.id)
            try clearTags.run()
            firstNew = 0
        }
        guard firstNew < tags.count else { return }
        let insertTag = try statement(.insertTag)
        for position in firstNew..<tags.count {
            try insertTag.bind(1, contact.id)
            try insertTag.bind(2, tags[position].key)
            try insertTag.bind(3, tags[position].tag)
            try insertTag.bind(4, Int64(position))
            try insertTag.run()
        }
    }
}
