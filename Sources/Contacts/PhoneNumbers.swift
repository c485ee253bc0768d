/// Phone numbers in their canonical form, E.164 ("+5215512345678" becomes "+525512345678").
///
/// Reading rules (each one a product decision, see also `NumberingPlans.swift`):
/// - Formatting is dropped: spaces (also no-break and thin spaces), dashes (also Unicode dashes),
///   dots, parentheses, slashes, double quotes, a leading apostrophe left by Excel, a leading
///   `="..."` Excel text formula, a `tel:` prefix or a label ("Tel.", "Móvil:", "WhatsApp"), and a
///   ".0" fraction after 7+ digits (the number went through a float column; no digit is lost).
/// - `+` (also inside parentheses, "(+52)") and `00` always introduce a calling code. Other
///   international prefixes (011 in the NANP, 0011 in Australia, Brazil's 00 + carrier...) are
///   read as such only when that country is the default one.
/// - Without `+`/`00`, a number is national and needs a default country. Its trunk prefix and
///   historical prefixes are dropped; if it does not fit as a national number but starts with the
///   default country's calling code and fits after it, it is read as international without the
///   `+` (WhatsApp exports write "5215512345678").
/// - Extensions ("ext. 12", "x12", "#12", "anexo 12", "ramal 12", "int. 12") are dropped: E.164
///   has no room for them and the main number is what reaches the contact's company.
/// - Two numbers in one cell (separated by `,`, `;` or `|`) are rejected, as is anything with
///   letters (vanity numbers such as 1-800-FLOWERS included).
/// - Scientific notation (`6.01E+10`, `6,01E+10`) is rejected: the digits are already lost.
/// - The national significant number must fit its country's possible lengths.
public enum PhoneNumbers {
    /// Canonicalizes one phone number to E.164.
    /// - Parameter defaultCountry: ISO 3166-1 alpha-2 code (or a country name) used to read
    ///   numbers written without a calling code.
    public static func canonicalize(_ raw: String, defaultCountry: String?) -> Result<String, ValueProblem> {
        let defaultPlan = defaultCountry.map(PhoneTables.planIndex(forCountry:))
        let text = foldedDigits(raw)
        var outcome = read(text, defaultPlan: defaultPlan)
        if case .failure(.invalidCharacters) = outcome, let keypad = vanityDigits(text),
           case .number(let plan, _) = read(keypad, defaultPlan: defaultPlan), PhoneTables.plans[plan].callingCode == 1 {
            outcome = read(keypad, defaultPlan: defaultPlan)
        }
        switch outcome {
        case .number(let plan, let nsn):
            return .success(format(PhoneTables.plans[plan], nsn))
        case .failure(let failure):
            return .failure(problem(failure, raw: raw, defaultCountry: defaultCountry))
        }
    }

    private static func read(_ text: String, defaultPlan: Int??) -> ReadOutcome {
        var text = text
        return text.withUTF8 { read($0, defaultPlan: defaultPlan) }
    }

