import Localization

/// Every sentence the CSV module shows to people, in one place so translators find them.
/// Each rejection says what was found and what to do next: our users are not programmers and
/// the usual fix is "save it again from Excel as CSV UTF-8".
enum CSVMessages {
    static let saveAsCSV = LocalizedText(
        en: "In Excel choose File > Save As > CSV UTF-8 (Comma delimited) (*.csv); in Google Sheets, File > Download > Comma-separated values (.csv). Then import the new file.",
        es: "En Excel elija Archivo > Guardar como > CSV UTF-8 (delimitado por comas) (*.csv); en Google Sheets, Archivo > Descargar > Valores separados por comas (.csv). Después importe el archivo nuevo.",
        pt: "No Excel escolha Arquivo > Salvar como > CSV UTF-8 (delimitado por vírgulas) (*.csv); no Google Planilhas, Arquivo > Fazer download > Valores separados por vírgula (.csv). Depois importe o novo arquivo.")

    private static func joined(_ first: LocalizedText, _ second: LocalizedText) -> LocalizedText {
        LocalizedText(en: first.english + " " + second.english,
                      es: first.spanish + " " + second.spanish,
                      pt: first.portuguese + " " + second.portuguese)
    }

    static let excelWorkbook = joined(LocalizedText(
        en: "This file is an Excel workbook (.xlsx), not a CSV file.",
        es: "Este archivo es un libro de Excel (.xlsx), no un archivo CSV.",
        pt: "Este arquivo é uma pasta de trabalho do Excel (.xlsx), não um arquivo CSV."), saveAsCSV)

    static let legacyExcelWorkbook = joined(LocalizedText(
        en: "This file is an Excel 97-2003 workbook (.xls), not a CSV file.",
        es: "Este archivo es un libro de Excel 97-2003 (.xls), no un archivo CSV.",
        pt: "Este arquivo é uma pasta de trabalho do Excel 97-2003 (.xls), não um arquivo CSV."), saveAsCSV)

    static let openDocumentSpreadsheet = LocalizedText(
        en: "This file is an OpenDocument spreadsheet (.ods), not a CSV file. In LibreOffice choose File > Save As > Text CSV (.csv), character set Unicode (UTF-8), then import the new file.",
        es: "Este archivo es una hoja de cálculo OpenDocument (.ods), no un archivo CSV. En LibreOffice elija Archivo > Guardar como > Texto CSV (.csv), juego de caracteres Unicode (UTF-8), y después importe el archivo nuevo.",
        pt: "Este arquivo é uma planilha OpenDocument (.ods), não um arquivo CSV. No LibreOffice escolha Arquivo > Salvar como > Texto CSV (.csv), conjunto de caracteres Unicode (UTF-8), e depois importe o novo arquivo.")

    static let zipArchive = LocalizedText(
        en: "This file is a compressed (ZIP) archive, not a CSV file. Extract it and import the CSV file inside, or save your spreadsheet as CSV UTF-8.",
        es: "Este archivo es un archivo comprimido (ZIP), no un archivo CSV. Descomprímalo e importe el CSV que contiene, o guarde su hoja de cálculo como CSV UTF-8.",
        pt: "Este arquivo é um arquivo compactado (ZIP), não um arquivo CSV. Descompacte-o e importe o CSV que ele contém, ou salve sua planilha como CSV UTF-8.")

    static let pdfDocument = LocalizedText(
        en: "This file is a PDF document, not a CSV file. Contacts can only be imported from CSV: export them as CSV from the spreadsheet or system they come from.",
        es: "Este archivo es un documento PDF, no un archivo CSV. Los contactos solo se pueden importar desde CSV: expórtelos como CSV desde la hoja de cálculo o el sistema de origen.",
        pt: "Este arquivo é um documento PDF, não um arquivo CSV. Os contatos só podem ser importados de CSV: exporte-os como CSV da planilha ou do sistema de origem.")

    static func image(_ kind: String) -> LocalizedText {
        LocalizedText(
            en: "This file is a \(kind) image, not a CSV file. Export your contacts as CSV from the spreadsheet or system they come from.",
            es: "Este archivo es una imagen \(kind), no un archivo CSV. Exporte sus contactos como CSV desde la hoja de cálculo o el sistema de origen.",
            pt: "Este arquivo é uma imagem \(kind), não um arquivo CSV. Exporte seus contatos como CSV da planilha ou do sistema de origem.")
    }

