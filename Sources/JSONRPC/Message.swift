import Localization

/// One JSON-RPC 2.0 message, decoded from a body. Only this module builds or reads the envelope.
public enum Message: Sendable, Hashable {
    case request(id: RequestID, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    case response(id: RequestID, result: JSONValue)
    /// `id` is nil when the failing message's id could not be determined (sent as `null`).
    case errorResponse(id: RequestID?, error: ResponseError)

    /// Why a JSON value is not a JSON-RPC message; answered with `-32600` and `id: null`.
    public struct Invalid: Error, Sendable, Hashable {
        public let text: LocalizedText
    }

    /// Decodes the envelope. A batch (top-level array) is rejected whole: LSP has no batches.
    public static func decode(_ json: JSONValue) -> Result<Message, Invalid> {
        guard case .object(let object) = json else {
            if case .array = json {
                return .failure(Invalid(text: LocalizedText(
                    en: "Invalid request: batches (JSON arrays) are not supported",
                    es: "Solicitud no válida: los lotes (listas JSON) no están admitidos",
                    pt: "Solicitação inválida: lotes (listas JSON) não são suportados")))
            }
            return .failure(Invalid(text: LocalizedText(
                en: "Invalid request: a message must be a JSON object",
                es: "Solicitud no válida: un mensaje debe ser un objeto JSON",
                pt: "Solicitação inválida: uma mensagem deve ser um objeto JSON")))
        }
        guard object["jsonrpc"] == .string("2.0") else {
            return .failure(Invalid(text: LocalizedText(
                en: "Invalid request: \"jsonrpc\" must be \"2.0\"",
                es: "Solicitud no válida: \"jsonrpc\" debe ser \"2.0\"",
                pt: "Solicitação inválida: \"jsonrpc\" deve ser \"2.0\"")))
        }
        let params = object["params"]
        if let params {
            switch params {
            case .object, .array, .null: break
            default:
                return .failure(Invalid(text: LocalizedText(
                    en: "Invalid request: \"params\" must be an object or an array",
                    es: "Solicitud no válida: \"params\" debe ser un objeto o una lista",
                    pt: "Solicitação inválida: \"params\" deve ser um objeto ou uma lista")))
            }
        }
        if let methodValue = object["method"] {
            guard let method = methodValue.stringValue else {
                return .failure(Invalid(text: LocalizedText(
                    en: "Invalid request: \"method\" must be a string",
                    es: "Solicitud no válida: \"method\" debe ser un texto",
                    pt: "Solicitação inválida: \"method\" deve ser um texto")))
            }
            guard let idValue = object["id"] else { return .success(.notification(method: method, params: params)) }
            guard let id = RequestID(json: idValue) else {
                return .failure(Invalid(text: LocalizedText(
                    en: "Invalid request: \"id\" must be an integer or a string",
                    es: "Solicitud no válida: \"id\" debe ser un número entero o un texto",
                    pt: "Solicitação inválida: \"id\" deve ser um número inteiro ou um texto")))
            }
            return .success(.request(id: id, method: method, params: params))
        }
        // A response (the client side reads these).
        let id = object["id"].flatMap(RequestID.init(json:))
        if let errorValue = object["error"], let error = ResponseError(json: errorValue) {
            return .success(.errorResponse(id: id, error: error))
        }
        if let id, let result = object["result"] { return .success(.response(id: id, result: result)) }
        return .failure(Invalid(text: LocalizedText(
            en: "Invalid request: the message has no \"method\"",
            es: "Solicitud no válida: el mensaje no tiene \"method\"",
            pt: "Solicitação inválida: a mensagem não tem \"method\"")))
    }

    /// The JSON envelope of this message.
    public var json: JSONValue {
        switch self {
        case .request(let id, let method, let params):
            var object: [String: JSONValue] = ["jsonrpc": "2.0", "id": id.json, "method": .string(method)]
            if let params { object["params"] = params }
            return .object(object)
        case .notification(let method, let params):
            var object: [String: JSONValue] = ["jsonrpc": "2.0", "method": .string(method)]
            if let params { object["params"] = params }
            return .object(object)
        case .response(let id, let result):
            return ["jsonrpc": "2.0", "id": id.json, "result": result]
        case .errorResponse(let id, let error):
            return ["jsonrpc": "2.0", "id": id?.json ?? .null, "error": error.json]
        }
    }
}
