import Localization
import Workspace

/// Every human-readable text of review and commit, in one place so translators find them.
enum ReviewMessages {
    static func identifierName(_ identifier: ImportIdentifier) -> LocalizedText {
        switch identifier {
        case .phone: return LocalizedText(en: "phone number", es: "número de teléfono", pt: "número de telefone")
        case .email: return LocalizedText(en: "e-mail address", es: "correo electrónico", pt: "endereço de e-mail")
        case .contactId: return LocalizedText(en: "contact ID", es: "ID de contacto", pt: "ID do contato")
        }
    }

    // MARK: mapping problems

    static func identifierNotMapped(_ identifier: ImportIdentifier) -> LocalizedText {
        let name = identifierName(identifier)
        return LocalizedText(
            en: "The identifier (\(name.english)) is not mapped to any column; map the column that holds it.",
            es: "El identificador (\(name.spanish)) no está asignado a ninguna columna; asigne la columna que lo contiene.",
            pt: "O identificador (\(name.text(.portuguese))) não está mapeado para nenhuma coluna; mapeie a coluna que o contém.")
    }
    static let identifierMissingParam = LocalizedText(
        en: "Choose an identifier (phone, email or contactId) to recognise existing contacts.",
        es: "Elija un identificador (phone, email o contactId) para reconocer los contactos existentes.",
        pt: "Escolha um identificador (phone, email ou contactId) para reconhecer os contatos existentes.")
    static let contactIdOnlyForUpdate = LocalizedText(
        en: "Contact ID can only be the identifier of an \"Update existing contacts only\" import.",
        es: "El ID de contacto solo puede ser el identificador de una importación \"Actualizar solo contactos existentes\".",
        pt: "O ID do contato só pode ser o identificador de uma importação \"Atualizar apenas contatos existentes\".")
    static let contactIdReadOnly = LocalizedText(
        en: "Contact ID is read-only: it can only be mapped as the identifier of an \"Update existing contacts only\" import.",
        es: "El ID de contacto es de solo lectura: solo puede asignarse como identificador de una importación \"Actualizar solo contactos existentes\".",
        pt: "O ID do contato é somente leitura: só pode ser mapeado como identificador de uma importação \"Atualizar apenas contatos existentes\".")
    /// Columns are named by header ("\"Tel\" (column 3)"), as the user sees them; by index only
    /// when the header is not known.
    static func fieldMappedTwice(_ label: LocalizedText, columns: [Int], headers: [String] = []) -> LocalizedText {
        func named(_ word: String) -> String {
            columns.map { column in
                column < headers.count ? "\"\(headers[column])\" (\(word) \(column))" : String(column)
            }.joined(separator: ", ")
        }
        let english = named("column"), spanish = named("columna"), portuguese = named("coluna")
        return LocalizedText(
            en: "The field \"\(label.english)\" is mapped to more than one column (\(english)); each field can be mapped only once.",
            es: "El campo \"\(label.spanish)\" está asignado a más de una columna (\(spanish)); cada campo solo se puede asignar una vez.",
            pt: "O campo \"\(label.text(.portuguese))\" está mapeado para mais de uma coluna (\(portuguese)); cada campo só pode ser mapeado uma vez.")
    }
    static let noColumnSelected = LocalizedText(
        en: "No column is selected; select at least one column to import.",
        es: "No hay ninguna columna seleccionada; seleccione al menos una columna para importar.",
        pt: "Nenhuma coluna selecionada; selecione pelo menos uma coluna para importar.")
    static let nameRequired = LocalizedText(
        en: "A column must be mapped to First Name to add new contacts.",
        es: "Se requiere una columna asignada a Nombre para agregar nuevos contactos.",
        pt: "É necessária uma coluna mapeada para Nome para adicionar novos contatos.")
    static func unknownField(_ key: String) -> LocalizedText {
        LocalizedText(en: "There is no contact field \"\(key)\" in this workspace.",
                      es: "No existe el campo de contacto \"\(key)\" en este espacio de trabajo.",
                      pt: "Não existe o campo de contato \"\(key)\" neste espaço de trabalho.")
    }
    static func unknownColumn(_ column: Int, count: Int) -> LocalizedText {
        LocalizedText(en: "There is no column \(column): the file has \(count) columns (0 to \(max(0, count - 1))).",
                      es: "No existe la columna \(column): el archivo tiene \(count) columnas (0 a \(max(0, count - 1))).",
                      pt: "Não existe a coluna \(column): o arquivo tem \(count) colunas (0 a \(max(0, count - 1))).")
    }

    // MARK: row errors

