import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import JSONRPC
import Localization
import Contacts
import Importer
import Workspace

// fields/*, contacts/* (protocol/README.md §6): the product's public Contacts API over the wire.
extension ImportServer {
    /// `$/test/holdWrite {count, claimJob?}` (hidden `--enable-test-methods` only): optionally
    /// claims the import slot, inserts `count` contacts in one write transaction, sends
    /// `$/test/writeHeld {jobId}` and then keeps the transaction open until the process is
    /// killed. It exists so a test can SIGKILL a daemon in the middle of a large write.
    func testHoldWrite(_ context: RequestContext) throws -> JSONValue {
        let count = try context.params.optionalInt("count", in: 0...2_000_000) ?? 100_000
        let claim = try context.params.optionalBool("claimJob") ?? false
        let workspace = try requireWorkspace()
        let now = self.now()
        return try ContactWire.guarding {
            let job = claim ? try workspace.claimJob(fileName: "held.csv", importTag: .named("held"), now: now) : nil
            try workspace.holdWrite(count: count, now: now) {
                context.notify("$/test/writeHeld", ["jobId": job.map { .int(Int($0.id)) } ?? .null])
                sleep(600)
            }
            return ["inserted": .int(count)]
        }
    }

    // MARK: fields

    private var contactsService: ContactsService {
        get throws { ContactsService(workspace: try requireWorkspace()) }
    }

    func fieldsList(_ context: RequestContext) throws -> JSONValue {
        let service = try contactsService
        let fields = try ContactWire.guarding { try service.fields() }
        return ["fields": .array(fields.map { ContactWire.json($0, context.locale) })]
    }

    func fieldsCreate(_ context: RequestContext) throws -> JSONValue {
        let params = context.params
        let name = try params.string("name")
        let type = try params.enumValue("type", as: FieldType.self)
        let options = try params.optionalStringArray("options") ?? []
        let service = try contactsService
        let field = try ContactWire.guarding { try service.createField(name: name, type: type, options: options) }
        return ContactWire.json(field, context.locale)
    }

    // MARK: contacts

    func contactsGet(_ context: RequestContext) throws -> JSONValue {
        let id = try ContactWire.contactID(context.params)
        let service = try contactsService
        let (contact, fields) = try ContactWire.guarding { try service.contact(id: id) }
        return ContactWire.json(contact, fields: fields)
    }

    func contactsFind(_ context: RequestContext) throws -> JSONValue {
        let params = context.params
        let phone = try params.optionalString("phone")
        let email = try params.optionalString("email")
        let defaultCountry = try ContactWire.country(try params.optionalString("defaultCountry"), params)
        if phone != nil && email != nil { throw params.invalid("email", ContactText.findTwoIdentifiers) }
        if phone == nil && email == nil { throw params.invalid("phone", ContactText.findNoIdentifier) }
        let service = try contactsService
        let (contacts, fields) = try ContactWire.guarding(context.locale) {
            try service.find(phone != nil ? .phone : .email, value: phone ?? email ?? "", defaultCountry: defaultCountry)
        }
        return ["contacts": .array(contacts.map { ContactWire.json($0, fields: fields) })]
    }

    /// Values are validated before the write lock is taken, so a bad request is answered at once
    /// even while an import holds the workspace. (Fields are never removed, so definitions read
    /// first are still valid inside the write.)
    private func validatedChanges(_ context: RequestContext, reserved: Set<String>) throws -> (ContactsService.Changes, [FieldDefinition]) {
        let service = try contactsService
        let fields = try ContactWire.guarding { try service.fields() }
        let params = context.params
        let defaultCountry = try ContactWire.country(try params.optionalString("defaultCountry"), params)
        let raw = try ContactWire.rawValues(params, fields: fields, reserved: reserved)
        let tags = try ContactWire.tags(params, required: false)
        let changes = try ContactWire.guarding(context.locale) {
            try service.normalize(raw, tags: tags, defaultCountry: defaultCountry)
        }
        return (changes, fields)
    }

    func contactsCreate(_ context: RequestContext) throws -> JSONValue {
        let (changes, fields) = try validatedChanges(context, reserved: [])
        let service = try contactsService
        let now = self.now()
        do {
            let contact = try ContactWire.guarding { try service.create(changes, now: now) }
            return ContactWire.json(contact, fields: fields)
        } catch is FirstNameRequired {
            throw context.params.invalid("firstName", ContactText.firstNameRequired)
        }
    }

    func contactsUpdate(_ context: RequestContext) throws -> JSONValue {
        let id = try ContactWire.contactID(context.params)
        let service = try contactsService
        // Unknown contact first: 1008 says more than a complaint about its values.
        guard try ContactWire.guarding(body: { try service.exists(id: id) }) else { throw ContactWire.notFound(id) }
        let (changes, fields) = try validatedChanges(context, reserved: ["contactId"])
        let now = self.now()
        let contact = try ContactWire.guarding { try service.update(id: id, changes, now: now) }
        return ContactWire.json(contact, fields: fields)
    }