    /// The text with every Unicode decimal digit (full-width "５", Arabic-Indic "٥", Devanagari...)
    /// as its ASCII digit, and full-width forms ("＋", "（", "－", the ideographic space) as their
    /// ASCII counterparts; ASCII text is returned as is.
    static func foldedDigits(_ raw: String) -> String {
        guard raw.utf8.contains(where: { $0 >= 0x80 }) else { return raw }
        var scalars = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars {
            if scalar.value < 0x80 {
                scalars.append(scalar)
            } else if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
                      value >= 0, value <= 9, let digit = Unicode.Scalar(0x30 + UInt32(value)) {
                scalars.append(digit)
            } else if (0xFF01...0xFF5E).contains(scalar.value), let ascii = Unicode.Scalar(scalar.value - 0xFEE0) {
                scalars.append(ascii)
            } else if scalar.value == 0x3000 {
                scalars.append(" ")
            } else if scalar.value == 0x2212 || scalar.value == 0xFE63 {
                scalars.append("-")
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// A US-style vanity number ("1-800-FLOWERS", "+1 (800) GOT-JUNK") with its letters turned
    /// into the digits of a phone keypad, or nil when the text is not shaped like one: it starts
    /// with a digit or `+`, has at least 3 digits before the first letter, and 3 to 7 letters.
    /// The caller accepts the result only as a number of the NANP (+1), where vanity numbers live.
    static func vanityDigits(_ text: String) -> String? {
        let keypad: [UInt8] = Array("22233344455566677778889999".utf8)
        var out: [UInt8] = []
        var digitsBefore = 0
        var letters = 0
        for (offset, byte) in text.utf8.enumerated() {
            let upper = byte & ~0x20
            if upper >= UInt8(ascii: "A") && upper <= UInt8(ascii: "Z") {
                if digitsBefore < 3 { return nil }
                letters += 1
                out.append(keypad[Int(upper - UInt8(ascii: "A"))])
            } else {
                if offset == 0, byte != UInt8(ascii: "+"), !isDigit(byte), byte != UInt8(ascii: "(") { return nil }
                if isDigit(byte), letters == 0 { digitsBefore += 1 }
                out.append(byte)
            }
        }
        guard (3...7).contains(letters) else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// `canonicalize` of an ASCII cell's trimmed UTF-8 bytes, without building a String: the
    /// E.164 number, or nil when the bytes do not read as a number (the caller then takes the
    /// String path, which words the problem).
    static func canonicalize(utf8 bytes: UnsafeBufferPointer<UInt8>, defaultCountry: String?) -> String? {
        let defaultPlan = defaultCountry.map(PhoneTables.planIndex(forCountry:))
        guard case .number(let plan, let nsn) = read(bytes, defaultPlan: defaultPlan) else { return nil }
        return format(PhoneTables.plans[plan], nsn)
    }

    /// A cheap test for "this cell looks like a phone number", used to recognise column contents:
    /// 7 to 18 digits (room for an international prefix), only digits, spaces, `-().,/'[]` and a
    /// leading `+`, and not shaped like a date or a decimal amount. Excel's scientific notation of
    /// a long number (exponent 6 or more) counts as a damaged phone, so that the column is mapped
    /// and its rows reported. Labels and extensions, which `canonicalize` reads, make it false:
    /// a column is recognised by its typical cells.
    public static func looksLikePhone(_ raw: String) -> Bool {
        var digits = 0
        var separators = 0
        var slashes = 0
        var dots = 0
        var lastGroup = 0
        var sawE = false
        var sawPlus = false
        var leadingSpace = true
        for byte in raw.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                lastGroup += 1
                leadingSpace = false
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "'"),
                 UInt8(ascii: "["), UInt8(ascii: "]"):
                if !leadingSpace { separators += 1 }
                if lastGroup > 0 { lastGroup = 0 }
            case UInt8(ascii: "."):
                dots += 1
                lastGroup = 0
            case UInt8(ascii: "/"):
                slashes += 1
                lastGroup = 0
            case UInt8(ascii: "+"):
                if sawPlus || (digits > 0 && !sawE) { return false }
                sawPlus = true
            case UInt8(ascii: "E"), UInt8(ascii: "e"):
                if sawE || digits == 0 { return false }
                sawE = true
            case UInt8(ascii: ","):
                if !sawE && digits > 0 { dots += 1; lastGroup = 0 } else { return false }
            default:
                return false
            }
        }
        if sawE { return (scientificExponent(raw) ?? 0) >= 6 }
        if digits < 7 || digits > 18 { return false }
        if slashes >= 2 { return false }  // 31/12/1990
        if dots == 1 && separators == 0 && lastGroup <= 2 && !sawPlus { return false }  // 1234567.89
        return true
    }

    // MARK: - Reading

    enum Failure: Sendable {
        case noDigits, invalidCharacters, multiple, scientific, unknownCallingCode
        case needsCountry, unknownDefaultCountry
        case tooShort(plan: Int), tooLong(plan: Int), invalidStart(plan: Int), fictional(plan: Int)
    }

    enum ReadOutcome {
        case number(plan: Int, nsn: DigitRun)
        case failure(Failure)
    }

    private enum Check {
        case valid(DigitRun)
        case tooShort, tooLong, invalidStart, fictional
    }

    private static func isScientific(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        var mantissa = 0
        while i < n, isDigit(bytes[i]) { i += 1; mantissa += 1 }
        if mantissa == 0 { return false }
        if i < n, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",") {
            i += 1
            while i < n, isDigit(bytes[i]) { i += 1 }
        }
        guard i < n, bytes[i] | 0x20 == UInt8(ascii: "e") else { return false }
        i += 1
        if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        var exponent = 0
        while i < n, isDigit(bytes[i]) { i += 1; exponent += 1 }
        return exponent > 0 && i == n
    }

