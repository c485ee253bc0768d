import Localization

/// Every sentence `contact-import` prints, in English, Spanish and Portuguese. What the daemon
/// says (row errors, mapping problems, file rejections) arrives already localized and is printed
/// as is. The help text is in `UsageText.swift`.
enum CLIText {
    static let tryHelp = LocalizedText(
        en: "Run contact-import --help for the options.",
        es: "Ejecute contact-import --help para ver las opciones.",
        pt: "Execute contact-import --help para ver as opções."
    )
    static let missingFile = LocalizedText(
        en: "No CSV file given.",
        es: "No se indicó ningún archivo CSV.",
        pt: "Nenhum arquivo CSV foi informado."
    )

    static func extraArgument(_ argument: String) -> LocalizedText {
        LocalizedText(
            en: "Only one file can be imported at a time (extra argument: \(argument)).",
            es: "Solo se puede importar un archivo a la vez (argumento de más: \(argument)).",
            pt: "Só é possível importar um arquivo por vez (argumento a mais: \(argument))."
        )
    }

    static func missingValue(_ option: String) -> LocalizedText {
        LocalizedText(en: "\(option) needs a value.", es: "\(option) necesita un valor.",
                      pt: "\(option) precisa de um valor.")
    }

    static func unexpectedValue(_ option: String) -> LocalizedText {
        LocalizedText(en: "\(option) takes no value.", es: "\(option) no lleva valor.", pt: "\(option) não leva valor.")
    }

    static func unknownOption(_ option: String) -> LocalizedText {
        LocalizedText(en: "Unknown option: \(option)", es: "Opción desconocida: \(option)",
                      pt: "Opção desconhecida: \(option)")
    }

    static func unknownCommand(_ word: String) -> LocalizedText {
        LocalizedText(
            en: "Unknown command: \(word) (and no file of that name). Commands: help, fields; or give a CSV file.",
            es: "Comando desconocido: \(word) (y no hay ningún archivo con ese nombre). Comandos: help, fields; o indique un archivo CSV.",
            pt: "Comando desconhecido: \(word) (e não há nenhum arquivo com esse nome). Comandos: help, fields; ou informe um arquivo CSV."
        )
    }

    static func badChoice(_ option: String, _ value: String, _ choices: [String], suggestion: String? = nil)
        -> LocalizedText {
        let list = choices.joined(separator: ", ")
        let hint = suggestion.map { (en: " Did you mean \($0)?", es: " ¿Quiso decir \($0)?", pt: " Você quis dizer \($0)?") }
        return LocalizedText(
            en: "\(option) \(value): expected one of \(list).\(hint?.en ?? "")",
            es: "\(option) \(value): se esperaba uno de \(list).\(hint?.es ?? "")",
            pt: "\(option) \(value): era esperado um de \(list).\(hint?.pt ?? "")"
        )
    }

    static func badCountry(_ value: String) -> LocalizedText {
        LocalizedText(
            en: "--default-country \(value): not a country; expected a two-letter ISO 3166-1 code such as MX, ES, "
                + "CO, AR, US or BR (or a country's name, e.g. México).",
            es: "--default-country \(value): no es un país; se esperaba un código ISO 3166-1 de dos letras como MX, "
                + "ES, CO, AR, US o BR (o el nombre de un país, p. ej. México).",
            pt: "--default-country \(value): não é um país; era esperado um código ISO 3166-1 de duas letras como BR, "
                + "PT, MX, ES, AR ou US (ou o nome de um país, por ex. Brasil)."
        )
    }

    static func badMap(_ text: String) -> LocalizedText {
        LocalizedText(
            en: "--map \(text): expected \"Header=field\" (or \"Header=-\" to skip the column).",
            es: "--map \(text): se esperaba \"Encabezado=campo\" (o \"Encabezado=-\" para omitir la columna).",
            pt: "--map \(text): era esperado \"Cabeçalho=campo\" (ou \"Cabeçalho=-\" para ignorar a coluna)."
        )
    }

