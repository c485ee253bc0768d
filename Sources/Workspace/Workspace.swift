import FoundationEssentials
import Contacts
import Localization

/// Why the store cannot do what was asked. The server maps every case to `1007 WorkspaceError`.
public struct WorkspaceError: Error, Sendable, LocalizedDescribable {
    public enum Kind: String, Sendable { case cannotOpen, locked, readOnly, diskFull, corrupt, io, invalid }
    public let kind: Kind
    public let text: LocalizedText
    public init(kind: Kind, text: LocalizedText) {
        self.kind = kind
        self.text = text
    }
    public func message(_ locale: MessageLocale) -> String { text.text(locale) }
}

/// Another job holds the workspace's single import slot.
public struct ImportInProgress: Error, Sendable {
    public let jobId: Int64
    public let startedAt: Date
    public init(jobId: Int64, startedAt: Date) {
        self.jobId = jobId
        self.startedAt = startedAt
    }
}

/// The import tag a job claims with (`Workspace.claimJob`).
public enum ImportTagRequest: Sendable, Hashable {
    case none
    case named(String)
    /// The first free of `base`, `base-2`, `base-3`…, decided inside the claim.
    case automatic(base: String)
}

public enum JobState: String, Sendable, CaseIterable {
    case running, completed, cancelled, failed, interrupted
    /// A completed import that a later undo job reversed.
    case undone
}

/// What an undo job did: contacts removed, contacts restored, contacts whose later changes were kept.
public struct UndoCounts: Sendable, Hashable {
    public var removed = 0
    public var restored = 0
    public var conflicts = 0
    public init(removed: Int = 0, restored: Int = 0, conflicts: Int = 0) {
        self.removed = removed
        self.restored = restored
        self.conflicts = conflicts
    }
}

public struct JobCounts: Sendable, Hashable {
    public var imported = 0
    public var updated = 0
    public var skipped = 0
    public var errors = 0
    /// Rows whose match changed between review and commit.
    public var drifted = 0
    public init(imported: Int = 0, updated: Int = 0, skipped: Int = 0, errors: Int = 0, drifted: Int = 0) {
        self.imported = imported
        self.updated = updated
        self.skipped = skipped
        self.errors = errors
        self.drifted = drifted
    }
}

public struct ImportJob: Sendable, Hashable {
    public var id: Int64
    public var fileName: String
    public var state: JobState
    public var counts: JobCounts
    public var importTag: String?
    public var startedAt: Date
    public var finishedAt: Date?
    public var resultFilePath: String?
    public var resultExpiresAt: Date?
    /// False once the result file has been deleted by retention (or never written).
    public var resultAvailable: Bool
    /// For an undo job: the import it reverses, and what it did.
    public var undoes: Int64?
    public var undoCounts = UndoCounts()
    /// For an undone import: the undo job.
    public var undoneBy: Int64?
    public init(id: Int64, fileName: String, state: JobState, counts: JobCounts, importTag: String?,
                startedAt: Date, finishedAt: Date?, resultFilePath: String?, resultExpiresAt: Date?,
                resultAvailable: Bool) {
        self.id = id
        self.fileName = fileName
        self.state = state
        self.counts = counts
        self.importTag = importTag
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.resultFilePath = resultFilePath
        self.resultExpiresAt = resultExpiresAt
        self.resultAvailable = resultAvailable
    }
}

/// Why `fields/create` refuses a definition. `parameter` names the request parameter at fault
/// (`name`, `type` or `options`); the server answers `-32602` naming it.
public struct FieldDefinitionProblem: Error, Sendable, Hashable, LocalizedDescribable {
    /// `nameEmpty`, `nameTooLong`, `nameReserved`, `nameTaken`, `typeNotAllowed`,
    /// `optionsRequired`, `optionsNotAllowed`, `optionEmpty`, `optionDuplicate`.
    public let code: String
    public let parameter: String
    public let text: LocalizedText
    public init(code: String, parameter: String, text: LocalizedText) {
        self.code = code
        self.parameter = parameter
        self.text = text
    }
    public func message(_ locale: MessageLocale) -> String { text.text(locale) }

    static let maxNameLength = 100

    /// A name compared the way column headers are matched to fields (case, accents, spaces and
    /// punctuation ignored), so a custom "E-mail" cannot shadow the built-in "Email".
    static func looseKey(_ text: String) -> String {
        TextFolding.looseAlphanumerics(text)
    }

