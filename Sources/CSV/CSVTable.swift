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
    /// Full sentences for the user: what was found ("This file is an Excel workbook (.xlsx)…")
    /// and what to do about it ("…choose File > Save As > CSV UTF-8…"). See `CSVMessages`.
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
        /// Lines above the header that look like a title ("Lista de clientes — marzo") were skipped.
        case titleRows
        /// A UTF-8 file with a few invalid bytes, read as UTF-8 (they show as U+FFFD).
        case invalidBytes
        /// A text file with a few stray NUL bytes; the cells holding them are row errors when mapped.
        case nulBytes
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
    /// The product's limits on an import file (the help page: 20 MB, 200,000 rows); what
    /// `initialize` announces and what the reader enforces.
    public static let maxFileBytes = 20 * 1024 * 1024
    public static let maxRows = 200_000

    public var encoding: TextEncoding?
    /// One of `,` `;` `\t` `|`.
    public var delimiter: UInt8?
    public var maxBytes: Int
    public var maxRows: Int
    /// The locale used for generated header names ("Column 3" / "Columna 3").
    public var locale: MessageLocale
    /// The 1-based physical line of the header row, overriding detection; a blank line there
    /// means the next non-blank one.
    public var headerLine: Int?
    public init(encoding: TextEncoding? = nil, delimiter: UInt8? = nil,
                maxBytes: Int = CSVReadOptions.maxFileBytes, maxRows: Int = CSVReadOptions.maxRows,
                locale: MessageLocale = .english, headerLine: Int? = nil) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.maxBytes = maxBytes
        self.maxRows = maxRows
        self.locale = locale
        self.headerLine = headerLine
    }
}

