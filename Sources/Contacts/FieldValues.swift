import Localization

/// What a reader of a value needs to know besides the value itself.
public struct NormalizationContext: Sendable {
    /// ISO 3166-1 alpha-2 country used to read phone numbers written without a country code.
    public var defaultCountry: String?
    /// Read ambiguous dates such as 03/04/1990 as day-first (the client's locale says so).
    public var dayFirstDates: Bool
    public init(defaultCountry: String? = nil, dayFirstDates: Bool = true) {
        self.defaultCountry = defaultCountry
        self.dayFirstDates = dayFirstDates
    }
}

/// Why a cell's value is not valid for its field. Each case names the value it was given.
public struct ValueProblem: Error, Sendable, Hashable, LocalizedDescribable {
    /// A stable machine code such as `phoneTooShort`, `emailNoTld`, `scientificNotation`.
    public let code: String
    public let value: String
    public let text: LocalizedText
    public init(code: String, value: String, text: LocalizedText) {
        self.code = code
        self.value = value
        self.text = text
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

public enum FieldValues {
    /// Canonicalizes one raw cell for a field: phone → E.164, e-mail → lower-case,
    /// language → ISO 639-1, country → ISO 3166-1 alpha-2, date → ISO 8601 (yyyy-MM-dd),
    /// checkbox → "true"/"false", number → plain decimal, list → the option as defined,
    /// tags → list, text → trimmed. Whitespace-only input is `.empty`.
    public static func normalize(_ raw: String, for field: FieldDefinition,
                                 context: NormalizationContext) -> Result<FieldValue, ValueProblem> {
        fatalError("implemented by Contacts")
    }
}
