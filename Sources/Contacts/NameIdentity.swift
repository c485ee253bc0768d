import Localization

/// When two tags (or two custom field names, or two list options) are the same: equal after
/// trimming surrounding white space and lower-casing with full Unicode rules (unlike SQLite's
/// ASCII-only NOCASE). The one definition, used by the value reader, the contacts methods and
/// the store alike; the first spelling seen is the one kept.
public func identityKey(_ text: String) -> String {
    text.whitespaceTrimmed().lowercased()
}
