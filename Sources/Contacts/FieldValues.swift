import Localization

/// What a reader of a value needs to know besides the value itself.
public struct NormalizationContext: Sendable {
    /// ISO 3166-1 alpha-2 country used to read phone numbers written without a country code.
    public var defaultCountry: String?
    /// Read ambiguous dates such as 03/04/1990 as day-first (the client's locale says so).
    public var dayFirstDates: Bool
    /// The order the cell's column shows (`FieldValues.dateOrder(of:)`): true day-first, false
    /// month-first; it wins over the country's convention and the locale. nil: the column does
    /// not tell.
    public var columnDayFirst: Bool?
    public init(defaultCountry: String? = nil, dayFirstDates: Bool = true, columnDayFirst: Bool? = nil) {
        self.defaultCountry = defaultCountry
        self.dayFirstDates = dayFirstDates
        self.columnDayFirst = columnDayFirst
    }
}

/// Why a cell's value is not valid for its field. Each case names the value it was given.
public struct ValueProblem: Error, Sendable, Hashable, LocalizedDescribable {
    /// A stable machine code such as `phoneTooShort`, `emailNoTld`, `scientificNotation`.
    public let code: String
    public let value: String
    public let text: LocalizedText
    /// A long value is kept, and quoted in the messages, as its first characters only
    /// (`quotedValue`): a 10 MB cell must not become a 30 MB reply or error file.
    public init(code: String, value: String, text: LocalizedText) {
        self.code = code
        let shown = quotedValue(value)
        self.value = shown
        if shown == value {
            self.text = text
        } else {
            self.text = LocalizedText(en: text.english.replacingEvery(value, with: shown),
                                      es: text.spanish.replacingEvery(value, with: shown),
                                      pt: text.portuguese.replacingEvery(value, with: shown))
        }
    }
    public func message(_ locale: MessageLocale) -> String { text.text(locale) }
}

/// A value in its canonical stored form. Empty cells normalize to `.empty` for every type.
public enum FieldValue: Sendable, Hashable {
    case empty
    case text(String)
    /// Tags: trimmed, de-duplicated (case-insensitively), case preserved, in first-seen order.
    case tags([String])

    /// The stored string form (tags joined with ", "); "" for empty.
    public var storedText: String {
        switch self {
        case .empty: return ""
        case .text(let s): return s
        case .tags(let t): return t.joined(separator: ", ")
        }
    }
}

/// Reading a cell into a field's canonical value. The decisions, each detailed where it is made:
/// - Every type: trimmed (also no-break spaces); whitespace-only is `.empty`; text is stored in
///   Unicode NFC. A rejection is a `ValueProblem` with a stable `code`, the value as written and
///   a message in English, Spanish and Portuguese.
/// - text: trimmed, inner spacing kept. integer (contactId): positive, digits only.
/// - number: plain decimal; both "1,234.5" and "1.234,5"; a lone separator is decimal, except
///   before exactly three digits ("1.234"), which is rejected as ambiguous (`ambiguousNumber`).
/// - date: ISO yyyy-MM-dd; ISO date-times keep their date; day/month order from the numbers or
///   `dayFirstDates`; month names in en/es/pt; Excel's two-digit-year pivot (`Dates.swift`).
/// - checkbox: "true"/"false" from yes/no words in en/es/pt, 1/0, x, check marks; empty stays empty.
/// - url: http(s) only; a bare domain gets https://.
/// - list: the option's own spelling, matched ignoring case, accents and spacing.
/// - tags: split on `,` `;` and line breaks, de-duplicated ignoring case, first spelling kept.
/// - email, phone, language, country: `EmailAddresses`, `PhoneNumbers`, `Languages`, `Countries`.
public enum FieldValues {
    /// Canonicalizes one raw cell for a field: phone → E.164, e-mail → lower-case,
    /// language → ISO 639-1, country → ISO 3166-1 alpha-2, date → ISO 8601 (yyyy-MM-dd),
    /// checkbox → "true"/"false", number → plain decimal, list → the option as defined,
    /// tags → list, text → trimmed. Whitespace-only input is `.empty` (for checkboxes too:
    /// an empty cell clears or keeps a value by the import's overwrite rule, it is not "false").
    public static func normalize(_ raw: String, for field: FieldDefinition,
                                 context: NormalizationContext) -> Result<FieldValue, ValueProblem> {
        var value = raw.trimmingWhitespace().composed()
        if value.isEmpty || isPlaceholder(value) { return .success(.empty) }
        // A NUL byte (an old CRM's export) is invisible but would be stored: the cell is refused.
        if value.utf8.contains(0) { return .failure(.nulCharacter(value.replacingNUL())) }
        // Google Contacts joins several values with " ::: ": the first phone or e-mail is the one.
        if field.type == .phone || field.type == .email, let first = firstOfGoogleValues(value) {
            value = first
        }
        switch field.type {
        case .text: return .success(.text(value))
        case .integer: return text(integer(value))
        case .number: return text(number(value))
        case .date: return text(date(value, dayFirst: dayFirst(context)))
        case .checkbox: return text(checkbox(value))
        case .url: return text(url(value))
        case .list: return text(listOption(value, options: field.options))
        case .email: return text(EmailAddresses.canonicalize(value))
        case .phone: return text(PhoneNumbers.canonicalize(value, defaultCountry: context.defaultCountry))
        case .language:
            guard let code = Languages.code(for: value) else { return .failure(.unknownLanguage(value)) }
            return .success(.text(code))
        case .country:
            guard let code = Countries.code(for: value) else { return .failure(.unknownCountry(value)) }
            return .success(.text(code))
        case .tags:
            let tags = self.tags(value)
            return .success(tags.isEmpty ? .empty : .tags(tags))
        }
    }

