import Localization

/// Countries as ISO 3166-1 alpha-2 codes, read from a code (alpha-2 or alpha-3) or a name in
/// English, Spanish or Portuguese, with or without accents ("México", "Mexico", "MX", "MEX").
/// Kosovo's user-assigned XK is included, as phone plans and CRMs use it.
public enum Countries {
    struct Entry: Sendable {
        let code: String
        let alpha3: String
        let en: String
        let es: String
        let pt: String
    }

    static let entries: [Entry] = countryTable.split(separator: "\n").map { line in
        let parts = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        return Entry(code: parts[0], alpha3: parts[1], en: parts[2], es: parts[3], pt: parts[4])
    }

    private static let indexByAlpha2: [UInt16: Int] = {
        var table: [UInt16: Int] = [:]
        for (index, entry) in entries.enumerated() {
            if let key = PhoneTables.packedCode(entry.code) { table[key] = index }
        }
        return table
    }()

    /// Alpha-3 codes and folded names (with the table's aliases) to the entry's index.
    private static let indexByName: [String: Int] = {
        var table: [String: Int] = [:]
        for (index, line) in countryTable.split(separator: "\n").enumerated() {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false)
            var names = parts[1...4].map(String.init)
            names += parts[5].split(separator: ",").map(String.init)
            for name in names {
                let folded = TextFolding.fold(name)
                if !folded.isEmpty && table[folded] == nil { table[folded] = index }
            }
        }
        return table
    }()

    private static let articles: Set<Substring> = ["the", "el", "la", "los", "las", "o", "a", "os", "as"]

    /// The ISO 3166-1 alpha-2 code for a code or a name, or nil if it is not a known country.
    public static func code(for text: String) -> String? {
        if let key = PhoneTables.packedCode(text), let index = indexByAlpha2[key] { return entries[index].code }
        let folded = TextFolding.fold(text)
        if folded.isEmpty { return nil }
        if let index = indexByName[folded] { return entries[index].code }
        // "The Bahamas", "los Estados Unidos", "Mexico (MX)"...
        var words = folded.split(separator: " ")
        if words.count > 1, articles.contains(words[0]) {
            words.removeFirst()
            if let index = indexByName[words.joined(separator: " ")] { return entries[index].code }
        }
        if let open = text.firstIndex(of: "("), open > text.startIndex {
            let before = String(text[..<open])
            if before.contains(where: \.isLetter) { return code(for: before) }
        }
        return nil
    }

    /// The country's international calling code (52 for "MX" or "México"), or nil.
    public static func callingCode(of country: String) -> Int? {
        guard let index = PhoneTables.planIndex(forCountry: country) else { return nil }
        return PhoneTables.plans[index].callingCode
    }

    /// The country's name in a language, for messages and pickers.
    public static func name(of code: String, in locale: MessageLocale) -> String? {
        guard let key = PhoneTables.packedCode(code), let index = indexByAlpha2[key] else { return nil }
        switch locale {
        case .english: return entries[index].en
        case .spanish: return entries[index].es
        case .portuguese: return entries[index].pt
        }
    }

    /// Every known alpha-2 code, in alphabetical order.
    public static var allCodes: [String] { entries.map(\.code) }

    static func names(of code: String) -> CountryLabel? {
        guard let key = PhoneTables.packedCode(code), let index = indexByAlpha2[key] else { return nil }
        let entry = entries[index]
        return CountryLabel(en: entry.en, es: entry.es, pt: entry.pt)
    }
}
