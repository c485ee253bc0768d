import Localization

/// The messages of the lifecycle and base server. Each area keeps its own catalogue in its file.
enum ServerText {
    static let notInitialized = LocalizedText(
        en: "Server not initialized: send `initialize` first",
        es: "Servidor no inicializado: envíe `initialize` primero",
        pt: "Servidor não inicializado: envie `initialize` primeiro")
    static let alreadyInitialized = LocalizedText(
        en: "Invalid request: the server is already initialized",
        es: "Solicitud no válida: el servidor ya está inicializado",
        pt: "Solicitação inválida: o servidor já está inicializado")
    static let shutDown = LocalizedText(
        en: "Invalid request: the server is shutting down",
        es: "Solicitud no válida: el servidor se está cerrando",
        pt: "Solicitação inválida: o servidor está sendo encerrado")

    static func workspaceUnavailable(_ directory: String, reason: String, _ locale: MessageLocale) -> String {
        LocalizedText(
            en: "Cannot open the workspace at \(directory): \(reason)",
            es: "No se puede abrir el espacio de trabajo en \(directory): \(reason)",
            pt: "Não é possível abrir o espaço de trabalho em \(directory): \(reason)").text(locale)
    }
}
