import FoundationEssentials
import Contacts
import Workspace

/// Values of a request that were not valid for their fields, every one at once, each with the
/// name the client used (`phone`, `custom.Empresa`).
public struct InvalidContactValues: Error, Sendable {
    public let problems: [(name: String, problem: ValueProblem)]
}

/// A new contact needs a first name (the help page's rule for adding contacts).
public struct FirstNameRequired: Error, Sendable {}

/// The product's Contacts API (`fields/*`, `contacts/*`) as plain Swift over the workspace: the
/// rules of reading values, matching, tags and updates live here; the server only translates.
public struct ContactsService: Sendable {
    public let store: any ImportStore

    public init(workspace: any ImportStore) {
        self.store = workspace
    }

    /// One value a request sets: the field, the name the client used, and its text (nil clears).
    public struct RawValue: Sendable {
        public let field: FieldDefinition
        public let name: String
        public let text: String?
        public init(field: FieldDefinition, name: String, text: String?) {
            self.field = field
            self.name = name
            self.text = text
        }
    }

    /// Canonical changes: field key → stored text (nil clears); `tags` nil leaves tags alone.
    public struct Changes: Sendable {
        public var values: [String: String?] = [:]
        public var tags: [String]?
        public init(values: [String: String?] = [:], tags: [String]? = nil) {
            self.values = values
            self.tags = tags
        }
    }

    // MARK: fields

    public func fields() throws -> [FieldDefinition] {
        try store.fields()
    }

    public func createField(name: String, type: FieldType, options: [String]) throws -> FieldDefinition {
        try store.writeContacts { try $0.createField(name: name, type: type, options: options) }
    }

    // MARK: reading values

    /// Every value read as its field's canonical form; all invalid ones reported at once.
    public func normalize(_ raw: [RawValue], tags: [String]?, defaultCountry: String?) throws -> Changes {
        let context = NormalizationContext(defaultCountry: defaultCountry)
        var changes = Changes(tags: tags)
        var problems: [(name: String, problem: ValueProblem)] = []
        for value in raw {
            guard let text = value.text else {
                changes.values[value.field.key] = .some(nil)
                continue
            }
            switch FieldValues.normalize(text, for: value.field, context: context) {
            case .success(let normalized):
                let stored = normalized.storedText
                changes.values[value.field.key] = .some(stored.isEmpty ? nil : stored)
            case .failure(let problem):
                problems.append((value.name, problem))
            }
        }
        if !problems.isEmpty { throw InvalidContactValues(problems: problems) }
        return changes
    }

    // MARK: contacts

    public func contact(id: Int64) throws -> (Contact, [FieldDefinition]) {
        let (contact, fields) = try store.readContacts { tx in (try tx.contact(id: id), try tx.fields()) }
        guard let contact else { throw ContactNotFound(contactId: id) }
        return (contact, fields)
    }

    public func exists(id: Int64) throws -> Bool {
        try store.readContacts { try $0.contactExists(id: id) }
    }

    /// Contacts whose phone (`field` phone) or e-mail equals the canonical form of `value`.
    public func find(_ field: BuiltinField, value: String, defaultCountry: String?) throws -> ([Contact], [FieldDefinition]) {
        let definition = field.definition
        let canonical: String
        switch FieldValues.normalize(value, for: definition, context: NormalizationContext(defaultCountry: defaultCountry)) {
        case .success(let normalized): canonical = normalized.storedText
        case .failure(let problem): throw InvalidContactValues(problems: [(definition.key, problem)])
        }
        return try store.readContacts { tx -> ([Contact], [FieldDefinition]) in
            let ids = canonical.isEmpty ? [] :
                (field == .phone ? try tx.contactIDs(phone: canonical) : try tx.contactIDs(email: canonical))
            return (try ids.compactMap { try tx.contact(id: $0) }, try tx.fields())
        }
    }

    public func create(_ changes: Changes, now: Date) throws -> Contact {
        guard let firstName = changes.values[BuiltinField.firstName.rawValue] ?? nil, !firstName.isEmpty else {
            throw FirstNameRequired()
        }
        return try store.writeContacts { tx in
            try tx.insertContact(values: changes.values.compactMapValues { $0 }, tags: changes.tags ?? [], now: now)
        }
    }

    /// Sets the given fields (and tags, when given); an update that changes nothing keeps
    /// `updatedAt` as it was.
    public func update(id: Int64, _ changes: Changes, now: Date) throws -> Contact {
        try store.writeContacts { tx -> Contact in
            guard var contact = try tx.contact(id: id) else { throw ContactNotFound(contactId: id) }
            if changes.values.isEmpty && changes.tags == nil { return contact }
            for (key, value) in changes.values { contact.values[key] = value }
            if let tags = changes.tags { contact.tags = tags }
            return try tx.updateContact(contact, now: now)
        }
    }

    /// Adds tags the contact lacks, or removes those it has, by tag identity (`identityKey`).
    public func changeTags(id: Int64, _ tags: [String], adding: Bool, now: Date) throws -> (Contact, [FieldDefinition]) {
        try store.writeContacts { tx -> (Contact, [FieldDefinition]) in
            guard var contact = try tx.contact(id: id) else { throw ContactNotFound(contactId: id) }
            let fields = try tx.fields()
            let before = contact.tags
            if adding {
                var present = Set(before.map(identityKey))
                contact.tags += tags.filter { present.insert(identityKey($0)).inserted }
            } else {
                let removed = Set(tags.map(identityKey))
                contact.tags.removeAll { removed.contains(identityKey($0)) }
            }
            // Nothing to change: keep updatedAt as it was.
            if contact.tags == before { return (contact, fields) }
            return (try tx.updateContact(contact, now: now), fields)
        }
    }
}
