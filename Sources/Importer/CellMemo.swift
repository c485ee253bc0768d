import FoundationEssentials
import ThreadSupport
import Contacts

/// The canonical values of one column's cells already read in a chunk, keyed by the cell's
/// bytes, for fields whose value depends on the cell alone (names, languages, countries,
/// tags...). Files repeat these a lot (2,400 first names in 200,000 rows): a repeat costs a hash
/// of its bytes and a copy of the stored value's bytes, where reading it again cost a `String`,
/// its trimming, folding and a `Dictionary` lookup hashing it by Unicode rules (a profile found
/// that half of the review's reading).
///
/// A key is the cell's raw bytes when it is unquoted UTF-8, else its decoded text's bytes. Both
/// read the same way: raw bytes are decoded exactly as `CSVTable.cell` decodes them, and a
/// decoded text is valid UTF-8, so it never equals the raw bytes of an invalid cell whose
/// repaired text could differ.
struct CellMemo {
    /// Entries held at most, the longest key kept and the key bytes held at most: a column of
    /// free text does not repeat, and must not cost more than a megabyte or so.
    static let entryLimit = 16_384
    static let maxKeyBytes = 96
    static let keyByteLimit = 256 * 1_024

    /// Open addressing, linear probing: per slot the key's hash in the high 32 bits and its entry
    /// index + 1 in the low ones (0 empty), so a probe that meets another key rarely reads
    /// further (profiles found the lookups waiting on memory); a power of two, kept at most half
    /// full.
    private var slots = [UInt64](repeating: 0, count: 256)
    private var hashes: [UInt64] = []
    private var keyEnds: [Int32] = []
    private var keys: [UInt8] = []
    /// Per entry: its value (`.empty` for a problem) and its problem.
    private(set) var values = FieldValueTable()
    private var problems: [ValueProblem?] = []
    /// Whether each entry has a problem: read per cell, where `problems` (88 bytes an entry) was
    /// a cache miss in profiles.
    private var hasProblem: [Bool] = []

    /// The entry of `key`, computing and remembering it with `compute` (given the key's text) when
    /// it is new; nil when it could not be remembered (too long, or the memo is full): the caller
    /// then reads the cell itself.
    mutating func entry(for key: UnsafeBufferPointer<UInt8>,
                        compute: (String) -> Result<FieldValue, ValueProblem>) -> Int? {
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        let tag = hash & 0xFFFF_FFFF_0000_0000
        while slots[slot] != 0 {
            let packed = slots[slot]
            if packed & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(packed & 0xFFFF_FFFF) - 1
                if keyMatches(index, key) { return index }
            }
            slot = (slot + 1) & mask
        }
        guard key.count <= Self.maxKeyBytes, hashes.count < Self.entryLimit, keys.count < Self.keyByteLimit else { return nil }
        let index = hashes.count
        hashes.append(hash)
        keys.append(contentsOf: key)
        keyEnds.append(Int32(keys.count))
        switch compute(String(decoding: key, as: UTF8.self)) {
        case .success(let value):
            values.append(value)
            problems.append(nil)
            hasProblem.append(false)
        case .failure(let problem):
            values.append(.empty)
            problems.append(problem)
            hasProblem.append(true)
        }
        slots[slot] = tag | UInt64(index + 1)
        if hashes.count * 2 > slots.count { grow() }
        return index
    }

    func problem(_ index: Int) -> ValueProblem? { hasProblem[index] ? problems[index] : nil }

    /// Appends entry `index`'s value to `table` from its bytes and returns nil, or returns its
    /// problem and appends nothing. Mutating so that a call on an element of an array of memos
    /// works in place: a non-mutating one copied the memo, a retain of each of its buffers, per
    /// cell (a fifth of a review's reading in a profile).
    mutating func appendValue(_ index: Int, to table: inout FieldValueTable) -> ValueProblem? {
        if hasProblem[index] { return problems[index] }
        table.append(index, of: values)
        return nil
    }

    private func keyMatches(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = index == 0 ? 0 : Int(keyEnds[index - 1])
        let end = Int(keyEnds[index])
        guard end - start == key.count else { return false }
        return keys.withUnsafeBufferPointer { stored in
            var offset = 0
            while offset < key.count {
                if stored[start + offset] != key[offset] { return false }
                offset += 1
            }
            return true
        }
    }

    private mutating func grow() {
        var larger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = larger.count - 1
        for index in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[index]) & mask
            while larger[slot] != 0 { slot = (slot + 1) & mask }
            larger[slot] = hashes[index] & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
        }
        slots = larger
    }

    /// FNV-1a, then mixed so the low bits (the slot) depend on every byte.
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        hash ^= hash >> 29
        hash = hash &* 0xbf58_476d_1ce4_e5b9
        return hash ^ (hash >> 32)
    }
}

/// Memos handed from one chunk to the next one a worker reads: a chunk's repeats are mostly the
/// whole file's, so each worker meets a value once instead of once per chunk.
final class CellMemoPool: @unchecked Sendable {
    private let lock = ThreadLock()
    private var free: [[CellMemo]] = []
    private let columns: Int

    init(columns: Int) { self.columns = columns }

    func take() -> [CellMemo] {
        lock.withLock { free.popLast() } ?? [CellMemo](repeating: CellMemo(), count: columns)
    }

    func give(_ memos: [CellMemo]) {
        lock.withLock { free.append(memos) }
    }
}