    // Row errors are rendered when read (`LocalizedText(rendering:)`): a review keeps one per
    // bad row and a client reads a handful.
    static func identifierMissing(_ identifier: ImportIdentifier) -> LocalizedText {
        LocalizedText { locale in
            let name = identifierName(identifier).text(locale)
            return switch locale {
            case .english: "The \(name) is empty; it is needed to recognise the contact."
            case .spanish: "Falta el \(name); es necesario para identificar el contacto."
            case .portuguese: "O \(name) está vazio; é necessário para identificar o contato."
            }
        }
    }
    static func duplicateInFile(_ identifier: ImportIdentifier, value: String, otherRows: [Int], more: Int) -> LocalizedText {
        LocalizedText { locale in
            let name = identifierName(identifier).text(locale)
            let list = otherRows.map(String.init).joined(separator: ", ")
            let plural = otherRows.count + more == 1 ? "" : "s"
            return switch locale {
            case .english: "The \(name) \(value) also appears in row\(plural) \(list)\(more > 0 ? " and \(more) more" : "") of the file; none of these rows is imported."
            case .spanish: "El \(name) \(value) también aparece en la\(plural) fila\(plural) \(list)\(more > 0 ? " y \(more) más" : "") del archivo; ninguna de estas filas se importa."
            case .portuguese: "O \(name) \(value) também aparece na\(plural) linha\(plural) \(list)\(more > 0 ? " e mais \(more)" : "") do arquivo; nenhuma dessas linhas é importada."
            }
        }
    }
    static func ambiguousMatch(_ identifier: ImportIdentifier, value: String, contactIds: [Int64]) -> LocalizedText {
        let name = identifierName(identifier)
        let list = contactIds.map(String.init).joined(separator: ", ")
        return LocalizedText(
            en: "The \(name.english) \(value) belongs to \(contactIds.count) contacts in the workspace (IDs \(list)); merge them or choose another identifier.",
            es: "El \(name.spanish) \(value) pertenece a \(contactIds.count) contactos del espacio de trabajo (ID \(list)); fusiónelos o elija otro identificador.",
            pt: "O \(name.text(.portuguese)) \(value) pertence a \(contactIds.count) contatos do espaço de trabalho (IDs \(list)); mescle-os ou escolha outro identificador.")
    }
    static let nameMissing = LocalizedText(
        en: "The first name is empty; a new contact needs one.",
        es: "Falta el nombre; un contacto nuevo lo necesita.",
        pt: "O nome está vazio; um novo contato precisa de um.")
    static func malformedRow(fields: Int, expected: Int) -> LocalizedText {
        LocalizedText(en: "This row has \(fields) field\(fields == 1 ? "" : "s") but the header has \(expected); check for a missing or extra delimiter or quote.",
                      es: "Esta fila tiene \(fields) campo\(fields == 1 ? "" : "s") pero el encabezado tiene \(expected); revise si falta o sobra un separador o unas comillas.",
                      pt: "Esta linha tem \(fields) campo\(fields == 1 ? "" : "s") mas o cabeçalho tem \(expected); verifique se falta ou sobra um separador ou aspas.")
    }
    static func invalidValue(header: String, problem: LocalizedText) -> LocalizedText {
        LocalizedText { locale in
            let problem = problem.text(locale)
            return switch locale {
            case .english: "Column \"\(header)\": \(problem)"
            case .spanish: "Columna \"\(header)\": \(problem)"
            case .portuguese: "Coluna \"\(header)\": \(problem)"
            }
        }
    }
    static func phoneWithoutCountry(_ value: String) -> LocalizedText {
        LocalizedText(
            en: "“\(value)” has no country code: write the number with + and its country code (e.g. +52 55 1234 5678), map a Country column, or choose a default country (defaultCountry).",
            es: "“\(value)” no tiene código de país: escriba el número con + y su código de país (p. ej. +52 55 1234 5678), asigne una columna País o elija un país predeterminado (defaultCountry).",
            pt: "“\(value)” não tem código de país: escreva o número com + e o código do país (ex. +52 55 1234 5678), mapeie uma coluna País ou escolha um país padrão (defaultCountry).")
    }
    static let contactIdNotANumber = LocalizedText(
        en: "a contact ID is a whole number.",
        es: "un ID de contacto es un número entero.",
        pt: "um ID de contato é um número inteiro.")

    // MARK: commit

    static func drifted(_ identifier: ImportIdentifier, value: String, contactIds: [Int64]) -> LocalizedText {
        ambiguousMatch(identifier, value: value, contactIds: contactIds)
    }

    // MARK: warnings