    /// `normalize` of a phone or e-mail cell straight from its UTF-8 bytes, for the common case of
    /// an ASCII cell that reads cleanly (ASCII is already NFC; its whitespace is trimmed here as
    /// `trimmingWhitespace` would). nil for other field types, non-ASCII bytes or a value with a
    /// problem: the caller then normalizes the decoded String, with identical results.
    public static func normalize(utf8 raw: UnsafeBufferPointer<UInt8>, for field: FieldDefinition,
                                 context: NormalizationContext) -> Result<FieldValue, ValueProblem>? {
        normalize(utf8: raw, type: field.type, context: context)
    }

    /// `normalize(utf8:for:context:)` given only the field's type (all it depends on).
    public static func normalize(utf8 raw: UnsafeBufferPointer<UInt8>, type: FieldType,
                                 context: NormalizationContext) -> Result<FieldValue, ValueProblem>? {
        guard type == .phone || type == .email else { return nil }
        var lower = 0
        var upper = raw.count
        for byte in raw where byte >= 0x80 { return nil }
        while lower < upper, isASCIISpace(raw[lower]) { lower += 1 }
        while upper > lower, isASCIISpace(raw[upper - 1]) { upper -= 1 }
        if lower == upper { return .success(.empty) }
        let bytes = UnsafeBufferPointer(rebasing: raw[lower..<upper])
        let value = type == .phone
            ? PhoneNumbers.canonicalize(utf8: bytes, defaultCountry: context.defaultCountry)
            : EmailAddresses.canonicalize(utf8: bytes)
        return value.map { .success(.text($0)) }
    }

    /// Values that mean "no value" in exports: Outlook's `0/0/00`, `0000-00-00`, `-`, `--`, `N/A`,
    /// `null`, `(none)`, `sin dato`... They are empty cells in every field (so an empty
    /// identifier is `identifierMissing`, not an invalid value).
    public static func isPlaceholder(_ value: String) -> Bool {
        guard value.utf8.count <= 16 else { return false }
        // Most cells start with a scalar no placeholder starts with once lower-cased (as
        // `lowercased` does, scalar by scalar) or folded (`TextFolding.firstFoldedScalar`): then
        // neither set can hold the value, and neither string is built (a profile found lowercased
        // + fold on every cell to be a sixth of the review).
        guard let first = value.unicodeScalars.first else { return false }
        let lowered = first.value < 0x80
            ? Unicode.Scalar(UInt8(first.value >= 0x41 && first.value <= 0x5A ? first.value + 0x20 : first.value))
            : first.properties.lowercaseMapping.unicodeScalars.first
        if !(lowered.map { rawPlaceholderFirstScalars.contains($0.value) } ?? true),
           !(TextFolding.firstFoldedScalar(value).map { foldedPlaceholderFirstScalars.contains($0.value) } ?? false) {
            return false
        }
        return rawPlaceholders.contains(value.lowercased()) || foldedPlaceholders.contains(TextFolding.fold(value))
    }

