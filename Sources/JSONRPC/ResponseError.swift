import Localization

/// The error codes of the wire contract (protocol/README.md §8). JSON-RPC and LSP reserve
/// -32768...-32000 and -32899...-32800; application codes are positive so they never collide.
public enum ErrorCode {
    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let internalError = -32603
    public static let serverNotInitialized = -32002
    public static let requestCancelled = -32800

    public static let sessionNotFound = 1001
    public static let sessionExpired = 1002
    public static let fileRejected = 1003
    public static let mappingInvalid = 1004
    public static let reviewRequired = 1005
    public static let importInProgress = 1006
    public static let workspaceError = 1007
    public static let notFound = 1008
    public static let tooManySessions = 1009
    public static let undoUnavailable = 1010

    /// The contract's name of a code, for logs and docs.
    public static func name(_ code: Int) -> String {
        switch code {
        case parseError: return "ParseError"
        case invalidRequest: return "InvalidRequest"
        case methodNotFound: return "MethodNotFound"
        case invalidParams: return "InvalidParams"
        case internalError: return "InternalError"
        case serverNotInitialized: return "ServerNotInitialized"
        case requestCancelled: return "RequestCancelled"
        case sessionNotFound: return "SessionNotFound"
        case sessionExpired: return "SessionExpired"
        case fileRejected: return "FileRejected"
        case mappingInvalid: return "MappingInvalid"
        case reviewRequired: return "ReviewRequired"
        case importInProgress: return "ImportInProgress"
        case workspaceError: return "WorkspaceError"
        case notFound: return "NotFound"
        case tooManySessions: return "TooManySessions"
        case undoUnavailable: return "UndoUnavailable"
        default: return "Error\(code)"
        }
    }
}

/// The `error` member of a response: a code from `ErrorCode`, a message already in the client's
/// language, and optional machine-readable `data`.
public struct ResponseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public init(code: Int, _ text: LocalizedText, locale: MessageLocale, data: JSONValue? = nil) {
        self.init(code: code, message: text.text(locale), data: data)
    }

    /// The wire form. Whatever a handler quoted, a reply stays small: the message and every
    /// string in `data` are cut to a bounded prefix (the places that quote a client's value
    /// already shorten it to a few dozen characters; this is the backstop).
    public var json: JSONValue {
        var object: [String: JSONValue] = ["code": .int(code), "message": .string(quotedValue(message, limit: Self.maxMessageCharacters))]
        if let data { object["data"] = Self.bounded(data) }
        return .object(object)
    }

    static let maxMessageCharacters = 8_000
    static let maxDataStringCharacters = 2_000

    private static func bounded(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(quotedValue(text, limit: maxDataStringCharacters))
        case .array(let elements): return .array(elements.map(bounded))
        case .object(let members): return .object(members.mapValues(bounded))
        default: return value
        }
    }

    public init?(json: JSONValue) {
        guard let code = json["code"]?.intValue else { return nil }
        self.init(code: code, message: json["message"]?.stringValue ?? "", data: json["data"])
    }

    public var description: String { "\(code) \(ErrorCode.name(code)): \(message)" }
}

/// Errors a handler may throw that know how to describe themselves on the wire. Anything else a
/// handler throws is a bug and becomes `-32603`, with the detail logged on stderr only.
public protocol ResponseErrorConvertible: Error {
    func responseError(_ locale: MessageLocale) -> ResponseError
}

extension ResponseError: ResponseErrorConvertible {
    public func responseError(_ locale: MessageLocale) -> ResponseError { self }
}

/// An error whose message is translated when the response is written, so a handler need not
/// know the client's locale: `throw LocalizedResponseError(code: ErrorCode.notFound, text)`.
public struct LocalizedResponseError: ResponseErrorConvertible, Sendable {
    public var code: Int
    public var text: LocalizedText
    public var data: JSONValue?

    public init(code: Int, _ text: LocalizedText, data: JSONValue? = nil) {
        self.code = code
        self.text = text
        self.data = data
    }

    public func responseError(_ locale: MessageLocale) -> ResponseError {
        ResponseError(code: code, message: text.text(locale), data: data)
    }
}

// Named constructors for the errors the transport and dispatcher produce themselves.
extension ResponseError {
    public static func parseError(_ locale: MessageLocale) -> ResponseError {
        ResponseError(code: ErrorCode.parseError, LocalizedText(
            en: "Parse error: the message body is not valid JSON",
            es: "Error de análisis: el cuerpo del mensaje no es JSON válido",
            pt: "Erro de análise: o corpo da mensagem não é JSON válido"), locale: locale)
    }

    public static func invalidRequest(_ text: LocalizedText, _ locale: MessageLocale) -> ResponseError {
        ResponseError(code: ErrorCode.invalidRequest, text, locale: locale)
    }

    public static func messageTooLarge(bytes: Int, limit: Int, _ locale: MessageLocale) -> ResponseError {
        ResponseError(code: ErrorCode.invalidRequest, LocalizedText(
            en: "Message too large: \(formatCount(bytes, .english)) bytes (the limit is \(formatCount(limit, .english)))",
            es: "Mensaje demasiado grande: \(formatCount(bytes, .spanish)) bytes (el límite es \(formatCount(limit, .spanish)))",
            pt: "Mensagem grande demais: \(formatCount(bytes, .portuguese)) bytes (o limite é \(formatCount(limit, .portuguese)))"),
            locale: locale, data: ["bytes": .int(bytes), "limit": .int(limit)])
    }

    public static func methodNotFound(_ method: String, _ locale: MessageLocale) -> ResponseError {
        ResponseError(code: ErrorCode.methodNotFound, LocalizedText(
            en: "Unknown method: \(method)",
            es: "Método desconocido: \(method)",
            pt: "Método desconhecido: \(method)"), locale: locale, data: ["method": .string(method)])
    }

    public static func cancelled(_ locale: MessageLocale) -> ResponseError {
        ResponseError(code: ErrorCode.requestCancelled, LocalizedText(
            en: "Request cancelled",
            es: "Solicitud cancelada",
            pt: "Solicitação cancelada"), locale: locale)
    }

    public static func internalError(_ locale: MessageLocale) -> ResponseError {
        ResponseError(code: ErrorCode.internalError, LocalizedText(
            en: "Internal error: the server hit a bug; details are in its log",
            es: "Error interno: el servidor encontró un fallo; los detalles están en su registro",
            pt: "Erro interno: o servidor encontrou uma falha; os detalhes estão no registro"), locale: locale)
    }
}
