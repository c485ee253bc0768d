import Localization

/// Every sentence `contact-import` prints, in English and Spanish. What the daemon says (row
/// errors, mapping problems, file rejections) arrives already localized and is printed as is.
enum CLIText {
    static let usage = LocalizedText(
        en: """
            Usage: contact-import FILE.csv [options]

            Imports the contacts of a CSV file into a workspace through contact-importd: shows the
            suggested mapping, reviews every row, asks for confirmation and imports.

            Options:
              --purpose P            addNew | updateExisting | addAndUpdate (default) | addAll
              --identifier I         phone | email | contactId (default: the suggested one)
              --default-country CC   country of phone numbers written without a country code (e.g. MX)
              --map "Header=field"   map a column to a field (field key or label); "Header=-" skips it
                                     (repeatable)
              --keep FIELD           don't overwrite stored values of FIELD (repeatable; "all" for all)
              --tags a,b             tags added to every added or updated contact (repeatable)
              --import-tag NAME      the tag naming this import (default: import-YYYYMMDD-HHMMSS)
              --no-import-tag        no import tag
              --workspace DIR        the workspace (default: the embedded default workspace)
              --locale en|es|pt      language of the messages (default: from $LANG)
              --yes, -y              import without asking
              --fail-on-errors       stop before importing if any row has errors (exit code 3)
              --daemon PATH          contact-importd to use (default: $CONTACT_IMPORTD, next to this
                                     program, or on PATH)
              --help, -h             this help
              --version              the version

            Exit codes: 0 done, 1 failed or not confirmed, 2 bad usage, 3 rows with errors
            (with --fail-on-errors; nothing was imported).

            Example:
              contact-import protocol/examples/contactos-ejemplo.csv --default-country MX --yes
            """,
        es: """
            Uso: contact-import ARCHIVO.csv [opciones]

            Importa los contactos de un archivo CSV a un espacio de trabajo mediante contact-importd:
            muestra el mapeo sugerido, revisa cada fila, pide confirmación e importa.

            Opciones:
              --purpose P            addNew | updateExisting | addAndUpdate (predeterminado) | addAll
              --identifier I         phone | email | contactId (predeterminado: el sugerido)
              --default-country CC   país de los teléfonos escritos sin código de país (p. ej. MX)
              --map "Encabezado=campo"  asigna una columna a un campo (clave o nombre del campo);
                                     "Encabezado=-" la omite (se puede repetir)
              --keep CAMPO           no sobrescribir los valores guardados de CAMPO (se puede repetir;
                                     "all" para todos)
              --tags a,b             etiquetas para cada contacto agregado o actualizado (se puede repetir)
              --import-tag NOMBRE    la etiqueta de esta importación (predeterminada: import-AAAAMMDD-HHMMSS)
              --no-import-tag        sin etiqueta de importación
              --workspace DIR        el espacio de trabajo (predeterminado: el espacio integrado)
              --locale en|es|pt      idioma de los mensajes (predeterminado: según $LANG)
              --yes, -y              importar sin preguntar
              --fail-on-errors       no importar nada si alguna fila tiene errores (código de salida 3)
              --daemon RUTA          contact-importd a usar (predeterminado: $CONTACT_IMPORTD, junto a
                                     este programa o en el PATH)
              --help, -h             esta ayuda
              --version              la versión

            Códigos de salida: 0 hecho, 1 fallo o sin confirmar, 2 uso incorrecto, 3 filas con
            errores (con --fail-on-errors; no se importó nada).

            Ejemplo:
              contact-import protocol/examples/contactos-ejemplo.csv --default-country MX --yes
            """
    )

    static let tryHelp = LocalizedText(
        en: "Run contact-import --help for the options.",
        es: "Ejecute contact-import --help para ver las opciones."
    )
    static let missingFile = LocalizedText(
        en: "No CSV file given.",
        es: "No se indicó ningún archivo CSV."
    )

    static func extraArgument(_ argument: String) -> LocalizedText {
        LocalizedText(
            en: "Only one file can be imported at a time (extra argument: \(argument)).",
            es: "Solo se puede importar un archivo a la vez (argumento de más: \(argument))."
        )
    }

