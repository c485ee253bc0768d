/// E-mail addresses in their canonical form: trimmed and lower-cased (compared and stored so).
///
/// Decisions:
/// - Accepted as users expect: plus-addressing (ana+crm@x.com), sub-domains, internationalised
///   domains written in Unicode (ñ, ü...) or punycode (xn--), and non-ASCII local parts (RFC 6531).
/// - A `mailto:` prefix and the display-name form `Ana Pérez <ana@x.com>` (what Outlook and Gmail
///   exports write) are reduced to the address; trailing `;`/`,` left by address lists are dropped.
/// - Rejected: no `@`, two addresses in one cell, a stray second `@` in one address, spaces inside,
///   an empty local part or one with a
///   leading/trailing dot or characters outside RFC 5322's unquoted set, two dots in a row, a domain
///   without a top-level domain (`ana@localhost`), a numeric or too short TLD, IP literals, labels
///   starting or ending with `-`. Quoted local parts ("a b"@x.com) are rejected: no CRM user has one.
/// - The whole address is lower-cased, the local part too: RFC 5321 lets servers treat it as
///   case-sensitive, but none of the providers our users have does, and matching must not miss.
public enum EmailAddresses {
    /// Canonicalizes one e-mail address to its trimmed, lower-case form.
    public static func canonicalize(_ raw: String) -> Result<String, ValueProblem> {
        let outcome = raw.utf8.withContiguousStorageIfAvailable(read)
            ?? Array(raw.utf8).withUnsafeBufferPointer(read)
        return outcome.mapError { problem($0, raw.trimmingWhitespace()) }
    }

    /// `canonicalize` of an ASCII cell's trimmed UTF-8 bytes, without building a String; nil
    /// when the address is not valid (the caller then takes the String path, which words the problem).
    static func canonicalize(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard case .success(let address) = read(bytes) else { return nil }
        return address
    }

    /// Whether a cell holds one valid e-mail address (used to recognise column contents).
    public static func looksLikeEmail(_ raw: String) -> Bool {
        guard raw.utf8.contains(UInt8(ascii: "@")) else { return false }
        if case .success = canonicalize(raw) { return true }
        return false
    }

    enum Failure: Error {
        case missingAt, multiple, extraAt, spaces, noTld, doubleDot, localDot, invalidLocal, invalidDomain
    }

    private static let mailtoPrefix = Array("mailto:".utf8)

    private static func read(_ all: UnsafeBufferPointer<UInt8>) -> Result<String, Failure> {
        let address = UnsafeBufferPointer(rebasing: all[addressRange(all)])
        if let failure = check(address) { return .failure(failure) }
        return .success(lowercased(address))
    }

    /// The address inside the cell: trimmed, without `mailto:`, a `Name <...>` wrapping or a
    /// trailing list separator.
    private static func addressRange(_ b: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var lower = 0
        var upper = b.count
        func trim() {
            while lower < upper, b[lower] == 0x20 || b[lower] == 0x09 || b[lower] == 0x0A || b[lower] == 0x0D { lower += 1 }
            while lower + 1 < upper, b[lower] == 0xC2, b[lower + 1] == 0xA0 { lower += 2 }
            while upper > lower, b[upper - 1] == 0x20 || b[upper - 1] == 0x09 || b[upper - 1] == 0x0A || b[upper - 1] == 0x0D
                || b[upper - 1] == UInt8(ascii: ";") || b[upper - 1] == UInt8(ascii: ",") { upper -= 1 }
            while upper - 2 >= lower, b[upper - 1] == 0xA0, b[upper - 2] == 0xC2 { upper -= 2 }
        }
        trim()
        if upper - lower > mailtoPrefix.count,
           mailtoPrefix.indices.allSatisfy({ b[lower + $0] | 0x20 == mailtoPrefix[$0] }) {
            lower += mailtoPrefix.count
        }
        if upper - lower > 2, b[upper - 1] == UInt8(ascii: ">") {
            var open = upper - 2
            while open > lower, b[open] != UInt8(ascii: "<") { open -= 1 }
            if b[open] == UInt8(ascii: "<"), !(lower..<open).contains(where: { b[$0] == UInt8(ascii: "@") }) {
                lower = open + 1
                upper -= 1
                trim()
            }
        }
        return lower..<upper
    }