    /// The exponent of a number in scientific notation ("6.01E+10" → 10), or nil.
    static func scientificExponent(_ raw: String) -> Int? {
        let trimmed = raw.trimmingWhitespace()
        guard Array(trimmed.utf8).withUnsafeBufferPointer(isScientific),
              let e = trimmed.lastIndex(where: { $0 == "e" || $0 == "E" }) else { return nil }
        return Int(trimmed[trimmed.index(after: e)...].drop(while: { $0 == "+" }))
    }

    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Markers that introduce an extension, lower-case.
    private static let extensionMarkers: [[UInt8]] = [
        "x", "ext", "extn", "extension", "extensión", "anexo", "ramal", "int", "interno", "interior",
    ].map { Array($0.utf8) }

    static func read(_ all: UnsafeBufferPointer<UInt8>, defaultPlan: Int??) -> ReadOutcome {
        var lower = 0
        var upper = all.count
        while lower < upper, isSpace(all, lower) { lower += spaceWidth(all, lower) }
        while upper > lower, isTrailingSpace(all, upper) { upper -= trailingSpaceWidth(all, upper) }
        // Excel's text marks: a leading apostrophe, a ="..." formula or a bare = before the number
        // (=+52..., '=+52..., '+52...).
        while lower < upper, all[lower] == UInt8(ascii: "'") || all[lower] == UInt8(ascii: "=") { lower += 1 }
        // A WhatsApp link ("https://wa.me/5215512345678", "api.whatsapp.com/send?phone=52..."): the
        // digits are always international, without the +.
        var linkIsInternational = false
        if let linkEnd = whatsAppLinkEnd(all, lower, upper) {
            lower = linkEnd
            linkIsInternational = true
            var k = lower
            while k < upper, all[k] != UInt8(ascii: "?"), all[k] != UInt8(ascii: "&"), all[k] != UInt8(ascii: "/") { k += 1 }
            upper = k
        }
        // A label before the number: "tel:+34...", "Tel. 612...", "Móvil: 612...", "WhatsApp 612...".
        if lower < upper, all[lower] | 0x20 >= UInt8(ascii: "a"), all[lower] | 0x20 <= UInt8(ascii: "z"),
           let labelEnd = wordEnd(all, from: lower, upTo: upper, matching: labelWords) {
            lower = labelEnd
            while lower < upper, all[lower] == UInt8(ascii: " ") || all[lower] == UInt8(ascii: "/") { lower += 1 }
        }
        // A number that went through a float column ("5215512345678.0", pandas' damage): the digits
        // are all there, only the fraction is extra.
        if let point = floatFractionStart(all, lower, upper) { upper = point }
        let bytes = UnsafeBufferPointer(rebasing: all[lower..<upper])

        var run = DigitRun()
        var plus = linkIsInternational
        var overflow = false
        var carrierPlaceholder = false
        var i = 0
        let n = bytes.count
        scan: while i < n {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if run.isFull { overflow = true } else { run.append(c) }
                i += 1
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"),
                 UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "/"), UInt8(ascii: "\""), UInt8(ascii: "\t"):
                i += 1
            case UInt8(ascii: "+"):
                // "++52..." is a doubled key press, not two numbers.
                if run.isEmpty { plus = true; i += 1 } else { return .failure(.invalidCharacters) }
            case _ where c | 0x20 == UInt8(ascii: "x") && run.count == 1 && run[0] == UInt8(ascii: "0") && !plus
                && i + 1 < n && bytes[i + 1] | 0x20 == UInt8(ascii: "x"):
                // Brazil's "0xx11 9...": the trunk 0 and a placeholder for the carrier's two digits.
                run.append(UInt8(ascii: "1"))
                run.append(UInt8(ascii: "2"))
                carrierPlaceholder = true
                i += 2
            case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "|"):
                if isScientific(bytes) { return .failure(.scientific) }
                if run.isEmpty { return .failure(.invalidCharacters) }
                var next = i + 1
                while next < n, bytes[next] == UInt8(ascii: " ") { next += 1 }
                // "55 1234 5678, ext. 12" is one number with an extension, not two numbers.
                if let wordEnd = extensionMarkerEnd(bytes, from: next), restIsExtension(bytes, from: wordEnd) { break scan }
                return .failure(.multiple)
            case 0xC2 where i + 1 < n && bytes[i + 1] == 0xA0:  // no-break space
                i += 2
            case 0xE2 where i + 2 < n && bytes[i + 1] == 0x80 && (bytes[i + 2] <= 0x95 || (0xAA...0xAF).contains(bytes[i + 2])):
                i += 3  // U+2000–2015 spaces, invisible marks and dashes; U+202A–202F bidi marks, narrow space
            case UInt8(ascii: "#"):
                if run.isEmpty { return .failure(.invalidCharacters) }
                guard restIsExtension(bytes, from: i + 1) else { return .failure(.invalidCharacters) }
                break scan
            default:
                if c | 0x20 == UInt8(ascii: "e"), isScientific(bytes) { return .failure(.scientific) }
                guard !run.isEmpty, let wordEnd = extensionMarkerEnd(bytes, from: i),
                      restIsExtension(bytes, from: wordEnd) else { return .failure(.invalidCharacters) }
                break scan
            }
        }
        if run.isEmpty { return .failure(.noDigits) }
        if overflow { return .failure(.tooLong(plan: defaultPlan.flatMap { $0 } ?? -1)) }

        let plan: Int? = defaultPlan.flatMap { $0 }
        if carrierPlaceholder {
            // Only Brazil writes 0xx before an area code.
            guard !plus, let plan, PhoneTables.plans[plan].callingCode == 55 else { return .failure(.invalidCharacters) }
        }
        if plus { return international(run.hasPrefix(PhoneTables.doubleZero) ? run.dropFirst(2) : run) }
        if run.hasPrefix(PhoneTables.doubleZero) || (plan.map { PhoneTables.plans[$0].internationalPrefixes.contains(where: run.hasPrefix) } ?? false) {
            // The default country's own international prefixes (Colombia's 005/007/009, 011 in the
            // NANP) and the nearly universal 00 may both read; a reading in the default country wins
            // (the row's country), then the country's own prefix, then 00.
            var readings: [ReadOutcome] = []
            if let plan {
                for idd in PhoneTables.plans[plan].internationalPrefixes where run.hasPrefix(idd) {
                    readings.append(international(run.dropFirst(idd.count)))
                }
            }
            if run.hasPrefix(PhoneTables.doubleZero) { readings.append(international(run.dropFirst(2))) }
            if let plan, let home = readings.first(where: { if case .number(plan, _) = $0 { return true } else { return false } }) {
                return home
            }
            if let any = readings.first(where: { if case .number = $0 { return true } else { return false } }) { return any }
            // Nothing reads: after 00 the generic reading words the problem; after another
            // country-specific prefix (011...) the digits may still be a national number.
            if run.hasPrefix(PhoneTables.doubleZero), let generic = readings.last { return generic }
        }
        guard let plan else {
            if case .some(.none) = defaultPlan { return .failure(.unknownDefaultCountry) }
            return .failure(.needsCountry)
        }
        let compiled = PhoneTables.plans[plan]
        // Where national numbers are written with a trunk 0, digits starting with the calling code
        // are an international number missing its + ("49 30 1234567" in Germany) before they are
        // a national number missing its 0; elsewhere the national reading comes first.
        var withoutPlus: Check?
        if run.hasPrefix(compiled.callingCodeDigits) {
            withoutPlus = resolve(run.dropFirst(compiled.callingCodeDigits.count), plan: compiled, national: false)
        }
        if compiled.trunkIsZero, case .valid(let nsn)? = withoutPlus { return .number(plan: plan, nsn: nsn) }
        let national = resolve(run, plan: compiled, national: true)
        if case .valid(let nsn) = national { return .number(plan: plan, nsn: nsn) }
        if case .valid(let nsn)? = withoutPlus { return .number(plan: plan, nsn: nsn) }
        // Not a number of the row's country: the calling code of another country written without
        // its + ("34612345678" in a Mexican file, as WhatsApp exports write every number). Only
        // when the digits are exactly a valid number there, and long enough to carry a calling
        // code and a whole national number (10+ digits).
        if case .fictional = national {} else if run.count >= 10, run[0] != UInt8(ascii: "0"),
            case .number(let other, let nsn) = international(run) {
            return .number(plan: other, nsn: nsn)
        }
        return .failure(failure(national, plan: plan))
    }

    /// The index after a WhatsApp link's prefix at `lower` ("https://wa.me/", "wa.me/",
    /// "api.whatsapp.com/send?phone="...), compared ignoring ASCII case; nil if there is none.
    private static func whatsAppLinkEnd(_ b: UnsafeBufferPointer<UInt8>, _ lower: Int, _ upper: Int) -> Int? {
        var i = lower
        for scheme in schemePrefixes where hasPrefixIgnoringCase(b, i, upper, scheme) { i += scheme.count; break }
        for host in whatsAppHosts where hasPrefixIgnoringCase(b, i, upper, host) { return i + host.count }
        return nil
    }

    private static let schemePrefixes: [[UInt8]] = ["https://", "http://", "whatsapp://"].map { Array($0.utf8) }
    private static let whatsAppHosts: [[UInt8]] = [
        "wa.me/", "www.wa.me/", "api.whatsapp.com/send?phone=", "web.whatsapp.com/send?phone=", "send?phone=",
        "api.whatsapp.com/send/?phone=", "whatsapp.com/send?phone=",
    ].map { Array($0.utf8) }

    private static func hasPrefixIgnoringCase(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ upper: Int, _ word: [UInt8]) -> Bool {
        guard upper - i >= word.count else { return false }
        for k in 0..<word.count {
            let byte = b[i + k]
            let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            if folded != word[k] { return false }
        }
        return true
    }

    private static func failure(_ check: Check, plan: Int) -> Failure {
        switch check {
        case .tooShort: return .tooShort(plan: plan)
        case .tooLong: return .tooLong(plan: plan)
        case .fictional: return .fictional(plan: plan)
        case .invalidStart, .valid: return .invalidStart(plan: plan)
        }
    }

    private static func international(_ run: DigitRun) -> ReadOutcome {
        var code = 0
        for length in 1...3 where length <= run.count {
            code = code * 10 + Int(run[length - 1] - UInt8(ascii: "0"))
            let index = PhoneTables.planByCallingCode[code]
            if index >= 0 {
                let plan = PhoneTables.plans[Int(index)]
                let check = resolve(run.dropFirst(length), plan: plan, national: false)
                if case .valid(let nsn) = check { return .number(plan: Int(index), nsn: nsn) }
                return .failure(failure(check, plan: Int(index)))
            }
        }
        return .failure(.unknownCallingCode)
    }

    /// Tries the number as written and without each trunk prefix, with the plan's rewrites;
    /// national numbers prefer the trunk-less reading, international ones the reading as written.
    private static func resolve(_ nsn: DigitRun, plan: CompiledPlan, national: Bool) -> Check {
        if !national, case .valid(let valid) = check(rewrite(nsn, plan), plan) { return .valid(valid) }
        // The problem reported is that of a trunk-less reading, preferring one that fails only on
        // its length ("044 55 1234 567" is one digit short, whatever 04455... would be).
        var trunkless: Check?
        for trunk in plan.trunkPrefixes where nsn.hasPrefix(trunk) {
            let stripped = check(rewrite(nsn.dropFirst(trunk.count), plan), plan)
            if case .valid(let valid) = stripped { return .valid(valid) }
            switch (trunkless, stripped) {
            case (nil, _), (.invalidStart?, .tooShort), (.invalidStart?, .tooLong): trunkless = stripped
            default: break
            }
        }
        let asWritten = check(rewrite(nsn, plan), plan)
        if national, case .valid(let valid) = asWritten { return .valid(valid) }
        return national ? (trunkless ?? asWritten) : asWritten
    }

    private static func check(_ nsn: DigitRun, _ plan: CompiledPlan) -> Check {
        if nsn.count < plan.lengthBounds.lowerBound { return .tooShort }
        if nsn.count > plan.lengthBounds.upperBound { return .tooLong }
        // Where the trunk prefix is 0, no national significant number starts with 0 ("+49 030...").
        if plan.trunkIsZero && nsn[0] == UInt8(ascii: "0") { return .invalidStart }
        if !plan.ranges.isEmpty {
            // The range that starts like the number decides its length; with none, no such number.
            var shortest = Int.max
            var longest = 0
            for (pattern, lengths) in plan.ranges where matches(nsn, pattern) {
                if lengths.contains(nsn.count) { return fictionalCheck(nsn, plan) }
                shortest = min(shortest, lengths.lowerBound)
                longest = max(longest, lengths.upperBound)
            }
            if longest == 0 { return .invalidStart }
            return nsn.count < shortest ? .tooShort : .tooLong
        }
        if !plan.validStarts.isEmpty && !plan.validStarts.contains(where: nsn.hasPrefix) { return .invalidStart }
        return fictionalCheck(nsn, plan)
    }

    private static func fictionalCheck(_ nsn: DigitRun, _ plan: CompiledPlan) -> Check {
        for pattern in plan.fictional where matches(nsn, pattern) { return .fictional }
        return .valid(nsn)
    }

    /// Whether `nsn` starts like `pattern`: `#` any digit, `N` 2–9, `n` 1–9, else the digit itself.
    static func matches(_ nsn: DigitRun, _ pattern: [UInt8]) -> Bool {
        guard pattern.count <= nsn.count else { return false }
        for (offset, p) in pattern.enumerated() {
            let d = nsn[offset]
            switch p {
            case UInt8(ascii: "#"): continue
            case UInt8(ascii: "N"): if d < UInt8(ascii: "2") { return false }
            case UInt8(ascii: "n"): if d < UInt8(ascii: "1") { return false }
            default: if d != p { return false }
            }
        }
        return true
    }

    private static func rewrite(_ nsn: DigitRun, _ plan: CompiledPlan) -> DigitRun {
        var result = nsn
        for rule in plan.rewrites {
            switch rule {
            case .dropPrefix(let prefix, let length):
                if result.count == length && result.hasPrefix(prefix) { result = result.dropFirst(prefix.count) }
            case .addPrefix(let prefix, let length, let firstDigits):
                if result.count == length && firstDigits.contains(result[0]), let added = result.inserting(prefix, at: 0) {
                    result = added
                }
            case .insert(let digits, let offset, let length, let nextDigits):
                if result.count == length && offset < length && nextDigits.contains(result[offset]),
                   let inserted = result.inserting(digits, at: offset) {
                    result = inserted
                }
            case .removeMobileToken(let token, let areas, let length, let prefix):
                guard result.count == length else { continue }
                for area in areas where result.hasPrefix(area) && result.dropFirst(area.count).hasPrefix(token) {
                    let removed = result.removing(at: area.count, length: token.count)
                    result = removed.inserting(prefix, at: 0) ?? removed
                    break
                }
            }
        }
        return result
    }

    private static func format(_ plan: CompiledPlan, _ nsn: DigitRun) -> String {
        let length = 1 + plan.callingCodeDigits.count + nsn.count
        return String(unsafeUninitializedCapacity: length) { buffer in
            buffer[0] = UInt8(ascii: "+")
            var i = 1
            for d in plan.callingCodeDigits { buffer[i] = d; i += 1 }
            return nsn.write(into: buffer, at: i)
        }
    }

    // MARK: Byte helpers

    private static func isSpace(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let c = b[i]
        if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { return true }
        if c == 0xC2, i + 1 < b.count, b[i + 1] == 0xA0 { return true }
        return false
    }

    private static func spaceWidth(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int { b[i] == 0xC2 ? 2 : 1 }

    private static func isTrailingSpace(_ b: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        let c = b[end - 1]
        if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { return true }
        return c == 0xA0 && end >= 2 && b[end - 2] == 0xC2
    }

    private static func trailingSpaceWidth(_ b: UnsafeBufferPointer<UInt8>, _ end: Int) -> Int { b[end - 1] == 0xA0 ? 2 : 1 }

    /// Labels written before a number, lower-case.
    private static let labelWords: [[UInt8]] = [
        "tel", "tel\u{E9}fono", "telefono", "telefone", "phone", "cel", "celular", "m\u{F3}vil", "movil", "mobile",
        "whatsapp", "wa", "fijo", "casa", "home", "work", "trabajo",
    ].map { Array($0.utf8) }

    /// The index after an extension marker word (and its `.`/`:`) starting at `i`, if it is one.
    private static func extensionMarkerEnd(_ b: UnsafeBufferPointer<UInt8>, from i: Int) -> Int? {
        wordEnd(b, from: i, upTo: b.count, matching: extensionMarkers)
    }

    /// The index after a word of `words` (compared ignoring ASCII case) and its `.`/`:` at `i`.
    private static func wordEnd(_ b: UnsafeBufferPointer<UInt8>, from i: Int, upTo limit: Int, matching words: [[UInt8]]) -> Int? {
        var end = i
        while end < limit, b[end] >= 0x80 || (b[end] | 0x20 >= UInt8(ascii: "a") && b[end] | 0x20 <= UInt8(ascii: "z")) {
            end += 1
        }
        let length = end - i
        guard length > 0 else { return nil }
        let matches = words.contains { word in
            guard word.count == length else { return false }
            for k in 0..<length {
                let byte = b[i + k] < 0x80 ? b[i + k] | 0x20 : b[i + k]
                if byte != word[k] { return false }
            }
            return true
        }
        guard matches else { return nil }
        while end < limit, b[end] == UInt8(ascii: ".") || b[end] == UInt8(ascii: ":") || b[end] == UInt8(ascii: "=") { end += 1 }
        return end
    }

    /// Where ".0" starts in "+?digits.0+" filling the whole text (7+ digits); nil otherwise.
    private static func floatFractionStart(_ b: UnsafeBufferPointer<UInt8>, _ lower: Int, _ upper: Int) -> Int? {
        var i = upper
        while i > lower, b[i - 1] == UInt8(ascii: "0") { i -= 1 }
        guard i < upper, i > lower + 1, b[i - 1] == UInt8(ascii: ".") else { return nil }
        let point = i - 1
        var start = lower
        if b[start] == UInt8(ascii: "+") { start += 1 }
        guard point - start >= 7 else { return nil }
        for k in start..<point where !isDigit(b[k]) { return nil }
        return point
    }

    /// An extension: at least one digit, then nothing but digits and spaces or dashes.
    private static func restIsExtension(_ b: UnsafeBufferPointer<UInt8>, from i: Int) -> Bool {
        var digits = 0
        for k in i..<b.count {
            let c = b[k]
            if isDigit(c) { digits += 1 } else if c != UInt8(ascii: " ") && c != UInt8(ascii: "-") && c != UInt8(ascii: ".") { return false }
        }
        return digits > 0
    }

    /// The digits of the extension written after a number ("ext. 12", "x12", "#12", "ramal 12",
    /// "anexo 12", "int. 12", RFC 3966's ";ext=12"), which `canonicalize` leaves out of the E.164
    /// form; nil when there is none.
    public static func extensionDigits(_ raw: String) -> String? {
        let text = Array(foldedDigits(raw).utf8)
        return text.withUnsafeBufferPointer { b -> String? in
            var sawDigit = false
            for i in 0..<b.count {
                let c = b[i]
                if isDigit(c) { sawDigit = true; continue }
                guard sawDigit else { continue }
                var rest: Int?
                if c == UInt8(ascii: "#") {
                    rest = i + 1
                } else if isASCIILetter(c), !isASCIILetter(b[i - 1]), let end = extensionMarkerEnd(b, from: i) {
                    rest = end
                }
                if let rest, restIsExtension(b, from: rest) {
                    return String(decoding: b[rest...].filter(isDigit), as: UTF8.self)
                }
            }
            return nil
        }
    }

    @inline(__always) private static func isASCIILetter(_ b: UInt8) -> Bool {
        b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")
    }

    // MARK: Problems

    private static func problem(_ failure: Failure, raw: String, defaultCountry: String?) -> ValueProblem {
        let value = raw.trimmingWhitespace()
        switch failure {
        case .noDigits: return .phoneNoDigits(value)
        case .invalidCharacters: return .phoneInvalidCharacters(value)
        case .multiple: return .phoneMultiple(value)
        case .scientific: return .scientificNotation(value)
        case .unknownCallingCode: return .phoneUnknownCountryCode(value)
        case .needsCountry: return .phoneNeedsCountry(value)
        case .unknownDefaultCountry: return .unknownDefaultCountry(value, country: defaultCountry ?? "")
        case .tooShort(let plan): return .phoneTooShort(value, country: PhoneTables.label(plan), digits: PhoneTables.lengths(plan))
        case .tooLong(let plan): return .phoneTooLong(value, country: PhoneTables.label(plan), digits: PhoneTables.lengths(plan))
        case .invalidStart(let plan): return .phoneInvalidForCountry(value, country: PhoneTables.label(plan))
        case .fictional(let plan): return .phoneFictional(value, country: PhoneTables.label(plan))
        }
    }
}

