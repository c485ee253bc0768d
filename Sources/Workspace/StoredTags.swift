import FoundationEssentials
import Contacts
import Localization

/// A contact's tags as its row stores them (`contacts.tags`): trimmed, one per case-folded key,
/// in their order, joined by U+001F; NULL when it has none. The import's undo log keeps tags
/// the same way.
enum StoredTags {
    static let separator = "\u{1F}"

    static func joined(_ entries: [TagEntry]) -> String? {
        switch entries.count {
        case 0: return nil
        case 1: return entries[0].tag
        default: return entries.map(\.tag).joined(separator: separator)
        }
    }

    static func split(_ text: String?) -> [String] {
        guard var text, !text.isEmpty else { return [] }
        var tags: [String] = []
        text.withUTF8 { joined in forEachTag(in: joined) { tags.append(String(decoding: $0, as: UTF8.self)) } }
        return tags
    }

    /// Calls `body` with the bytes of each tag of a stored column's `joined` bytes, in order
    /// (U+001F is one byte, never inside another character's).
    static func forEachTag(in joined: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var start = 0
        for end in 0...joined.count where end == joined.count || joined[end] == 0x1F {
            if end > start { try body(UnsafeBufferPointer(rebasing: joined[start..<end])) }
            start = end + 1
        }
    }

    /// FNV-1a of `bytes`, continuing from `hash`: how the writer's tag tables find their entries.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, from hash: UInt64 = 0xcbf29ce484222325) -> UInt64 {
        var hash = hash
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return hash
    }

    /// `tags` as stored: trimmed, empty ones dropped, one per key (the first spelling kept).
    static func entries(_ tags: [String]) -> [TagEntry] {
        var entries: [TagEntry] = []
        entries.reserveCapacity(tags.count)
        for raw in tags {
            guard let entry = TagEntry(raw), !entries.contains(where: { $0.key == entry.key }) else { continue }
            entries.append(entry)
        }
        return entries
    }
}

/// A tag as stored: trimmed, its separator characters made spaces, and its case-folded key
/// (the identity of a tag on a contact).
struct TagEntry {
    let key: String
    let tag: String

    /// nil for a tag that is empty once trimmed. ASCII without capitals, surrounding spaces or
    /// U+001F, the common case, is its own key: no new strings.
    init?(_ raw: String) {
        var plain = true
        var capitals = false
        var count = 0
        var first: UInt8 = 0
        var last: UInt8 = 0
        for byte in raw.utf8 {
            if byte >= 0x80 || byte == 0x1F { plain = false; break }
            if byte >= 0x41 && byte <= 0x5A { capitals = true }
            if count == 0 { first = byte }
            last = byte
            count += 1
        }
        if plain {
            guard count > 0 else { return nil }
            let isSpace: (UInt8) -> Bool = { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
            if !isSpace(first) && !isSpace(last) {
                tag = raw
                key = capitals ? raw.lowercased() : raw
                return
            }
        }
        let spaced = raw.utf8.contains(0x1F) ? String(decoding: raw.utf8.map { $0 == 0x1F ? 0x20 : $0 }, as: UTF8.self) : raw
        let trimmed = spaced.whitespaceTrimmed()
        guard !trimmed.isEmpty else { return nil }
        tag = trimmed
        key = foldedKey(trimmed)
    }
}

/// The tags of an import's rows, each distinct spelling made a `TagEntry` once and numbered,
/// as are the distinct keys: a row's tags are then assembled as bytes, de-duplicated by key
/// number, with no `String` made per tag (a 200,000-row import writes about 400,000 tags).
struct TagInterner {
    /// Per spelling: its bytes as given, the stored tag's bytes and its key's number.
    private var raw: [[UInt8]] = []
    private var stored: [[UInt8]] = []
    private var keyOf: [Int] = []
    /// Spelling numbers by a hash of their bytes.
    private var byHash: [UInt64: [Int]] = [:]
    private var keyNumbers: [String: Int] = [:]
    /// Every key met, by number.
    private(set) var keys: [String] = []

    /// The number of the spelling `bytes`, nil for a tag that is empty once trimmed.
    mutating func spelling(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = StoredTags.hash(bytes)
        if let candidates = byHash[hash] {
            for candidate in candidates where raw[candidate].withUnsafeBufferPointer({ $0.sameBytes(as: bytes) }) {
                return keyOf[candidate] < 0 ? nil : candidate
            }
        }
        let number = raw.count
        raw.append(Array(bytes))
        byHash[hash, default: []].append(number)
        guard let entry = TagEntry(String(decoding: bytes, as: UTF8.self)) else {
            stored.append([])
            keyOf.append(-1)
            return nil
        }
        stored.append(Array(entry.tag.utf8))
        if let known = keyNumbers[entry.key] {
            keyOf.append(known)
        } else {
            keyNumbers[entry.key] = keys.count
            keyOf.append(keys.count)
            keys.append(entry.key)
        }
        return number
    }

    mutating func spelling(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { spelling($0) }
    }

    func key(_ spelling: Int) -> Int { keyOf[spelling] }
    func bytes(_ spelling: Int) -> [UInt8] { stored[spelling] }
}

extension ReadTransaction {
    /// True when some contact carries `tag` (case-insensitive): import tags must be unique.
    /// One lookup in `tag_keys` answers no; a key found there is confirmed on the contacts
    /// (its tag may have been removed since), which only a reused name costs.
    public final func tagExists(_ tag: String) throws -> Bool {
        guard let wanted = TagEntry(tag) else { return false }
        let known = try statement("SELECT 1 FROM tag_keys WHERE tag_key = :tag_key")
        try known.bind(":tag_key", wanted.key)
        let registered = try known.step()
        known.reset()
        guard registered else { return false }
        let carriers = try statement("SELECT tags FROM contacts WHERE tags IS NOT NULL")
        defer { carriers.reset() }
        while try carriers.step() {
            if StoredTags.split(carriers.string(0)).contains(where: { TagEntry($0)?.key == wanted.key }) { return true }
        }
        return false
    }
}

extension WriteTransaction {
    /// Records keys of tags this transaction stores on contacts (see `tag_keys`).
    func registerTagKeys(_ keys: some Sequence<String>) throws(WorkspaceError) {
        let insert = try statement("INSERT OR IGNORE INTO tag_keys (tag_key) VALUES (:tag_key)")
        for key in keys {
            try insert.bind(":tag_key", key)
            try insert.run()
        }
    }
}