    /// Bytes allowed unquoted before the @ (RFC 5322 atext and dots; UTF-8 for RFC 6531), by value.
    private static let localPartBytes: [Bool] = (0...255).map { byte in
        byte >= 0x80 || isAlphanumeric(UInt8(byte)) || "!#$%&'*+/=?^_`{|}~-.".utf8.contains(UInt8(byte))
    }

    static func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Failure? {
        var at: Int?
        var lastAt = 0
        var atCount = 0
        var spaces = false
        for i in bytes.indices {
            switch bytes[i] {
            case UInt8(ascii: "@"):
                atCount += 1
                lastAt = i
                if at == nil { at = i }
            case 0x20, 0x09:
                spaces = true
            case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0xA0:
                spaces = true
            default:
                break
            }
        }
        if atCount > 1, let first = at {
            // Two addresses need something between them ("a@x.com, b@y.com", "a@x.com b@y.com");
            // "pedro@@example" or "ana@x@y.com" is one address with a stray @.
            let separated = bytes[first..<lastAt].contains {
                $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") || $0 == 0x20 || $0 == 0x09 || $0 == 0xA0
            }
            return separated ? .multiple : .extraAt
        }
        if let separator = bytes.firstIndex(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") }),
           separator + 1 < bytes.count, bytes[separator + 1] == UInt8(ascii: " ") {
            // "ana@x.com, luis" is two values even without a second @; "ana@x,com" is a typo.
            return .multiple
        }
        if spaces { return .spaces }
        guard let at else { return .missingAt }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        if local.isEmpty || local.count > 64 { return .invalidLocal }
        if local.first == UInt8(ascii: ".") || local.last == UInt8(ascii: ".") { return .localDot }
        if hasDoubleDot(local) || hasDoubleDot(domain) { return .doubleDot }
        for b in local where !localPartBytes[Int(b)] { return .invalidLocal }
        return checkDomain(domain)
    }

    /// Checks a host name as found after the @ (also used for URLs).
    static func checkDomain(_ domain: Slice<UnsafeBufferPointer<UInt8>>) -> Failure? {
        if domain.isEmpty || domain.count > 253 { return .invalidDomain }
        if domain.first == UInt8(ascii: ".") || domain.last == UInt8(ascii: ".") { return .invalidDomain }
        var labels = 0
        var labelStart = domain.startIndex
        for i in domain.startIndex...domain.endIndex {
            guard i == domain.endIndex || domain[i] == UInt8(ascii: ".") else {
                let b = domain[i]
                if !(b >= 0x80 || isAlphanumeric(b) || b == UInt8(ascii: "-")) { return .invalidDomain }
                continue
            }
            let label = domain[labelStart..<i]
            if label.isEmpty { return .doubleDot }
            if label.count > 63 || label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") { return .invalidDomain }
            labels += 1
            if i == domain.endIndex {
                // The top-level domain: letters (or Unicode), or punycode "xn--...".
                let punycode = label.count > 4 && label.prefix(4).elementsEqual(punycodePrefix) { $0 | 0x20 == $1 }
                if labels < 2 { return .noTld }
                if !punycode && (label.count < 2 || label.contains(where: { $0 < 0x80 && !isLetter($0) })) { return .noTld }
            }
            labelStart = i + 1
        }
        return nil
    }

    private static let punycodePrefix = Array("xn--".utf8)

    private static func hasDoubleDot(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var previousDot = false
        for b in bytes {
            let dot = b == UInt8(ascii: ".")
            if dot && previousDot { return true }
            previousDot = dot
        }
        return false
    }

    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z") }
    @inline(__always) static func isAlphanumeric(_ b: UInt8) -> Bool { isLetter(b) || (b >= 0x30 && b <= 0x39) }

    static func lowercased(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self).composed().lowercased() }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (i, b) in bytes.enumerated() { buffer[i] = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }
            return bytes.count
        }
    }

    private static func problem(_ failure: Failure, _ value: String) -> ValueProblem {
        switch failure {
        case .missingAt: return .emailMissingAt(value)
        case .multiple: return .emailMultiple(value)
        case .extraAt: return .emailExtraAt(value)
        case .spaces: return .emailSpaces(value)
        case .noTld: return .emailNoTld(value)
        case .doubleDot: return .emailDoubleDot(value)
        case .localDot: return .emailLocalPartDot(value)
        case .invalidLocal: return .emailInvalidLocalPart(value)
        case .invalidDomain: return .emailInvalidDomain(value)
        }
    }
}