    /// A handful each: a linear search beats hashing.
    private static let rawPlaceholderFirstScalars: [UInt32] = Array(Set(rawPlaceholders.compactMap { $0.unicodeScalars.first?.value }))
    private static let foldedPlaceholderFirstScalars: [UInt32] = Array(Set(foldedPlaceholders.compactMap { $0.unicodeScalars.first?.value }))

    /// Placeholders made of punctuation, compared as written (lower-cased).
    private static let rawPlaceholders: Set<String> = [
        "-", "--", "---", "—", "–", ".", "..", "...", "?", "(blank)", "(vacío)", "(vacio)", "#value!", "<none>", "(none)", "s/d",
    ]

    /// Placeholders compared folded (`TextFolding.fold`: "N/A" → "n a", "0000-00-00" → "0000 00 00").
    private static let foldedPlaceholders: Set<String> = [
        "n a", "null", "nil", "none", "0 0 00", "0 0 0000", "00 00 00", "00 00 0000", "0000 00 00", "sin dato",
        "sin datos", "sin informacion", "no aplica", "ninguno", "sem dados", "nao informado", "nenhum", "undefined",
    ]

    /// False when the bytes hold no ":::" at all, so Foundation's `contains` (slow, and by
    /// characters) is asked only when they do.
    static func mayContainGoogleSeparator(_ value: String) -> Bool {
        var run = 0
        for byte in value.utf8 {
            run = byte == UInt8(ascii: ":") ? run + 1 : 0
            if run == 3 { return true }
        }
        return false
    }

    /// The first non-empty value of a Google Contacts " ::: " list; nil when there is none.
    static func firstOfGoogleValues(_ value: String) -> String? {
        guard mayContainGoogleSeparator(value), value.contains(":::") else { return nil }
        return value.components(separatedBy: ":::").lazy.map { $0.trimmingWhitespace() }.first { !$0.isEmpty }
    }

    /// Countries that write dates month first (3/4/1975 is March 4th): the US and its territories,
    /// and the Pacific states that follow it. A row's (or the default) country decides; without
    /// one, the client's locale (`dayFirstDates`).
    static let monthFirstCountries: Set<String> = ["US", "PR", "GU", "VI", "AS", "MP", "UM", "FM", "MH", "PW"]

    static func dayFirst(_ context: NormalizationContext) -> Bool {
        if let column = context.columnDayFirst { return column }
        guard let country = context.defaultCountry.flatMap({ Countries.code(for: $0) }) else { return context.dayFirstDates }
        return !monthFirstCountries.contains(country)
    }

    /// The day/month order a column of dates shows: true (day first) when some value's first part
    /// is over 12 (`25/03/1990`), false (month first) when some value's second part is
    /// (`03/25/1990`), nil when no value decides or values contradict each other (then each
    /// row's country, the default country or the locale decides). Year-first values say nothing.
    public static func dateOrder<S: Sequence>(of values: S) -> Bool? where S.Element == String {
        var dayFirst = false
        var monthFirst = false
        for value in values {
            var parts: [Int] = []
            var current = 0
            var digits = 0
            for byte in value.utf8 {
                if byte >= 0x30 && byte <= 0x39 {
                    current = current * 10 + Int(byte - 0x30)
                    digits += 1
                    if digits > 4 { break }
                } else {
                    if digits > 0 { parts.append(digits > 2 ? -1 : current) }
                    current = 0
                    digits = 0
                    if parts.count == 2 { break }
                }
            }
            if digits > 0 && parts.count < 2 { parts.append(digits > 2 ? -1 : current) }
            guard parts.count >= 2, parts[0] > 0, parts[1] > 0 else { continue }
            if parts[0] > 12 && parts[1] <= 12 { dayFirst = true }
            if parts[1] > 12 && parts[0] <= 12 { monthFirst = true }
            if dayFirst && monthFirst { return nil }
        }
        if dayFirst { return true }
        if monthFirst { return false }
        return nil
    }