    static func unknownHeader(_ header: String, _ headers: [String]) -> LocalizedText {
        let list = headers.map { "\"\($0)\"" }.joined(separator: ", ")
        return LocalizedText(
            en: "--map: the file has no column \"\(header)\" (columns: \(list)).",
            es: "--map: el archivo no tiene la columna \"\(header)\" (columnas: \(list)).",
            pt: "--map: o arquivo não tem a coluna \"\(header)\" (colunas: \(list))."
        )
    }

    /// `--map "Correo=emial"`: the field is named by what the user may type instead.
    static func unknownMapField(_ text: String, field: String, valid: [String]) -> LocalizedText {
        let list = valid.joined(separator: ", ")
        return LocalizedText(
            en: "--map \(text): there is no field \"\(field)\". Fields: \(list) (by key, label or synonym; see "
                + "contact-import fields list).",
            es: "--map \(text): no existe el campo \"\(field)\". Campos: \(list) (por clave, nombre o sinónimo; vea "
                + "contact-import fields list).",
            pt: "--map \(text): não existe o campo \"\(field)\". Campos: \(list) (por chave, nome ou sinônimo; veja "
                + "contact-import fields list)."
        )
    }

    /// Two `--map` options (or one and the suggestion) send two columns to one field.
    static func mappedTwice(field: String, headers: [String]) -> LocalizedText {
        let list = headers.map { "\"\($0)\"" }.joined(separator: ", ")
        return LocalizedText(
            en: "The field \(field) is mapped to more than one column (\(list)); map it once, and skip the other "
                + "columns with --map \"Header=-\".",
            es: "El campo \(field) está asignado a más de una columna (\(list)); asígnelo una sola vez y omita las "
                + "demás columnas con --map \"Encabezado=-\".",
            pt: "O campo \(field) está mapeado para mais de uma coluna (\(list)); mapeie-o uma só vez e ignore as "
                + "outras colunas com --map \"Cabeçalho=-\"."
        )
    }

    static let mappingInvalid = LocalizedText(
        en: "the column mapping cannot be imported:",
        es: "la asignación de columnas no se puede importar:",
        pt: "o mapeamento de colunas não pode ser importado:"
    )

    static func unknownKeepField(_ field: String) -> LocalizedText {
        LocalizedText(
            en: "--keep \(field): no mapped column goes to that field.",
            es: "--keep \(field): ninguna columna asignada va a ese campo.",
            pt: "--keep \(field): nenhuma coluna mapeada vai para esse campo."
        )
    }

    static func daemonNotFound(_ searched: [String]) -> LocalizedText {
        let list = searched.joined(separator: ", ")
        return LocalizedText(
            en: "contact-importd not found (looked at: \(list)). Build it with `swift build` or set CONTACT_IMPORTD.",
            es: "No se encontró contact-importd (se buscó en: \(list)). Compílelo con `swift build` o defina CONTACT_IMPORTD.",
            pt: "O contact-importd não foi encontrado (procurado em: \(list)). Compile-o com `swift build` ou defina CONTACT_IMPORTD."
        )
    }

    static func daemonFailed(_ reason: String) -> LocalizedText {
        LocalizedText(
            en: "contact-importd stopped unexpectedly: \(reason)",
            es: "contact-importd se detuvo inesperadamente: \(reason)",
            pt: "o contact-importd parou inesperadamente: \(reason)"
        )
    }

    static func errorLine(_ message: String) -> LocalizedText {
        LocalizedText(en: "error: \(message)", es: "error: \(message)", pt: "erro: \(message)")
    }

    // MARK: workspace

    static func createdWorkspace(_ path: String) -> LocalizedText {
        LocalizedText(
            en: "Created a new workspace at \(path)",
            es: "Se creó un espacio de trabajo nuevo en \(path)",
            pt: "Foi criado um novo espaço de trabalho em \(path)"
        )
    }