    func contactsChangeTags(_ context: RequestContext, adding: Bool) throws -> JSONValue {
        let id = try ContactWire.contactID(context.params)
        let tags = try ContactWire.tags(context.params, required: true) ?? []
        let service = try contactsService
        let now = self.now()
        let (contact, fields) = try ContactWire.guarding { try service.changeTags(id: id, tags, adding: adding, now: now) }
        return ContactWire.json(contact, fields: fields)
    }
}

/// Reading contact params and writing contacts as JSON.
enum ContactWire {
    /// Runs a service call, turning the store's and the service's errors into their wire form.
    static func guarding<T>(_ locale: MessageLocale = .english, body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let invalid as InvalidContactValues {
            throw invalidValues(invalid.problems.map { ($0.name, $0.problem) }, locale)
        } catch let error as WorkspaceError {
            throw LocalizedResponseError(code: ErrorCode.workspaceError, error.text, data: ["reason": .string(error.kind.rawValue)])
        } catch let error as ContactNotFound {
            throw notFound(error.contactId)
        } catch let busy as ImportInProgress {
            throw LocalizedResponseError(code: ErrorCode.importInProgress, ContactText.importInProgress(busy.jobId), data: [
                "jobId": .int(Int(busy.jobId)), "startedAt": .string(WireTime.string(busy.startedAt, milliseconds: true)),
            ])
        } catch let problem as FieldDefinitionProblem {
            throw LocalizedResponseError(code: ErrorCode.invalidParams, problem.text,
                                         data: ["field": .string(problem.parameter), "code": .string(problem.code)])
        }
    }

    static func notFound(_ id: Int64) -> LocalizedResponseError {
        LocalizedResponseError(code: ErrorCode.notFound, ContactText.contactNotFound(id), data: ["contactId": .int(Int(id))])
    }

    static func contactID(_ params: Params) throws(ResponseError) -> Int64 {
        let id = try params.int("contactId")
        guard id > 0 else { throw params.invalid("contactId", ContactText.positiveID) }
        return Int64(id)
    }

    static func country(_ raw: String?, _ params: Params) throws(ResponseError) -> String? {
        guard let raw, !raw.whitespaceTrimmed().isEmpty else { return nil }
        switch FieldValues.normalize(raw, for: BuiltinField.countryCode.definition, context: NormalizationContext()) {
        case .success(let value):
            let code = value.storedText
            if code.isEmpty { return nil }
            guard Countries.callingCode(of: code) != nil else { throw ReviewMethods.noNumberingPlan(params, code) }
            return code
        case .failure(let problem): throw params.invalid("defaultCountry", problem.text)
        }
    }

    /// `tags`: an array of strings, or one comma-separated string as in a CSV cell.
    static func tags(_ params: Params, required: Bool) throws(ResponseError) -> [String]? {
        guard let member = params.value("tags") else {
            if required { throw params.missing("tags") }
            return nil
        }
        let raw: String
        if let text = member.stringValue {
            raw = text
        } else {
            // Each element is one tag even if it holds a comma.
            let elements = try params.stringArray("tags")
            return elements.map { $0.whitespaceTrimmed() }.filter { !$0.isEmpty }
        }
        switch FieldValues.normalize(raw, for: BuiltinField.tags.definition, context: NormalizationContext()) {
        case .success(.tags(let list)): return list
        case .success(let value): return value.storedText.isEmpty ? [] : [value.storedText]
        case .failure(let problem): throw params.invalid("tags", problem.text)
        }
    }

