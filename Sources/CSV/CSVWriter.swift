/// Writes the result and error files: UTF-8 with a byte order mark (so Excel shows accents),
/// delimited like the file they describe (comma by default; `;` for a file from a Spanish-locale
/// Excel, so it opens in the same spreadsheet), CRLF line ends, RFC 4180 quoting only where
/// needed, and cells that a spreadsheet would run as a formula defused with a leading apostrophe.
///
/// `writeRow` applies `spreadsheetSafe` to every cell itself (unless the writer was created
/// with `defusingFormulas: false`), so callers cannot forget it. Cells are quoted when they
/// contain the delimiter, a comma, a quote, CR or LF, or begin or end with a space or tab
/// (which some readers would otherwise trim).
public struct CSVWriter: Sendable {
    public private(set) var bytes: [UInt8]
    public let defusesFormulas: Bool
    /// `,` `;` tab or `|`, as `CSVTable.delimiter`.
    public let delimiter: UInt8

    public init(defusingFormulas: Bool = true, delimiter: UInt8 = 0x2C) {
        bytes = [0xEF, 0xBB, 0xBF]
        defusesFormulas = defusingFormulas
        // Only the delimiters a CSV file is read with; anything else would write an unreadable file.
        self.delimiter = [0x2C, 0x3B, 0x09, 0x7C].contains(delimiter) ? delimiter : 0x2C
    }

    /// Empties the writer for the next piece of the same file, keeping its buffer (and starting
    /// again with the byte order mark, as every piece does).
    public mutating func startNextPiece(reservingCapacity capacity: Int = 0) {
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(capacity)
        bytes.append(contentsOf: [0xEF, 0xBB, 0xBF])
    }

    public mutating func writeRow(_ cells: [String]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { bytes.append(delimiter) }
            append(defusesFormulas ? CSVWriter.spreadsheetSafe(cell) : cell)
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// Data row `row` of `table` as `cells(ofRow:)` gives it, a short row padded with empty
    /// cells to the header's width, then `extra`: the bytes `writeRow` writes for those cells,
    /// made without a String for a cell whose text the table holds as valid UTF-8 needing no
    /// unquoting and no defusing (most cells of a large file: a result file is a cell
    /// of output per cell of input).
    public mutating func writeRow(_ table: CSVTable, row: Int, appending extra: [String]) {
        let fields = max(table.fieldCount(record: row + 1), table.columnCount)
        for column in 0..<fields {
            if column > 0 { bytes.append(delimiter) }
            let written = table.withPlainUTF8(row: row, column: column) { cell -> Bool in
                guard let first = cell.first else { return true }
                if defusesFormulas && !CSVWriter.startsPlainly(first) {
                    // A signed number or a phone number stays as it is (`spreadsheetSafe`); any
                    // other start it would look into: that cell goes the String way.
                    guard first == 0x2B || first == 0x2D,
                          CSVWriter.isPlainNumber(bytes: cell[...]) || CSVWriter.isPhoneNumber(bytes: cell[...])
                    else { return false }
                }
                append(utf8: cell)
                return true
            }
            if written != true {
                let cell = table.cell(row: row, column: column)
                append(defusesFormulas ? CSVWriter.spreadsheetSafe(cell) : cell)
            }
        }
        for cell in extra {
            bytes.append(delimiter)
            append(defusesFormulas ? CSVWriter.spreadsheetSafe(cell) : cell)
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    private mutating func append(utf8 cell: UnsafeBufferPointer<UInt8>) {
        if CSVWriter.needsQuotes(bytes: cell) || (delimiter != 0x2C && cell.contains(delimiter)) {
            bytes.append(0x22)
            for byte in cell {
                if byte == 0x22 { bytes.append(0x22) }
                bytes.append(byte)
            }
            bytes.append(0x22)
        } else {
            bytes.append(contentsOf: cell)
        }
    }

    private mutating func append(_ cell: String) {
        var cell = cell
        cell.withUTF8 { append(utf8: $0) }
    }

    private static func needsQuotes(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return true }
        for byte in bytes where byte == 0x2C || byte == 0x22 || byte == 0x0D || byte == 0x0A { return true }
        return false
    }

    /// `=1+1` → `'=1+1`; `+34612345678` and `-12.5` stay as they are.
    ///
    /// A cell starting with `=` `+` `-` `@`, tab or CR gets a leading apostrophe, and so does
    /// one where such a character follows leading spaces, line breaks, a byte order mark or
    /// other invisible characters (spreadsheets skip them), and one starting with the
    /// full-width `＝` `＋` `－` `＠`. Exempt are only a plain number (`-12.5`, `+3`, `1,5`)
    /// and a value that really is a phone number (`+34612345678`, `+1 (555) 123-4567`): an
    /// apostrophe would spoil the numbers users import again.
    public static func spreadsheetSafe(_ cell: String) -> String {
        guard let first = cell.utf8.first else { return cell }
        if first == 0x09 || first == 0x0D { return "'" + cell }
        // Most cells start with a visible ASCII character other than = @ + -: nothing to skip,
        // nothing to defuse (the scalar walk below, with its Unicode property lookups, was a
        // tenth of writing a result file).
        if startsPlainly(first) { return cell }
        let scalars = cell.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isSkippedBySpreadsheets($0) }) else { return cell }
        switch scalars[start] {
        case "=", "@", "\u{FF1D}", "\u{FF20}", "\u{FF0B}", "\u{FF0D}":
            return "'" + cell
        case "+", "-":
            let rest = String(scalars[start...])
            return isPlainNumber(rest) || isPhoneNumber(rest) ? cell : "'" + cell
        default:
            return cell
        }
    }