    static func notAWorkspace(_ path: String) -> LocalizedText {
        LocalizedText(
            en: "--workspace \(path): this folder exists but is not a workspace (it has no contacts.sqlite). "
                + "Give the folder of an existing workspace, or a path that does not exist yet to create one.",
            es: "--workspace \(path): esta carpeta existe pero no es un espacio de trabajo (no tiene contacts.sqlite). "
                + "Indique la carpeta de un espacio de trabajo existente, o una ruta que aún no exista para crear uno.",
            pt: "--workspace \(path): esta pasta existe mas não é um espaço de trabalho (não tem contacts.sqlite). "
                + "Informe a pasta de um espaço de trabalho existente, ou um caminho que ainda não exista para criar um."
        )
    }

    static func workspaceIsAFile(_ path: String) -> LocalizedText {
        LocalizedText(
            en: "--workspace \(path): this is a file, not a workspace folder.",
            es: "--workspace \(path): es un archivo, no la carpeta de un espacio de trabajo.",
            pt: "--workspace \(path): é um arquivo, não a pasta de um espaço de trabalho."
        )
    }

    // MARK: the file and its mapping

    static func fileSummary(name: String, rows: String, columns: Int, encoding: String, delimiter: String)
        -> LocalizedText {
        let oneRow = rows == "1", oneColumn = columns == 1
        return LocalizedText(
            en: "\(name): \(rows) \(oneRow ? "row" : "rows"), \(columns) \(oneColumn ? "column" : "columns") "
                + "(\(encoding), delimiter \"\(delimiter)\")",
            es: "\(name): \(rows) \(oneRow ? "fila" : "filas"), \(columns) \(oneColumn ? "columna" : "columnas") "
                + "(\(encoding), separador \"\(delimiter)\")",
            pt: "\(name): \(rows) \(oneRow ? "linha" : "linhas"), \(columns) \(oneColumn ? "coluna" : "colunas") "
                + "(\(encoding), separador \"\(delimiter)\")"
        )
    }

    static func warning(_ message: String) -> LocalizedText {
        LocalizedText(en: "warning: \(message)", es: "aviso: \(message)", pt: "aviso: \(message)")
    }

    static let columnHeading = LocalizedText(en: "Column", es: "Columna", pt: "Coluna")
    static let fieldHeading = LocalizedText(en: "Field", es: "Campo", pt: "Campo")
    static let confidenceHeading = LocalizedText(en: "Confidence", es: "Confianza", pt: "Confiança")
    static let samplesHeading = LocalizedText(en: "Samples", es: "Muestras", pt: "Amostras")
    static let skipped = LocalizedText(en: "(skipped)", es: "(se omite)", pt: "(ignorada)")
    static let skippedHint = LocalizedText(
        en: "Columns marked (skipped) are not imported; to import one, map it with --map \"Header=field\".",
        es: "Las columnas marcadas (se omite) no se importan; para importar una, asígnela con --map \"Encabezado=campo\".",
        pt: "As colunas marcadas (ignorada) não são importadas; para importar uma, mapeie-a com --map \"Cabeçalho=campo\"."
    )
    static let keepMark = LocalizedText(en: "don't overwrite", es: "no sobrescribir", pt: "não sobrescrever")

    /// The seed's names of the four purposes, as the product shows them.
    static func purposeName(_ purpose: String) -> LocalizedText {
        switch purpose {
        case "addNew":
            return LocalizedText(en: "add new contacts only", es: "agregar nuevos contactos solamente",
                                 pt: "adicionar apenas contatos novos")
        case "updateExisting":
            return LocalizedText(en: "update existing contacts only", es: "actualizar solo contactos existentes",
                                 pt: "atualizar apenas contatos existentes")
        case "addAndUpdate":
            return LocalizedText(en: "add and update contacts", es: "agregar y actualizar contactos",
                                 pt: "adicionar e atualizar contatos")
        case "addAll":
            return LocalizedText(en: "add all contacts despite duplicates",
                                 es: "agregar todos los contactos a pesar de los duplicados",
                                 pt: "adicionar todos os contatos apesar dos duplicados")
        default: return LocalizedText(en: purpose, es: purpose, pt: purpose)
        }
    }

