import Localization

/// The `params` of a request or notification with typed readers. Every reader that fails throws
/// `-32602 InvalidParams` naming the field (dotted path for nested objects) in the client's
/// language, with `data: {field, expected?}`; handlers never inspect raw JSON for errors.
public struct Params: Sendable {
    /// The raw params: an object, an array, or `.null` when absent.
    public let json: JSONValue
    public let locale: MessageLocale
    /// Prefix naming where these params sit, e.g. `initializationOptions.` for nested readers.
    public let path: String

    public init(_ json: JSONValue?, locale: MessageLocale = .english, path: String = "") {
        self.json = json ?? .null
        self.locale = locale
        self.path = path
    }

    /// The raw member, nil when absent. `null` counts as absent for optional readers.
    public func value(_ key: String) -> JSONValue? {
        guard let member = json[key], member != .null else { return nil }
        return member
    }

    public func has(_ key: String) -> Bool { value(key) != nil }

    // MARK: errors

    /// The error for a field that is present but wrong, with a reason in every language.
    public func invalid(_ key: String, _ reason: LocalizedText, expected: String? = nil) -> ResponseError {
        let field = path + key
        var data: [String: JSONValue] = ["field": .string(field)]
        if let expected { data["expected"] = .string(expected) }
        let text = LocalizedText(
            en: "Invalid params: `\(field)` \(reason.english)",
            es: "Parámetros no válidos: `\(field)` \(reason.spanish)",
            pt: "Parâmetros inválidos: `\(field)` \(reason.portuguese)")
        return ResponseError(code: ErrorCode.invalidParams, text, locale: locale, data: .object(data))
    }

    public func missing(_ key: String) -> ResponseError {
        invalid(key, LocalizedText(en: "is required", es: "es obligatorio", pt: "é obrigatório"))
    }

    private func wrongType(_ key: String, _ expected: String) -> ResponseError {
        invalid(key, LocalizedText(
            en: "must be \(Self.article(expected, .english))",
            es: "debe ser \(Self.article(expected, .spanish))",
            pt: "deve ser \(Self.article(expected, .portuguese))"), expected: expected)
    }

    private static func article(_ type: String, _ locale: MessageLocale) -> String {
        switch (type, locale) {
        case ("string", .english): return "a string"
        case ("integer", .english): return "an integer"
        case ("number", .english): return "a number"
        case ("boolean", .english): return "a boolean"
        case ("array", .english): return "an array"
        case ("object", .english): return "an object"
        case ("string", _): return locale == .spanish ? "un texto" : "um texto"
        case ("integer", _): return locale == .spanish ? "un número entero" : "um número inteiro"
        case ("number", _): return locale == .spanish ? "un número" : "um número"
        case ("boolean", _): return locale == .spanish ? "un booleano" : "um booleano"
        case ("array", _): return locale == .spanish ? "una lista" : "uma lista"
        case ("object", _): return locale == .spanish ? "un objeto" : "um objeto"
        default: return type
        }
    }

    // MARK: readers

    public func string(_ key: String) throws(ResponseError) -> String {
        guard let text = try optionalString(key) else { throw missing(key) }
        return text
    }

    public func optionalString(_ key: String) throws(ResponseError) -> String? {
        guard let member = value(key) else { return nil }
        guard let text = member.stringValue else { throw wrongType(key, "string") }
        return text
    }

    public func int(_ key: String) throws(ResponseError) -> Int {
        guard let number = try optionalInt(key) else { throw missing(key) }
        return number
    }

    public func optionalInt(_ key: String) throws(ResponseError) -> Int? {
        guard let member = value(key) else { return nil }
        guard let number = member.intValue else { throw wrongType(key, "integer") }
        return number
    }

    /// An integer that must lie in `range` (e.g. `limit` of `import/rows`).
    public func optionalInt(_ key: String, in range: ClosedRange<Int>) throws(ResponseError) -> Int? {
        guard let number = try optionalInt(key) else { return nil }
        guard range.contains(number) else {
            throw invalid(key, LocalizedText(
                en: "must be between \(range.lowerBound) and \(range.upperBound)",
                es: "debe estar entre \(range.lowerBound) y \(range.upperBound)",
                pt: "deve estar entre \(range.lowerBound) e \(range.upperBound)"))
        }
        return number
    }

