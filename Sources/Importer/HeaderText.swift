import Contacts
import FoundationEssentials

/// A header reduced to what matters for matching: lower-case words without accents, split at
/// punctuation, spaces, snake_case and camelCase boundaries and between letters and digits.
/// "\u{FEFF}E-mail 1 - Value " → ["e", "mail", "1", "value"]; "MobilePhone" → ["mobile", "phone"];
/// "país_de_residencia" → ["pais", "de", "residencia"].
struct HeaderText: Hashable, Sendable {
    let words: [String]

    /// The words glued together: how headers are compared ("E-mail" and "email" are one header).
    var compact: String { words.joined() }

    init(_ raw: String) {
        words = HeaderText.split(raw).compactMap(HeaderText.fold)
    }

    private enum Kind { case lower, upper, digit, mark, separator }

    private static func kind(_ scalar: Unicode.Scalar) -> Kind {
        let properties = scalar.properties
        if properties.isUppercase { return .upper }
        if properties.isLowercase { return .lower }
        if properties.generalCategory == .decimalNumber { return .digit }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        default: break
        }
        // Caseless letters (CJK, Arabic...) behave like lower-case ones: they never start a word.
        return properties.isAlphabetic ? .lower : .separator
    }

    private static func split(_ raw: String) -> [String] {
        let scalars = Array(raw.unicodeScalars)
        let kinds = scalars.map(kind)
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var previous = Kind.separator
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for (index, scalar) in scalars.enumerated() {
            let kind = kinds[index]
            switch kind {
            case .separator:
                flush()
                previous = .separator
                continue
            case .mark:
                // A combining accent belongs to the letter before it.
                if !current.isEmpty { current.append(scalar) }
                continue
            case .upper:
                let nextIsLower = index + 1 < kinds.count && kinds[index + 1] == .lower
                // "firstName" → first|Name; "HTMLParser" → HTML|Parser; "Phone1" → Phone|1.
                if previous == .lower || previous == .digit || (previous == .upper && nextIsLower) { flush() }
            case .lower:
                if previous == .digit { flush() }
            case .digit:
                if previous == .lower || previous == .upper { flush() }
            }
            current.append(scalar)
            previous = kind
        }
        flush()
        return words
    }

    private static func fold(_ word: String) -> String? {
        let kept = TextFolding.looseAlphanumerics(word)
        return kept.isEmpty ? nil : kept
    }
}
