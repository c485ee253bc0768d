/// Many `FieldValue`s held compactly: every value's UTF-8 bytes in one buffer and one end offset
/// per value (its kind in the top two bits), instead of one `String` (and for tags one array)
/// per value. A review of 200,000 rows × 8 columns holds 1.6 million values: as an array of enums
/// with their strings that is about 55 MB, here it is the bytes plus 2 bytes a value (4 while a
/// run is being filled, see `Run`).
/// Reading a value back makes its `FieldValue` (a `String` for text), equal to the one appended.
/// Immutable once built and shared by copy-on-write; a `RandomAccessCollection` of `FieldValue`,
/// so `table[i]`, `count` and iteration read like the array it replaces.
///
/// Tables read in parallel are joined (`append(contentsOf:)`) by keeping each one's buffers as a
/// run of the whole, not by copying them into one: a review's values were held twice at the end
/// of its merge, the largest block of its peak memory.
public struct FieldValueTable: RandomAccessCollection, Sendable, Hashable {
    /// The runs before `last`, joined from other tables, and the position each one ends at.
    private var earlier: [Run] = []
    private var earlierEnds: [Int] = []
    /// The run new values are appended to (for a table never joined, all of it).
    private var last = Run()

    public init() {}

    public init(_ values: some Sequence<FieldValue>) {
        for value in values { last.append(value) }
    }

    private var earlierCount: Int { earlierEnds.last ?? 0 }

    /// Calls `body` with the run holding `position` and the position within it. The run is
    /// passed borrowed: a copy of it would retain its two buffers on every access.
    @inline(__always)
    private func inRun<R>(_ position: Int, _ body: (borrowing Run, Int) throws -> R) rethrows -> R {
        let (run, local) = locate(position)
        return try run < 0 ? body(last, local) : body(earlier[run], local)
    }

    /// Which run holds `position` (-1 for `last`), and the position within it.
    @inline(__always)
    private func locate(_ position: Int) -> (run: Int, local: Int) {
        let before = earlierCount
        if position >= before { return (-1, position - before) }
        var low = 0
        var high = earlierEnds.count - 1
        while low < high {
            let mid = (low + high) / 2
            if earlierEnds[mid] > position { high = mid } else { low = mid + 1 }
        }
        return (low, position - (low == 0 ? 0 : earlierEnds[low - 1]))
    }

    public mutating func reserveCapacity(values: Int, bytes byteCount: Int) {
        last.reserveCapacity(values: values, bytes: byteCount)
    }

    /// Gives back capacity reserved beyond what the values took (a read chunk reserves its
    /// cells' bytes, more than their canonical values need).
    public mutating func trimCapacity() {
        last.trimCapacity()
    }

    public mutating func append(_ value: FieldValue) { last.append(value) }

    /// Appends `other`'s values, sharing its buffers (no copy).
    public mutating func append(contentsOf other: FieldValueTable) {
        guard !other.isEmpty else { return }
        guard !isEmpty else {
            self = other
            return
        }
        var base = earlierCount
        if !last.isEmpty {
            base += last.count
            earlier.append(last)
            earlierEnds.append(base)
        }
        for (offset, run) in other.earlier.enumerated() {
            earlier.append(run)
            earlierEnds.append(base + other.earlierEnds[offset])
        }
        last = other.last
    }

    /// Appends a copy of `other[position]` from its bytes, without making its `FieldValue` (the
    /// review's memo of repeated cells hands out its values this way).
    public mutating func append(_ position: Int, of other: FieldValueTable) {
        other.inRun(position) { run, local in last.append(local, of: run) }
    }

    public mutating func append(repeating value: FieldValue, count: Int) {
        for _ in 0..<count { last.append(value) }
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { earlierCount + last.count }

    public subscript(position: Int) -> FieldValue {
        inRun(position) { run, local in run[local] }
    }

    /// Whether the value at `position` is text starting with a byte `test` accepts, or tags one
    /// of which does, without making the value.
    public func startsWithByte(at position: Int, where test: (UInt8) -> Bool) -> Bool {
        inRun(position) { run, local in run.startsWithByte(at: local, where: test) }
    }

    /// Calls `body` with the UTF-8 bytes of the text at `position` without making a `String`
    /// (for binding it to a statement); nil (and `body` not called) when the value is not text.
    public func withTextUTF8<R>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try inRun(position) { run, local in try run.withTextUTF8(at: local, body) }
    }