    /// "Review: add and update contacts (addAndUpdate), identifier Phone Number (phone)" — the
    /// words a user knows from the product, and the names the options take.
    static func reviewHeading(purpose: String, identifier: String?, identifierLabel: String?) -> LocalizedText {
        let name = purposeName(purpose)
        guard let identifier else {
            return LocalizedText(
                en: "Review: \(name.english) (\(purpose)), no identifier",
                es: "Revisión: \(name.spanish) (\(purpose)), sin identificador",
                pt: "Revisão: \(name.portuguese) (\(purpose)), sem identificador"
            )
        }
        let by = identifierLabel.map { "\($0) (\(identifier))" } ?? identifier
        return LocalizedText(
            en: "Review: \(name.english) (\(purpose)), identifier \(by)",
            es: "Revisión: \(name.spanish) (\(purpose)), identificador \(by)",
            pt: "Revisão: \(name.portuguese) (\(purpose)), identificador \(by)"
        )
    }

    static let addLabel = LocalizedText(en: "To add", es: "Por agregar", pt: "A adicionar")
    static let updateLabel = LocalizedText(en: "To update", es: "Por actualizar", pt: "A atualizar")
    /// Beside the updates: those that would change nothing.
    static func alreadyUpToDate(_ count: Int, of updates: Int) -> LocalizedText {
        LocalizedText(en: "(\(formatCount(count, .english)) of the \(formatCount(updates, .english)) to update already up to date)",
                      es: "(\(formatCount(count, .spanish)) de los \(formatCount(updates, .spanish)) por actualizar ya están al día)",
                      pt: "(\(formatCount(count, .portuguese)) dos \(formatCount(updates, .portuguese)) a atualizar já estão em dia)")
    }
    static let skipLabel = LocalizedText(en: "To skip", es: "Por omitir", pt: "A ignorar")
    static let errorLabel = LocalizedText(en: "With errors", es: "Con errores", pt: "Com erros")
    static let totalLabel = LocalizedText(en: "Total rows", es: "Total de filas", pt: "Total de linhas")

    static func errorFile(_ path: String) -> LocalizedText {
        LocalizedText(en: "Error file: \(path)", es: "Archivo de errores: \(path)", pt: "Arquivo de erros: \(path)")
    }

    static func importTag(_ tag: String?) -> LocalizedText {
        guard let tag else {
            return LocalizedText(en: "Import tag: none", es: "Etiqueta de importación: ninguna",
                                 pt: "Etiqueta da importação: nenhuma")
        }
        return LocalizedText(en: "Import tag: \(tag)", es: "Etiqueta de importación: \(tag)",
                             pt: "Etiqueta da importação: \(tag)")
    }

    static func errorRow(line: Int, row: Int, message: String) -> LocalizedText {
        LocalizedText(en: "  line \(line) (row \(row)): \(message)", es: "  línea \(line) (fila \(row)): \(message)",
                      pt: "  linha \(line) (registro \(row)): \(message)")
    }

    static func moreErrors(_ count: String) -> LocalizedText {
        LocalizedText(en: "  … and \(count) more (see the error file)", es: "  … y \(count) más (vea el archivo de errores)",
                      pt: "  … e mais \(count) (veja o arquivo de erros)")
    }

    /// The hint after phone numbers that could not be read: with the country most numbers of
    /// the file carry (or the user's own region), else with no example at all rather than a
    /// country that is nobody's in particular.
    static func defaultCountryHint(_ country: String?) -> LocalizedText {
        guard let country else {
            return LocalizedText(
                en: "Hint: phone numbers written without a country code are read with --default-country "
                    + "(a two-letter country code).",
                es: "Sugerencia: los teléfonos escritos sin código de país se leen con --default-country "
                    + "(un código de país de dos letras).",
                pt: "Dica: os telefones escritos sem código do país são lidos com --default-country "
                    + "(um código de país de duas letras)."
            )
        }
        return LocalizedText(
            en: "Hint: phone numbers written without a country code are read with --default-country "
                + "(e.g. --default-country \(country)).",
            es: "Sugerencia: los teléfonos escritos sin código de país se leen con --default-country "
                + "(p. ej. --default-country \(country)).",
            pt: "Dica: os telefones escritos sem código do país são lidos com --default-country "
                + "(por ex. --default-country \(country))."
        )
    }

