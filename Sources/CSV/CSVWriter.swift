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

    public mutating func writeRow(_ cells: [String]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { bytes.append(delimiter) }
            append(defusesFormulas ? CSVWriter.spreadsheetSafe(cell) : cell)
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    private mutating func append(_ cell: String) {
        let utf8 = cell.utf8
        if CSVWriter.needsQuotes(utf8) || (delimiter != 0x2C && utf8.contains(delimiter)) {
            bytes.append(0x22)
            for byte in utf8 {
                if byte == 0x22 { bytes.append(0x22) }
                bytes.append(byte)
            }
            bytes.append(0x22)
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    static func needsQuotes(_ utf8: String.UTF8View) -> Bool {
        // Native strings are contiguous: a plain byte loop instead of the view's index walk.
        if let answer = utf8.withContiguousStorageIfAvailable(needsQuotes(bytes:)) { return answer }
        return Array(utf8).withUnsafeBufferPointer(needsQuotes(bytes:))
    }

    private static func needsQuotes(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return true }
        for byte in bytes where byte == 0x2C || byte == 0x22 || byte == 0x0D || byte == 0x0A { return true }
        return false
    }

    /// `=1+1` → `'=1+1`; `+34612345678` and `-12.5` stay as they are.
    ///
    /// A cell starting with `=` `+` `-` `@`, tab or CR gets a leading apostrophe, except a
    /// plain number (`-12.5`, `+3`, `1,5`) or a phone number (`+34612345678`,
    /// `+1 (555) 123-4567`): digits with spaces, dots, dashes, slashes and parentheses cannot
    /// call a function, and an apostrophe would spoil the numbers users import again.
    public static func spreadsheetSafe(_ cell: String) -> String {
        guard let first = cell.utf8.first else { return cell }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D:
            return "'" + cell
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return isPlainNumber(cell) || isPhoneNumber(cell) ? cell : "'" + cell
        default:
            return cell
        }
    }

    /// Optional sign, digits, at most one decimal point or comma followed by digits.
    static func isPlainNumber(_ cell: String) -> Bool {
        var bytes = cell.utf8[...]
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

    /// `+` then 6 to 20 digits with the usual formatting characters; no letters, no operators
    /// other than the dash between digit groups.
    static func isPhoneNumber(_ cell: String) -> Bool {
        let bytes = cell.utf8
        guard bytes.first == UInt8(ascii: "+") else { return false }
        var digits = 0
        var previous: UInt8 = UInt8(ascii: "+")
        for byte in bytes.dropFirst() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
            case UInt8(ascii: " "), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "."), UInt8(ascii: "/"):
                break
            case UInt8(ascii: "-"):
                guard previous != UInt8(ascii: "-") && previous != UInt8(ascii: "+") else { return false }
            default:
                return false
            }
            previous = byte
        }
        let endsWithDigit = previous >= UInt8(ascii: "0") && previous <= UInt8(ascii: "9")
        return digits >= 6 && digits <= 20 && endsWithDigit
    }
}