    static let binaryContent = joined(LocalizedText(
        en: "This file contains binary data, so it is not a text CSV file.",
        es: "Este archivo contiene datos binarios, así que no es un archivo CSV de texto.",
        pt: "Este arquivo contém dados binários, então não é um arquivo CSV de texto."), saveAsCSV)

    static func tooLarge(bytes: Int, limit: Int) -> LocalizedText {
        func megabytes(_ value: Int, _ locale: MessageLocale) -> String {
            let tenths = (value * 10 + 524_288) / 1_048_576
            let separator = locale == .english ? "." : ","
            return "\(formatCount(tenths / 10, locale))\(separator)\(tenths % 10) MB"
        }
        return LocalizedText(
            en: "The file is \(megabytes(bytes, .english)); the limit is \(megabytes(limit, .english)). Split it into smaller files and import them one after another.",
            es: "El archivo ocupa \(megabytes(bytes, .spanish)); el límite es \(megabytes(limit, .spanish)). Divídalo en archivos más pequeños e impórtelos uno tras otro.",
            pt: "O arquivo tem \(megabytes(bytes, .portuguese)); o limite é \(megabytes(limit, .portuguese)). Divida-o em arquivos menores e importe-os um após o outro.")
    }

    static let emptyFile = LocalizedText(
        en: "The file is empty. Check that you chose the right file and that it was saved with its contacts.",
        es: "El archivo está vacío. Compruebe que eligió el archivo correcto y que se guardó con sus contactos.",
        pt: "O arquivo está vazio. Verifique se escolheu o arquivo certo e se ele foi salvo com os contatos.")

    static let headerOnly = LocalizedText(
        en: "The file has a header row but no contact rows under it. Add at least one row of contacts under the header and import it again.",
        es: "El archivo tiene una fila de encabezados pero ninguna fila de contactos debajo. Añada al menos una fila de contactos bajo los encabezados e impórtelo de nuevo.",
        pt: "O arquivo tem uma linha de cabeçalho mas nenhuma linha de contatos abaixo dela. Adicione pelo menos uma linha de contatos e importe-o novamente.")

    static func tooManyRows(limit: Int) -> LocalizedText {
        LocalizedText(
            en: "The file has more than \(formatCount(limit, .english)) contact rows. Split it into files of at most \(formatCount(limit, .english)) rows and import them one after another.",
            es: "El archivo tiene más de \(formatCount(limit, .spanish)) filas de contactos. Divídalo en archivos de \(formatCount(limit, .spanish)) filas como máximo e impórtelos uno tras otro.",
            pt: "O arquivo tem mais de \(formatCount(limit, .portuguese)) linhas de contatos. Divida-o em arquivos de no máximo \(formatCount(limit, .portuguese)) linhas e importe-os um após o outro.")
    }

    static func fileNotFound(_ path: String) -> LocalizedText {
        LocalizedText(
            en: "The file “\(path)” was not found. Check its name and folder, or choose it again.",
            es: "No se encontró el archivo «\(path)». Compruebe su nombre y su carpeta, o vuelva a elegirlo.",
            pt: "O arquivo “\(path)” não foi encontrado. Verifique o nome e a pasta, ou escolha-o novamente.")
    }

    static func isDirectory(_ path: String) -> LocalizedText {
        LocalizedText(
            en: "“\(path)” is a folder, not a file. Choose the CSV file inside it.",
            es: "«\(path)» es una carpeta, no un archivo. Elija el archivo CSV que contiene.",
            pt: "“\(path)” é uma pasta, não um arquivo. Escolha o arquivo CSV dentro dela.")
    }

    static func notRegularFile(_ path: String) -> LocalizedText {
        LocalizedText(
            en: "“\(path)” is not a regular file. Save the contacts to a CSV file and choose that file.",
            es: "«\(path)» no es un archivo normal. Guarde los contactos en un archivo CSV y elija ese archivo.",
            pt: "“\(path)” não é um arquivo comum. Salve os contatos em um arquivo CSV e escolha esse arquivo.")
    }

