/// Languages as ISO 639-1 codes, read from a code (ISO 639-1, 639-2/3 for common languages, or a
/// locale tag such as "pt-BR" or "es_MX") or a name in English, Spanish or Portuguese
/// ("Spanish", "Español", "espanhol", "castellano").
public enum Languages {
    private static let codes: Set<String> = Set(iso639Codes.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    private static let byName: [String: String] = {
        var table: [String: String] = [:]
        for line in languageTable.split(separator: "\n") {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false)
            let code = String(parts[0])
            var names = parts[1].split(separator: ",").map(String.init)
            names += parts[2...4].map(String.init)
            names += parts[5].split(separator: ",").map(String.init)
            for name in names {
                let folded = TextFolding.fold(name)
                if !folded.isEmpty && table[folded] == nil { table[folded] = code }
            }
        }
        return table
    }()

    /// The ISO 639-1 code for a code, locale tag or name, or nil if it is not a known language.
    public static func code(for text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty { return nil }
        // A bare code or a locale tag: "es", "ES", "pt-BR", "es_419", "zh-Hant-TW".
        let tagParts = trimmed.split(whereSeparator: { $0 == "-" || $0 == "_" })
        if let primary = tagParts.first, primary.count == 2 || primary.count == 3,
           primary.allSatisfy({ $0.isASCII && $0.isLetter }),
           tagParts.dropFirst().allSatisfy({ $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }) {
            let lower = primary.lowercased()
            if lower.count == 2, codes.contains(lower) { return lower }
            if tagParts.count == 1, lower.count == 3, let code = byName[lower] { return code }
            if lower.count == 3, tagParts.count > 1, let code = byName[lower] { return code }
        }
        let folded = TextFolding.fold(trimmed)
        if let code = byName[folded] { return code }
        // "Español (México)", "Spanish - Latin America", "Inglés británico": the first word.
        if let open = trimmed.firstIndex(where: { $0 == "(" || $0 == "-" || $0 == "/" }), open > trimmed.startIndex,
           let code = byName[TextFolding.fold(String(trimmed[..<open]))] {
            return code
        }
        if let firstWord = folded.split(separator: " ").first, let code = byName[String(firstWord)] { return code }
        return nil
    }
}