    static let stoppedOnErrors = LocalizedText(
        en: "Nothing was imported: some rows have errors (--fail-on-errors). Fix them and try again.",
        es: "No se importó nada: algunas filas tienen errores (--fail-on-errors). Corríjalas y vuelva a intentarlo.",
        pt: "Nada foi importado: algumas linhas têm erros (--fail-on-errors). Corrija-as e tente de novo."
    )

    // MARK: dry run

    static let dryRunDone = LocalizedText(
        en: "Dry run: nothing was imported. Run the same command without --dry-run to import.",
        es: "Solo revisión (--dry-run): no se importó nada. Ejecute el mismo comando sin --dry-run para importar.",
        pt: "Só revisão (--dry-run): nada foi importado. Execute o mesmo comando sem --dry-run para importar."
    )

    static let changesHeading = LocalizedText(
        en: "What would change in existing contacts (first rows):",
        es: "Qué cambiaría en los contactos existentes (primeras filas):",
        pt: "O que mudaria nos contatos existentes (primeiras linhas):"
    )

    static func changeLine(line: Int, field: String, from: String, to: String) -> LocalizedText {
        LocalizedText(en: "  line \(line): \(field): \(from) → \(to)", es: "  línea \(line): \(field): \(from) → \(to)",
                      pt: "  linha \(line): \(field): \(from) → \(to)")
    }

    static let emptyValue = LocalizedText(en: "(empty)", es: "(vacío)", pt: "(vazio)")

    /// "Add 16 contacts now? The 4 rows with errors are left out. [y/N]" — only the actions that
    /// will happen, in singular or plural.
    static func confirmQuestion(add: Int, update: Int, errors: Int, locale: MessageLocale) -> LocalizedText {
        let added = formatCount(add, locale), updated = formatCount(update, locale), failed = formatCount(errors, locale)
        let english: String, spanish: String, portuguese: String
        switch (add > 0, update > 0) {
        case (true, true):
            english = "Add \(added) and update \(updated) contacts now?"
            spanish = "¿Agregar \(added) y actualizar \(updated) contactos ahora?"
            portuguese = "Adicionar \(added) e atualizar \(updated) contatos agora?"
        case (false, true):
            english = update == 1 ? "Update 1 contact now?" : "Update \(updated) contacts now?"
            spanish = update == 1 ? "¿Actualizar 1 contacto ahora?" : "¿Actualizar \(updated) contactos ahora?"
            portuguese = update == 1 ? "Atualizar 1 contato agora?" : "Atualizar \(updated) contatos agora?"
        default:
            english = add == 1 ? "Add 1 contact now?" : "Add \(added) contacts now?"
            spanish = add == 1 ? "¿Agregar 1 contacto ahora?" : "¿Agregar \(added) contactos ahora?"
            portuguese = add == 1 ? "Adicionar 1 contato agora?" : "Adicionar \(added) contatos agora?"
        }
        var englishNote = "", spanishNote = "", portugueseNote = ""
        if errors == 1 {
            englishNote = " The row with errors is left out."
            spanishNote = " La fila con errores queda fuera."
            portugueseNote = " A linha com erros fica de fora."
        } else if errors > 1 {
            englishNote = " The \(failed) rows with errors are left out."
            spanishNote = " Las \(failed) filas con errores quedan fuera."
            portugueseNote = " As \(failed) linhas com erros ficam de fora."
        }
        return LocalizedText(en: english + englishNote + " [y/N] ", es: spanish + spanishNote + " [s/N] ",
                             pt: portuguese + portugueseNote + " [s/N] ")
    }

    static let noAnswer = LocalizedText(
        en: "No answer: the input ended. Use --yes to import without asking.",
        es: "Sin respuesta: la entrada terminó. Use --yes para importar sin preguntar.",
        pt: "Sem resposta: a entrada terminou. Use --yes para importar sem perguntar."
    )

    static let answerYesOrNo = LocalizedText(
        en: "Please answer y (yes) or n (no): ",
        es: "Responda s (sí) o n (no): ",
        pt: "Responda s (sim) ou n (não): "
    )

