/// Many `FieldValue`s held compactly: every value's UTF-8 bytes in one buffer and one 32-bit end
/// offset per value (its kind in the top two bits), instead of one `String` (and for tags one
/// array) per value. A review of 200,000 rows × 8 columns holds 1.6 million values: as an array
/// of enums with their strings that is about 55 MB, here it is the bytes plus 4 bytes a value.
/// Reading a value back makes its `FieldValue` (a `String` for text), equal to the one appended.
/// Immutable once built and shared by copy-on-write; a `RandomAccessCollection` of `FieldValue`,
/// so `table[i]`, `count` and iteration read like the array it replaces.
public struct FieldValueTable: RandomAccessCollection, Sendable, Hashable {
    private var bytes: [UInt8] = []
    /// Per value: the end of its bytes in `bytes` (its start is the previous value's end), and
    /// in the top two bits its kind (0 empty, 1 text, 2 tags).
    private var ends: [UInt32] = []

    private static let kindShift: UInt32 = 30
    private static let offsetMask: UInt32 = (1 << 30) - 1
    private static let textKind: UInt32 = 1
    private static let tagsKind: UInt32 = 2

    public init() {}

    public init(_ values: some Sequence<FieldValue>) {
        for value in values { append(value) }
    }

    public mutating func reserveCapacity(values: Int, bytes byteCount: Int) {
        ends.reserveCapacity(values)
        bytes.reserveCapacity(byteCount)
    }

    public mutating func append(_ value: FieldValue) {
        switch value {
        case .empty:
            ends.append(UInt32(bytes.count))
        case .text(var text):
            text.withUTF8 { bytes.append(contentsOf: $0) }
            ends.append(Self.packed(bytes.count, kind: Self.textKind))
        case .tags(let tags):
            // Each tag as its length (LEB128) then its bytes: exact whatever a tag holds.
            for tag in tags {
                var length = tag.utf8.count
                repeat {
                    let low = UInt8(length & 0x7F)
                    length >>= 7
                    bytes.append(length > 0 ? low | 0x80 : low)
                } while length > 0
                bytes.append(contentsOf: tag.utf8)
            }
            ends.append(Self.packed(bytes.count, kind: Self.tagsKind))
        }
    }

    public mutating func append(contentsOf other: FieldValueTable) {
        let base = UInt32(bytes.count)
        bytes.append(contentsOf: other.bytes)
        ends.reserveCapacity(ends.count + other.ends.count)
        for end in other.ends { ends.append(end + base) }
    }

    /// Appends a copy of `other[position]` from its bytes, without making its `FieldValue` (the
    /// review's memo of repeated cells hands out its values this way).
    public mutating func append(_ position: Int, of other: FieldValueTable) {
        let packed = other.ends[position]
        let end = Int(packed & Self.offsetMask)
        let start = position == 0 ? 0 : Int(other.ends[position - 1] & Self.offsetMask)
        if start < end { other.bytes.withUnsafeBufferPointer { bytes.append(contentsOf: $0[start..<end]) } }
        ends.append(Self.packed(bytes.count, kind: packed >> Self.kindShift))
    }

    public mutating func append(repeating value: FieldValue, count: Int) {
        for _ in 0..<count { append(value) }
    }

    private static func packed(_ end: Int, kind: UInt32) -> UInt32 {
        // 1 GiB of values: far past the 20 MB a file may have (the reader refuses larger ones).
        precondition(end <= Int(offsetMask), "FieldValueTable holds at most 1 GiB")
        return UInt32(end) | kind << kindShift
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    public subscript(position: Int) -> FieldValue {
        let packed = ends[position]
        let end = Int(packed & Self.offsetMask)
        let start = position == 0 ? 0 : Int(ends[position - 1] & Self.offsetMask)
        switch packed >> Self.kindShift {
        case Self.textKind:
            return .text(bytes.withUnsafeBufferPointer { String(decoding: $0[start..<end], as: UTF8.self) })
        case Self.tagsKind:
            var tags: [String] = []
            forEachTagUTF8(at: position) { tags.append(String(decoding: $0, as: UTF8.self)) }
            return .tags(tags)
        default:
            return .empty
        }
    }

    /// Whether the value at `position` is text starting with a byte `test` accepts, or tags one
    /// of which does, without making the value.
    public func startsWithByte(at position: Int, where test: (UInt8) -> Bool) -> Bool {
        let packed = ends[position]
        let end = Int(packed & Self.offsetMask)
        let start = position == 0 ? 0 : Int(ends[position - 1] & Self.offsetMask)
        switch packed >> Self.kindShift {
        case Self.textKind:
            return start < end && test(bytes[start])
        case Self.tagsKind:
            var found = false
            forEachTagUTF8(at: position) { tag in
                if !found, let first = tag.first, test(first) { found = true }
            }
            return found
        default:
            return false
        }
    }

    /// Calls `body` with the UTF-8 bytes of the text at `position` without making a `String`
    /// (for binding it to a statement); nil (and `body` not called) when the value is not text.
    public func withTextUTF8<R>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        let packed = ends[position]
        guard packed >> Self.kindShift == Self.textKind else { return nil }
        let end = Int(packed & Self.offsetMask)
        let start = position == 0 ? 0 : Int(ends[position - 1] & Self.offsetMask)
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Calls `body` with the UTF-8 bytes of each tag of the tags at `position`, in order,
    /// without making a `String`; nothing when the value is not tags.
    public func forEachTagUTF8(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let packed = ends[position]
        guard packed >> Self.kindShift == Self.tagsKind else { return }
        let end = Int(packed & Self.offsetMask)
        let start = position == 0 ? 0 : Int(ends[position - 1] & Self.offsetMask)
        try bytes.withUnsafeBufferPointer { buffer in
            var offset = start
            while offset < end {
                var length = 0
                var shift = 0
                while true {
                    let byte = buffer[offset]
                    offset += 1
                    length |= Int(byte & 0x7F) << shift
                    shift += 7
                    if byte & 0x80 == 0 { break }
                }
                try body(UnsafeBufferPointer(rebasing: buffer[offset..<offset + length]))
                offset += length
            }
        }
    }

    /// Calls `body` with the stored bytes of the tags at `position` (equal bytes ⇔ equal
    /// tags); empty bytes when the value is not tags.
    public func withTagsEncoding<R>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let packed = ends[position]
        let end = Int(packed & Self.offsetMask)
        let start = packed >> Self.kindShift == Self.tagsKind ? (position == 0 ? 0 : Int(ends[position - 1] & Self.offsetMask)) : end
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Whether the value at `position` is `.empty`, without making it.
    public func isEmpty(at position: Int) -> Bool {
        ends[position] >> Self.kindShift == 0
    }

    /// The UTF-8 bytes of the values (without their offsets): what `reserveCapacity(bytes:)`
    /// needs to hold a copy.
    public var valueByteCount: Int { bytes.count }

    /// Bytes held (values and offsets), for memory figures.
    public var byteCount: Int { bytes.count + ends.count * MemoryLayout<UInt32>.stride }
}
