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
/// - Invisible characters (zero-width spaces and joiners, soft hyphens, bidi marks, BOM) are
///   removed wherever they are; full-width `＠` and letters, and the ideographic full stops
///   `。` `．` `｡`, become their ASCII forms.
/// - Internationalised domains are stored as U-labels (Unicode, NFC, lower-case): a punycode
///   label (`xn--espaa-rta`) is decoded, so `info@xn--espaa-rta.es` and `info@españa.es` are one
///   address. A domain with emoji or other symbols is refused (IDNA 2008 disallows them).
/// - Undeliverable: special-use TLDs (RFC 6761/2606: `.local`, `.localhost`, `.test`, `.invalid`,
///   `.example`), addresses over 254 characters, local parts over 64, labels over 63, a domain
///   without a dot; one-letter TLDs (none exists in the root zone).
/// - The whole address is lower-cased, the local part too: RFC 5321 lets servers treat it as
///   case-sensitive, but none of the providers our users have does, and matching must not miss.
public enum EmailAddresses {
    /// Canonicalizes one e-mail address to its trimmed, lower-case form.
    public static func canonicalize(_ raw: String) -> Result<String, ValueProblem> {
        var text = cleaned(raw)
        let outcome = text.withUTF8(read).flatMap(toULabels)
        return outcome.mapError { problem($0, raw.trimmingWhitespace()) }
    }

    /// `canonicalize` of an ASCII cell's trimmed UTF-8 bytes, without building a String; nil
    /// when the address is not valid or has a punycode label (the caller then takes the String
    /// path, which words the problem or decodes the label).
    static func canonicalize(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String? {
        // A byte search: `String.contains(String)` goes through Foundation (NSString), which a
        // profile found costing more than reading the address.
        guard case .success(let address) = read(bytes), !containsPunycodePrefix(address) else { return nil }
        return address
    }

    static func containsPunycodePrefix(_ address: String) -> Bool {
        var address = address
        return address.withUTF8 { bytes in
            guard bytes.count >= 4 else { return false }
            for i in 0...(bytes.count - 4) where bytes[i] == UInt8(ascii: "x") && bytes[i + 1] == UInt8(ascii: "n")
                && bytes[i + 2] == UInt8(ascii: "-") && bytes[i + 3] == UInt8(ascii: "-") {
                return true
            }
            return false
        }
    }

    /// Without invisible characters, with full-width forms and ideographic dots as ASCII.
    static func cleaned(_ raw: String) -> String {
        guard raw.utf8.contains(where: { $0 >= 0x80 }) else { return raw }
        var scalars = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars {
            switch scalar.value {
            case 0x00AD, 0x180E, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF:
                continue
            case 0x3002, 0xFF0E, 0xFF61:
                scalars.append(".")
            case 0xFF01...0xFF5E:
                scalars.append(Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar)
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// The address with each punycode label of its domain decoded; a domain with emoji or other
    /// symbols (not allowed by IDNA 2008) is invalid.
    static func toULabels(_ address: String) -> Result<String, Failure> {
        guard let at = address.lastIndex(of: "@") else { return .success(address) }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        var labels: [String] = []
        for label in domain.split(separator: ".", omittingEmptySubsequences: false) {
            if label.hasPrefix("xn--") {
                guard let decoded = Punycode.decode(label.dropFirst(4)), !decoded.isEmpty else { return .failure(.invalidDomain) }
                labels.append(decoded.composed().lowercased())
            } else {
                labels.append(String(label))
            }
        }
        let result = labels.joined(separator: ".")
        for scalar in result.unicodeScalars where scalar.value >= 0x80 {
            let properties = scalar.properties
            if properties.isEmojiPresentation || properties.generalCategory == .otherSymbol
                || properties.generalCategory == .mathSymbol || properties.generalCategory == .currencySymbol
                || !(properties.isAlphabetic || properties.generalCategory == .decimalNumber
                     || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark) {
                return .failure(.invalidDomain)
            }
        }
        return .success(local + "@" + result)
    }

    /// Whether a cell holds one valid e-mail address (used to recognise column contents).
    public static func looksLikeEmail(_ raw: String) -> Bool {
        guard raw.utf8.contains(UInt8(ascii: "@")) else { return false }
        if case .success = canonicalize(raw) { return true }
        return false
    }

    enum Failure: Error {
        case missingAt, multiple, extraAt, spaces, noTld, doubleDot, localDot, invalidLocal, invalidDomain
        case specialUse, tooLong
    }

    /// Top-level names reserved for tests, documentation and local networks (RFC 2606, 6761, 6762).
    private static let specialUseTLDs: Set<String> = ["local", "localhost", "test", "invalid", "example"]
    /// Their lengths in bytes: only ASCII letters lower-case into these names (the Kelvin sign,
    /// the one other letter lower-casing to ASCII, gives a `k` none has), so a TLD of another
    /// length is none of them, and a `.com` or `.es` is told without making a String.
    private static let specialUseTLDLengths: [Int] = Array(Set(specialUseTLDs.map(\.utf8.count)))

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
        if let failure = checkDomain(domain) { return failure }
        if bytes.count > 254 { return .tooLong }
        if let dot = domain.lastIndex(of: UInt8(ascii: ".")), specialUseTLDLengths.contains(domain.endIndex - dot - 1) {
            let tld = String(decoding: domain[(dot + 1)...], as: UTF8.self).lowercased()
            if specialUseTLDs.contains(tld) { return .specialUse }
        }
        return nil
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
        case .specialUse: return .emailSpecialUseDomain(value)
        case .tooLong: return .emailTooLong(value)
        }
    }
}

/// Punycode (RFC 3492) decoding of an IDNA A-label's part after "xn--", written from the RFC's
/// description of the algorithm.
enum Punycode {
    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
    private static let initialBias = 72, initialN = 128

    static func decode<S: StringProtocol>(_ input: S) -> String? {
        let bytes = Array(input.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        var output: [UInt32] = []
        var position = 0
        if let delimiter = bytes.lastIndex(of: UInt8(ascii: "-")) {
            output = bytes[..<delimiter].map(UInt32.init)
            position = delimiter + 1
        }
        var n = initialN
        var i = 0
        var bias = initialBias
        while position < bytes.count {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard position < bytes.count, let digit = digitValue(bytes[position]) else { return nil }
                position += 1
                let (product, overflow) = digit.multipliedReportingOverflow(by: w)
                guard !overflow, i <= Int(Int32.max) - product else { return nil }
                i += product
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if digit < t { break }
                let (next, wOverflow) = w.multipliedReportingOverflow(by: base - t)
                guard !wOverflow, next <= Int(Int32.max) else { return nil }
                w = next
                k += base
            }
            let count = output.count + 1
            bias = adapt(i - oldI, count, oldI == 0)
            n += i / count
            i %= count
            guard n <= 0x10FFFF, !(0xD800...0xDFFF).contains(n) else { return nil }
            output.insert(UInt32(n), at: i)
            i += 1
        }
        var scalars = String.UnicodeScalarView()
        for value in output {
            guard let scalar = Unicode.Scalar(value) else { return nil }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0")) + 26
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(byte - UInt8(ascii: "a"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(byte - UInt8(ascii: "A"))
        default: return nil
        }
    }

    private static func adapt(_ delta: Int, _ count: Int, _ first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / count
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }
}
