import Localization

/// The value types a contact field can have. Raw values are the wire names.
public enum FieldType: String, Sendable, CaseIterable, Codable {
    case text, number, date, list, checkbox, email, phone, url
    case integer, language, country, tags

    /// Types a user may give a custom field (`fields/create`).
    public static let customizable: [FieldType] = [.text, .number, .date, .list, .checkbox, .email, .phone, .url]
}

/// A field a column can be mapped to: one of the built-in contact fields or a custom field.
public struct FieldDefinition: Sendable, Hashable {
    /// `firstName`, `phone`... for built-ins; the custom field's name for custom fields.
    public let key: String
    public let label: LocalizedText
    public let type: FieldType
    public let isBuiltin: Bool
    /// Allowed values of a `list` field, in the order the user gave them.
    public let options: [String]

    public init(key: String, label: LocalizedText, type: FieldType, isBuiltin: Bool, options: [String] = []) {
        self.key = key
        self.label = label
        self.type = type
        self.isBuiltin = isBuiltin
        self.options = options
    }
}

/// The built-in contact fields of the contract, in display order.
public enum BuiltinField: String, Sendable, CaseIterable {
    case contactId, firstName, lastName, phone, email, language, countryCode, tags

    public var definition: FieldDefinition {
        switch self {
        case .contactId: return FieldDefinition(key: rawValue, label: LocalizedText(en: "Contact ID", es: "ID de contacto", pt: "ID do contato"), type: .integer, isBuiltin: true)
        case .firstName: return FieldDefinition(key: rawValue, label: LocalizedText(en: "First Name", es: "Nombre", pt: "Nome"), type: .text, isBuiltin: true)
        case .lastName: return FieldDefinition(key: rawValue, label: LocalizedText(en: "Last Name", es: "Apellido", pt: "Sobrenome"), type: .text, isBuiltin: true)
        case .phone: return FieldDefinition(key: rawValue, label: LocalizedText(en: "Phone Number", es: "Número de teléfono", pt: "Número de telefone"), type: .phone, isBuiltin: true)
        case .email: return FieldDefinition(key: rawValue, label: LocalizedText(en: "Email", es: "Correo electrónico", pt: "E-mail"), type: .email, isBuiltin: true)
        case .language: return FieldDefinition(key: rawValue, label: LocalizedText(en: "Language", es: "Idioma", pt: "Idioma"), type: .language, isBuiltin: true)
        case .countryCode: return FieldDefinition(key: rawValue, label: LocalizedText(en: "Country", es: "País", pt: "País"), type: .country, isBuiltin: true)
        case .tags: return FieldDefinition(key: rawValue, label: LocalizedText(en: "Tags", es: "Etiquetas", pt: "Etiquetas"), type: .tags, isBuiltin: true)
        }
    }

    public static let definitions: [FieldDefinition] = allCases.map(\.definition)
}
