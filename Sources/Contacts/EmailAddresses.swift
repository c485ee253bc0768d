/// E-mail addresses in their canonical form: trimmed and lower-cased (compared and stored so).
///
/// Decisions:
/// - Accepted as users expect: plus-addressing (ana+crm@x.com), sub-domains, internationalised
///   domains written in Unicode (ñ, ü...) or punycode (xn--), and non-ASCII local parts (RFC 6531).
/// - A `mailto:` prefix and the display-name form `Ana Pérez <ana@x.com>` (what Outlook and Gmail
///   exports write) are reduced to the address; trailing `;`/`,` left by address lists are dropped.
/// - Rejected: no `@`, two addresses in one cell, spaces inside, an empty local part or one with a
///   leading/trailing dot or characters outside RFC 5322's unquoted set, two dots in a row, a domain
///   without a top-level domain (`ana@localhost`), a numeric or too short TLD, IP literals, labels
///   starting or ending with `-`. Quoted local parts ("a b"@x.com) are rejected: no CRM user has one.
/// - The whole address is lower-cased, the local part too: RFC 5321 lets servers treat it as
///   case-sensitive, but none of the providers our users have does, and matching must not miss.
public enum EmailAddresses {
    /// Canonicalizes one e-mail address to its trimmed, lower-case form.
    public static func canonicalize(_ raw: String) -> Result<String, ValueProblem> {
        let value = raw.trimmingWhitespace()
        var bytes = Array(value.utf8)
        strip(&bytes)
        switch check(bytes) {
        case .some(let failure):
            return .failure(problem(failure, value))
        case .none:
            return .success(lowercased(bytes))
        }
    }

    /// Whether a cell holds one valid e-mail address (used to recognise column contents).
    public static func looksLikeEmail(_ raw: String) -> Bool {
        guard raw.utf8.contains(UInt8(ascii: "@")) else { return false }
        if case .success = canonicalize(raw) { return true }
        return false
    }

    enum Failure {
        case missingAt, multiple, spaces, noTld, doubleDot, localDot, invalidLocal, invalidDomain
    }

    /// Reduces `mailto:x`, `Name <x>` and a trailing list separator to the address itself.
    private static func strip(_ bytes: inout [UInt8]) {
        let mailto = Array("mailto:".utf8)
        if bytes.count > mailto.count, zip(bytes, mailto).allSatisfy({ $0 | 0x20 == $1 }) {
            bytes.removeFirst(mailto.count)
        }
        while let last = bytes.last, last == UInt8(ascii: ";") || last == UInt8(ascii: ",") || last == UInt8(ascii: " ") {
            bytes.removeLast()
        }
        if bytes.last == UInt8(ascii: ">"), let open = bytes.lastIndex(of: UInt8(ascii: "<")),
           bytes[..<open].filter({ $0 == UInt8(ascii: "@") }).isEmpty {
            bytes = Array(bytes[(open + 1)..<(bytes.count - 1)])
            while bytes.first == UInt8(ascii: " ") { bytes.removeFirst() }
            while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        }
    }

    private static let localSymbols = Set("!#$%&'*+/=?^_`{|}~-.".utf8)

    static func check(_ bytes: [UInt8]) -> Failure? {
        var at: Int?
        var atCount = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "@") {
            atCount += 1
            if at == nil { at = i }
        }
        if atCount > 1 { return .multiple }
        if let separator = bytes.firstIndex(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") }),
           separator + 1 < bytes.count, bytes[separator + 1] == UInt8(ascii: " ") {
            // "ana@x.com, luis" is two values even without a second @; "ana@x,com" is a typo.
            return .multiple
        }
        if bytes.contains(where: { $0 == 0x20 || $0 == 0x09 }) { return .spaces }
        if bytes.count >= 2 && bytes.indices.dropLast().contains(where: { bytes[$0] == 0xC2 && bytes[$0 + 1] == 0xA0 }) {
            return .spaces
        }
        guard let at else { return .missingAt }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        if local.isEmpty || local.count > 64 { return .invalidLocal }
        if local.first == UInt8(ascii: ".") || local.last == UInt8(ascii: ".") { return .localDot }
        if hasDoubleDot(local) || hasDoubleDot(domain) { return .doubleDot }
        for b in local where !(b >= 0x80 || isAlphanumeric(b) || localSymbols.contains(b)) { return .invalidLocal }
        return checkDomain(domain)
    }

    /// Checks a host name as found after the @ (also used for URLs).
    static func checkDomain(_ domain: ArraySlice<UInt8>) -> Failure? {
        if domain.isEmpty || domain.count > 253 { return .invalidDomain }
        if domain.first == UInt8(ascii: ".") || domain.last == UInt8(ascii: ".") { return .invalidDomain }
        for b in domain where !(b >= 0x80 || isAlphanumeric(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")) {
            return .invalidDomain
        }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if labels.count < 2 { return .noTld }
        for label in labels {
            if label.isEmpty { return .doubleDot }
            if label.count > 63 || label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") { return .invalidDomain }
        }
        if let tld = labels.last {
            let punycode = tld.count > 4 && tld.prefix(4).map({ $0 | 0x20 }) == Array("xn--".utf8)
            if !punycode {
                if tld.count < 2 { return .noTld }
                if tld.contains(where: { $0 < 0x80 && !isLetter($0) }) { return .noTld }
            }
        }
        return nil
    }

    private static func hasDoubleDot(_ bytes: ArraySlice<UInt8>) -> Bool {
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

    static func lowercased(_ bytes: [UInt8]) -> String {
        if bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self).lowercased() }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (i, b) in bytes.enumerated() { buffer[i] = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }
            return bytes.count
        }
    }

    private static func problem(_ failure: Failure, _ value: String) -> ValueProblem {
        switch failure {
        case .missingAt: return .emailMissingAt(value)
        case .multiple: return .emailMultiple(value)
        case .spaces: return .emailSpaces(value)
        case .noTld: return .emailNoTld(value)
        case .doubleDot: return .emailDoubleDot(value)
        case .localDot: return .emailLocalPartDot(value)
        case .invalidLocal: return .emailInvalidLocalPart(value)
        case .invalidDomain: return .emailInvalidDomain(value)
        }
    }
}
