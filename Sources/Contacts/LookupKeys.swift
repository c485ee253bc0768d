/// The integer keys the workspace indexes phones and e-mails by. An 8-byte key makes an index
/// entry about half the size of the text's, so an import's adds change half the index pages
/// (`contact-import-bench import`). They are stored, so both functions are fixed forever: a
/// change needs a schema migration that recomputes every row.
public enum LookupKeys {
    /// A canonical E.164 phone ("+" and up to 18 digits, the first not 0) is its digits as an
    /// integer: positive, and two phones have the same key exactly when they are the same.
    /// Any other text gets a negative hash, which must be checked against the text itself.
    public static func phone(_ utf8: UnsafeBufferPointer<UInt8>) -> Int64 {
        if let digits = canonicalDigits(utf8) { return digits }
        return Int64(bitPattern: hash(utf8) | (1 << 63))
    }

    /// An e-mail's key: a 64-bit hash of its bytes. Different addresses may share one, so a
    /// lookup also compares the address.
    public static func email(_ utf8: UnsafeBufferPointer<UInt8>) -> Int64 {
        Int64(bitPattern: hash(utf8))
    }

    public static func phone(_ text: String) -> Int64 {
        var text = text
        return text.withUTF8 { phone($0) }
    }

    public static func email(_ text: String) -> Int64 {
        var text = text
        return text.withUTF8 { email($0) }
    }

    /// The positions of `keys` in their index's order (ascending), equal keys in the order
    /// given: a least-significant-digit radix sort, 16 bits a pass (a comparison sort of a
    /// large import's 133,364 adds was 0.014 s of its writer in a profile). Passes whose digit
    /// is the same in every key are skipped.
    public static func indexOrder(_ keys: [Int64]) -> [Int32] {
        // The sign bit flipped: signed order as unsigned order.
        let unsigned = keys.map { UInt64(bitPattern: $0) ^ (1 << 63) }
        var order = (0..<Int32(keys.count)).map { $0 }
        var scratch = [Int32](repeating: 0, count: keys.count)
        var counts = [Int](repeating: 0, count: 1 << 16)
        for shift in stride(from: UInt64(0), to: 64, by: 16) {
            for index in counts.indices { counts[index] = 0 }
            for key in unsigned { counts[Int(truncatingIfNeeded: (key >> shift) & 0xFFFF)] += 1 }
            if counts.contains(keys.count) { continue }
            var start = 0
            for index in counts.indices {
                let count = counts[index]
                counts[index] = start
                start += count
            }
            for position in order {
                let digit = Int(truncatingIfNeeded: (unsigned[Int(position)] >> shift) & 0xFFFF)
                scratch[counts[digit]] = position
                counts[digit] += 1
            }
            swap(&order, &scratch)
        }
        return order
    }

    /// Whether `phone(_:)` of this key identifies its text exactly (no comparison needed).
    public static func isExactPhoneKey(_ key: Int64) -> Bool { key > 0 }

    private static func canonicalDigits(_ utf8: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard utf8.count >= 2, utf8.count <= 19, utf8[0] == UInt8(ascii: "+"), utf8[1] != UInt8(ascii: "0") else { return nil }
        var value: Int64 = 0
        for byte in utf8[1...] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// FNV-1a, 64 bits, then a final mix so that addresses differing in their last bytes spread
    /// over the whole range.
    private static func hash(_ utf8: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}
