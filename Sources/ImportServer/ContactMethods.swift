import Foundation
import JSONRPC
import Localization
import Contacts
import Workspace

// fields/*, contacts/* (PROTOCOL.md section 4): the product's public Contacts API over the wire.
extension ImportServer {
    func registerContactMethods(_ table: MethodTable) {
        table.request("fields/list") { [self] context in try await blocking { try self.fieldsList(context) } }
        table.request("fields/create") { [self] context in try await blocking { try self.fieldsCreate(context) } }
        table.request("contacts/get") { [self] context in try await blocking { try self.contactsGet(context) } }
        table.request("contacts/find") { [self] context in try await blocking { try self.contactsFind(context) } }
        table.request("contacts/create") { [self] context in try await blocking { try self.contactsCreate(context) } }
        table.request("contacts/update") { [self] context in try await blocking { try self.contactsUpdate(context) } }
        table.request("contacts/addTags") { [self] context in try await blocking { try self.contactsChangeTags(context, adding: true) } }
        table.request("contacts/deleteTags") { [self] context in try await blocking { try self.contactsChangeTags(context, adding: false) } }
        if configuration.enableTestMethods {
            table.request("$/test/holdWrite") { [self] context in try await blocking { try self.testHoldWrite(context) } }
        }
    }

    /// Workspace calls block (SQLite work, and up to the busy timeout behind another writer), so
    /// they run on a Dispatch thread rather than holding one of the few cooperative threads the
    /// other requests need meanwhile.
    private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// `$/test/holdWrite {count, claimJob?}` (hidden `--enable-test-methods` only): optionally
    /// claims the import slot, inserts `count` contacts in one write transaction, sends
    /// `$/test/writeHeld {jobId}` and then keeps the transaction open until the process is
    /// killed. It exists so a test can SIGKILL a daemon in the middle of a large write.
    private func testHoldWrite(_ context: RequestContext) throws -> JSONValue {
        let count = try context.params.optionalInt("count", in: 0...2_000_000) ?? 100_000
        let claim = try context.params.optionalBool("claimJob") ?? false
        let workspace = try requireWorkspace()
        let now = self.now()
        return try ContactWire.guarding {
            let job = claim ? try workspace.claimJob(fileName: "held.csv", importTag: "held", now: now) : nil
            return try workspace.write { transaction -> JSONValue in
                _ = try transaction.insertContacts(count: count, now: now) { index in
                    NewContact(values: ["firstName": "Held \(index)", "phone": "+1212\(String(2_000_000 + index))",
                                        "email": "held\(index)@example.com"], tags: ["held"])
                }
                context.notify("$/test/writeHeld", ["jobId": job.map { .int(Int($0.id)) } ?? .null])
                sleep(600)
                return ["inserted": .int(count)]
            }
        }
    }

    // MARK: fields

    private func fieldsList(_ context: RequestContext) throws -> JSONValue {
        let workspace = try requireWorkspace()
        let fields = try ContactWire.guarding { () throws(WorkspaceError) in try workspace.fields() }
        return ["fields": .array(fields.map { ContactWire.json($0, context.locale) })]
    }

    private func fieldsCreate(_ context: RequestContext) throws -> JSONValue {
        let params = context.params
        let name = try params.string("name")
        let type = try params.enumValue("type", as: FieldType.self)
        let options = try params.optionalStringArray("options") ?? []
        let workspace = try requireWorkspace()
        let field = try ContactWire.guarding {
            try workspace.write { try $0.createField(name: name, type: type, options: options) }
        }
        return ContactWire.json(field, context.locale)
    }

    // MARK: contacts

    private func contactsGet(_ context: RequestContext) throws -> JSONValue {
        let id = try ContactWire.contactID(context.params)
        let workspace = try requireWorkspace()
        let (contact, fields) = try ContactWire.guarding {
            try workspace.read { transaction in (try transaction.contact(id: id), try transaction.fields()) }
        }
        guard let contact else { throw ContactWire.notFound(id) }
        return ContactWire.json(contact, fields: fields)
    }