    static func permissionDenied(_ path: String) -> LocalizedText {
        LocalizedText(
            en: "The importer has no permission to read “\(path)”. Copy the file to a folder you own (or change its permissions) and try again.",
            es: "El importador no tiene permiso para leer «\(path)». Copie el archivo a una carpeta suya (o cambie sus permisos) e inténtelo de nuevo.",
            pt: "O importador não tem permissão para ler “\(path)”. Copie o arquivo para uma pasta sua (ou altere as permissões) e tente novamente.")
    }

    static func readFailed(_ path: String, _ reason: String) -> LocalizedText {
        LocalizedText(
            en: "The file “\(path)” could not be read (\(reason)). Try again, or copy it to another folder first.",
            es: "No se pudo leer el archivo «\(path)» (\(reason)). Inténtelo de nuevo, o cópielo antes a otra carpeta.",
            pt: "Não foi possível ler o arquivo “\(path)” (\(reason)). Tente novamente, ou copie-o antes para outra pasta.")
    }

    // MARK: Warnings and generated names

    static func columnName(_ number: Int) -> LocalizedText {
        LocalizedText(en: "Column \(number)", es: "Columna \(number)", pt: "Coluna \(number)")
    }

    private static func list(_ names: [String], _ locale: MessageLocale) -> String {
        let quoted = names.map { locale == .spanish ? "«\($0)»" : "“\($0)”" }
        guard quoted.count > 1, let last = quoted.last else { return quoted.first ?? "" }
        let and: String
        switch locale {
        case .english: and = " and "
        case .spanish: and = " y "
        case .portuguese: and = " e "
        }
        return quoted.dropLast().joined(separator: ", ") + and + last
    }

    static func emptyHeaders(columns: [Int], names: [String]) -> LocalizedText {
        let numbers = columns.map(String.init)
        if columns.count == 1 {
            return LocalizedText(
                en: "Column \(numbers[0]) has no header; it is shown as \(list(names, .english)).",
                es: "La columna \(numbers[0]) no tiene encabezado; se muestra como \(list(names, .spanish)).",
                pt: "A coluna \(numbers[0]) não tem cabeçalho; ela aparece como \(list(names, .portuguese)).")
        }
        return LocalizedText(
            en: "\(columns.count) columns have no header; they are shown as \(list(names, .english)).",
            es: "\(columns.count) columnas no tienen encabezado; se muestran como \(list(names, .spanish)).",
            pt: "\(columns.count) colunas não têm cabeçalho; elas aparecem como \(list(names, .portuguese)).")
    }

    static func duplicateHeader(_ header: String, names: [String]) -> LocalizedText {
        LocalizedText(
            en: "The header “\(header)” appears \(names.count) times; the columns are kept apart as \(list(names, .english)).",
            es: "El encabezado «\(header)» aparece \(names.count) veces; las columnas se mantienen separadas como \(list(names, .spanish)).",
            pt: "O cabeçalho “\(header)” aparece \(names.count) vezes; as colunas são mantidas separadas como \(list(names, .portuguese)).")
    }

    static func titleRows(headerLine: Int) -> LocalizedText {
        LocalizedText(
            en: "The header row was taken from line \(headerLine): the lines above it look like a title, not column names, and are not imported. If the header is on another line, open the file again with headerRow set to that line.",
            es: "El encabezado se tomó de la línea \(headerLine): las líneas de arriba parecen un título, no nombres de columna, y no se importan. Si el encabezado está en otra línea, abra el archivo de nuevo con headerRow en esa línea.",
            pt: "O cabeçalho foi lido da linha \(headerLine): as linhas acima parecem um título, não nomes de colunas, e não são importadas. Se o cabeçalho estiver em outra linha, abra o arquivo novamente com headerRow nessa linha.")
    }

    static func headerRowMissing(line: Int) -> LocalizedText {
        LocalizedText(
            en: "There is no header on line \(line) with contact rows under it: the file ends before. Check the line number of the header (headerRow) and open the file again.",
            es: "No hay un encabezado en la línea \(line) con filas de contactos debajo: el archivo termina antes. Revise el número de línea del encabezado (headerRow) y abra el archivo de nuevo.",
            pt: "Não há cabeçalho na linha \(line) com linhas de contatos abaixo: o arquivo termina antes. Verifique o número da linha do cabeçalho (headerRow) e abra o arquivo novamente.")
    }