/// A numbering plan with its strings turned into bytes once.
final class CompiledPlan: Sendable {
    enum Rewrite: Sendable {
        case dropPrefix([UInt8], Int)
        case addPrefix([UInt8], Int, [UInt8])
        case insert([UInt8], Int, Int, [UInt8])
        case removeMobileToken([UInt8], [[UInt8]], Int, [UInt8])
    }

    let source: NumberingPlan
    let callingCode: Int
    let callingCodeDigits: [UInt8]
    let trunkPrefixes: [[UInt8]]
    let shortestTrunk: Int
    let trunkIsZero: Bool
    let nsnLengths: ClosedRange<Int>
    let internationalPrefixes: [[UInt8]]
    let validStarts: [[UInt8]]
    /// `NumberingPlan.ranges` as (pattern, lengths); empty when the plan has none.
    let ranges: [([UInt8], ClosedRange<Int>)]
    let fictional: [[UInt8]]
    /// The shortest and longest NSN of any range (or `nsnLengths`).
    let lengthBounds: ClosedRange<Int>
    let rewrites: [Rewrite]

    init(_ plan: NumberingPlan) {
        func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
        source = plan
        callingCode = plan.callingCode
        callingCodeDigits = bytes(String(plan.callingCode))
        trunkPrefixes = plan.trunkPrefixes.map(bytes).sorted { $0.count > $1.count }
        shortestTrunk = trunkPrefixes.map(\.count).min() ?? 0
        trunkIsZero = trunkPrefixes.contains { $0.first == UInt8(ascii: "0") }
        nsnLengths = plan.nsnLengths
        internationalPrefixes = plan.internationalPrefixes.map(bytes).sorted { $0.count > $1.count }
        validStarts = plan.validStarts.map(bytes)
        ranges = plan.ranges.map { (bytes($0.prefix), $0.lengths) }
        fictional = plan.fictional.map(bytes)
        let lows = plan.ranges.map(\.lengths.lowerBound) + [plan.nsnLengths.lowerBound]
        let highs = plan.ranges.map(\.lengths.upperBound) + [plan.nsnLengths.upperBound]
        lengthBounds = (lows.min() ?? plan.nsnLengths.lowerBound)...(highs.max() ?? plan.nsnLengths.upperBound)
        rewrites = plan.rewrites.map { rule in
            switch rule {
            case .dropPrefix(let p, let length): return .dropPrefix(bytes(p), length)
            case .addPrefix(let p, let length, let first): return .addPrefix(bytes(p), length, bytes(first))
            case .insert(let d, let offset, let length, let next): return .insert(bytes(d), offset, length, bytes(next))
            case .removeMobileToken(let token, let areas, let length, let prefix):
                return .removeMobileToken(bytes(token), areas.map(bytes), length, bytes(prefix))
            }
        }
    }
}