/// A parsed CSV file: the decoded bytes plus a compact index of where each record and cell
/// starts. Cells are decoded only when asked for, so a 200,000-row file costs little more than
/// its own bytes. Immutable and safe to share between threads.
///
/// How the reader decides:
/// - Encoding: a BOM wins (UTF-8, UTF-16 LE/BE); else UTF-16 when nearly every other byte of
///   the start is zero (UTF-16 saved without a BOM; `hasBOM` is then false); else UTF-8 if the
///   bytes are valid UTF-8, else Windows-1252. `CSVReadOptions.encoding` overrides (bytes that
///   are then invalid UTF-8 show as U+FFFD). UTF-16 is turned into UTF-8 once, up front;
///   Windows-1252 is indexed as it is and each cell transcoded when read (see `TextDecoding`).
/// - Delimiter: the candidate (`,` `;` tab `|`) with the most consistent field count over the
///   first 50 records, parsed with the real rules; `,` when none splits anything.
///   `CSVReadOptions.delimiter` overrides.
/// - Quoting is RFC 4180: a field is quoted only when its first byte is `"`; a quote anywhere
///   else in an unquoted field is plain text; text after a closing quote is kept
///   (`"abc"def` reads `abcdef`). Spaces before an opening quote make the field unquoted.
/// - An opening quote that is never closed would swallow the rest of the file into one cell.
///   Instead the reader warns (`unterminatedQuote`, with the line of that quote) and reads
///   that quote, and every later quote, as ordinary text, so the following rows survive.
/// - Blank records (empty, or only spaces and delimiters like Excel's `;;;;`) are skipped; they
///   are neither rows nor counted, but line numbers stay physical.
/// - The header is the first non-blank record, unless the first records look like a title above
///   it: an Excel export's "Lista de clientes — marzo" line (one filled cell, or fewer filled
///   cells than the rows below on a shorter line) is skipped, the header is the first of the
///   first ten records that fills at least half of the rows' cells with header-like text (no
///   e-mails, no numbers), and a `titleRows` warning says so (`HeaderDetection`). `CSVReadOptions.headerLine` overrides. Header names are trimmed; empty ones become
///   "Column N" in `CSVReadOptions.locale`; repeated names get " (2)", " (3)"…; both cases
///   produce one warning per kind (empty) or per repeated name (duplicate).
/// - Rows whose field count differs from the header's are kept; one `raggedRows` warning lists
///   them (its `rows` holds at most the first 1,000 data row numbers, its text the total).
///   Extra fields that are all blank (a trailing delimiter from Excel) do not make a row ragged.
/// - NUL bytes: a file with many (over 1% of its bytes and more than 16) or a binary signature is
///   `notCsv`; a few stray ones are a `nulBytes` warning naming their rows, and the cells keep
///   them (a mapped cell with one is a row error, see `FieldValues`).
/// - Invalid UTF-8: a file whose multi-byte sequences are nearly all valid UTF-8 (at most one
///   invalid byte per four valid sequences, or a single bad byte) is read as UTF-8, the bad bytes
///   decoded as U+FFFD and an `invalidBytes` warning naming their rows; otherwise Windows-1252.
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
    /// Whether the header row was found below title lines (or set by `headerLine`) rather than
    /// being the first non-blank record.
    public let headerRowMoved: Bool

    /// The text as UTF-8 (transcoded from UTF-16), or the file's own bytes for Windows-1252.
    private let text: [UInt8]
    private let isWindows1252: Bool
    /// A UTF-8 file without invalid bytes: its text decodes to itself.
    private let isValidUTF8: Bool
    /// Record 0 is the header; data row `r` is record `r + 1`.
    private let index: RecordIndex

    /// The delimiter as the wire shows it: `,` `;` `\t` (a real tab) or `|`.
    public var delimiterString: String { String(UnicodeScalar(delimiter)) }

    public var columnCount: Int { headers.count }
    public var rowCount: Int { index.recordCount - 1 }

    /// Data rows (1-based) whose field count differs from the header's, all of them.
    public var raggedRows: [Int] {
        (0..<rowCount).filter { fieldCount(ofRow: $0) != columnCount }.map { $0 + 1 }
    }

    /// Decoded cells of a data row (0-based); ragged rows have their own number of cells.
    public func cells(ofRow row: Int) -> [String] {
        guard row >= 0 && row < rowCount else { return [] }
        return recordCells(row + 1)
    }

    /// One decoded cell; "" when the row has fewer cells.
    public func cell(row: Int, column: Int) -> String {
        guard row >= 0 && row < rowCount else { return "" }
        return field(record: row + 1, column: column)
    }

    /// Calls `body` with an unquoted cell's UTF-8 bytes, without decoding them into a String; nil
    /// (and `body` not called) for a quoted cell, a Windows-1252 file or a cell the row lacks.
    public func withUnquotedUTF8<R>(row: Int, column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard !isWindows1252, row >= 0 && row < rowCount,
              let span = span(record: row + 1, column: column), !span.quoted else { return nil }
        return text.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[span.start..<span.end])) }
    }

    /// Calls `body` with a cell's bytes when they are its text exactly (unquoted, and the
    /// table's text valid UTF-8: decoding would change nothing); nil (and `body` not called)
    /// otherwise, or for a cell the row lacks.
    func withPlainUTF8<R>(row: Int, column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        isValidUTF8 ? withUnquotedUTF8(row: row, column: column, body) : nil
    }

    /// Whether a cell holds nothing at all (cheaper than decoding it; `""` counts as empty).
    public func isEmpty(row: Int, column: Int) -> Bool {
        guard row >= 0 && row < rowCount, let span = span(record: row + 1, column: column) else { return true }
        return span.end - span.start <= (span.quoted ? 2 : 0)
    }

    /// Whether a cell holds nothing but spaces, tabs or line breaks (what an import treats as
    /// empty), without decoding it. Added by helper "mapping" for `import/open`'s fill counts.
    public func isBlank(row: Int, column: Int) -> Bool {
        guard row >= 0 && row < rowCount, let span = span(record: row + 1, column: column) else { return true }
        let start = span.quoted ? span.start + 1 : span.start
        let end = span.quoted ? span.end - 1 : span.end
        guard start < end else { return true }
        for offset in start..<end {
            switch text[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: return false
            }
        }
        return true
    }

    /// How many fields the record really has (differs from `columnCount` for ragged rows).
    /// Blank fields past the header's columns (a trailing delimiter) are not counted.
    public func fieldCount(ofRow row: Int) -> Int {
        guard row >= 0 && row < rowCount else { return 0 }
        return CSVTable.effectiveFieldCount(text, index, record: row + 1, columns: columnCount)
    }

    /// A record's field count, without blank fields beyond `columns`.
    static func effectiveFieldCount(_ text: [UInt8], _ index: RecordIndex, record: Int, columns: Int) -> Int {
        var count = index.fieldCount(record: record)
        while count > columns {
            let span = index.span(record: record, column: count - 1)
            let start = span.quoted ? span.start + 1 : span.start
            let end = span.quoted ? span.end - 1 : span.end
            if start < end, text[start..<end].contains(where: { $0 != 0x20 && $0 != 0x09 }) { break }
            count -= 1
        }
        return count
    }

    /// The data rows (1-based) holding any of the given byte offsets of the text, in order.
    static func rows(holding offsets: [Int], _ index: RecordIndex) -> [Int] {
        var rows: [Int] = []
        for offset in offsets {
            // The last record starting at or before the offset.
            var low = 0
            var high = index.recordCount - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if Int(index.recordStarts[mid]) <= offset { low = mid } else { high = mid - 1 }
            }
            if low >= 1 && rows.last != low { rows.append(low) }
        }
        return rows
    }

    /// How many bytes of the text the data rows `rows` (0-based) take, delimiters and line
    /// breaks included: what a reader of those rows may size its buffers by.
    public func byteCount(ofRows rows: Range<Int>) -> Int {
        let lower = max(0, rows.lowerBound), upper = min(rowCount, rows.upperBound)
        guard lower < upper else { return 0 }
        let start = Int(index.recordStarts[lower + 1])
        let end = upper + 1 < index.recordCount ? Int(index.recordStarts[upper + 1]) : text.count
        return max(0, end - start)
    }

    /// 1-based physical line where the record starts in the file.
    public func lineNumber(ofRow row: Int) -> Int {
        guard row >= 0 && row < rowCount else { return 0 }
        return Int(index.recordLines[row + 1])
    }

    /// 1-based physical line of the header row.
    public var headerLineNumber: Int { Int(index.recordLines[0]) }

    init(text: [UInt8], index: RecordIndex, encoding: TextEncoding, hasBOM: Bool, delimiter: UInt8,
         byteCount: Int, locale: MessageLocale, unterminatedQuoteLine: Int?, unterminatedQuoteRecord: Int?,
         headerRowMoved: Bool = false, titleWarning: Bool = false, invalidByteOffsets: [Int] = [], nulOffsets: [Int] = []) {
        self.text = text
        self.index = index
        self.encoding = encoding
        self.isWindows1252 = encoding == .windows1252
        isValidUTF8 = encoding == .utf8 && invalidByteOffsets.isEmpty
        self.hasBOM = hasBOM
        self.delimiter = delimiter
        self.byteCount = byteCount
        self.headerRowMoved = headerRowMoved

        var warnings: [CSVWarning] = []
        if titleWarning {
            warnings.append(CSVWarning(code: .titleRows, text: CSVMessages.titleRows(headerLine: Int(index.recordLines[0]))))
        }
        func lines(_ rows: [Int]) -> [Int] { rows.prefix(10).map { Int(index.recordLines[$0]) } }
        let badRows = CSVTable.rows(holding: invalidByteOffsets, index)
        if !badRows.isEmpty {
            warnings.append(CSVWarning(code: .invalidBytes, rows: Array(badRows.prefix(1000)),
                                       text: CSVMessages.invalidBytes(count: badRows.count, firstLines: lines(badRows))))
        }
        let nulRows = CSVTable.rows(holding: nulOffsets, index)
        if !nulRows.isEmpty {
            warnings.append(CSVWarning(code: .nulBytes, rows: Array(nulRows.prefix(1000)),
                                       text: CSVMessages.nulBytes(count: nulRows.count, firstLines: lines(nulRows))))
        }
        if let line = unterminatedQuoteLine {
            // `rows` names the data row holding the quote (none when it is in the header).
            let rows = unterminatedQuoteRecord.flatMap { $0 > 0 ? [$0] : nil }
            warnings.append(CSVWarning(code: .unterminatedQuote, rows: rows, text: CSVMessages.unterminatedQuote(line: line)))
        }
        let original = (0..<index.fieldCount(record: 0)).map {
            CSVTable.decodeField(text, index, record: 0, column: $0, windows1252: encoding == .windows1252)
        }
        let named = CSVTable.displayHeaders(original, locale: locale)
        warnings += named.warnings
        self.originalHeaders = original
        self.headers = named.headers

        var ragged: [Int] = []
        var raggedCount = 0
        var raggedLines: [Int] = []
        let columns = original.count
        for record in 1..<max(index.recordCount, 1)
        where CSVTable.effectiveFieldCount(text, index, record: record, columns: columns) != columns {
            raggedCount += 1
            if ragged.count < 1000 { ragged.append(record) }
            if raggedLines.count < 10 { raggedLines.append(Int(index.recordLines[record])) }
        }
        if raggedCount > 0 {
            warnings.append(CSVWarning(code: .raggedRows, rows: ragged,
                                       text: CSVMessages.raggedRows(count: raggedCount, columns: columns, firstLines: raggedLines)))
        }
        self.warnings = warnings
    }

    // MARK: Header names

    static func displayHeaders(_ original: [String], locale: MessageLocale) -> (headers: [String], warnings: [CSVWarning]) {
        var names = original.enumerated().map { offset, cell -> String in
            var name = Substring(cell)
            if offset == 0 { while name.first == "\u{FEFF}" { name = name.dropFirst() } }
            return String(name.trimmingSpaces())
        }
        var warnings: [CSVWarning] = []
        var emptyColumns: [Int] = []
        for i in names.indices where names[i].isEmpty {
            names[i] = CSVMessages.columnName(i + 1).text(locale)
            emptyColumns.append(i + 1)
        }
        if !emptyColumns.isEmpty {
            warnings.append(CSVWarning(code: .emptyHeader,
                                       text: CSVMessages.emptyHeaders(columns: emptyColumns, names: emptyColumns.map { names[$0 - 1] })))
        }
        var taken = Set(names)
        var seen: [String: [Int]] = [:]
        var order: [String] = []
        for (i, name) in names.enumerated() {
            if seen[name] == nil { order.append(name) }
            seen[name, default: []].append(i)
        }
        for name in order {
            guard let columns = seen[name], columns.count > 1 else { continue }
            var copy = 2
            for column in columns.dropFirst() {
                while taken.contains("\(name) (\(copy))") { copy += 1 }
                names[column] = "\(name) (\(copy))"
                taken.insert(names[column])
                copy += 1
            }
            warnings.append(CSVWarning(code: .duplicateHeader,
                                       text: CSVMessages.duplicateHeader(name, names: columns.map { names[$0] })))
        }
        return (names, warnings)
    }

    // MARK: Cell decoding

    private func recordCells(_ record: Int) -> [String] {
        (0..<index.fieldCount(record: record)).map {
            CSVTable.decodeField(text, index, record: record, column: $0, windows1252: isWindows1252)
        }
    }

    func fieldCount(record: Int) -> Int { index.fieldCount(record: record) }

    private func field(record: Int, column: Int) -> String {
        guard column >= 0 && column < index.fieldCount(record: record) else { return "" }
        return CSVTable.decodeField(text, index, record: record, column: column, windows1252: isWindows1252)
    }

    private func span(record: Int, column: Int) -> (start: Int, end: Int, quoted: Bool)? {
        guard column >= 0 && column < index.fieldCount(record: record) else { return nil }
        return index.span(record: record, column: column)
    }

    static func decodeField(_ text: [UInt8], _ index: RecordIndex, record: Int, column: Int,
                            windows1252: Bool = false) -> String {
        let span = index.span(record: record, column: column)
        return text.withUnsafeBufferPointer { buffer -> String in
            guard span.end > span.start else { return "" }
            let raw = UnsafeBufferPointer(rebasing: buffer[span.start..<span.end])
            if !span.quoted {
                return windows1252 ? TextDecoding.windows1252String(raw) : String(decoding: raw, as: UTF8.self)
            }
            let content = unquote(raw)
            return content.withUnsafeBufferPointer {
                windows1252 ? TextDecoding.windows1252String($0) : String(decoding: $0, as: UTF8.self)
            }
        }
    }

    /// `"a ""b"" c"` → `a "b" c`; text after the closing quote is kept as is.
    static func unquote(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 1
        while i < raw.count {
            let byte = raw[i]
            if byte == CSVParser.quote {
                if i + 1 < raw.count && raw[i + 1] == CSVParser.quote {
                    out.append(CSVParser.quote)
                    i += 2
                    continue
                }
                out.append(contentsOf: raw[(i + 1)...])
                break
            }
            out.append(byte)
            i += 1
        }
        return out
    }
}