    static func missingValue(_ option: String) -> LocalizedText {
        LocalizedText(en: "\(option) needs a value.", es: "\(option) necesita un valor.")
    }

    static func unexpectedValue(_ option: String) -> LocalizedText {
        LocalizedText(en: "\(option) takes no value.", es: "\(option) no lleva valor.")
    }

    static func unknownOption(_ option: String) -> LocalizedText {
        LocalizedText(en: "Unknown option: \(option)", es: "Opción desconocida: \(option)")
    }

    static func badChoice(_ option: String, _ value: String, _ choices: [String]) -> LocalizedText {
        let list = choices.joined(separator: ", ")
        return LocalizedText(
            en: "\(option) \(value): expected one of \(list).",
            es: "\(option) \(value): se esperaba uno de \(list)."
        )
    }

    static func badMap(_ text: String) -> LocalizedText {
        LocalizedText(
            en: "--map \(text): expected \"Header=field\" (or \"Header=-\" to skip the column).",
            es: "--map \(text): se esperaba \"Encabezado=campo\" (o \"Encabezado=-\" para omitir la columna)."
        )
    }

    static func unknownHeader(_ header: String, _ headers: [String]) -> LocalizedText {
        let list = headers.map { "\"\($0)\"" }.joined(separator: ", ")
        return LocalizedText(
            en: "--map: the file has no column \"\(header)\" (columns: \(list)).",
            es: "--map: el archivo no tiene la columna \"\(header)\" (columnas: \(list))."
        )
    }

    static func unknownKeepField(_ field: String) -> LocalizedText {
        LocalizedText(
            en: "--keep \(field): no mapped column goes to that field.",
            es: "--keep \(field): ninguna columna asignada va a ese campo."
        )
    }

    static func daemonNotFound(_ searched: [String]) -> LocalizedText {
        let list = searched.joined(separator: ", ")
        return LocalizedText(
            en: "contact-importd not found (looked at: \(list)). Build it with `swift build` or set CONTACT_IMPORTD.",
            es: "No se encontró contact-importd (se buscó en: \(list)). Compílelo con `swift build` o defina CONTACT_IMPORTD."
        )
    }

    static func daemonFailed(_ reason: String) -> LocalizedText {
        LocalizedText(
            en: "contact-importd stopped unexpectedly: \(reason)",
            es: "contact-importd se detuvo inesperadamente: \(reason)"
        )
    }

    static func errorLine(_ message: String) -> LocalizedText {
        LocalizedText(en: "error: \(message)", es: "error: \(message)")
    }

    static func fileSummary(name: String, rows: String, columns: Int, encoding: String, delimiter: String)
        -> LocalizedText {
        let oneRow = rows == "1", oneColumn = columns == 1
        return LocalizedText(
            en: "\(name): \(rows) \(oneRow ? "row" : "rows"), \(columns) \(oneColumn ? "column" : "columns") "
                + "(\(encoding), delimiter \"\(delimiter)\")",
            es: "\(name): \(rows) \(oneRow ? "fila" : "filas"), \(columns) \(oneColumn ? "columna" : "columnas") "
                + "(\(encoding), separador \"\(delimiter)\")"
        )
    }

    static func warning(_ message: String) -> LocalizedText {
        LocalizedText(en: "warning: \(message)", es: "aviso: \(message)")
    }

    static let columnHeading = LocalizedText(en: "Column", es: "Columna")
    static let fieldHeading = LocalizedText(en: "Field", es: "Campo")
    static let confidenceHeading = LocalizedText(en: "Confidence", es: "Confianza")
    static let samplesHeading = LocalizedText(en: "Samples", es: "Muestras")
    static let skipped = LocalizedText(en: "(skipped)", es: "(se omite)")
    static let keepMark = LocalizedText(en: "don't overwrite", es: "no sobrescribir")

