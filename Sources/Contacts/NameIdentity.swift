/// When two tags (or two custom field names, or two list options) are the same: equal after
/// trimming surrounding white space and lower-casing with full Unicode rules (unlike SQLite's
/// ASCII-only NOCASE). The one definition, used by the value reader, the contacts methods and
/// the store alike; the first spelling seen is the one kept.
public func identityKey(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
          let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return text.lowercased() }
    return String(scalars[first...last]).lowercased()
}