    /// Calls `body` with the values `position..<position + count` (a row of a row-major table),
    /// borrowed from the table's buffers: one look-up of their run for the whole row, and bytes a
    /// caller may hand on without copying them while `body` runs.
    public func withCells<R>(at position: Int, count: Int, _ body: (RowCells) throws -> R) rethrows -> R {
        let (run, local) = locate(position)
        let (lastRun, _) = locate(position + Swift.max(count - 1, 0))
        guard run == lastRun else {
            // Values joined from two tables (never a row of a review's table): a copy of them, in one run.
            return try FieldValueTable(self[position..<position + count]).withCells(at: 0, count: count, body)
        }
        return try run < 0 ? last.withCells(from: local, body) : earlier[run].withCells(from: local, body)
    }

    /// Calls `body` with the UTF-8 bytes of each tag of the tags at `position`, in order,
    /// without making a `String`; nothing when the value is not tags.
    public func forEachTagUTF8(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try inRun(position) { run, local in try run.forEachTagUTF8(at: local, body) }
    }

    /// Whether the value at `position` is `.empty`, without making it.
    public func isEmpty(at position: Int) -> Bool {
        inRun(position) { run, local in run.isEmpty(at: local) }
    }

    /// The UTF-8 bytes of the values (without their offsets).
    public var valueByteCount: Int { earlier.reduce(last.valueByteCount) { $0 + $1.valueByteCount } }

    /// Bytes held (values and offsets), for memory figures.
    public var byteCount: Int { valueByteCount + earlier.reduce(last.endsByteCount) { $0 + $1.endsByteCount } }

    // MARK: Equality: of the values, however the table is split into runs

    public static func == (lhs: FieldValueTable, rhs: FieldValueTable) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for position in 0..<lhs.count {
            let same = lhs.kindAndBytes(at: position) { a in
                rhs.kindAndBytes(at: position) { b in a.kind == b.kind && a.bytes.elementsEqual(b.bytes) }
            }
            if !same { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for position in 0..<count {
            kindAndBytes(at: position) { value in
                hasher.combine(value.kind)
                hasher.combine(bytes: UnsafeRawBufferPointer(value.bytes))
            }
        }
    }

    private func kindAndBytes<R>(at position: Int, _ body: ((kind: UInt32, bytes: UnsafeBufferPointer<UInt8>)) -> R) -> R {
        inRun(position) { run, local in run.kindAndBytes(at: local, body) }
    }
}

/// Consecutive values of a `FieldValueTable` (a row), borrowed from its buffers: valid only
/// inside the `withCells` call that gave it.
public struct RowCells {
    fileprivate let bytes: UnsafeBufferPointer<UInt8>
    fileprivate let ends: UnsafeBufferPointer<UInt32>
    fileprivate let shortEnds: UnsafeBufferPointer<UInt16>
    fileprivate let blockStarts: UnsafeBufferPointer<UInt32>
    /// The run's position of the first value.
    fileprivate let first: Int

    /// The UTF-8 bytes of value `offset` (from the first) when it is text, else nil.
    @inline(__always)
    public func text(_ offset: Int) -> UnsafeBufferPointer<UInt8>? { Run.text(of: first + offset, in: self) }

    /// The stored bytes of value `offset` when it is tags (equal bytes ⇔ equal tags), else none.
    @inline(__always)
    public func tagsEncoding(_ offset: Int) -> UnsafeBufferPointer<UInt8> { Run.tagsEncoding(of: first + offset, in: self) }
}

/// One buffer of values and their packed ends (see `FieldValueTable`).
private struct Run: Sendable {
    private var bytes: [UInt8] = []
    /// Per value: the end of its bytes in `bytes` (its start is the previous value's end), and
    /// in the top two bits its kind (0 empty, 1 text, 2 tags).
    private var ends: [UInt32] = []
    /// A finished run (`trimCapacity`) keeps its ends in half the memory: per value, its end
    /// relative to the start of its block of 256 values (14 bits) and its kind (2 bits), plus
    /// each block's start; `ends` is then empty. A run with a block of 16 KB or more keeps `ends`.
    private var shortEnds: [UInt16] = []
    private var blockStarts: [UInt32] = []
    private static let blockShift = 8
    private static let shortOffsetMask: UInt16 = (1 << 14) - 1

