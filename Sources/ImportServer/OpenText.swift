import Localization

/// Every sentence of import/open, import/suggestMapping and import/close, in one place for translators.
enum OpenText {
    static let uriOrTextMissing = LocalizedText(
        en: "is required: give either `uri` (a file:// URI) or `text` (the file's contents)",
        es: "es obligatorio: indique `uri` (una URI file://) o `text` (el contenido del archivo)",
        pt: "é obrigatório: informe `uri` (uma URI file://) ou `text` (o conteúdo do arquivo)")

    static let uriAndText = LocalizedText(
        en: "cannot be given together with `uri`: send one or the other",
        es: "no puede enviarse junto con `uri`: envíe uno u otro",
        pt: "não pode ser enviado junto com `uri`: envie um ou outro")

    static let badDelimiter = LocalizedText(
        en: "must be one of \",\", \";\", \"\\t\" (tab) or \"|\"",
        es: "debe ser uno de \",\", \";\", \"\\t\" (tabulador) o \"|\"",
        pt: "deve ser um de \",\", \";\", \"\\t\" (tabulação) ou \"|\"")

    static func notFileURI(_ given: String) -> LocalizedText {
        let uri = quotedValue(given, limit: 200)
        return LocalizedText(
            en: "\"\(uri)\" is not a file on this computer (only file:// URIs can be read). Save the file to disk and open it from there.",
            es: "\"\(uri)\" no es un archivo de este equipo (solo se pueden leer URI file://). Guarde el archivo en el disco y ábralo desde allí.",
            pt: "\"\(uri)\" não é um arquivo deste computador (só URIs file:// podem ser lidas). Salve o arquivo no disco e abra-o de lá.")
    }

    static func malformedFileURI(_ given: String) -> LocalizedText {
        let uri = quotedValue(given, limit: 200)
        return LocalizedText(
            en: "\"\(uri)\" is not a valid file:// URI (a % must be followed by two hexadecimal digits). Choose the file again.",
            es: "\"\(uri)\" no es una URI file:// válida (un % debe ir seguido de dos dígitos hexadecimales). Vuelva a elegir el archivo.",
            pt: "\"\(uri)\" não é uma URI file:// válida (um % deve ser seguido de dois dígitos hexadecimais). Escolha o arquivo novamente.")
    }

    static let reading = LocalizedText(en: "Reading the file", es: "Leyendo el archivo", pt: "Lendo o arquivo")

    /// Rows are not known until the whole file is read, so reading reports how much of it is done.
    static func fileRead(percent: Int, _ locale: MessageLocale) -> String {
        LocalizedText(en: "\(percent)% of the file read", es: "\(percent) % del archivo leído",
                      pt: "\(percent)% do arquivo lido").text(locale)
    }

    static func rowsRead(_ rows: Int, _ locale: MessageLocale) -> String {
        let count = formatCount(rows, locale)
        return LocalizedText(en: "\(count) rows", es: "\(count) filas", pt: "\(count) linhas").text(locale)
    }

    /// The name given to an editor buffer sent as `text` without a `fileName`.
    static let untitled = "untitled.csv"
}
