/// Writes the result and error files: UTF-8 with a byte order mark (so Excel shows accents),
/// comma-delimited, CRLF line ends, RFC 4180 quoting only where needed, and cells that a
/// spreadsheet would run as a formula defused with a leading apostrophe.
public struct CSVWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init() { fatalError("implemented by the CSV writer") }
    public mutating func writeRow(_ cells: [String]) { fatalError("implemented by the CSV writer") }

    /// `=1+1` → `'=1+1`; `+34612345678` and `-12.5` stay as they are.
    public static func spreadsheetSafe(_ cell: String) -> String { fatalError("implemented by the CSV writer") }
}
