/// The language of every human-readable text the product writes: error messages, row errors,
/// status words, column headers of result files. Machine-readable codes never change with it.
public enum MessageLocale: String, Sendable, CaseIterable, Codable {
    case english = "en"
    case spanish = "es"
    case portuguese = "pt"

    /// Reads a client's locale tag ("es", "es-MX", "pt_BR", "EN"); anything unknown is English.
    public init(tag: String?) {
        guard let tag, let prefix = tag.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first else {
            self = .english
            return
        }
        self = MessageLocale(rawValue: String(prefix)) ?? .english
    }
}

/// A text in each language the product speaks: English, Spanish (usted) and Brazilian
/// Portuguese, all three required, so that no message can reach a user in a language they did
/// not choose.
///
/// A text is either written out or rendered on demand (`init(rendering:)`): a review holds one
/// for every bad row, a client reads a few, and the error file reads each once, in one language.
public struct LocalizedText: Sendable, Hashable {
    private enum Source: Sendable {
        case written(english: String, spanish: String, portuguese: String)
        case rendered(@Sendable (MessageLocale) -> String)
    }
    private let source: Source

    public init(en english: String, es spanish: String, pt portuguese: String) {
        source = .written(english: english, spanish: spanish, portuguese: portuguese)
    }

    /// The text is made in the language asked for, each time it is read (an error file reads
    /// each row's once, in one language); `render` must capture only what the text quotes and
    /// answer every language.
    public init(rendering render: @escaping @Sendable (MessageLocale) -> String) {
        source = .rendered(render)
    }

    public var english: String { text(.english) }
    public var spanish: String { text(.spanish) }
    public var portuguese: String { text(.portuguese) }

    public func text(_ locale: MessageLocale) -> String {
        switch source {
        case .written(let english, let spanish, let portuguese):
            switch locale {
            case .english: return english
            case .spanish: return spanish
            case .portuguese: return portuguese
            }
        case .rendered(let render):
            return render(locale)
        }
    }

    public static func == (lhs: LocalizedText, rhs: LocalizedText) -> Bool {
        MessageLocale.allCases.allSatisfy { lhs.text($0) == rhs.text($0) }
    }

    public func hash(into hasher: inout Hasher) {
        for locale in MessageLocale.allCases { hasher.combine(text(locale)) }
    }
}

/// Anything that can describe itself to a person in the client's language.
public protocol LocalizedDescribable {
    func message(_ locale: MessageLocale) -> String
}

/// A value from the client or the file as a message quotes it: whole when short, else its first
/// `limit` characters and "…". A 10 MB cell must not become a 30 MB error reply.
public func quotedValue(_ value: String, limit: Int = 60) -> String {
    guard value.utf8.count > limit, value.count > limit else { return value }
    return String(value.prefix(limit)) + "…"
}

/// Formats counts the way each language groups thousands ("48,000" / "48.000").
public func formatCount(_ value: Int, _ locale: MessageLocale) -> String {
    let digits = String(value.magnitude)
    let separator: Character = locale == .english ? "," : "."
    var out = ""
    for (offset, ch) in digits.enumerated() {
        if offset > 0 && (digits.count - offset) % 3 == 0 { out.append(separator) }
        out.append(ch)
    }
    return value < 0 ? "-" + out : out
}