extension RecordIndex {
    @inline(__always)
    func fieldCount(record: Int) -> Int {
        Int(recordFields[record + 1]) - Int(recordFields[record])
    }

    @inline(__always)
    func span(record: Int, column: Int) -> (start: Int, end: Int, quoted: Bool) {
        let position = Int(recordFields[record]) + column
        let recordStart = Int(recordStarts[record])
        let start = column == 0 ? recordStart : Int(packedEnd(position - 1, recordStart: recordStart) & RecordIndex.offsetMask) + 1
        let end = packedEnd(position, recordStart: recordStart)
        return (start, Int(end & RecordIndex.offsetMask), end & RecordIndex.quotedFlag != 0)
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" || first == "\u{A0}" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" || last == "\u{A0}" { result = result.dropLast() }
        return result
    }
}

public enum CSVReader {
    /// Reads a file from disk. The size is checked before the file is read whole.
    /// `progress` receives fractions in 0...1 (called at most a few hundred times).
    public static func read(path: String, options: CSVReadOptions = CSVReadOptions(),
                            progress: ((Double) -> Void)? = nil) throws(CSVRejection) -> CSVTable {
        let bytes = try FileLoading.load(path: path, maxBytes: options.maxBytes)
        return try read(bytes: bytes, options: options, progress: progress)
    }

