import FoundationEssentials
import Localization

extension WorkspaceError {
    /// A PostgreSQL workspace's trouble, in words. `display` is the conninfo without password;
    /// `reason` is the server's or libpq's own (English) wording, passwords already removed.
    static func postgres(_ display: String, reason: String, kind: Kind, connecting: Bool = false) -> WorkspaceError {
        if connecting {
            return WorkspaceError(kind: kind, text: LocalizedText(
                en: "The PostgreSQL workspace \(display) cannot be opened: \(reason).",
                es: "No se puede abrir el espacio de trabajo PostgreSQL \(display): \(reason).",
                pt: "Não é possível abrir o espaço de trabalho PostgreSQL \(display): \(reason)."))
        }
        return WorkspaceError(kind: kind, text: LocalizedText(
            en: "The PostgreSQL workspace \(display) reported an error: \(reason).",
            es: "El espacio de trabajo PostgreSQL \(display) informó de un error: \(reason).",
            pt: "O espaço de trabalho PostgreSQL \(display) informou um erro: \(reason)."))
    }

    /// SQLSTATE classes the user can act on get their own words; the server's message follows.
    static func fromPostgres(state: String, message: String, display: String, connectionLost: Bool) -> WorkspaceError {
        if connectionLost || state.hasPrefix("08") || state == "57P01" || state == "57P02" || state == "57P03" {
            return WorkspaceError(kind: .io, text: LocalizedText(
                en: "The connection to the PostgreSQL workspace \(display) was lost (\(message)); nothing of the unfinished change was saved.",
                es: "Se perdió la conexión con el espacio de trabajo PostgreSQL \(display) (\(message)); no se guardó nada del cambio sin terminar.",
                pt: "A conexão com o espaço de trabalho PostgreSQL \(display) foi perdida (\(message)); nada da alteração inacabada foi salvo."))
        }
        switch state {
        case "57014":
            return WorkspaceError(kind: .io, text: LocalizedText(
                en: "The PostgreSQL workspace \(display) stopped a statement that ran too long (\(message)); nothing was changed.",
                es: "El espacio de trabajo PostgreSQL \(display) detuvo una instrucción que tardaba demasiado (\(message)); no se cambió nada.",
                pt: "O espaço de trabalho PostgreSQL \(display) interrompeu uma instrução demorada demais (\(message)); nada foi alterado."))
        case "55P03", "40001", "40P01":
            return .busy()
        case "42501":
            return WorkspaceError(kind: .readOnly, text: LocalizedText(
                en: "The PostgreSQL user of the workspace \(display) lacks a permission it needs (\(message)).",
                es: "El usuario de PostgreSQL del espacio de trabajo \(display) no tiene un permiso que necesita (\(message)).",
                pt: "O usuário do PostgreSQL do espaço de trabalho \(display) não tem uma permissão necessária (\(message))."))
        case "53100":
            return WorkspaceError(kind: .diskFull, text: LocalizedText(
                en: "The PostgreSQL server of the workspace \(display) is out of disk space; nothing was changed.",
                es: "El servidor PostgreSQL del espacio de trabajo \(display) no tiene espacio en disco; no se cambió nada.",
                pt: "O servidor PostgreSQL do espaço de trabalho \(display) está sem espaço em disco; nada foi alterado."))
        default:
            if state.hasPrefix("23") || state.hasPrefix("22") { return .invalid(message) }
            return postgres(display, reason: message, kind: .io)
        }
    }
}
