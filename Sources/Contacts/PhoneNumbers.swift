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
        let outcome: ReadOutcome
        if let contiguous = raw.utf8.withContiguousStorageIfAvailable({ read($0, defaultPlan: defaultPlan) }) {
            outcome = contiguous
        } else {
            let bytes = Array(raw.utf8)
            outcome = bytes.withUnsafeBufferPointer { read($0, defaultPlan: defaultPlan) }
        }
        switch outcome {
        case .number(let plan, let nsn):
            return .success(format(PhoneTables.plans[plan], nsn))
        case .failure(let failure):
            return .failure(problem(failure, raw: raw, defaultCountry: defaultCountry))
        }
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
    /// 7 to 18 digits (room for an international prefix), only digits, spaces, `-().,/'` and a
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
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "'"):
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
        case tooShort(plan: Int), tooLong(plan: Int), invalidStart(plan: Int)
    }

    enum ReadOutcome {
        case number(plan: Int, nsn: DigitRun)
        case failure(Failure)
    }

    private enum Check {
        case valid(DigitRun)
        case tooShort, tooLong, invalidStart
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
        // Excel's text marks: a leading apostrophe, or a ="..." formula.
        if lower < upper, all[lower] == UInt8(ascii: "'") { lower += 1 }
        if upper - lower >= 2, all[lower] == UInt8(ascii: "="), all[lower + 1] == UInt8(ascii: "\"") { lower += 1 }
        // A label before the number: "tel:+34...", "Tel. 612...", "Móvil: 612...", "WhatsApp 612...".
        if lower < upper, all[lower] | 0x20 >= UInt8(ascii: "a"), all[lower] | 0x20 <= UInt8(ascii: "z"),
           let labelEnd = wordEnd(all, from: lower, upTo: upper, matching: labelWords) {
            lower = labelEnd
            while lower < upper, all[lower] == UInt8(ascii: " ") { lower += 1 }
        }
        // A number that went through a float column ("5215512345678.0", pandas' damage): the digits
        // are all there, only the fraction is extra.
        if let point = floatFractionStart(all, lower, upper) { upper = point }
        let bytes = UnsafeBufferPointer(rebasing: all[lower..<upper])

        var run = DigitRun()
        var plus = false
        var overflow = false
        var i = 0
        let n = bytes.count
        scan: while i < n {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if run.isFull { overflow = true } else { run.append(c) }
                i += 1
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"),
                 UInt8(ascii: "/"), UInt8(ascii: "\""), UInt8(ascii: "\t"):
                i += 1
            case UInt8(ascii: "+"):
                if run.isEmpty && !plus { plus = true; i += 1 } else { return .failure(.invalidCharacters) }
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

        if plus { return international(run.hasPrefix(PhoneTables.doubleZero) ? run.dropFirst(2) : run) }
        let plan: Int? = defaultPlan.flatMap { $0 }
        if run.hasPrefix(PhoneTables.doubleZero) {
            let generic = international(run.dropFirst(2))
            if case .number = generic { return generic }
            if let plan {
                for idd in PhoneTables.plans[plan].internationalPrefixes where run.hasPrefix(idd) {
                    let specific = international(run.dropFirst(idd.count))
                    if case .number = specific { return specific }
                }
            }
            return generic
        }
        guard let plan else {
            if case .some(.none) = defaultPlan { return .failure(.unknownDefaultCountry) }
            return .failure(.needsCountry)
        }
        let compiled = PhoneTables.plans[plan]
        for idd in compiled.internationalPrefixes where run.hasPrefix(idd) {
            let specific = international(run.dropFirst(idd.count))
            if case .number = specific { return specific }
        }
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
        return .failure(failure(national, plan: plan))
    }

    private static func failure(_ check: Check, plan: Int) -> Failure {
        switch check {
        case .tooShort: return .tooShort(plan: plan)
        case .tooLong: return .tooLong(plan: plan)
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
        var firstTrunkless: DigitRun?
        for trunk in plan.trunkPrefixes where nsn.hasPrefix(trunk) {
            let stripped = nsn.dropFirst(trunk.count)
            if case .valid(let valid) = check(rewrite(stripped, plan), plan) { return .valid(valid) }
            if trunk.count == plan.shortestTrunk { firstTrunkless = stripped }
        }
        if national, case .valid(let valid) = check(rewrite(nsn, plan), plan) { return .valid(valid) }
        let reference = national ? (firstTrunkless ?? nsn) : nsn
        return check(rewrite(reference, plan), plan)
    }

    private static func check(_ nsn: DigitRun, _ plan: CompiledPlan) -> Check {
        if nsn.count < plan.nsnLengths.lowerBound { return .tooShort }
        if nsn.count > plan.nsnLengths.upperBound { return .tooLong }
        // Where the trunk prefix is 0, no national significant number starts with 0 ("+49 030...").
        if plan.trunkIsZero && nsn[0] == UInt8(ascii: "0") { return .invalidStart }
        if !plan.validStarts.isEmpty && !plan.validStarts.contains(where: nsn.hasPrefix) { return .invalidStart }
        return .valid(nsn)
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
        while end < limit, b[end] == UInt8(ascii: ".") || b[end] == UInt8(ascii: ":") { end += 1 }
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
