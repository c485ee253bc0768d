import Contacts

/// One line of the synonym table: headers that mean `field`, and how sure we are when a column
/// is headed by one of them.
public struct SynonymGroup: Sendable {
    public let field: BuiltinField
    public let confidence: Double
    public let headers: [String]

    public init(_ field: BuiltinField, _ confidence: Double, _ headers: [String]) {
        self.field = field
        self.confidence = confidence
        self.headers = headers
    }
}

/// Headers seen in real contact exports, by field.
///
/// How to add one: find the line of its field with the right confidence and append the header
/// as users write it. Case, accents, punctuation, spacing, camelCase and snake_case do not
/// matter ("E-mail 1 - Value", "email_1_value" and "Email1Value" are the same header), so one
/// spelling is enough. A header that is a weaker or more specific hint (a work phone, a full
/// name) gets its own line with a lower confidence. The same header may appear for two fields;
/// the assignment then decides.
///
/// Confidences encode preferences, not just certainty: where several columns could be the phone
/// the assignment keeps the highest, so WhatsApp (0.96) beats mobile (0.94), which beats a
/// generic phone (0.90), which beats work and home phones (0.75). Any header equal to a field's
/// key or label (English, Spanish, Portuguese) already scores 1 and need not be listed here.
///
/// Only lines with confidence 0.9 or more are used to find a synonym inside a longer header
/// ("Teléfono móvil personal"), so generic words like "Name" or "Last" stay out of that.
public enum MappingSynonyms {
    public static let groups: [SynonymGroup] = [
        // contactId: headers only (never guessed from content, never fuzzy).
        SynonymGroup(.contactId, 0.95, ["ID", "Contact ID", "ContactId", "ID de contacto", "ID contacto", "Id del contacto", "ID do contato", "ID do contacto"]),

        SynonymGroup(.firstName, 0.95, ["First Name", "Given Name", "FirstName", "Forename", "fname", "Nombre", "Nombres", "Primer nombre", "Nombre de pila", "Nome", "Primeiro nome", "Prenome", "Nomes"]),
        SynonymGroup(.firstName, 0.85, ["First"]),
        SynonymGroup(.firstName, 0.75, ["Name", "Full Name", "Contact Name", "Nombre completo", "Nombre y apellido", "Nombre del contacto", "Nome completo", "Nome do contato", "Customer Name", "Nombre del cliente", "Nome do cliente"]),

        SynonymGroup(.lastName, 0.95, ["Last Name", "Family Name", "Surname", "LastName", "lname", "Apellido", "Apellidos", "Primer apellido", "Apellido paterno", "Sobrenome", "Último nome", "Ultimo sobrenome", "Apelido", "Apelidos"]),
        SynonymGroup(.lastName, 0.85, ["Last", "Segundo apellido", "Apellido materno"]),

        SynonymGroup(.phone, 0.96, ["WhatsApp", "WhatsApp Number", "WhatsApp Phone", "Número de WhatsApp", "Teléfono WhatsApp", "Celular WhatsApp", "WhatsApp Celular", "Móvil WhatsApp", "Número do WhatsApp", "Telefone WhatsApp", "Zap", "Wpp", "Whats"]),
        SynonymGroup(.phone, 0.94, ["Mobile", "Mobile Phone", "Mobile Phone Number", "MobilePhone", "Mobile Number", "Cell", "Cell Phone", "Cellphone", "Cell Number", "Celular", "Cel", "Número de celular", "Teléfono celular", "Teléfono móvil", "Móvil", "Número de móvil", "Tel. móvil", "Telefone celular", "Telemóvel", "Número de telemóvel"]),
        SynonymGroup(.phone, 0.90, ["Phone", "Telephone", "Tel", "Tfno", "Tlf", "Telf", "Teléfono", "Teléfono de contacto", "Número de teléfono", "Telefone", "Fone", "Número de telefone", "Phone 1 - Value", "Teléfono 1 - Valor", "Telefone 1 - Valor", "Primary Phone", "Main Phone", "Contact Phone", "Phones", "Teléfonos", "Telefones"]),
        SynonymGroup(.phone, 0.75, ["Business Phone", "Work Phone", "Office Phone", "Company Phone", "Home Phone", "Landline", "Other Phone", "Teléfono del trabajo", "Teléfono de trabajo", "Teléfono oficina", "Teléfono fijo", "Teléfono de casa", "Teléfono particular", "Telefone comercial", "Telefone residencial", "Telefone fixo", "Phone 2 - Value", "Teléfono 2 - Valor"]),

        SynonymGroup(.email, 0.95, ["Email", "E-mail", "Mail", "Correo", "Correo electrónico", "Email Address", "E-mail Address", "E-mail 1 - Value", "Correo electrónico 1 - Valor", "E-mail 1 - Valor", "Email 1", "Dirección de correo", "Dirección de correo electrónico", "Dirección de email", "Endereço de e-mail", "Emails", "Correos", "Primary Email", "Personal Email", "Correo personal", "Email personal"]),
        SynonymGroup(.email, 0.80, ["Work Email", "Business Email", "Correo del trabajo", "Correo corporativo", "Email corporativo", "E-mail 2 Address", "E-mail 2 - Value", "Email 2", "Secondary Email", "Other Email"]),

        SynonymGroup(.language, 0.95, ["Language", "Preferred language", "Lang", "Idioma", "Idioma preferido", "Idioma de preferencia", "Lengua", "Língua", "Idioma preferencial"]),
        SynonymGroup(.language, 0.80, ["Locale", "Language Code", "Código de idioma"]),

        SynonymGroup(.countryCode, 0.95, ["Country", "Country/Region", "Country Code", "MailingCountry", "Mailing Country", "País", "Código de país", "País de residencia", "País de residência", "Country Name"]),
        SynonymGroup(.countryCode, 0.85, ["CC"]),
        SynonymGroup(.countryCode, 0.80, ["Home Country/Region", "Business Country/Region", "Address 1 - Country", "Dirección 1 - País", "Endereço 1 - País", "Billing Country", "OtherCountry", "Other Country"]),

        SynonymGroup(.tags, 0.95, ["Tags", "Tag", "Etiquetas", "Etiqueta", "Labels", "Categories", "Category", "Categorías", "Categoría", "Categorias", "Group Membership", "Groups", "Grupos", "Marcadores"]),
        SynonymGroup(.tags, 0.80, ["Group", "Grupo", "Segments", "Segmentos", "Lists", "Listas"]),
    ]