    /// The ASCII characters `TextFolding.isSpace` accepts.
    @inline(__always) private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    private static func text(_ result: Result<String, ValueProblem>) -> Result<FieldValue, ValueProblem> {
        result.map(FieldValue.text)
    }

    // MARK: Integer

    /// A positive whole number (contact IDs): digits, an optional `+`, leading zeros dropped.
    public static func integer(_ value: String) -> Result<String, ValueProblem> {
        let value = value.trimmingWhitespace()
        var digits = Substring(value)
        if digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 &- 0x30 < 10 }) else { return .failure(.invalidInteger(value)) }
        let significant = digits.drop(while: { $0 == "0" })
        guard !significant.isEmpty, significant.count <= 18 else { return .failure(.invalidInteger(value)) }
        return .success(String(significant))
    }

    // MARK: Number

    /// A plain decimal ("-1234.5"), from numbers written the English way (1,234.5), the Spanish
    /// and Portuguese way (1.234,5), with spaces grouping thousands (1 234,5), or with a single
    /// separator, which is the decimal one (1234,5 and 1234.5). A single separator followed by
    /// exactly three digits (1.234, 12,500) could be either and is rejected as ambiguous instead of
    /// being guessed. Trailing zeros of the fraction are dropped ("2.50" → "2.5", "3.0" → "3").
    /// Currency symbols, percentages and scientific notation are rejected.
    public static func number(_ value: String) -> Result<String, ValueProblem> {
        let value = value.trimmingWhitespace()
        var bytes = Array(value.utf8)
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        // Spaces (also no-break and thin) group thousands: drop them, but only between digits.
        var cleaned: [UInt8] = []
        cleaned.reserveCapacity(bytes.count)
        var i = 0
        var spaceGroups = false
        var groupLength = 0  // digits since the last grouping space, checked in groups of three
        var spaceGroupsClosed = false
        while i < bytes.count {
            let b = bytes[i]
            let width = b == 0x20 ? 1 : (b == 0xC2 && i + 1 < bytes.count && bytes[i + 1] == 0xA0) ? 2
                : (b == 0xE2 && i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xAF || bytes[i + 2] == 0x89)) ? 3 : 0
            if width > 0 {
                guard let last = cleaned.last, last &- 0x30 < 10, i + width < bytes.count, bytes[i + width] &- 0x30 < 10,
                      !spaceGroupsClosed, spaceGroups ? groupLength == 3 : groupLength <= 3 else {
                    return .failure(.invalidNumber(value))
                }
                spaceGroups = true
                groupLength = 0
                i += width
                continue
            }
            guard b &- 0x30 < 10 || b == UInt8(ascii: ".") || b == UInt8(ascii: ",") else { return .failure(.invalidNumber(value)) }
            if b &- 0x30 < 10 {
                groupLength += 1
            } else if !spaceGroupsClosed {
                if spaceGroups && groupLength != 3 { return .failure(.invalidNumber(value)) }
                spaceGroupsClosed = true
            }
            cleaned.append(b)
            i += 1
        }
        if spaceGroups && !spaceGroupsClosed && groupLength != 3 { return .failure(.invalidNumber(value)) }
        let dots = cleaned.indices.filter { cleaned[$0] == UInt8(ascii: ".") }
        let commas = cleaned.indices.filter { cleaned[$0] == UInt8(ascii: ",") }
        var decimalAt: Int?
        var grouping: UInt8?
        if !dots.isEmpty && !commas.isEmpty {
            let lastDot = dots[dots.count - 1], lastComma = commas[commas.count - 1]
            decimalAt = max(lastDot, lastComma)
            grouping = lastDot > lastComma ? UInt8(ascii: ",") : UInt8(ascii: ".")
            if (lastDot > lastComma ? dots.count : commas.count) != 1 { return .failure(.invalidNumber(value)) }
        } else if dots.count + commas.count == 1 {
            let at = dots.first ?? commas[0]
            let before = at, after = cleaned.count - at - 1
            if after == 3 && before >= 1 && before <= 3 && cleaned[0] != UInt8(ascii: "0") && !spaceGroups {
                return .failure(.ambiguousNumber(value))
            }
            decimalAt = at
        } else if dots.count + commas.count > 1 {
            grouping = dots.isEmpty ? UInt8(ascii: ",") : UInt8(ascii: ".")
        }
        let integerPart = decimalAt.map { Array(cleaned[..<$0]) } ?? cleaned
        let fraction = decimalAt.map { Array(cleaned[($0 + 1)...]) } ?? []
        if fraction.contains(where: { $0 &- 0x30 >= 10 }) { return .failure(.invalidNumber(value)) }
        var integerDigits: [UInt8] = []
        if let grouping {
            let groups = integerPart.split(separator: grouping, omittingEmptySubsequences: false)
            guard let head = groups.first, (1...3).contains(head.count),
                  groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return .failure(.invalidNumber(value)) }
            integerDigits = groups.flatMap { $0 }
        } else {
            integerDigits = integerPart
        }
        if integerDigits.contains(where: { $0 &- 0x30 >= 10 }) || (integerDigits.isEmpty && fraction.isEmpty) {
            return .failure(.invalidNumber(value))
        }
        let whole = integerDigits.drop(while: { $0 == UInt8(ascii: "0") })
        var decimals = fraction[...]
        while decimals.last == UInt8(ascii: "0") { decimals = decimals.dropLast() }
        var out = whole.isEmpty ? "0" : String(decoding: whole, as: UTF8.self)
        if !decimals.isEmpty { out += "." + String(decoding: decimals, as: UTF8.self) }
        if negative && out != "0" { out = "-" + out }
        return .success(out)
    }

    // MARK: Checkbox

    private static let truthy: Set<String> = ["true", "t", "yes", "y", "si", "s", "sim", "verdadero", "verdadeiro", "v",
                                              "1", "x", "on", "checked", "marcado", "ok", "✓", "✔", "☑", "☒"]
    private static let falsy: Set<String> = ["false", "f", "no", "n", "nao", "falso", "0", "off", "unchecked",
                                             "desmarcado", "✗", "✘", "☐"]

    /// "true" or "false" from true/false, yes/no, sí/si/no, sim/não, verdadero/falso, 1/0, x, on/off
    /// and check marks, in any case and with or without accents.
    public static func checkbox(_ value: String) -> Result<String, ValueProblem> {
        let value = value.trimmingWhitespace()
        let key = value.unicodeScalars.count == 1 && !value.unicodeScalars[value.unicodeScalars.startIndex].properties.isAlphabetic
            ? value : TextFolding.fold(value)
        if truthy.contains(key) { return .success("true") }
        if falsy.contains(key) { return .success("false") }
        return .failure(.invalidCheckbox(value))
    }

    // MARK: URL

    /// An http(s) URL. A bare domain ("example.com", "www.example.com/contacto") gets `https://`
    /// (what a browser would try first); the scheme and host are lower-cased, the rest kept.
    /// Other schemes (ftp:, mailto:, javascript:), spaces, user names and hosts without a dot are
    /// rejected.
    public static func url(_ value: String) -> Result<String, ValueProblem> {
        let value = value.trimmingWhitespace()
        let bytes = Array(value.utf8)
        if bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) { return .failure(.invalidURL(value)) }
        var scheme = "https"
        var rest = bytes[...]
        if let separator = findSubsequence(Array("://".utf8), in: bytes) {
            let given = String(decoding: bytes[..<separator], as: UTF8.self).lowercased()
            guard given == "http" || given == "https" else { return .failure(.invalidURL(value)) }
            scheme = given
            rest = bytes[(separator + 3)...]
        } else if let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
                  !bytes[..<colon].contains(UInt8(ascii: ".")) {
            return .failure(.invalidURL(value))  // mailto:, javascript:, tel:...
        }
        let hostEnd = rest.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) ?? rest.endIndex
        var host = rest[..<hostEnd]
        if host.contains(UInt8(ascii: "@")) { return .failure(.invalidURL(value)) }
        if let colon = host.firstIndex(of: UInt8(ascii: ":")) {
            let port = host[(colon + 1)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0 &- 0x30 < 10 }) else { return .failure(.invalidURL(value)) }
            host = host[..<colon]
        }
        let isIPv4 = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).count == 4
            && host.allSatisfy { $0 &- 0x30 < 10 || $0 == UInt8(ascii: ".") }
        if !isIPv4, host.withUnsafeBufferPointer({ EmailAddresses.checkDomain($0[...]) }) != nil {
            return .failure(.invalidURL(value))
        }
        let lowerHost = rest[..<hostEnd].withUnsafeBufferPointer(EmailAddresses.lowercased)
        return .success(scheme + "://" + lowerHost + String(decoding: rest[hostEnd...], as: UTF8.self))
    }

    private static func findSubsequence(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }

    // MARK: List

    /// The option as the field defines it, matched exactly, then ignoring case, accents and
    /// repeated spaces ("mexico df" matches "México DF").
    public static func listOption(_ value: String, options: [String]) -> Result<String, ValueProblem> {
        let value = value.trimmingWhitespace()
        if let exact = options.first(where: { $0 == value }) { return .success(exact) }
        let folded = TextFolding.fold(value)
        if let match = options.first(where: { TextFolding.fold($0) == folded }) { return .success(match) }
        return .failure(.notAnOption(value, options: options))
    }

    // MARK: Tags

    /// Tags separated by commas, semicolons, line breaks or Google's " ::: "; trimmed, surrounding
    /// quotes dropped (Mailchimp writes `"VIP"`), empty ones dropped, de-duplicated ignoring case
    /// (the first spelling wins), in first-seen order. Google Contacts' group list loses its
    /// system-group marker (`* myContacts`) and the system groups themselves (`myContacts`,
    /// `starred`).
    public static func tags(_ value: String) -> [String] {
        plainASCIITags(value) ?? anyTags(value)
    }

    /// `tags` of any cell.
    static func anyTags(_ value: String) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        let google = mayContainGoogleSeparator(value) && value.contains(":::")
        let text = google ? value.replacingEvery(":::", with: "\n") : value
        for piece in text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            var tag = String(piece).trimmingWhitespace()
            tag = stripQuotes(tag)
            if google || tag.hasPrefix("* ") {
                if tag.hasPrefix("* ") { tag = String(tag.dropFirst(2)).trimmingWhitespace() }
                if googleSystemGroups.contains(tag.lowercased()) { continue }
            }
            if tag.isEmpty { continue }
            if seen.insert(identityKey(tag)).inserted { result.append(tag) }
        }
        return result
    }

    /// `tags` of a cell of printable ASCII without quotes, `*` or `:` (most tags cells), from its
    /// bytes: there every byte is a `Character`, the only separators are `,` and `;`, the only
    /// space to trim is U+0020, no quote, `* ` prefix or Google separator can occur, and a tag's
    /// identity key is its ASCII lower case. nil for any other cell.
    static func plainASCIITags(_ value: String) -> [String]? {
        var value = value
        return value.withUTF8 { bytes -> [String]? in
            for byte in bytes {
                guard byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "'")
                        && byte != UInt8(ascii: "*") && byte != UInt8(ascii: ":") else { return nil }
            }
            var result: [String] = []
            var keys: [[UInt8]] = []
            var start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: ",") || bytes[end] == UInt8(ascii: ";") {
                var (first, last) = (start, end)
                start = end + 1
                while first < last && bytes[first] == 0x20 { first += 1 }
                while last > first && bytes[last - 1] == 0x20 { last -= 1 }
                guard first < last else { continue }
                let piece = UnsafeBufferPointer(rebasing: bytes[first..<last])
                let key = piece.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                guard !keys.contains(key) else { continue }
                keys.append(key)
                result.append(String(decoding: piece, as: UTF8.self))
            }
            return result
        }
    }

    private static let googleSystemGroups: Set<String> = ["mycontacts", "starred", "friends", "family", "coworkers"]

    /// `"VIP"`, `'VIP'`, `“VIP”`, `«VIP»` → `VIP`.
    private static func stripQuotes(_ tag: String) -> String {
        let pairs: [(Character, Character)] = [("\"", "\""), ("'", "'"), ("“", "”"), ("«", "»"), ("‘", "’")]
        var tag = tag
        while tag.count >= 2, let first = tag.first, let last = tag.last,
              pairs.contains(where: { $0.0 == first && $0.1 == last }) {
            tag = String(tag.dropFirst().dropLast()).trimmingWhitespace()
        }
        return tag
    }
}