    public func double(_ key: String) throws(ResponseError) -> Double {
        guard let number = try optionalDouble(key) else { throw missing(key) }
        return number
    }

    public func optionalDouble(_ key: String) throws(ResponseError) -> Double? {
        guard let member = value(key) else { return nil }
        guard let number = member.doubleValue else { throw wrongType(key, "number") }
        return number
    }

    public func bool(_ key: String) throws(ResponseError) -> Bool {
        guard let flag = try optionalBool(key) else { throw missing(key) }
        return flag
    }

    public func optionalBool(_ key: String) throws(ResponseError) -> Bool? {
        guard let member = value(key) else { return nil }
        guard let flag = member.boolValue else { throw wrongType(key, "boolean") }
        return flag
    }

    public func array(_ key: String) throws(ResponseError) -> [JSONValue] {
        guard let elements = try optionalArray(key) else { throw missing(key) }
        return elements
    }

    public func optionalArray(_ key: String) throws(ResponseError) -> [JSONValue]? {
        guard let member = value(key) else { return nil }
        guard let elements = member.arrayValue else { throw wrongType(key, "array") }
        return elements
    }

    /// An array of strings (e.g. `tags`); an element of another type names its index.
    public func stringArray(_ key: String) throws(ResponseError) -> [String] {
        guard let strings = try optionalStringArray(key) else { throw missing(key) }
        return strings
    }

    public func optionalStringArray(_ key: String) throws(ResponseError) -> [String]? {
        guard let elements = try optionalArray(key) else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard let text = element.stringValue else { throw wrongType("\(key)[\(index)]", "string") }
            strings.append(text)
        }
        return strings
    }

    public func object(_ key: String) throws(ResponseError) -> [String: JSONValue] {
        guard let members = try optionalObject(key) else { throw missing(key) }
        return members
    }

    public func optionalObject(_ key: String) throws(ResponseError) -> [String: JSONValue]? {
        guard let member = value(key) else { return nil }
        guard let members = member.objectValue else { throw wrongType(key, "object") }
        return members
    }

    /// A nested object read with the same typed readers; errors name `key.field`.
    public func nested(_ key: String) throws(ResponseError) -> Params? {
        guard let members = try optionalObject(key) else { return nil }
        return Params(.object(members), locale: locale, path: path + key + ".")
    }

    /// Params for the element `index` of an array member (e.g. `mapping[2].column`).
    public func element(_ key: String, _ index: Int) throws(ResponseError) -> Params {
        let elements = try array(key)
        guard elements.indices.contains(index) else { throw missing("\(key)[\(index)]") }
        guard case .object = elements[index] else { throw wrongType("\(key)[\(index)]", "object") }
        return Params(elements[index], locale: locale, path: path + "\(key)[\(index)].")
    }

    public func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, as type: E.Type) throws(ResponseError) -> E
    where E.RawValue == String {
        guard let value = try optionalEnumValue(key, as: type) else { throw missing(key) }
        return value
    }

    /// An enum given by its raw value; an unknown value lists the allowed ones.
    public func optionalEnumValue<E: RawRepresentable & CaseIterable>(_ key: String, as type: E.Type) throws(ResponseError) -> E?
    where E.RawValue == String {
        guard let given = try optionalString(key) else { return nil }
        if let value = E(rawValue: given) { return value }
        let text = quotedValue(given)
        let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        throw invalid(key, LocalizedText(
            en: "has unknown value \"\(text)\" (expected one of \(allowed))",
            es: "tiene el valor desconocido \"\(text)\" (se esperaba uno de \(allowed))",
            pt: "tem o valor desconhecido \"\(text)\" (esperado um de \(allowed))"), expected: allowed)
    }

    /// The LSP `workDoneToken` (string or number), if the client asked for progress.
    public var workDoneToken: JSONValue? {
        switch value("workDoneToken") {
        case .some(.string(let token)): return .string(token)
        case .some(.int(let token)): return .int(token)
        default: return nil
        }
    }
}
