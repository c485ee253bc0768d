import Foundation
import Contacts

extension ReadTransaction {
    /// A contact with only the parts a comparison needs: the built-in fields always, custom
    /// values and tags only when asked (a review may compare a hundred thousand of them).
    public func contact(id: Int64, customValues: Bool, tags withTags: Bool) throws -> Contact? {
        try typedContact(id: id, customValues: customValues, tags: withTags)
    }
}
