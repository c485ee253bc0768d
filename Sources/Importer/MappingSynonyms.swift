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
        SynonymGroup(.contactId, 0.95, ["ID", "Contact ID", "ContactId", "ID de contacto", "ID contacto", "Id del contacto", "ID do contato", "ID do contacto", "Id contacto", "Contact Id Number", "Customer ID", "ID cliente", "ID del cliente"]),

        SynonymGroup(.firstName, 0.95, ["First Name", "Given Name", "FirstName", "Forename", "fname", "Nombre", "Nombres", "Primer nombre", "Nombre de pila", "Nome", "Primeiro nome", "Prenome", "Nomes"]),
        SynonymGroup(.firstName, 0.85, ["First"]),
        SynonymGroup(.firstName, 0.75, ["Name", "Full Name", "Contact Name", "Nombre completo", "Nombre y apellido", "Nombre del contacto", "Nome completo", "Nome do contato", "Customer Name", "Nombre del cliente", "Nome do cliente", "Saved Name", "Public Name", "Display Name", "Nombre para mostrar", "Push Name"]),

        SynonymGroup(.lastName, 0.95, ["Last Name", "Family Name", "Surname", "LastName", "lname", "Apellido", "Apellidos", "Primer apellido", "Apellido paterno", "Sobrenome", "Último nome", "Ultimo sobrenome", "Apelido", "Apelidos"]),
        SynonymGroup(.lastName, 0.85, ["Last", "Segundo apellido", "Apellido materno"]),

        SynonymGroup(.phone, 0.96, ["WhatsApp", "WhatsApp Number", "WhatsApp Phone", "Número de WhatsApp", "Teléfono WhatsApp", "Celular WhatsApp", "WhatsApp Celular", "Móvil WhatsApp", "Número do WhatsApp", "Telefone WhatsApp", "Zap", "Wpp", "Whats", "WhatsApp No.", "WhatsApp No", "WhatsApp #", "Nro WhatsApp", "Num WhatsApp"]),
        SynonymGroup(.phone, 0.94, ["Mobile", "Mobile Phone", "Mobile Phone Number", "MobilePhone", "Mobile Number", "Cell", "Cell Phone", "Cellphone", "Cell Number", "Celular", "Cel", "Número de celular", "Teléfono celular", "Teléfono móvil", "Móvil", "Número de móvil", "Tel. móvil", "Telefone celular", "Telemóvel", "Número de telemóvel", "Tel. móvil", "Tel móvil", "Tel. celular", "Cel.", "Celular 1", "Móvil 1", "Mobile 1", "Nro celular", "Num celular"]),
        SynonymGroup(.phone, 0.90, ["Phone", "Telephone", "Tel", "Tfno", "Tlf", "Telf", "Teléfono", "Teléfono de contacto", "Número de teléfono", "Telefone", "Fone", "Número de telefone", "Phone 1 - Value", "Teléfono 1 - Valor", "Telefone 1 - Valor", "Primary Phone", "Main Phone", "Contact Phone", "Phones", "Teléfonos", "Telefones", "Fono", "Num_Tel", "Num Tel", "Nro Tel", "Nro. teléfono", "Número tel", "Telefone 1", "Teléfono 1", "Phone 1", "Tel 1", "Tel. 1", "Phone Number 1"]),
        SynonymGroup(.phone, 0.85, ["Número", "Numero", "Number", "Nro", "Núm.", "Contacto", "Contato"]),
        SynonymGroup(.phone, 0.75, ["Business Phone", "Work Phone", "Office Phone", "Company Phone", "Home Phone", "Landline", "Other Phone", "Teléfono del trabajo", "Teléfono de trabajo", "Teléfono oficina", "Teléfono fijo", "Teléfono de casa", "Teléfono particular", "Telefone comercial", "Telefone residencial", "Telefone fixo", "Phone 2 - Value", "Teléfono 2 - Valor", "Phone 2", "Teléfono 2", "Telefone 2", "Tel 2", "Celular 2", "Móvil 2", "Mobile 2", "Phone 3 - Value"]),

        SynonymGroup(.email, 0.95, ["Email", "E-mail", "Mail", "Correo", "Correo electrónico", "Email Address", "E-mail Address", "E-mail 1 - Value", "Correo electrónico 1 - Valor", "E-mail 1 - Valor", "Email 1", "Dirección de correo", "Dirección de correo electrónico", "Dirección de email", "Endereço de e-mail", "Emails", "Correos", "Primary Email", "Personal Email", "Correo personal", "Email personal"]),
        SynonymGroup(.email, 0.80, ["Work Email", "Business Email", "Correo del trabajo", "Correo corporativo", "Email corporativo", "E-mail 2 Address", "E-mail 2 - Value", "Email 2", "Secondary Email", "Other Email"]),

        SynonymGroup(.language, 0.95, ["Language", "Preferred language", "Lang", "Idioma", "Idioma preferido", "Idioma de preferencia", "Lengua", "Língua", "Idioma preferencial", "Lenguaje", "Linguagem", "Preferred Language Code"]),
        SynonymGroup(.language, 0.80, ["Locale", "Language Code", "Código de idioma"]),

        SynonymGroup(.countryCode, 0.95, ["Country", "Country/Region", "Country Code", "MailingCountry", "Mailing Country", "País", "Código de país", "País de residencia", "País de residência", "Country Name", "Cod. país", "Cód. país", "Cod país", "País (ISO)", "País ISO", "Country ISO", "ISO Country", "ISO país", "Código del país", "Código do país", "Nacionalidad", "Nacionalidade"]),
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
        "blacklist", "blacklisted", "blocked", "bloqueado", "bounced", "flag", "unsubscribe", "baja",
    ]

    /// Header words that name something a two-letter or yes/no column holds but that is not a
    /// country or a language: a state ("Mailing State/Province", Brazil's "UF": CO, CA, MG...), a
    /// flag, a blacklist, an opt-in, an id or a document. Content never makes such a column a
    /// country or a language.
    public static let notCodeWords: Set<String> = [
        "state", "province", "provincia", "region", "regiao", "estado", "uf", "departamento", "county", "condado",
        "city", "ciudad", "cidade", "municipio", "comuna", "distrito", "district", "flag", "bandera", "blacklist",
        "blacklisted", "blocked", "bloqueado", "opt", "optin", "optout", "out", "in", "subscribed", "unsubscribed",
        "consent", "consentimiento", "consentimento", "id", "document", "documento", "doc", "gender", "genero", "sexo",
        "sex", "size", "talla", "status", "estatus", "active", "activo", "ativo", "vip", "is", "has", "tiene",
    ]

    /// Headers that say nothing about their column (a spreadsheet's default names): there the
    /// values alone decide. Compared word by word; digits are ignored.
    public static let placeholderHeaderWords: Set<String> = [
        "column", "columna", "coluna", "col", "unnamed", "field", "campo", "untitled", "sin", "titulo", "sem", "f",
    ]

    /// Real words of other meanings that a typo match must never land on ("Campaña" is not a
    /// misspelt "Company", "Compra" is not "Correo"): a header made of one of these is not fuzzy.
    public static let knownOtherWords: Set<String> = [
        "campana", "campanha", "campaign", "compra", "compras", "purchase", "cuenta", "conta", "account", "pais",
        "city", "ciudad", "cidade", "estado", "state", "status", "fuente", "source", "origen", "origem", "canal",
        "channel", "monto", "amount", "valor", "value", "precio", "price", "fecha", "date", "data", "hora", "time",
        "edad", "idade", "age", "sexo", "genero", "gender", "cargo", "puesto", "title", "nota", "notas", "notes",
        "comentario", "comentarios", "etapa", "stage", "owner", "dueno", "vendedor", "seller", "producto",
        "produto", "product", "plan", "plano", "linea", "lineas", "mensaje", "mensagem", "message", "lista", "list",
        "company", "empresa", "compania", "companhia", "nombre", "nome", "name",
    ]

    /// Meanings a custom field can have, with the headers that express each one in English,
    /// Spanish and Portuguese. A custom field whose name is one of a concept's headers gets all
    /// the others as synonyms: a field named "Company" is what "Empresa", "Organization" and
    /// "Razón social" mean. `types` are the field types the concept fits; a field of another
    /// type gets the synonyms with less confidence.
    public static let concepts: [Concept] = [
        Concept("company", [.text, .list], ["Company", "Company Name", "Organization", "Organisation", "Organization 1 - Name", "Organization Name", "Account Name", "Account", "Business", "Business Name", "Employer", "Empresa", "Nombre de la empresa", "Razón social", "Compañía", "Organización", "Negocio", "Nome da empresa", "Companhia", "Organização", "Razão social"]),
        Concept("birthday", [.date, .text], ["Birthday", "Birth Date", "Birthdate", "Date of birth", "DOB", "Fecha de nacimiento", "Fecha nac.", "Fecha nac", "F. nacimiento", "Nacimiento", "Cumpleaños", "Fecha de cumpleaños", "Data de nascimento", "Nascimento", "Aniversário", "Data de aniversário"]),
        Concept("notes", [.text], ["Notes", "Note", "Comments", "Comment", "Remarks", "Notas", "Nota", "Obs.", "Obs", "Observaciones", "Observación", "Comentarios", "Comentario", "Observações", "Observação", "Comentários"]),
        Concept("website", [.url, .text], ["Website", "Web Site", "Web Page", "Web", "URL", "URL 1", "Website 1 - Value", "Homepage", "Sitio web", "Página web", "Sitio", "Site", "Página"]),
        Concept("jobTitle", [.text, .list], ["Job Title", "Title", "Position", "Role", "Cargo", "Puesto", "Ocupación", "Profesión", "Profissão", "Ocupação", "Função", "Organization 1 - Title"]),
        Concept("city", [.text, .list], ["City", "Town", "Mailing City", "Ciudad", "Localidad", "Municipio", "Cidade", "Município"]),
        Concept("state", [.text, .list], ["State", "Province", "State/Province", "Mailing State/Province", "Region", "Estado", "Provincia", "Departamento", "Región", "UF", "Região"]),
        Concept("address", [.text], ["Address", "Street", "Street Address", "Mailing Street", "Address 1 - Street", "Dirección", "Domicilio", "Calle", "Endereço", "Rua", "Logradouro"]),
        Concept("postalCode", [.text, .number], ["ZIP", "ZIP Code", "Postal Code", "Postcode", "Mailing Zip/Postal Code", "Código postal", "CP", "CEP"]),
        Concept("gender", [.list, .text], ["Gender", "Sex", "Género", "Sexo", "Gênero"]),
        Concept("taxId", [.text, .number], ["Tax ID", "CPF", "CNPJ", "CPF/CNPJ", "RFC", "DNI", "NIF", "CUIT", "CUIL", "RUT", "NIT", "Cédula", "Documento", "Número de documento"]),
        Concept("source", [.text, .list], ["Source", "Lead Source", "Origin", "Origen", "Fuente", "Origem", "Fonte", "Canal de origen"]),
    ]


    /// Words that join names without adding meaning ("Celular o WhatsApp", "Nombre y apellido").
    public static let connectorWords: Set<String> = ["de", "del", "da", "do", "la", "el", "y", "e", "o", "ou", "or", "and", "the", "digitos", "digits", "dig", "nro", "num"]

    /// Words in a header that make a column of long numbers something other than a phone
    /// (record ids, postal codes, tax ids), so content alone never calls it a phone.
    public static let notPhoneWords: Set<String> = [
        "id", "code", "codigo", "zip", "postal", "cp", "cep", "dni", "nif", "cpf", "cnpj", "rfc", "cuit",
        "rut", "nit", "ssn", "passport", "pasaporte", "passaporte", "documento", "document", "account",
        "cuenta", "conta", "invoice", "factura", "fatura", "order", "pedido", "record", "registro",
    ]
}

/// One meaning of the concept table (see `MappingSynonyms.concepts`).
public struct Concept: Sendable {
    public let name: String
    public let types: [FieldType]
    public let headers: [String]
    public init(_ name: String, _ types: [FieldType], _ headers: [String]) {
        self.name = name
        self.types = types
        self.headers = headers
    }
}