    /// Why nothing is left to import, in the terms of the purpose: what a skip means depends on it.
    static func nothingToImport(purpose: String) -> LocalizedText {
        switch purpose {
        case "addNew":
            return LocalizedText(
                en: "Nothing to import: every valid row is a contact that already exists (addNew skips them).",
                es: "No hay nada que importar: cada fila válida es un contacto que ya existe (addNew los omite).",
                pt: "Nada a importar: cada linha válida é um contato que já existe (addNew os ignora)."
            )
        case "updateExisting":
            return LocalizedText(
                en: "Nothing to import: no valid row matches an existing contact (updateExisting adds none).",
                es: "No hay nada que importar: ninguna fila válida coincide con un contacto existente (updateExisting no agrega).",
                pt: "Nada a importar: nenhuma linha válida corresponde a um contato existente (updateExisting não adiciona)."
            )
        default:
            return LocalizedText(
                en: "Nothing to import: no row adds or updates a contact.",
                es: "No hay nada que importar: ninguna fila agrega ni actualiza un contacto.",
                pt: "Nada a importar: nenhuma linha adiciona ou atualiza um contato."
            )
        }
    }

    static let cancelling = LocalizedText(
        en: "Cancelling the import… (press Ctrl-C again to quit without waiting)",
        es: "Cancelando la importación… (pulse Ctrl-C otra vez para salir sin esperar)",
        pt: "Cancelando a importação… (pressione Ctrl-C de novo para sair sem esperar)"
    )

    static let cancelled = LocalizedText(
        en: "Import cancelled: nothing was changed.",
        es: "Importación cancelada: no se cambió nada.",
        pt: "Importação cancelada: nada foi alterado."
    )

    static let cancelTooLate = LocalizedText(
        en: "The import had already finished when Ctrl-C arrived.",
        es: "La importación ya había terminado cuando se pulsó Ctrl-C.",
        pt: "A importação já tinha terminado quando o Ctrl-C chegou."
    )

    static let quitWithoutWaiting = LocalizedText(
        en: "Quitting without waiting; contact-importd rolls the import back on its own.",
        es: "Saliendo sin esperar; contact-importd deshace la importación por su cuenta.",
        pt: "Saindo sem esperar; o contact-importd desfaz a importação por conta própria."
    )

    static let interrupted = LocalizedText(
        en: "Interrupted: nothing was imported.",
        es: "Interrumpido: no se importó nada.",
        pt: "Interrompido: nada foi importado."
    )

    static let notConfirmed = LocalizedText(
        en: "Nothing was imported.",
        es: "No se importó nada.",
        pt: "Nada foi importado."
    )

    static let reviewTitle = LocalizedText(en: "Reviewing", es: "Revisando", pt: "Revisando")
    static let openTitle = LocalizedText(en: "Reading the file", es: "Leyendo el archivo", pt: "Lendo o arquivo")
    static let commitTitle = LocalizedText(en: "Importing", es: "Importando", pt: "Importando")

    // MARK: counts, with singulars

    /// "1 imported" / "2 importados" / "1 omitido": a count with its word in the right number.
    static func counted(_ count: Int, _ word: CountWord, _ locale: MessageLocale) -> String {
        let one = count == 1
        let text: String
        switch (word, locale) {
        case (.imported, .english): text = "imported"
        case (.imported, .spanish): text = one ? "importado" : "importados"
        case (.imported, .portuguese): text = one ? "importado" : "importados"
        case (.updated, .english): text = "updated"
        case (.updated, .spanish): text = one ? "actualizado" : "actualizados"
        case (.updated, .portuguese): text = one ? "atualizado" : "atualizados"
        case (.skipped, .english): text = "skipped"
        case (.skipped, .spanish): text = one ? "omitido" : "omitidos"
        case (.skipped, .portuguese): text = one ? "ignorado" : "ignorados"
        case (.errors, .english): text = "with errors"
        case (.errors, .spanish): text = "con errores"
        case (.errors, .portuguese): text = "com erros"
        }
        return formatCount(count, locale) + " " + text
    }

