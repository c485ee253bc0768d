import Localization

/// The text encodings a contact file may arrive in. Raw values are the wire names.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case windows1252 = "windows-1252"
}

/// Why a file cannot be read as a contact CSV at all. Raw values are the wire `data.reason`.
public enum CSVRejectionReason: String, Sendable {
    case notCsv, tooLarge, empty, tooManyRows, unreadable
}

/// A file the reader refuses, with what the user should do about it.
public struct CSVRejection: Error, Sendable, LocalizedDescribable {
    public let reason: CSVRejectionReason
    /// What exactly was found ("an Excel workbook (.xlsx)", "a PDF document", "201,337 rows").
    public let detail: LocalizedText
    public init(reason: CSVRejectionReason, detail: LocalizedText) {
        self.reason = reason
        self.detail = detail
    }
    public func message(_ locale: MessageLocale) -> String { detail.text(locale) }
}

/// Something odd about a file that does not stop the import.
public struct CSVWarning: Sendable, Hashable, LocalizedDescribable {
    public enum Code: String, Sendable {
        case emptyHeader, duplicateHeader, raggedRows, unterminatedQuote
    }
    public let code: Code
    /// Data rows concerned (1-based), when the warning is about rows.
    public let rows: [Int]?
    public let text: LocalizedText
    public init(code: Code, rows: [Int]? = nil, text: LocalizedText) {
        self.code = code
        self.rows = rows
        self.text = text
    }
    public func message(_ locale: MessageLocale) -> String { text.text(locale) }
}

/// Options a caller may force instead of letting the reader detect them.
public struct CSVReadOptions: Sendable {
    public var encoding: TextEncoding?
    /// One of `,` `;` `\t` `|`.
    public var delimiter: UInt8?
    public var maxBytes: Int
    public var maxRows: Int
    /// The locale used for generated header names ("Column 3" / "Columna 3").
    public var locale: MessageLocale
    public init(encoding: TextEncoding? = nil, delimiter: UInt8? = nil,
                maxBytes: Int = 20_971_520, maxRows: Int = 200_000, locale: MessageLocale = .english) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.maxBytes = maxBytes
        self.maxRows = maxRows
        self.locale = locale
    }
}

/// A parsed CSV file: the decoded bytes plus a compact index of where each record and cell
/// starts. Cells are decoded only when asked for, so a 200,000-row file costs little more than
/// its own bytes. Immutable and safe to share between threads.
public final class CSVTable: Sendable {
    public let encoding: TextEncoding
    public let hasBOM: Bool
    /// The delimiter byte: `,` `;` `\t` or `|`.
    public let delimiter: UInt8
    /// Header names as shown to users: empty headers already replaced ("Column 3" / "Columna 3").
    public let headers: [String]
    /// Header cells exactly as in the file (empty strings kept), for the error and result files.
    public let originalHeaders: [String]
    public let warnings: [CSVWarning]
    /// Size of the file in bytes, as read.
    public let byteCount: Int

    public var columnCount: Int { headers.count }
    public var rowCount: Int { fatalError("implemented by the CSV reader") }

    /// Decoded cells of a data row (0-based); ragged rows have their own number of cells.
    public func cells(ofRow row: Int) -> [String] { fatalError("implemented by the CSV reader") }
    /// One decoded cell; "" when the row has fewer cells.
    public func cell(row: Int, column: Int) -> String { fatalError("implemented by the CSV reader") }
    /// How many fields the record really has (differs from `columnCount` for ragged rows).
    public func fieldCount(ofRow row: Int) -> Int { fatalError("implemented by the CSV reader") }
    /// 1-based physical line where the record starts in the file.
    public func lineNumber(ofRow row: Int) -> Int { fatalError("implemented by the CSV reader") }

    init() { fatalError("implemented by the CSV reader") }
}

public enum CSVReader {
    /// Reads a file from disk. The size is checked before the file is read whole.
    /// `progress` receives fractions in 0...1 (called at most a few hundred times).
    public static func read(path: String, options: CSVReadOptions = CSVReadOptions(),
                            progress: ((Double) -> Void)? = nil) throws(CSVRejection) -> CSVTable {
        fatalError("implemented by the CSV reader")
    }
    /// Reads bytes already in memory (an editor buffer sent as `text` arrives as UTF-8 bytes).
    public static func read(bytes: [UInt8], options: CSVReadOptions = CSVReadOptions(),
                            progress: ((Double) -> Void)? = nil) throws(CSVRejection) -> CSVTable {
        fatalError("implemented by the CSV reader")
    }
}