    /// Every field the request sets (top-level keys and the `custom` object) with its text, for
    /// `ContactsService.normalize`; unknown names are reported all at once.
    static func rawValues(_ params: Params, fields: [FieldDefinition], reserved: Set<String>) throws -> [ContactsService.RawValue] {
        let byKey = Dictionary(fields.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let customByName = Dictionary(fields.filter { !$0.isBuiltin }.map { (identityKey($0.key), $0) },
                                      uniquingKeysWith: { first, _ in first })
        guard case .object(let members) = params.json else {
            throw params.invalid("params", ContactText.paramsMustBeObject)
        }
        var named: [(FieldDefinition, String, JSONValue)] = []
        var unknown: [String] = []
        let control: Set<String> = reserved.union(["defaultCountry", "custom", "tags", "workDoneToken"])
        for (key, value) in members.sorted(by: { $0.key < $1.key }) where !control.contains(key) {
            if key == BuiltinField.contactId.rawValue {
                throw params.invalid(key, ContactText.contactIdAssigned)
            }
            if let field = byKey[key] ?? customByName[identityKey(key)], field.key != BuiltinField.contactId.rawValue {
                named.append((field, key, value))
            } else {
                unknown.append(key)
            }
        }
        if let custom = try params.optionalObject("custom") {
            for (name, value) in custom.sorted(by: { $0.key < $1.key }) {
                if let field = customByName[identityKey(name)] {
                    named.append((field, "custom.\(name)", value))
                } else {
                    unknown.append("custom.\(name)")
                }
            }
        }
        if let first = unknown.first {
            throw params.invalid(first, ContactText.unknownField(unknown))
        }
        return try named.map { field, name, value -> ContactsService.RawValue in
            switch value {
            case .null: return ContactsService.RawValue(field: field, name: name, text: nil)
            case .string(let string): return ContactsService.RawValue(field: field, name: name, text: string)
            case .int(let number): return ContactsService.RawValue(field: field, name: name, text: String(number))
            case .double(let number): return ContactsService.RawValue(field: field, name: name, text: String(number))
            case .bool(let flag): return ContactsService.RawValue(field: field, name: name, text: flag ? "true" : "false")
            default: throw params.invalid(name, ContactText.scalarExpected)
            }
        }
    }

    /// `-32602` naming each offending field: `data: {field, problems: [{field, code, value, message}]}`.
    static func invalidValues(_ problems: [(String, ValueProblem)], _ locale: MessageLocale) -> ResponseError {
        let list = problems.map { field, problem -> JSONValue in
            ["field": .string(field), "code": .string(problem.code), "value": .string(problem.value),
             "message": .string(problem.message(locale))]
        }
        let detail = problems.map { "\($0.0): \($0.1.message(locale))" }.joined(separator: "; ")
        return ResponseError(code: ErrorCode.invalidParams, message: ContactText.invalidValues.text(locale) + " " + detail,
                             data: ["field": .string(problems[0].0), "problems": .array(list)])
    }

    static func json(_ field: FieldDefinition, _ locale: MessageLocale) -> JSONValue {
        var object: [String: JSONValue] = [
            "key": .string(field.key), "label": .string(field.label.text(locale)),
            "type": .string(field.type.rawValue), "builtin": .bool(field.isBuiltin),
        ]
        if field.type == .list { object["options"] = .array(field.options.map(JSONValue.string)) }
        return .object(object)
    }

    static func json(_ contact: Contact, fields: [FieldDefinition]) -> JSONValue {
        func text(_ key: String) -> JSONValue { contact.values[key].map(JSONValue.string) ?? .null }
        var custom: [String: JSONValue] = [:]
        for field in fields where !field.isBuiltin { custom[field.key] = text(field.key) }
        return [
            "contactId": .int(Int(contact.id)),
            "firstName": text("firstName"), "lastName": text("lastName"),
            "phone": text("phone"), "email": text("email"),
            "language": text("language"), "countryCode": text("countryCode"),
            "tags": .array(contact.tags.map(JSONValue.string)),
            "custom": .object(custom),
            "createdAt": .string(WireTime.string(contact.createdAt, milliseconds: true)),
            "updatedAt": .string(WireTime.string(contact.updatedAt, milliseconds: true)),
        ]
    }
}

/// The Contacts API's own messages.
enum ContactText {
    static func contactNotFound(_ id: Int64) -> LocalizedText {
        LocalizedText(en: "No contact has id \(id).", es: "Ningún contacto tiene el id \(id).",
                      pt: "Nenhum contato tem o id \(id).")
    }
    static func importInProgress(_ id: Int64) -> LocalizedText {
        LocalizedText(en: "Another import (job \(id)) is running on this workspace; wait for it to finish.",
                      es: "Otra importación (trabajo \(id)) está en curso en este espacio de trabajo; espere a que termine.",
                      pt: "Outra importação (trabalho \(id)) está em andamento neste espaço de trabalho; aguarde o término.")
    }
    static let contactIdAssigned = LocalizedText(
        en: "is assigned by the workspace and cannot be set", es: "lo asigna el espacio de trabajo y no se puede indicar",
        pt: "é atribuído pelo espaço de trabalho e não pode ser definido")
    static let positiveID = LocalizedText(en: "must be a positive contact id", es: "debe ser un id de contacto positivo",
                                          pt: "deve ser um id de contato positivo")
    static let findTwoIdentifiers = LocalizedText(
        en: "cannot be given together with `phone`; give exactly one of them",
        es: "no se puede indicar junto con `phone`; indique solo uno de los dos",
        pt: "não pode ser indicado junto com `phone`; indique apenas um dos dois")
    static let findNoIdentifier = LocalizedText(
        en: "or `email` is required", es: "o `email` es obligatorio", pt: "ou `email` é obrigatório")
    static let firstNameRequired = LocalizedText(
        en: "is required to create a contact", es: "es obligatorio para crear un contacto",
        pt: "é obrigatório para criar um contato")
    static let paramsMustBeObject = LocalizedText(en: "must be an object", es: "debe ser un objeto", pt: "deve ser um objeto")
    static let scalarExpected = LocalizedText(
        en: "must be a string, number, boolean or null", es: "debe ser un texto, un número, un booleano o null",
        pt: "deve ser um texto, um número, um booleano ou null")
    static let invalidValues = LocalizedText(en: "Invalid values:", es: "Valores no válidos:", pt: "Valores inválidos:")
    static func unknownField(_ names: [String]) -> LocalizedText {
        let list = quotedValue(names.joined(separator: ", "), limit: 200)
        return LocalizedText(en: "is not a field of this workspace (unknown: \(list)); see fields/list",
                             es: "no es un campo de este espacio de trabajo (desconocidos: \(list)); consulta fields/list",
                             pt: "não é um campo deste espaço de trabalho (desconhecidos: \(list)); consulte fields/list")
    }
}