    /// A first byte that settles `spreadsheetSafe` at once: a visible ASCII character other
    /// than `=` `@` `+` `-`, nothing to skip and nothing to defuse.
    static func startsPlainly(_ first: UInt8) -> Bool {
        first > 0x20 && first < 0x7F && first != 0x3D && first != 0x40 && first != 0x2B && first != 0x2D
    }

    /// Characters a spreadsheet passes over before it decides a cell is a formula.
    private static func isSkippedBySpreadsheets(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x0A, 0x0B, 0x0C, 0xA0, 0xFEFF, 0x200B...0x200D, 0x2060, 0x3000: return true
        default: return scalar.properties.isWhitespace
        }
    }

    /// Optional sign, digits, at most one decimal point or comma followed by digits.
    static func isPlainNumber(_ cell: String) -> Bool { isPlainNumber(bytes: cell.utf8[...]) }

    static func isPlainNumber<Bytes: Collection>(bytes cell: Bytes) -> Bool where Bytes.Element == UInt8, Bytes.SubSequence == Bytes {
        var bytes = cell
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var digitsBefore = 0
        var digitsAfter = 0
        var sawSeparator = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if sawSeparator { digitsAfter += 1 } else { digitsBefore += 1 }
            case UInt8(ascii: "."), UInt8(ascii: ","):
                if sawSeparator { return false }
                sawSeparator = true
            default:
                return false
            }
        }
        return digitsBefore > 0 && (!sawSeparator || digitsAfter > 0)
    }

    /// A phone number as people write one: `+`, the country code, then groups of at least two
    /// digits separated by one space, dash or dot, one group possibly in parentheses; 7 to 15
    /// digits in all (E.164). `+1/2/3/4/5/6` or `+1-2-3` is arithmetic, not a phone number.
    static func isPhoneNumber(_ cell: String) -> Bool { isPhoneNumber(bytes: cell.utf8[...]) }

    static func isPhoneNumber<Bytes: Collection>(bytes cell: Bytes) -> Bool where Bytes.Element == UInt8, Bytes.SubSequence == Bytes {
        var bytes = cell
        guard bytes.first == UInt8(ascii: "+") else { return false }
        bytes = bytes.dropFirst()
        var digits = 0
        var groups = 0
        var sawParenthesis = false
        while !bytes.isEmpty {
            var opened = false
            if bytes.first == UInt8(ascii: "(") {
                guard !sawParenthesis, groups > 0 else { return false }
                sawParenthesis = true
                opened = true
                bytes = bytes.dropFirst()
            }
            let group = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard !group.isEmpty, groups == 0 || group.count >= 2 else { return false }
            bytes = bytes.dropFirst(group.count)
            // A country code is 1 to 3 digits; a longer first group is the whole number.
            if groups == 0 && group.count > 3 && !bytes.isEmpty { return false }
            digits += group.count
            groups += 1
            if opened {
                guard bytes.first == UInt8(ascii: ")") else { return false }
                bytes = bytes.dropFirst()
            }
            guard let separator = bytes.first else { break }
            switch separator {
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."):
                bytes = bytes.dropFirst()
                // "(555) 123": a space may follow a closing parenthesis; nothing else doubles up.
            case UInt8(ascii: "("):
                guard opened == false else { return false }
            default:
                return false
            }
            if bytes.isEmpty { return false }
        }
        return digits >= 7 && digits <= 15
    }
}