enum PhoneTables {
    static let plans: [CompiledPlan] = numberingPlans.map(CompiledPlan.init)
    static let doubleZero: [UInt8] = [0x30, 0x30]

    /// Plan index by calling code (0...999), -1 when unassigned.
    static let planByCallingCode: [Int16] = {
        var table = [Int16](repeating: -1, count: 1000)
        for (index, plan) in plans.enumerated() { table[plan.callingCode] = Int16(index) }
        return table
    }()

    /// Plan index by ISO 3166-1 alpha-2 code packed in 16 bits.
    static let planByRegion: [UInt16: Int] = {
        var table: [UInt16: Int] = [:]
        for (index, plan) in plans.enumerated() {
            for region in plan.source.regions {
                if let key = packedCode(region) { table[key] = index }
            }
        }
        return table
    }()

    static func packedCode(_ code: String) -> UInt16? {
        var key: UInt16 = 0
        var count = 0
        for byte in code.utf8 {
            count += 1
            guard count <= 2 else { return nil }
            let upper = byte & ~0x20
            guard upper >= UInt8(ascii: "A") && upper <= UInt8(ascii: "Z") else { return nil }
            key = key << 8 | UInt16(upper)
        }
        return count == 2 ? key : nil
    }

    /// The plan of a default country given as a code (fast path) or a name; nil if unknown.
    static func planIndex(forCountry country: String) -> Int? {
        if let key = packedCode(country), let index = planByRegion[key] { return index }
        guard let code = Countries.code(for: country), let key = packedCode(code) else { return nil }
        return planByRegion[key]
    }

    /// The possible national lengths of a plan, for messages; nil when unknown.
    static func lengths(_ plan: Int) -> ClosedRange<Int>? {
        plan >= 0 && plan < plans.count ? plans[plan].nsnLengths : nil
    }

    /// "Mexico (+52)" in each language, for messages.
    static func label(_ plan: Int) -> CountryLabel {
        guard plan >= 0 && plan < plans.count else { return CountryLabel(en: "its country", es: "su país", pt: "seu país") }
        let source = plans[plan].source
        let suffix = " (+\(source.callingCode))"
        guard let region = source.regions.first, let names = Countries.names(of: region) else {
            return CountryLabel(en: "+\(source.callingCode)", es: "+\(source.callingCode)", pt: "+\(source.callingCode)")
        }
        return CountryLabel(en: names.en + suffix, es: names.es + suffix, pt: names.pt + suffix)
    }
}

/// A country's name in each language, for messages.
struct CountryLabel: Sendable {
    let en: String
    let es: String
    let pt: String
}