    static func validate(name rawName: String, type: FieldType, options rawOptions: [String],
                         existing: [String: CustomFieldRecord]) throws(FieldDefinitionProblem) -> FieldDefinition {
        let name = rawName.whitespaceTrimmed()
        guard !name.isEmpty else {
            throw FieldDefinitionProblem(code: "nameEmpty", parameter: "name", text: LocalizedText(
                en: "A custom field needs a name.", es: "Un campo personalizado necesita un nombre.",
                pt: "Um campo personalizado precisa de um nome."))
        }
        guard name.count <= maxNameLength else {
            throw FieldDefinitionProblem(code: "nameTooLong", parameter: "name", text: LocalizedText(
                en: "The field name \"\(name.prefix(40))…\" is longer than \(maxNameLength) characters.",
                es: "El nombre de campo \"\(name.prefix(40))…\" tiene más de \(maxNameLength) caracteres.",
                pt: "O nome de campo \"\(name.prefix(40))…\" tem mais de \(maxNameLength) caracteres."))
        }
        let loose = looseKey(name)
        let reserved = BuiltinField.definitions.contains { builtin in
            [builtin.key, builtin.label.english, builtin.label.spanish, builtin.label.portuguese]
                .contains { !$0.isEmpty && looseKey($0) == loose }
        }
        guard !reserved, !loose.isEmpty else {
            throw FieldDefinitionProblem(code: "nameReserved", parameter: "name", text: LocalizedText(
                en: "\"\(name)\" is the name of a built-in field; choose another name.",
                es: "\"\(name)\" es el nombre de un campo integrado; elija otro nombre.",
                pt: "\"\(name)\" é o nome de um campo integrado; escolha outro nome."))
        }
        if let taken = existing[foldedKey(name)] {
            throw FieldDefinitionProblem(code: "nameTaken", parameter: "name", text: LocalizedText(
                en: "A custom field called \"\(taken.definition.key)\" already exists.",
                es: "Ya existe un campo personalizado llamado \"\(taken.definition.key)\".",
                pt: "Já existe um campo personalizado chamado \"\(taken.definition.key)\"."))
        }
        guard FieldType.customizable.contains(type) else {
            let allowed = FieldType.customizable.map(\.rawValue).joined(separator: ", ")
            throw FieldDefinitionProblem(code: "typeNotAllowed", parameter: "type", text: LocalizedText(
                en: "A custom field cannot have type \"\(type.rawValue)\"; use one of: \(allowed).",
                es: "Un campo personalizado no puede ser de tipo \"\(type.rawValue)\"; use uno de: \(allowed).",
                pt: "Um campo personalizado não pode ser do tipo \"\(type.rawValue)\"; use um de: \(allowed)."))
        }
        var options: [String] = []
        if type == .list {
            var seen = Set<String>()
            for raw in rawOptions {
                let option = raw.whitespaceTrimmed()
                guard !option.isEmpty else {
                    throw FieldDefinitionProblem(code: "optionEmpty", parameter: "options", text: LocalizedText(
                        en: "A list option cannot be empty.", es: "Una opción de la lista no puede estar vacía.",
                        pt: "Uma opção da lista não pode estar vazia."))
                }
                guard seen.insert(foldedKey(option)).inserted else {
                    throw FieldDefinitionProblem(code: "optionDuplicate", parameter: "options", text: LocalizedText(
                        en: "The option \"\(option)\" is listed twice.", es: "La opción \"\(option)\" aparece dos veces.",
                        pt: "A opção \"\(option)\" aparece duas vezes."))
                }
                options.append(option)
            }
            guard !options.isEmpty else {
                throw FieldDefinitionProblem(code: "optionsRequired", parameter: "options", text: LocalizedText(
                    en: "A list field needs at least one option.", es: "Un campo de lista necesita al menos una opción.",
                    pt: "Um campo de lista precisa de pelo menos uma opção."))
            }
        } else if !rawOptions.isEmpty {
            throw FieldDefinitionProblem(code: "optionsNotAllowed", parameter: "options", text: LocalizedText(
                en: "Only list fields have options.", es: "Solo los campos de lista tienen opciones.",
                pt: "Somente campos de lista têm opções."))
        }
        return FieldDefinition(key: name, label: LocalizedText(en: name, es: name, pt: name), type: type,
                               isBuiltin: false, options: options)
    }
}