    private static let kindShift: UInt32 = 30
    private static let offsetMask: UInt32 = (1 << 30) - 1
    private static let textKind: UInt32 = 1
    private static let tagsKind: UInt32 = 2

    var count: Int { shortEnds.isEmpty ? ends.count : shortEnds.count }
    var isEmpty: Bool { ends.isEmpty && shortEnds.isEmpty }
    /// Bytes of the ends (for `byteCount`).
    var endsByteCount: Int { ends.count * 4 + shortEnds.count * 2 + blockStarts.count * 4 }
    var valueByteCount: Int { bytes.count }

    mutating func reserveCapacity(values: Int, bytes byteCount: Int) {
        expand()
        ends.reserveCapacity(values)
        bytes.reserveCapacity(byteCount)
    }

    mutating func trimCapacity() {
        if bytes.capacity > bytes.count + bytes.count / 8 { bytes = Self.exactCopy(bytes) }
        if !compact(), ends.capacity > ends.count + ends.count / 8 { ends = Self.exactCopy(ends) }
    }

    /// Moves `ends` into `shortEnds`/`blockStarts`; false (nothing changed) when a block's values
    /// take 16 KB or more, or the run is already compact or empty.
    private mutating func compact() -> Bool {
        guard !ends.isEmpty else { return false }
        let blockSize = 1 << Self.blockShift
        let offsetMask = Self.offsetMask
        var blockStart = 0
        for (position, packed) in ends.enumerated() {
            if position & (blockSize - 1) == 0 { blockStart = position == 0 ? 0 : Int(ends[position - 1] & offsetMask) }
            if Int(packed & offsetMask) - blockStart > Int(Self.shortOffsetMask) { return false }
        }
        var starts: [UInt32] = []
        starts.reserveCapacity((ends.count + blockSize - 1) / blockSize)
        let short = [UInt16](unsafeUninitializedCapacity: ends.count) { target, initialized in
            var base: UInt32 = 0
            for (position, packed) in ends.enumerated() {
                if position & (blockSize - 1) == 0 {
                    base = position == 0 ? 0 : ends[position - 1] & offsetMask
                    starts.append(base)
                }
                target[position] = UInt16((packed & offsetMask) - base) | UInt16(packed >> Self.kindShift) << 14
            }
            initialized = ends.count
        }
        shortEnds = short
        blockStarts = starts
        ends = []
        return true
    }

    /// Back to `ends`, before a finished run takes more values (rare: joined tables are read).
    private mutating func expand() {
        guard !shortEnds.isEmpty else { return }
        var wide: [UInt32] = []
        wide.reserveCapacity(shortEnds.count)
        for position in 0..<shortEnds.count {
            let (_, end, kind) = span(position)
            wide.append(UInt32(end) | kind << Self.kindShift)
        }
        ends = wide
        shortEnds = []
        blockStarts = []
    }

    /// A copy allocated for its count (`Array(array[...])` may hand back the same buffer).
    private static func exactCopy<T: BitwiseCopyable>(_ array: [T]) -> [T] {
        array.withUnsafeBufferPointer { source in
            [T](unsafeUninitializedCapacity: source.count) { target, initialized in
                if let from = source.baseAddress, let to = target.baseAddress { to.initialize(from: from, count: source.count) }
                initialized = source.count
            }
        }
    }