    private func contactsFind(_ context: RequestContext) throws -> JSONValue {
        let params = context.params
        let phone = try params.optionalString("phone")
        let email = try params.optionalString("email")
        let defaultCountry = try params.optionalString("defaultCountry")
        if phone != nil && email != nil { throw params.invalid("email", ContactText.findTwoIdentifiers) }
        if phone == nil && email == nil { throw params.invalid("phone", ContactText.findNoIdentifier) }
        let field = phone != nil ? BuiltinField.phone.definition : BuiltinField.email.definition
        let raw = phone ?? email ?? ""
        let normalization = NormalizationContext(defaultCountry: try ContactWire.country(defaultCountry, params))
        let canonical: String
        switch FieldValues.normalize(raw, for: field, context: normalization) {
        case .success(let value): canonical = value.storedText
        case .failure(let problem): throw ContactWire.invalidValues([(field.key, problem)], context.locale)
        }
        let workspace = try requireWorkspace()
        let (contacts, fields) = try ContactWire.guarding {
            try workspace.read { transaction -> ([Contact], [FieldDefinition]) in
                let ids = canonical.isEmpty ? [] :
                    (phone != nil ? try transaction.contactIDs(phone: canonical) : try transaction.contactIDs(email: canonical))
                return (try ids.compactMap { try transaction.contact(id: $0) }, try transaction.fields())
            }
        }
        return ["contacts": .array(contacts.map { ContactWire.json($0, fields: fields) })]
    }

    /// Values are validated before the write lock is taken, so a bad request is answered at once
    /// even while an import holds the workspace. (Fields are never removed, so definitions read
    /// first are still valid inside the write.)
    private func validatedChanges(_ context: RequestContext, reserved: Set<String>) throws -> (ContactWire.Changes, [FieldDefinition]) {
        let workspace = try requireWorkspace()
        let fields = try ContactWire.guarding { () throws(WorkspaceError) in try workspace.fields() }
        return (try ContactWire.changes(context.params, fields: fields, locale: context.locale, reserved: reserved), fields)
    }

    private func contactsCreate(_ context: RequestContext) throws -> JSONValue {
        let (changes, fields) = try validatedChanges(context, reserved: [])
        guard let firstName = changes.values["firstName"] ?? nil, !firstName.isEmpty else {
            throw context.params.invalid("firstName", ContactText.firstNameRequired)
        }
        let workspace = try requireWorkspace()
        let now = self.now()
        let contact = try ContactWire.guarding {
            try workspace.write { transaction in
                try transaction.insertContact(values: changes.values.compactMapValues { $0 }, tags: changes.tags ?? [], now: now)
            }
        }
        return ContactWire.json(contact, fields: fields)
    }

    private func contactsUpdate(_ context: RequestContext) throws -> JSONValue {
        let id = try ContactWire.contactID(context.params)
        let workspace = try requireWorkspace()
        // Unknown contact first: 1008 says more than a complaint about its values.
        guard try ContactWire.guarding({ try workspace.read { try $0.contactExists(id: id) } }) else {
            throw ContactWire.notFound(id)
        }
        let (changes, fields) = try validatedChanges(context, reserved: ["contactId"])
        let now = self.now()
        let contact = try ContactWire.guarding {
            try workspace.write { transaction -> Contact in
                guard var contact = try transaction.contact(id: id) else { throw ContactWire.notFound(id) }
                if changes.values.isEmpty && changes.tags == nil { return contact }
                for (key, value) in changes.values { contact.values[key] = value }
                if let tags = changes.tags { contact.tags = tags }
                return try transaction.updateContact(contact, now: now)
            }
        }
        return ContactWire.json(contact, fields: fields)
    }

    private func contactsChangeTags(_ context: RequestContext, adding: Bool) throws -> JSONValue {
        let id = try ContactWire.contactID(context.params)
        let tags = try ContactWire.tags(context.params, required: true) ?? []
        let workspace = try requireWorkspace()
        let now = self.now()
        let (contact, fields) = try ContactWire.guarding {
            try workspace.write { transaction -> (Contact, [FieldDefinition]) in
                guard var contact = try transaction.contact(id: id) else { throw ContactWire.notFound(id) }
                let fields = try transaction.fields()
                let before = contact.tags
                if adding {
                    let present = Set(before.map { $0.lowercased() })
                    contact.tags += tags.filter { !present.contains($0.lowercased()) }
                } else {
                    let removed = Set(tags.map { $0.lowercased() })
                    contact.tags.removeAll { removed.contains($0.lowercased()) }
                }
                // Nothing to change: keep updatedAt as it was.
                if contact.tags == before { return (contact, fields) }
                return (try transaction.updateContact(contact, now: now), fields)
            }
        }
        return ContactWire.json(contact, fields: fields)
    }
}

