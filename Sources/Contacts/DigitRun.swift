/// A run of ASCII digits held inline (no heap allocation), for the phone reader's hot path.
struct DigitRun: Sendable {
    static let capacity = 32
    private var storage = SIMD32<UInt8>(repeating: 0)
    private var start = 0
    private(set) var end = 0

    init() {}

    var count: Int { end - start }
    var isEmpty: Bool { end == start }
    var isFull: Bool { end == Self.capacity }

    subscript(offset: Int) -> UInt8 { storage[start + offset] }

    mutating func append(_ digit: UInt8) {
        storage[end] = digit
        end += 1
    }

    /// Whether the run starts with `pattern`, where `#` matches any digit.
    func hasPrefix(_ pattern: [UInt8]) -> Bool {
        guard pattern.count <= count else { return false }
        for (offset, expected) in pattern.enumerated() where expected != UInt8(ascii: "#") {
            if storage[start + offset] != expected { return false }
        }
        return true
    }

    func dropFirst(_ n: Int) -> DigitRun {
        var copy = self
        copy.start = Swift.min(start + n, end)
        return copy
    }

    /// The run with `digits` inserted at `offset`, or nil when it would not fit.
    func inserting(_ digits: [UInt8], at offset: Int) -> DigitRun? {
        guard count + digits.count <= Self.capacity, offset <= count else { return nil }
        var result = DigitRun()
        for i in 0..<offset { result.append(self[i]) }
        for d in digits { result.append(d) }
        for i in offset..<count { result.append(self[i]) }
        return result
    }

    /// The run without `length` digits at `offset`.
    func removing(at offset: Int, length: Int) -> DigitRun {
        var result = DigitRun()
        for i in 0..<count where i < offset || i >= offset + length { result.append(self[i]) }
        return result
    }

    /// Writes the digits at `buffer[at...]` and returns the index after the last one.
    func write(into buffer: UnsafeMutableBufferPointer<UInt8>, at index: Int) -> Int {
        var i = index
        for offset in 0..<count {
            buffer[i] = storage[start + offset]
            i += 1
        }
        return i
    }
}