    /// The seed's names of the four purposes, as the product shows them.
    static func purposeName(_ purpose: String) -> LocalizedText {
        switch purpose {
        case "addNew": return LocalizedText(en: "add new contacts only", es: "agregar nuevos contactos solamente")
        case "updateExisting": return LocalizedText(en: "update existing contacts only", es: "actualizar solo contactos existentes")
        case "addAndUpdate": return LocalizedText(en: "add and update contacts", es: "agregar y actualizar contactos")
        case "addAll": return LocalizedText(en: "add all contacts despite duplicates",
                                             es: "agregar todos los contactos a pesar de los duplicados")
        default: return LocalizedText(en: purpose, es: purpose)
        }
    }

    /// "Review: add and update contacts (addAndUpdate), identifier Phone Number (phone)" — the
    /// words a user knows from the product, and the names the options take.
    static func reviewHeading(purpose: String, identifier: String?, identifierLabel: String?) -> LocalizedText {
        let name = purposeName(purpose)
        guard let identifier else {
            return LocalizedText(
                en: "Review: \(name.text(.english)) (\(purpose)), no identifier",
                es: "Revisión: \(name.text(.spanish)) (\(purpose)), sin identificador"
            )
        }
        let by = identifierLabel.map { "\($0) (\(identifier))" } ?? identifier
        return LocalizedText(
            en: "Review: \(name.text(.english)) (\(purpose)), identifier \(by)",
            es: "Revisión: \(name.text(.spanish)) (\(purpose)), identificador \(by)"
        )
    }

    static let addLabel = LocalizedText(en: "To add", es: "Por agregar")
    static let updateLabel = LocalizedText(en: "To update", es: "Por actualizar")
    static let skipLabel = LocalizedText(en: "To skip", es: "Por omitir")
    static let errorLabel = LocalizedText(en: "With errors", es: "Con errores")
    static let totalLabel = LocalizedText(en: "Total rows", es: "Total de filas")

    static func errorFile(_ path: String) -> LocalizedText {
        LocalizedText(en: "Error file: \(path)", es: "Archivo de errores: \(path)")
    }

    static func importTag(_ tag: String?) -> LocalizedText {
        guard let tag else { return LocalizedText(en: "Import tag: none", es: "Etiqueta de importación: ninguna") }
        return LocalizedText(en: "Import tag: \(tag)", es: "Etiqueta de importación: \(tag)")
    }

    static func errorRow(line: Int, row: Int, message: String) -> LocalizedText {
        LocalizedText(en: "  line \(line) (row \(row)): \(message)", es: "  línea \(line) (fila \(row)): \(message)")
    }

    static func moreErrors(_ count: String) -> LocalizedText {
        LocalizedText(en: "  … and \(count) more (see the error file)", es: "  … y \(count) más (vea el archivo de errores)")
    }

    static let stoppedOnErrors = LocalizedText(
        en: "Nothing was imported: some rows have errors (--fail-on-errors). Fix them and try again.",
        es: "No se importó nada: algunas filas tienen errores (--fail-on-errors). Corríjalas y vuelva a intentarlo."
    )

    /// "Add 16 contacts now? The 4 rows with errors are left out. [y/N]" — only the actions that
    /// will happen, in singular or plural.
    static func confirmQuestion(add: Int, update: Int, errors: Int, locale: MessageLocale) -> LocalizedText {
        let added = formatCount(add, locale), updated = formatCount(update, locale), failed = formatCount(errors, locale)
        let english: String, spanish: String
        switch (add > 0, update > 0) {
        case (true, true):
            english = "Add \(added) and update \(updated) contacts now?"
            spanish = "¿Agregar \(added) y actualizar \(updated) contactos ahora?"
        case (false, true):
            english = update == 1 ? "Update 1 contact now?" : "Update \(updated) contacts now?"
            spanish = update == 1 ? "¿Actualizar 1 contacto ahora?" : "¿Actualizar \(updated) contactos ahora?"
        default:
            english = add == 1 ? "Add 1 contact now?" : "Add \(added) contacts now?"
            spanish = add == 1 ? "¿Agregar 1 contacto ahora?" : "¿Agregar \(added) contactos ahora?"
        }
        var englishNote = "", spanishNote = ""
        if errors == 1 {
            englishNote = " The row with errors is left out."
            spanishNote = " La fila con errores queda fuera."
        } else if errors > 1 {
            englishNote = " The \(failed) rows with errors are left out."
            spanishNote = " Las \(failed) filas con errores quedan fuera."
        }
        return LocalizedText(en: english + englishNote + " [y/N] ", es: spanish + spanishNote + " [s/N] ")
    }