    /// Reads bytes already in memory (an editor buffer sent as `text` arrives as UTF-8 bytes).
    public static func read(bytes: [UInt8], options: CSVReadOptions = CSVReadOptions(),
                            progress: ((Double) -> Void)? = nil) throws(CSVRejection) -> CSVTable {
        if bytes.count > options.maxBytes {
            throw CSVRejection(reason: .tooLarge, detail: CSVMessages.tooLarge(bytes: bytes.count, limit: options.maxBytes))
        }
        if bytes.isEmpty { throw CSVRejection(reason: .empty, detail: CSVMessages.emptyFile) }
        if let rejection = FileSignatures.rejection(for: bytes, forced: options.encoding) { throw rejection }

        let decoded = TextDecoding.decode(bytes, forced: options.encoding)
        // Offsets are 31-bit; only a caller raising maxBytes far past 20 MiB could get here.
        if decoded.text.count >= Int(RecordIndex.quotedFlag) {
            throw CSVRejection(reason: .tooLarge, detail: CSVMessages.tooLarge(bytes: bytes.count, limit: options.maxBytes))
        }
        let outcome = decoded.text.withUnsafeBufferPointer { buffer -> (UInt8, CSVParser.Outcome) in
            let delimiter = options.delimiter ?? CSVParser.sniffDelimiter(buffer, from: decoded.start)
            // Room for the title lines above a header (detected among the first ten records).
            let above = max(10, options.headerLine ?? 0)
            let outcome = CSVParser.buildIndex(buffer, from: decoded.start, delimiter: delimiter,
                                               maxRecords: options.maxRows + 1 + above, progress: progress)
            return (delimiter, outcome)
        }
        let (delimiter, parsed) = outcome
        // A title above the header (or the line the caller names) moves the header down; the
        // records above it are dropped, the limit still counts data rows.
        let header: Int
        if let line = options.headerLine {
            guard let record = parsed.index.recordLines.firstIndex(where: { Int($0) >= line }) else {
                throw CSVRejection(reason: .empty, detail: CSVMessages.headerRowMissing(line: line))
            }
            header = record
        } else {
            header = decoded.text.withUnsafeBufferPointer { HeaderDetection.headerRecord(parsed.index, text: $0, delimiter: delimiter) }
        }
        var index = parsed.index
        if header > 0 { index = index.droppingRecords(before: header) }
        index.compact()
        if index.recordCount > options.maxRows + 1 {
            throw CSVRejection(reason: .tooManyRows, detail: CSVMessages.tooManyRows(limit: options.maxRows))
        }
        switch index.recordCount {
        case 0: throw CSVRejection(reason: .empty, detail: CSVMessages.emptyFile)
        case 1:
            if options.headerLine != nil { throw CSVRejection(reason: .empty, detail: CSVMessages.headerRowMissing(line: options.headerLine ?? 0)) }
            throw CSVRejection(reason: .empty, detail: CSVMessages.headerOnly)
        default: break
        }
        let unterminatedRecord = parsed.unterminatedQuoteRecord.map { $0 - header }
        progress?(1)
        return CSVTable(text: decoded.text, index: index, encoding: decoded.encoding, hasBOM: decoded.hasBOM,
                        delimiter: delimiter, byteCount: bytes.count, locale: options.locale,
                        unterminatedQuoteLine: parsed.unterminatedQuoteLine,
                        unterminatedQuoteRecord: unterminatedRecord,
                        headerRowMoved: header > 0, titleWarning: header > 0 && options.headerLine == nil,
                        invalidByteOffsets: decoded.invalidOffsets,
                        nulOffsets: decoded.encoding == .utf16LE || decoded.encoding == .utf16BE ? [] : FileSignatures.nulOffsets(decoded.text))
    }
}