    static func invalidBytes(count: Int, firstLines: [Int]) -> LocalizedText {
        func lines(_ locale: MessageLocale) -> String {
            firstLines.map { formatCount($0, locale) }.joined(separator: ", ") + (count > firstLines.count ? "…" : "")
        }
        let rowsEN = count == 1 ? "1 row has" : "\(formatCount(count, .english)) rows have"
        let rowsES = count == 1 ? "1 fila tiene" : "\(formatCount(count, .spanish)) filas tienen"
        let rowsPT = count == 1 ? "1 linha tem" : "\(formatCount(count, .portuguese)) linhas têm"
        return LocalizedText(
            en: "The file is UTF-8, but \(rowsEN) bytes that are not valid UTF-8 (lines \(lines(.english))); they are shown as “�”. Check those rows: a phone or e-mail with such a byte is reported as an error.",
            es: "El archivo es UTF-8, pero \(rowsES) bytes que no son UTF-8 válido (líneas \(lines(.spanish))); se muestran como “�”. Revise esas filas: un teléfono o correo con uno de esos bytes se marca como error.",
            pt: "O arquivo é UTF-8, mas \(rowsPT) bytes que não são UTF-8 válido (linhas \(lines(.portuguese))); eles aparecem como “�”. Verifique essas linhas: um telefone ou e-mail com um desses bytes é marcado como erro.")
    }

    static func nulBytes(count: Int, firstLines: [Int]) -> LocalizedText {
        func lines(_ locale: MessageLocale) -> String {
            firstLines.map { formatCount($0, locale) }.joined(separator: ", ") + (count > firstLines.count ? "…" : "")
        }
        let rowsEN = count == 1 ? "1 row has" : "\(formatCount(count, .english)) rows have"
        let rowsES = count == 1 ? "1 fila tiene" : "\(formatCount(count, .spanish)) filas tienen"
        let rowsPT = count == 1 ? "1 linha tem" : "\(formatCount(count, .portuguese)) linhas têm"
        return LocalizedText(
            en: "\(rowsEN) a NUL byte, an invisible character left by the program that exported the file (lines \(lines(.english))). A mapped cell holding one is reported as an error.",
            es: "\(rowsES) un byte NUL, un carácter invisible que dejó el programa que exportó el archivo (líneas \(lines(.spanish))). Una celda asignada que lo contenga se marca como error.",
            pt: "\(rowsPT) um byte NUL, um caractere invisível deixado pelo programa que exportou o arquivo (linhas \(lines(.portuguese))). Uma célula mapeada que o contenha é marcada como erro.")
    }

    static func raggedRows(count: Int, columns: Int, firstLines: [Int]) -> LocalizedText {
        func lines(_ locale: MessageLocale) -> String {
            firstLines.map { formatCount($0, locale) }.joined(separator: ", ") + (count > firstLines.count ? "…" : "")
        }
        let rowsEN = count == 1 ? "1 row does not" : "\(formatCount(count, .english)) rows do not"
        let rowsES = count == 1 ? "1 fila no tiene" : "\(formatCount(count, .spanish)) filas no tienen"
        let rowsPT = count == 1 ? "1 linha não tem" : "\(formatCount(count, .portuguese)) linhas não têm"
        return LocalizedText(
            en: "\(rowsEN) have the \(columns) fields of the header (lines \(lines(.english))); they will be reported as errors. Check for a missing or extra separator or quote.",
            es: "\(rowsES) los \(columns) campos del encabezado (líneas \(lines(.spanish))); se marcarán como errores. Busque un separador o unas comillas de más o de menos.",
            pt: "\(rowsPT) os \(columns) campos do cabeçalho (linhas \(lines(.portuguese))); elas serão marcadas como erros. Procure um separador ou aspas a mais ou a menos.")
    }

    static func unterminatedQuote(line: Int) -> LocalizedText {
        LocalizedText(
            en: "The quote opened on line \(formatCount(line, .english)) is never closed. From there on quotes are read as ordinary characters; check that line in the file.",
            es: "Las comillas abiertas en la línea \(formatCount(line, .spanish)) no se cierran nunca. A partir de ahí las comillas se leen como caracteres normales; revise esa línea del archivo.",
            pt: "As aspas abertas na linha \(formatCount(line, .portuguese)) nunca são fechadas. A partir daí as aspas são lidas como caracteres comuns; verifique essa linha do arquivo.")
    }
}