    /// "2 rows have values a spreadsheet would run as a formula (“=HYPERLINK(…)” in column "Web", row 3)…"
    static func formulaLike(rows: Int, value: String, header: String, row: Int) -> LocalizedText {
        let shown = value.count > 40 ? String(value.prefix(39)) + "…" : value
        let one = rows == 1
        return LocalizedText(
            en: "\(formatCount(rows, .english)) \(one ? "row has a value" : "rows have values") that a spreadsheet would run as a formula (“\(shown)” in column \"\(header)\", row \(row)). \(one ? "It is" : "They are") imported as text, exactly as written; check \(one ? "it" : "them") before importing.",
            es: "\(formatCount(rows, .spanish)) \(one ? "fila tiene un valor" : "filas tienen valores") que una hoja de cálculo ejecutaría como fórmula (“\(shown)” en la columna \"\(header)\", fila \(row)). Se \(one ? "importa" : "importan") como texto, tal como \(one ? "está escrito" : "están escritos"); revíse\(one ? "lo" : "los") antes de importar.",
            pt: "\(formatCount(rows, .portuguese)) \(one ? "linha tem um valor" : "linhas têm valores") que uma planilha executaria como fórmula (“\(shown)” na coluna \"\(header)\", linha \(row)). \(one ? "É importado" : "São importados") como texto, exatamente como \(one ? "está escrito" : "estão escritos"); confira-\(one ? "o" : "os") antes de importar.")
    }

    // MARK: why a row was skipped (the result file's Errors column)

    /// Stands for the contact's ID in `skippedExisting`, filled in as the result file is written.
    static let contactPlaceholder = "{contact}"

    /// `addNew` found the contact: "Already exists: contact 2 has this phone number."
    static func skippedExisting(_ identifier: ImportIdentifier) -> LocalizedText {
        let name = identifierName(identifier), id = contactPlaceholder
        return LocalizedText(
            en: "Already exists: contact \(id) has this \(name.english) (this import adds new contacts only).",
            es: "Ya existe: el contacto \(id) tiene este \(name.spanish) (esta importación solo agrega contactos nuevos).",
            pt: "Já existe: o contato \(id) tem este \(name.portuguese) (esta importação só adiciona contatos novos).")
    }

    /// `updateExisting` found no contact: "No contact with this phone number."
    static func skippedNoMatch(_ identifier: ImportIdentifier) -> LocalizedText {
        let name = identifierName(identifier)
        return LocalizedText(
            en: "No contact with this \(name.english) (this import updates existing contacts only).",
            es: "No hay ningún contacto con este \(name.spanish) (esta importación solo actualiza contactos existentes).",
            pt: "Nenhum contato com este \(name.portuguese) (esta importação só atualiza contatos existentes).")
    }

    /// The reasons of one commit, made once: every skipped row shares one text (a file of
    /// 200,000 skips must not hold 200,000 sentences), the contact's ID goes in `contactIds`.
    struct SkipReasons {
        let existing: LocalizedText
        let noMatch: RowError

        init(_ identifier: ImportIdentifier) {
            existing = ReviewMessages.skippedExisting(identifier)
            noMatch = RowError(code: .skipped, text: ReviewMessages.skippedNoMatch(identifier))
        }

        func reason(existing contactId: Int64?) -> RowError {
            guard let contactId else { return noMatch }
            return RowError(code: .skipped, contactIds: [contactId], text: existing)
        }
    }

    static func status(_ action: RowAction) -> LocalizedText {
        switch action {
        case .add: return LocalizedText(en: "Imported", es: "Importado", pt: "Importado")
        case .update: return LocalizedText(en: "Updated", es: "Actualizado", pt: "Atualizado")
        case .skip: return LocalizedText(en: "Skipped", es: "Omitido", pt: "Ignorado")
        case .error: return LocalizedText(en: "Error", es: "Error", pt: "Erro")
        }
    }
    static let statusHeader = LocalizedText(en: "Import Status", es: "Estado de la importación", pt: "Status da importação")
    static let errorsHeader = LocalizedText(en: "Errors", es: "Errores", pt: "Erros")

    // The undo's result file.
    static let undoContactHeader = LocalizedText(en: "Contact ID", es: "ID de contacto", pt: "ID do contato")
    static let undoFieldHeader = LocalizedText(en: "Field", es: "Campo", pt: "Campo")
    static let undoKeptHeader = LocalizedText(en: "Kept value", es: "Valor conservado", pt: "Valor mantido")
    static let undoImportedHeader = LocalizedText(en: "Value set by the import", es: "Valor de la importación",
                                                  pt: "Valor da importação")
    static let undoReasonHeader = LocalizedText(en: "Why", es: "Motivo", pt: "Motivo")

    static func undoReason(_ conflict: UndoConflict) -> LocalizedText {
        if conflict.field != nil {
            return LocalizedText(en: "changed after the import: the newer value was kept",
                                 es: "cambió después de la importación: se conservó el valor más reciente",
                                 pt: "mudou depois da importação: o valor mais recente foi mantido")
        }
        if conflict.kept == nil && conflict.imported == nil {
            return LocalizedText(en: "the contact changed or was deleted after the import: it was left as it is",
                                 es: "el contacto cambió o se eliminó después de la importación: se dejó como está",
                                 pt: "o contato mudou ou foi excluído depois da importação: foi deixado como está")
        }
        return LocalizedText(en: "changed after the import", es: "cambió después de la importación", pt: "mudou depois da importação")
    }
    static let errorHeader = LocalizedText(en: "Error", es: "Error", pt: "Erro")
}