// Added by helper "mapping" for import/open: fill counts in one linear pass over the index.
extension CSVTable {
    /// For each of the first `columnCount` columns, how many data rows hold something other
    /// than spaces, tabs or line breaks (quotes around the value do not count). One pass over the
    /// record index, no cell decoded: about as fast as reading the index itself.
    public func nonBlankCounts() -> [Int] {
        let columns = columnCount
        var counts = [Int](repeating: 0, count: columns)
        guard columns > 0, rowCount > 0 else { return counts }
        text.withUnsafeBufferPointer { bytes in
            index.recordFields.withUnsafeBufferPointer { recordFields in
                index.recordStarts.withUnsafeBufferPointer { starts in
                    counts.withUnsafeMutableBufferPointer { counts in
                        for record in 1..<starts.count {
                            let recordStart = Int(starts[record])
                            var start = recordStart
                            let first = Int(recordFields[record])
                            let fields = min(columns, Int(recordFields[record + 1]) - first)
                            for column in 0..<fields {
                                let packed = index.packedEnd(first + column, recordStart: recordStart)
                                let end = Int(packed & RecordIndex.offsetMask)
                                var from = start
                                var to = end
                                if packed & RecordIndex.quotedFlag != 0 {
                                    from += 1
                                    to -= 1
                                }
                                while from < to {
                                    let byte = bytes[from]
                                    if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                                        counts[column] += 1
                                        break
                                    }
                                    from += 1
                                }
                                start = end + 1
                            }
                        }
                    }
                }
            }
        }
        return counts
    }
}