/// Reading contact params and writing contacts as JSON.
enum ContactWire {
    /// Field values a request sets: key → canonical text, or nil to clear. `tags` nil = untouched.
    struct Changes {
        var values: [String: String?] = [:]
        var tags: [String]?
    }

    static let isoFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Runs workspace work, turning the store's errors into their wire form.
    static func guarding<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as WorkspaceError {
            throw LocalizedResponseError(code: ErrorCode.workspaceError, error.text, data: ["reason": .string(error.kind.rawValue)])
        } catch let error as ContactNotFound {
            throw notFound(error.contactId)
        } catch let busy as ImportInProgress {
            throw LocalizedResponseError(code: ErrorCode.importInProgress, ContactText.importInProgress(busy.jobId), data: [
                "jobId": .int(Int(busy.jobId)), "startedAt": .string(busy.startedAt.formatted(isoFormat)),
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
        guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
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
            return elements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        }
        switch FieldValues.normalize(raw, for: BuiltinField.tags.definition, context: NormalizationContext()) {
        case .success(.tags(let list)): return list
        case .success(let value): return value.storedText.isEmpty ? [] : [value.storedText]
        case .failure(let problem): throw params.invalid("tags", problem.text)
        }
    }

    /// Reads every field the request sets (top-level keys and the `custom` object), validates
    /// each through `FieldValues.normalize`, and reports every invalid one at once.
    static func changes(_ params: Params, fields: [FieldDefinition], locale: MessageLocale,
                        reserved: Set<String>) throws -> Changes {
        let byKey = Dictionary(fields.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let customByName = Dictionary(fields.filter { !$0.isBuiltin }.map { ($0.key.lowercased(), $0) },
                                      uniquingKeysWith: { first, _ in first })
        let normalization = NormalizationContext(defaultCountry: try country(try params.optionalString("defaultCountry"), params))
        guard case .object(let members) = params.json else {
            throw params.invalid("params", ContactText.paramsMustBeObject)
        }
        var changes = Changes()
        var raw: [(FieldDefinition, String, JSONValue)] = []
        var unknown: [String] = []
        let control: Set<String> = reserved.union(["defaultCountry", "custom", "tags", "workDoneToken"])
        for (key, value) in members.sorted(by: { $0.key < $1.key }) where !control.contains(key) {
            if key == BuiltinField.contactId.rawValue {
                throw params.invalid(key, ContactText.contactIdAssigned)
            }
            if let field = byKey[key] ?? customByName[key.lowercased()], field.key != BuiltinField.contactId.rawValue {
                raw.append((field, key, value))
            } else {
                unknown.append(key)
            }
        }
        if let custom = try params.optionalObject("custom") {
            for (name, value) in custom.sorted(by: { $0.key < $1.key }) {
                if let field = customByName[name.lowercased()] {
                    raw.append((field, "custom.\(name)", value))
                } else {
                    unknown.append("custom.\(name)")
                }
            }
        }
        if let first = unknown.first {
            throw params.invalid(first, ContactText.unknownField(unknown))
        }
        changes.tags = try tags(params, required: false)

        var problems: [(String, ValueProblem)] = []
        for (field, name, value) in raw {
            let text: String
            switch value {
            case .null: changes.values[field.key] = .some(nil); continue
            case .string(let string): text = string
            case .int(let number): text = String(number)
            case .double(let number): text = String(number)
            case .bool(let flag): text = flag ? "true" : "false"
            default: throw params.invalid(name, ContactText.scalarExpected)
            }
            switch FieldValues.normalize(text, for: field, context: normalization) {
            case .success(let normalized):
                let stored = normalized.storedText
                changes.values[field.key] = .some(stored.isEmpty ? nil : stored)
            case .failure(let problem):
                problems.append((name, problem))
            }
        }
        if !problems.isEmpty { throw invalidValues(problems, locale) }
        return changes
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
            "createdAt": .string(contact.createdAt.formatted(isoFormat)),
            "updatedAt": .string(contact.updatedAt.formatted(isoFormat)),
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
        let list = names.joined(separator: ", ")
        return LocalizedText(en: "is not a field of this workspace (unknown: \(list)); see fields/list",
                             es: "no es un campo de este espacio de trabajo (desconocidos: \(list)); consulta fields/list",
                             pt: "não é um campo deste espaço de trabalho (desconhecidos: \(list)); consulte fields/list")
    }
}