    mutating func append(_ value: FieldValue) {
        expand()
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

    mutating func append(_ position: Int, of other: Run) {
        expand()
        let (start, end, kind) = other.span(position)
        if start < end { other.bytes.withUnsafeBufferPointer { bytes.append(contentsOf: $0[start..<end]) } }
        ends.append(Self.packed(bytes.count, kind: kind))
    }

    private static func packed(_ end: Int, kind: UInt32) -> UInt32 {
        // 1 GiB of values: far past the 20 MB a file may have (the reader refuses larger ones).
        precondition(end <= Int(offsetMask), "FieldValueTable holds at most 1 GiB")
        return UInt32(end) | kind << kindShift
    }

    @inline(__always)
    private func span(_ position: Int) -> (start: Int, end: Int, kind: UInt32) {
        Self.span(position, ends: ends, shortEnds: shortEnds, blockStarts: blockStarts)
    }

    /// Where value `position` lies in `bytes` and its kind, from either form of the ends (arrays,
    /// or the buffers a `RowCells` borrows).
    @inline(__always)
    fileprivate static func span<Ends: RandomAccessCollection, ShortEnds: RandomAccessCollection, Starts: RandomAccessCollection>(
        _ position: Int, ends: Ends, shortEnds: ShortEnds, blockStarts: Starts
    ) -> (start: Int, end: Int, kind: UInt32)
    where Ends.Element == UInt32, Ends.Index == Int, ShortEnds.Element == UInt16, ShortEnds.Index == Int,
          Starts.Element == UInt32, Starts.Index == Int {
        if !shortEnds.isEmpty {
            let base = Int(blockStarts[position >> blockShift])
            let packed = shortEnds[position]
            let start = position & ((1 << blockShift) - 1) == 0 ? base : base + Int(shortEnds[position - 1] & shortOffsetMask)
            return (start, base + Int(packed & shortOffsetMask), UInt32(packed >> 14))
        }
        let packed = ends[position]
        let start = position == 0 ? 0 : Int(ends[position - 1] & offsetMask)
        return (start, Int(packed & offsetMask), packed >> kindShift)
    }

    /// Calls `body` with the values `local..<local + count` of this run, borrowed.
    func withCells<R>(from local: Int, _ body: (RowCells) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { bytes in
            try ends.withUnsafeBufferPointer { ends in
                try shortEnds.withUnsafeBufferPointer { shortEnds in
                    try blockStarts.withUnsafeBufferPointer { blockStarts in
                        try body(RowCells(bytes: bytes, ends: ends, shortEnds: shortEnds, blockStarts: blockStarts, first: local))
                    }
                }
            }
        }
    }

    fileprivate static func tagsEncoding(of position: Int, in cells: RowCells) -> UnsafeBufferPointer<UInt8> {
        let (start, end, kind) = span(position, ends: cells.ends, shortEnds: cells.shortEnds, blockStarts: cells.blockStarts)
        return UnsafeBufferPointer(rebasing: cells.bytes[(kind == tagsKind ? start : end)..<end])
    }

    fileprivate static func text(of position: Int, in cells: RowCells) -> UnsafeBufferPointer<UInt8>? {
        let (start, end, kind) = span(position, ends: cells.ends, shortEnds: cells.shortEnds, blockStarts: cells.blockStarts)
        guard kind == textKind else { return nil }
        return UnsafeBufferPointer(rebasing: cells.bytes[start..<end])
    }

    subscript(position: Int) -> FieldValue {
        let (start, end, kind) = span(position)
        switch kind {
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

    func startsWithByte(at position: Int, where test: (UInt8) -> Bool) -> Bool {
        let (start, end, kind) = span(position)
        switch kind {
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

    func withTextUTF8<R>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        let (start, end, kind) = span(position)
        guard kind == Self.textKind else { return nil }
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    func forEachTagUTF8(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let (start, end, kind) = span(position)
        guard kind == Self.tagsKind else { return }
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

    func isEmpty(at position: Int) -> Bool {
        shortEnds.isEmpty ? ends[position] >> Self.kindShift == 0 : shortEnds[position] >> 14 == 0
    }

    /// The value's kind and bytes, for equality and hashing.
    func kindAndBytes<R>(at position: Int, _ body: ((kind: UInt32, bytes: UnsafeBufferPointer<UInt8>)) throws -> R) rethrows -> R {
        let (start, end, kind) = span(position)
        return try bytes.withUnsafeBufferPointer { try body((kind, UnsafeBufferPointer(rebasing: $0[start..<end]))) }
    }
}
