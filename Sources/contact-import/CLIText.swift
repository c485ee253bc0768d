import Localization

/// Every sentence `contact-import` prints, in English and Spanish. What the daemon says (row
/// errors, mapping problems, file rejections) arrives already localized and is printed as is.
enum CLIText {
    static let usage = LocalizedText(
        en: """
            Usage: contact-import FILE.csv [options]
                   contact-import --history [--workspace DIR]

            Imports the contacts of a CSV file into a workspace through contact-importd: reads the
            file, shows the suggested mapping of its columns to contact fields, reviews every row
            (how many contacts will be added, updated or skipped, and which rows have errors, listed
            in an error file), asks for confirmation, imports, and prints the path of the result
            file (the file with an Import Status column, kept 7 days).

            What to do with each row:
              --purpose P            one of:
                                       addAndUpdate    (the default) update the contacts that exist,
                                                       add the others
                                       addNew          add the contacts that don't exist yet; the
                                                       existing ones are skipped, never changed
                                       updateExisting  update the contacts that exist; add none
                                       addAll          add every row as a new contact, even duplicates
              --identifier I         how a row finds its existing contact: phone | email | contactId
                                     (contactId with updateExisting only; default: the phone or e-mail
                                     column the mapping suggests; addAll needs none)
              --default-country CC   country of phone numbers written without a country code, e.g. MX
                                     (a row's own Country column comes first)

            Mapping:
              --map "Header=field"   map a column to a field, by key or label, case and accents aside
                                     ("Móvil=phone", "movil=phone number"); "Header=-" skips the
                                     column (repeatable)
              --keep FIELD           "don't overwrite": keep FIELD's stored value and only fill it when
                                     empty; for tags, add to them instead of replacing them
                                     (repeatable; "all" for every column)
                                     Field keys: firstName, lastName, phone, email, language,
                                     countryCode, tags, contactId, and custom fields by name.

            Tags:
              --tags a,b             tags added to every added or updated contact (repeatable)
              --import-tag NAME      the tag naming this import (default: import-YYYYMMDD-HHMMSS)
              --no-import-tag        no import tag

            Running:
              --history              list the workspace's last 20 imports (state, counts, result
                                     file) instead of importing
              --yes, -y              import without asking
              --fail-on-errors       import nothing if any row has errors (exit code 3)
              --workspace DIR        the workspace (default: $XDG_DATA_HOME/contact-importer/default,
                                     else ~/.local/share/contact-importer/default)
              --locale en|es|pt      language of the messages and of the columns added to the error and
                                     result files (default: from $LC_ALL, $LC_MESSAGES or $LANG)
              --daemon PATH          the contact-importd to run (default: $CONTACT_IMPORTD, the one next
                                     to this program, or the one on PATH)
              --help, -h             this help
              --version              the version

            When a contact is updated, a value in the file replaces the stored one and an empty cell
            clears it, unless --keep says otherwise. Rows with errors are never imported: correct
            them and import them again. Importing the same file twice with addAndUpdate updates the
            contacts of the first time (with --purpose addNew they are skipped instead).

            Ctrl-C while importing cancels the import: contact-importd rolls it back, nothing is
            changed and --history says "cancelled" (exit code 1). Press Ctrl-C again to quit
            without waiting. Before the import starts, Ctrl-C simply stops. SIGTERM (kill,
            timeout) does the same as Ctrl-C.

            Exit codes: 0 done (or nothing to import), 1 failed, cancelled or not confirmed,
            2 bad usage, 3 rows with errors with --fail-on-errors (nothing was imported).

            Examples:
              contact-import protocol/examples/contactos-ejemplo.csv --default-country MX
              contact-import clientes.csv --purpose addNew --tags feria-2026 --yes
              contact-import cambios.csv --purpose updateExisting --identifier email --keep tags
              contact-import lista.csv --map "Móvil=phone" --map "Notas=-" --fail-on-errors --yes
            """,
        es: """
            Uso: contact-import ARCHIVO.csv [opciones]
                 contact-import --history [--workspace DIR]

            Importa los contactos de un archivo CSV a un espacio de trabajo mediante contact-importd:
            lee el archivo, muestra la asignación sugerida de sus columnas a campos de contacto,
            revisa cada fila (cuántos contactos se agregarán, actualizarán u omitirán, y qué filas
            tienen errores, listadas en un archivo de errores), pide confirmación, importa y muestra
            la ruta del archivo de resultados (el archivo con una columna Estado de la importación,
            disponible 7 días).

            Qué hacer con cada fila:
              --purpose P            uno de:
                                       addAndUpdate    (el predeterminado) actualiza los contactos que
                                                       existen y agrega los demás
                                       addNew          agrega los contactos que aún no existen; los
                                                       existentes se omiten, nunca se cambian
                                       updateExisting  actualiza los contactos que existen; no agrega
                                       addAll          agrega cada fila como contacto nuevo, aunque
                                                       esté duplicada
              --identifier I         cómo una fila encuentra su contacto: phone | email | contactId
                                     (contactId solo con updateExisting; predeterminado: la columna de
                                     teléfono o correo que sugiere la asignación; addAll no lo usa)
              --default-country CC   país de los teléfonos escritos sin código de país, p. ej. MX
                                     (la columna País de la fila tiene prioridad)

            Asignación:
              --map "Encabezado=campo"
                                     asigna una columna a un campo, por clave o nombre, sin importar
                                     mayúsculas ni acentos ("Móvil=phone", "movil=numero de telefono");
                                     "Encabezado=-" omite la columna (se puede repetir)
              --keep CAMPO           "no sobrescribir": conserva el valor guardado de CAMPO y solo lo
                                     completa si está vacío; en las etiquetas, agrega en lugar de
                                     reemplazar (se puede repetir; "all" para todas las columnas)
                                     Claves de campo: firstName, lastName, phone, email, language,
                                     countryCode, tags, contactId y los campos personalizados por nombre.

            Etiquetas:
              --tags a,b             etiquetas para cada contacto agregado o actualizado (se puede repetir)
              --import-tag NOMBRE    la etiqueta de esta importación (predeterminada: import-AAAAMMDD-HHMMSS)
              --no-import-tag        sin etiqueta de importación

            Ejecución:
              --history              mostrar las últimas 20 importaciones del espacio de trabajo
                                     (estado, cantidades, archivo de resultados) en lugar de importar
              --yes, -y              importar sin preguntar
              --fail-on-errors       no importar nada si alguna fila tiene errores (código de salida 3)
              --workspace DIR        el espacio de trabajo (predeterminado:
                                     $XDG_DATA_HOME/contact-importer/default, si no
                                     ~/.local/share/contact-importer/default)
              --locale en|es|pt      idioma de los mensajes y de las columnas que se añaden a los
                                     archivos de errores y de resultados (predeterminado: según
                                     $LC_ALL, $LC_MESSAGES o $LANG)
              --daemon RUTA          el contact-importd a ejecutar (predeterminado: $CONTACT_IMPORTD, el
                                     que está junto a este programa o el del PATH)
              --help, -h             esta ayuda
              --version              la versión

            Al actualizar un contacto, un valor del archivo reemplaza el guardado y una celda vacía lo
            borra, salvo que --keep diga otra cosa. Las filas con errores nunca se importan:
            corríjalas e impórtelas de nuevo. Importar dos veces el mismo archivo con addAndUpdate
            actualiza los contactos de la primera vez (con --purpose addNew se omiten).

            Ctrl-C durante la importación la cancela: contact-importd la deshace, no se cambia nada y
            --history dice "cancelada" (código de salida 1). Pulse Ctrl-C otra vez para salir sin
            esperar. Antes de que empiece la importación, Ctrl-C simplemente detiene el programa.
            SIGTERM (kill, timeout) hace lo mismo que Ctrl-C.

            Códigos de salida: 0 hecho (o nada que importar), 1 fallo, cancelación o sin confirmar,
            2 uso incorrecto, 3 filas con errores con --fail-on-errors (no se importó nada).

            Ejemplos:
              contact-import protocol/examples/contactos-ejemplo.csv --default-country MX
              contact-import clientes.csv --purpose addNew --tags feria-2026 --yes
              contact-import cambios.csv --purpose updateExisting --identifier email --keep tags
              contact-import lista.csv --map "Móvil=phone" --map "Notas=-" --fail-on-errors --yes
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
    static let skippedHint = LocalizedText(
        en: "Columns marked (skipped) are not imported; to import one, map it with --map \"Header=field\".",
        es: "Las columnas marcadas (se omite) no se importan; para importar una, asígnela con --map \"Encabezado=campo\"."
    )
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

    static let defaultCountryHint = LocalizedText(
        en: "Hint: phone numbers written without a country code are read with --default-country (e.g. --default-country MX).",
        es: "Sugerencia: los teléfonos escritos sin código de país se leen con --default-country (p. ej. --default-country MX)."
    )

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

    static let noAnswer = LocalizedText(
        en: "No answer: the input ended. Use --yes to import without asking.",
        es: "Sin respuesta: la entrada terminó. Use --yes para importar sin preguntar."
    )

    static let answerYesOrNo = LocalizedText(
        en: "Please answer y (yes) or n (no): ",
        es: "Responda s (sí) o n (no): "
    )

    /// Why nothing is left to import, in the terms of the purpose: what a skip means depends on it.
    static func nothingToImport(purpose: String) -> LocalizedText {
        switch purpose {
        case "addNew":
            return LocalizedText(
                en: "Nothing to import: every valid row is a contact that already exists (addNew skips them).",
                es: "No hay nada que importar: cada fila válida es un contacto que ya existe (addNew los omite)."
            )
        case "updateExisting":
            return LocalizedText(
                en: "Nothing to import: no valid row matches an existing contact (updateExisting adds none).",
                es: "No hay nada que importar: ninguna fila válida coincide con un contacto existente (updateExisting no agrega)."
            )
        default:
            return LocalizedText(
                en: "Nothing to import: no row adds or updates a contact.",
                es: "No hay nada que importar: ninguna fila agrega ni actualiza un contacto."
            )
        }
    }

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

    static func historyTakesNoFile(_ file: String) -> LocalizedText {
        LocalizedText(
            en: "--history lists past imports and imports nothing (extra argument: \(file)).",
            es: "--history muestra las importaciones anteriores y no importa nada (argumento de más: \(file))."
        )
    }

    static let noHistory = LocalizedText(en: "No imports yet in this workspace.",
                                         es: "Todavía no hay importaciones en este espacio de trabajo.")
    static let jobHeading = LocalizedText(en: "Job", es: "Trabajo")
    static let stateHeading = LocalizedText(en: "State", es: "Estado")
    static let startedHeading = LocalizedText(en: "Started", es: "Inicio")
    static let fileHeading = LocalizedText(en: "File", es: "Archivo")
    static let countsHeading = LocalizedText(en: "Imported / updated / skipped / errors",
                                             es: "Importados / actualizados / omitidos / errores")
    static let resultHeading = LocalizedText(en: "Result file", es: "Archivo de resultados")
    static let expired = LocalizedText(en: "(deleted after 7 days)", es: "(eliminado tras 7 días)")

    static let yesAnswers = ["y", "yes", "s", "si", "sí", "sim"]
    static let noAnswers = ["n", "no", "não", "nao"]
}