    enum CountWord { case imported, updated, skipped, errors }

    static func finished(state: String, imported: Int, updated: Int, skipped: Int, errors: Int) -> LocalizedText {
        func line(_ locale: MessageLocale) -> String {
            [counted(imported, .imported, locale), counted(updated, .updated, locale),
             counted(skipped, .skipped, locale), counted(errors, .errors, locale)].joined(separator: ", ")
        }
        return LocalizedText(
            en: "Import \(state): \(line(.english)).",
            es: "Importación \(state): \(line(.spanish)).",
            pt: "Importação \(state): \(line(.portuguese))."
        )
    }

    static func resultFile(_ path: String) -> LocalizedText {
        LocalizedText(en: "Result file: \(path)", es: "Archivo de resultados: \(path)",
                      pt: "Arquivo de resultados: \(path)")
    }

    static func keptUntil(_ time: String) -> LocalizedText {
        LocalizedText(en: "  (kept for 7 days, until \(time))", es: "  (disponible 7 días, hasta el \(time))",
                      pt: "  (disponível por 7 dias, até \(time))")
    }

    static func state(_ state: String) -> LocalizedText {
        switch state {
        case "completed": return LocalizedText(en: "completed", es: "completada", pt: "concluída")
        case "cancelled": return LocalizedText(en: "cancelled", es: "cancelada", pt: "cancelada")
        case "failed": return LocalizedText(en: "failed", es: "fallida", pt: "com falha")
        case "interrupted": return LocalizedText(en: "interrupted", es: "interrumpida", pt: "interrompida")
        case "running": return LocalizedText(en: "running", es: "en curso", pt: "em andamento")
        case "undone": return LocalizedText(en: "undone", es: "deshecha", pt: "desfeita")
        default: return LocalizedText(en: state, es: state, pt: state)
        }
    }

    static func problem(_ message: String, code: String) -> LocalizedText {
        LocalizedText(en: "  - \(message) (\(code))", es: "  - \(message) (\(code))", pt: "  - \(message) (\(code))")
    }

    // MARK: history

    static func historyTakesNoFile(_ file: String) -> LocalizedText {
        LocalizedText(
            en: "--history lists past imports and imports nothing (extra argument: \(file)).",
            es: "--history muestra las importaciones anteriores y no importa nada (argumento de más: \(file)).",
            pt: "--history mostra as importações anteriores e não importa nada (argumento a mais: \(file))."
        )
    }

    static let noHistory = LocalizedText(en: "No imports yet in this workspace.",
                                         es: "Todavía no hay importaciones en este espacio de trabajo.",
                                         pt: "Ainda não há importações neste espaço de trabalho.")
    static let jobHeading = LocalizedText(en: "#", es: "#", pt: "#")
    static let fileHeading = LocalizedText(en: "File", es: "Archivo", pt: "Arquivo")
    static let whenHeading = LocalizedText(en: "When", es: "Fecha", pt: "Data")
    static let stateHeading = LocalizedText(en: "State", es: "Estado", pt: "Estado")
    static let countsHeading = LocalizedText(en: "Counts", es: "Cantidades", pt: "Quantidades")
    static let tagHeading = LocalizedText(en: "Tag", es: "Etiqueta", pt: "Etiqueta")
    static let nothingCounted = LocalizedText(en: "nothing", es: "nada", pt: "nada")

    static func historyResultFile(job: String, path: String) -> LocalizedText {
        LocalizedText(en: "  #\(job): \(path)", es: "  #\(job): \(path)", pt: "  #\(job): \(path)")
    }

    static let resultFilesHeading = LocalizedText(en: "Result files:", es: "Archivos de resultados:",
                                                  pt: "Arquivos de resultados:")
    static let expired = LocalizedText(en: "(deleted after 7 days)", es: "(eliminado tras 7 días)",
                                       pt: "(excluído após 7 dias)")

    // MARK: fields