    static let answerYesOrNo = LocalizedText(
        en: "Please answer y (yes) or n (no): ",
        es: "Responda s (sí) o n (no): "
    )

    static let nothingToImport = LocalizedText(
        en: "Nothing to import: no row adds or updates a contact.",
        es: "No hay nada que importar: ninguna fila agrega ni actualiza un contacto."
    )

    static let cancelling = LocalizedText(
        en: "Cancelling the import… (press Ctrl-C again to quit without waiting)",
        es: "Cancelando la importación… (pulse Ctrl-C otra vez para salir sin esperar)"
    )

    static let cancelled = LocalizedText(
        en: "Import cancelled: nothing was changed.",
        es: "Importación cancelada: no se cambió nada."
    )

    static let cancelTooLate = LocalizedText(
        en: "The import had already finished when Ctrl-C arrived.",
        es: "La importación ya había terminado cuando se pulsó Ctrl-C."
    )

    static let quitWithoutWaiting = LocalizedText(
        en: "Quitting without waiting; contact-importd rolls the import back on its own.",
        es: "Saliendo sin esperar; contact-importd deshace la importación por su cuenta."
    )

    static let interrupted = LocalizedText(
        en: "Interrupted: nothing was imported.",
        es: "Interrumpido: no se importó nada."
    )

    static let notConfirmed = LocalizedText(
        en: "Nothing was imported.",
        es: "No se importó nada."
    )

    static let reviewTitle = LocalizedText(en: "Reviewing", es: "Revisando")
    static let openTitle = LocalizedText(en: "Reading the file", es: "Leyendo el archivo")
    static let commitTitle = LocalizedText(en: "Importing", es: "Importando")

    static func finished(state: String, imported: String, updated: String, skipped: String, errors: String)
        -> LocalizedText {
        LocalizedText(
            en: "Import \(state): \(imported) imported, \(updated) updated, \(skipped) skipped, \(errors) with errors.",
            es: "Importación \(state): \(imported) importados, \(updated) actualizados, \(skipped) omitidos, \(errors) con errores."
        )
    }

    static func resultFile(_ path: String) -> LocalizedText {
        LocalizedText(en: "Result file: \(path)", es: "Archivo de resultados: \(path)")
    }

    static func keptUntil(_ time: String) -> LocalizedText {
        LocalizedText(en: "  (kept for 7 days, until \(time))", es: "  (disponible 7 días, hasta el \(time))")
    }

    static func state(_ state: String) -> LocalizedText {
        switch state {
        case "completed": return LocalizedText(en: "completed", es: "completada")
        case "cancelled": return LocalizedText(en: "cancelled", es: "cancelada")
        case "failed": return LocalizedText(en: "failed", es: "fallida")
        case "interrupted": return LocalizedText(en: "interrupted", es: "interrumpida")
        case "running": return LocalizedText(en: "running", es: "en curso")
        default: return LocalizedText(en: state, es: state)
        }
    }

    static func problem(_ message: String, code: String) -> LocalizedText {
        LocalizedText(en: "  - \(message) (\(code))", es: "  - \(message) (\(code))")
    }

    static func otherJob(_ jobId: String, _ startedAt: String) -> LocalizedText {
        LocalizedText(
            en: "  (job \(jobId), started \(startedAt))",
            es: "  (trabajo \(jobId), iniciado \(startedAt))"
        )
    }

    static let yesAnswers = ["y", "yes", "s", "si", "sí", "sim"]
    static let noAnswers = ["n", "no", "não", "nao"]
}