    /// Words that, next to a field's name, make a header about something else: "Phone 1 - Type"
    /// holds "Mobile"/"Home", "Email Opt Out" holds yes/no, "Nombre de la empresa" is not the
    /// contact's name. A header that merely contains a synonym is ignored when any of its other
    /// words is one of these.
    public static let qualifierWords: Set<String> = [
        "type", "tipo", "label", "rotulo", "etiqueta", "status", "estado", "opt", "optin", "optout", "out",
        "consent", "consentimiento", "consentimento", "verified", "verificado", "valid", "valido",
        "date", "fecha", "data", "domain", "dominio", "count", "bounce", "bounced", "rebote",
        "subscribed", "subscription", "suscripcion", "unsubscribed", "source", "origen", "origem", "fuente",
        "owner", "propietario", "responsavel", "responsable", "confirmed", "format", "formato", "quality",
        "score", "marketing", "campaign", "campana", "sent", "enviado", "opened", "clicked", "id",
        // Someone or something else's name or phone: "Nombre de la empresa", "Teléfono de emergencia".
        "empresa", "company", "compania", "companhia", "organization", "organizacion", "organizacao",
        "agent", "agente", "vendedor", "seller", "emergency", "emergencia", "father", "mother",
        "padre", "madre", "pai", "mae", "referred", "referido", "spouse", "conyuge", "esposo", "esposa",
    ]

    /// Words that join names without adding meaning ("Celular o WhatsApp", "Nombre y apellido").
    public static let connectorWords: Set<String> = ["de", "del", "da", "do", "la", "el", "y", "e", "o", "ou", "or", "and", "the"]

    /// Words in a header that make a column of long numbers something other than a phone
    /// (record ids, postal codes, tax ids), so content alone never calls it a phone.
    public static let notPhoneWords: Set<String> = [
        "id", "code", "codigo", "zip", "postal", "cp", "cep", "dni", "nif", "cpf", "cnpj", "rfc", "cuit",
        "rut", "nit", "ssn", "passport", "pasaporte", "passaporte", "documento", "document", "account",
        "cuenta", "conta", "invoice", "factura", "fatura", "order", "pedido", "record", "registro",
    ]
}