    static let undoUsage = LocalizedText(
        en: "Usage: contact-import undo JOB_ID (the job's number in contact-import history)",
        es: "Uso: contact-import undo ID_TRABAJO (el número del trabajo en contact-import history)",
        pt: "Uso: contact-import undo ID_TRABALHO (o número do trabalho em contact-import history)")

    static func undoDone(job: Int, removed: Int, restored: Int, conflicts: Int) -> LocalizedText {
        LocalizedText(
            en: "Import \(job) undone: \(formatCount(removed, .english)) \(removed == 1 ? "contact" : "contacts") removed, \(formatCount(restored, .english)) restored, \(formatCount(conflicts, .english)) kept as changed since.",
            es: "Importación \(job) deshecha: \(formatCount(removed, .spanish)) \(removed == 1 ? "contacto eliminado" : "contactos eliminados"), \(formatCount(restored, .spanish)) \(restored == 1 ? "restaurado" : "restaurados"), \(formatCount(conflicts, .spanish)) \(conflicts == 1 ? "conservado" : "conservados") por cambios posteriores.",
            pt: "Importação \(job) desfeita: \(formatCount(removed, .portuguese)) \(removed == 1 ? "contato removido" : "contatos removidos"), \(formatCount(restored, .portuguese)) \(restored == 1 ? "restaurado" : "restaurados"), \(formatCount(conflicts, .portuguese)) \(conflicts == 1 ? "mantido" : "mantidos") por alterações posteriores.")
    }

    static let fieldsUsage = LocalizedText(
        en: "Usage: contact-import fields list | contact-import fields create NAME TYPE [--options a,b]",
        es: "Uso: contact-import fields list | contact-import fields create NOMBRE TIPO [--options a,b]",
        pt: "Uso: contact-import fields list | contact-import fields create NOME TIPO [--options a,b]"
    )

    static func unknownFieldsCommand(_ word: String) -> LocalizedText {
        LocalizedText(
            en: "fields \(word): expected list or create.",
            es: "fields \(word): se esperaba list o create.",
            pt: "fields \(word): era esperado list ou create."
        )
    }

    static let listNeedsOptions = LocalizedText(
        en: "A list field needs its options: --options \"Gold,Silver,Bronze\".",
        es: "Un campo de tipo lista necesita sus opciones: --options \"Oro,Plata,Bronce\".",
        pt: "Um campo do tipo lista precisa das suas opções: --options \"Ouro,Prata,Bronze\"."
    )

    static let optionsOnlyForList = LocalizedText(
        en: "--options is only for a field of type list.",
        es: "--options solo sirve para un campo de tipo list.",
        pt: "--options só serve para um campo do tipo list."
    )

    static let optionsOnlyForFields = LocalizedText(
        en: "--options is only for contact-import fields create NAME list.",
        es: "--options solo sirve para contact-import fields create NOMBRE list.",
        pt: "--options só serve para contact-import fields create NOME list."
    )

    static let keyHeading = LocalizedText(en: "Key", es: "Clave", pt: "Chave")
    static let labelHeading = LocalizedText(en: "Label", es: "Nombre", pt: "Nome")
    static let typeHeading = LocalizedText(en: "Type", es: "Tipo", pt: "Tipo")
    static let kindHeading = LocalizedText(en: "Kind", es: "Clase", pt: "Tipo de campo")
    static let builtinKind = LocalizedText(en: "built-in", es: "integrado", pt: "nativo")
    static let customKind = LocalizedText(en: "custom", es: "personalizado", pt: "personalizado")

    static func fieldCreated(name: String, type: String) -> LocalizedText {
        LocalizedText(
            en: "Created the custom field \"\(name)\" (\(type)); map a column to it with --map \"Header=\(name)\".",
            es: "Se creó el campo personalizado \"\(name)\" (\(type)); asígnele una columna con --map \"Encabezado=\(name)\".",
            pt: "Foi criado o campo personalizado \"\(name)\" (\(type)); mapeie uma coluna para ele com --map \"Cabeçalho=\(name)\"."
        )
    }

    static let yesAnswers = ["y", "yes", "s", "si", "sí", "sim"]
    static let noAnswers = ["n", "no", "não", "nao"]
}
