#if canImport(Glibc)
import Glibc
#endif

extension UnsafeBufferPointer where Element == UInt8 {
    /// The same bytes: one `memcmp`, not the element-by-element walk of `elementsEqual`
    /// (which a commit's per-row comparisons spent most of their time in).
    public func sameBytes(as other: UnsafeBufferPointer<UInt8>) -> Bool {
        count == other.count && (isEmpty || memcmp(baseAddress!, other.baseAddress!, count) == 0)
    }
}

extension String {
    /// Every occurrence of `target` replaced, compared by UTF-8 bytes (scalar by scalar, like
    /// Foundation's literal search). The standard library's `replacing(_:with:)` compares
    /// Characters instead, so a quote followed by a combining mark would not be found: wrong for
    /// escaping SQL and log lines, which is what this is for. UTF-8 is self-synchronizing, so a
    /// match always starts and ends on scalar boundaries.
    public func replacingEvery(_ target: String, with replacement: String) -> String {
        var source = self
        var pattern = target
        return source.withUTF8 { text in
            pattern.withUTF8 { needle in
                guard !needle.isEmpty, text.count >= needle.count else { return self }
                var out: [UInt8] = []
                var start = 0
                var index = 0
                let first = needle[0]
                let last = text.count - needle.count
                while index <= last {
                    if text[index] == first && (needle.count == 1 || memcmpEqual(text, index, needle)) {
                        if out.isEmpty { out.reserveCapacity(text.count + replacement.utf8.count) }
                        out.append(contentsOf: text[start..<index])
                        out.append(contentsOf: replacement.utf8)
                        index += needle.count
                        start = index
                    } else {
                        index += 1
                    }
                }
                if start == 0 { return self }
                out.append(contentsOf: text[start...])
                return String(decoding: out, as: UTF8.self)
            }
        }
    }
}

private func memcmpEqual(_ text: UnsafeBufferPointer<UInt8>, _ at: Int, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
    for offset in 1..<needle.count where text[at + offset] != needle[offset] { return false }
    return true
}

extension Double {
    /// The number with exactly `decimals` digits after the point, rounded half away from zero
    /// ("%.3f" without Foundation's `String(format:)`): for logs and figures, not for locales.
    public func fixed(_ decimals: Int) -> String {
        guard isFinite else { return description }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(self) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return description }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        let fraction = units % Int64(scale)
        let sign = self < 0 && units != 0 ? "-" : ""
        guard decimals > 0 else { return "\(sign)\(whole)" }
        let digits = String(fraction)
        return "\(sign)\(whole)." + String(repeating: "0", count: decimals - digits.count) + digits
    }
}

extension String {
    /// Without white space and line breaks at either end (`trimmingCharacters(in:
    /// .whitespacesAndNewlines)`, which FoundationEssentials lacks).
    public func whitespaceTrimmed() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return self }
        return String(scalars[first...last])
    }
}
