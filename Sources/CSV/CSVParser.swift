#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where every record and field of the file lies in the decoded UTF-8 buffer. A field is
/// described by one `UInt32`: the offset just past its raw bytes (where the delimiter or line
/// end sits), with the top bit set when the field was quoted and must be unescaped on reading.
/// A field starts one byte after the previous field's end, or at its record's start.
///
/// Once built, `compact()` stores those ends relative to their record's start in 16 bits (the
/// top one still the quote flag) whenever every record is shorter than 32 KB, as nearly every
/// file's are: half the memory of a 200,000-row file's index, which a session keeps for its hour.
struct RecordIndex: Sendable {
    static let quotedFlag: UInt32 = 1 << 31
    static let offsetMask: UInt32 = ~quotedFlag
    static let narrowQuotedFlag: UInt16 = 1 << 15
    static let narrowOffsetMask: UInt16 = ~narrowQuotedFlag

    /// Absolute ends: while building, and afterwards for a file with a record of 32 KB or more.
    var fieldEnds: [UInt32] = []
    /// Ends relative to their record's start, when `compact()` found every record short enough.
    var narrowEnds: [UInt16] = []
    private(set) var isNarrow = false
    /// For record `r`, its fields are `fieldEnds[recordFields[r] ..< recordFields[r + 1]]`.
    var recordFields: [UInt32] = [0]
    var recordStarts: [UInt32] = []
    var recordLines: [UInt32] = []

    var recordCount: Int { recordStarts.count }

    /// The end of field `position` (of the record starting at `recordStart`) as an absolute
    /// offset with the quote flag in the top bit, whichever way the ends are stored.
    @inline(__always)
    func packedEnd(_ position: Int, recordStart: Int) -> UInt32 {
        if isNarrow {
            let narrow = narrowEnds[position]
            return UInt32(truncatingIfNeeded: recordStart + Int(narrow & Self.narrowOffsetMask))
                | (narrow & Self.narrowQuotedFlag != 0 ? Self.quotedFlag : 0)
        }
        return fieldEnds[position]
    }

    /// Narrows the field ends when it can and drops every array's spare capacity.
    mutating func compact() {
        recordStarts = exactCopy(recordStarts)
        recordLines = exactCopy(recordLines)
        recordFields = exactCopy(recordFields)
        guard !isNarrow else { return }
        var narrow = [UInt16](repeating: 0, count: fieldEnds.count)
        var fits = true
        narrow.withUnsafeMutableBufferPointer { narrow in
            fieldEnds.withUnsafeBufferPointer { ends in
                recordFields.withUnsafeBufferPointer { recordFields in
                    recordStarts.withUnsafeBufferPointer { starts in
                        var record = 0
                        // Fields of records dropped as blank never made it into `recordFields`;
                        // every stored field belongs to exactly one record.
                        while record < starts.count && fits {
                            let start = Int(starts[record])
                            for position in Int(recordFields[record])..<Int(recordFields[record + 1]) {
                                let packed = ends[position]
                                let relative = Int(packed & Self.offsetMask) - start
                                guard relative >= 0 && relative <= Int(Self.narrowOffsetMask) else {
                                    fits = false
                                    break
                                }
                                narrow[position] = UInt16(relative) | (packed & Self.quotedFlag != 0 ? Self.narrowQuotedFlag : 0)
                            }
                            record += 1
                        }
                    }
                }
            }
        }
        if fits {
            narrowEnds = narrow
            fieldEnds = []
            isNarrow = true
        } else {
            fieldEnds = exactCopy(fieldEnds)
        }
    }

    private func exactCopy<Element>(_ array: [Element]) -> [Element] {
        array.capacity == array.count ? array : Array(unsafeUninitializedCapacity: array.count) { buffer, initialized in
            _ = buffer.initialize(from: array)
            initialized = array.count
        }
    }
}

enum CSVParser {
    static let quote: UInt8 = 0x22
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let candidates: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]  // , ; tab |

    struct Outcome {
        var index: RecordIndex
        /// Line of the opening quote that was never closed, if any, and the record it is in.
        var unterminatedQuoteLine: Int?
        var unterminatedQuoteRecord: Int?
        /// Set when the parse stopped because there were more records than allowed.
        var exceededRecordLimit: Bool
    }

    // MARK: Delimiter sniffing

    /// Picks the candidate whose per-record field count is the most consistent over the first
    /// 50 records, each candidate read with the real parsing rules (so quoted newlines and
    /// stray quotes count exactly as they will). A candidate must split most records to win;
    /// ties go to the one giving more fields, then to the order `,` `;` tab `|`. A file where no
    /// candidate splits anything is one column, read with `,`.
    static func sniffDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        let sampleRecords = 50
        let sampleEnd = min(bytes.count, start + 64 * 1024)
        let sample = UnsafeBufferPointer(rebasing: bytes[..<sampleEnd])
        let reachedEnd = sampleEnd == bytes.count

        var best: (delimiter: UInt8, consistency: Double, fields: Int)?
        for delimiter in candidates {
            let index = buildIndex(sample, from: start, delimiter: delimiter, maxRecords: sampleRecords, progress: nil).index
            // The record cut by the end of the sample says nothing about the file.
            let usable = reachedEnd || index.recordCount <= 1 ? index.recordCount : index.recordCount - 1
            guard usable > 0 else { continue }
            var frequency: [Int: Int] = [:]
            for record in 0..<usable { frequency[index.fieldCount(record: record), default: 0] += 1 }
            guard let mode = frequency.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }), mode.key > 1 else { continue }
            let consistency = Double(mode.value) / Double(usable)
            if let current = best,
               current.consistency > consistency || (current.consistency == consistency && current.fields >= mode.key) {
                continue
            }
            best = (delimiter, consistency, mode.key)
        }
        return best?.delimiter ?? candidates[0]
    }

    // MARK: Record index

    /// Splits the buffer into records and fields in one pass. Unquoted fields are scanned eight
    /// bytes at a time (then a lookup table for the tail); quoted fields jump from quote to
    /// quote with `memchr`. Nothing is copied and nothing is allocated per field.
    static func buildIndex(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8,
                           maxRecords: Int, progress: ((Double) -> Void)?) -> Outcome {
        var index = RecordIndex()
        let end = bytes.count
        guard let base = bytes.baseAddress, start < end else {
            return Outcome(index: index, unterminatedQuoteLine: nil, unterminatedQuoteRecord: nil, exceededRecordLimit: false)
        }
        let estimatedRecords = (end - start) / 64 + 16
        index.recordStarts.reserveCapacity(estimatedRecords)
        index.recordLines.reserveCapacity(estimatedRecords)
        index.recordFields.reserveCapacity(estimatedRecords + 1)
        index.fieldEnds.reserveCapacity((end - start) / 8 + 16)

        // 1 marks the bytes that end an unquoted field.
        let stop = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        defer { stop.deallocate() }
        stop.initialize(repeating: 0, count: 256)
        stop[Int(delimiter)] = 1
        stop[Int(lineFeed)] = 1
        stop[Int(carriageReturn)] = 1
        let raw = UnsafeRawPointer(base)
        let delimiterPattern = UInt64(delimiter) &* SWAR.ones
        let lineFeedPattern = UInt64(lineFeed) &* SWAR.ones
        let carriageReturnPattern = UInt64(carriageReturn) &* SWAR.ones

        var p = start
        var line = 1
        // After an unterminated quote every later quote is ordinary text (see `CSVTable`).
        var quotesAreLiteral = false
        var unterminatedLine: Int?
        var unterminatedRecord: Int?
        let progressStep = max(end / 100, 1 << 20)
        var nextProgress = progressStep

        while p < end {
            let recordStart = p
            let recordLine = line
            let firstField = index.fieldEnds.count
            var sawQuotedField = false
            while true {
                var flag: UInt32 = 0
                if p < end && base[p] == quote && !quotesAreLiteral {
                    var q = p + 1
                    var closed = false
                    while q < end {
                        guard let hit = memchr(base + q, Int32(quote), end - q) else { break }
                        let at = raw.distance(to: UnsafeRawPointer(hit))
                        if at + 1 < end && base[at + 1] == quote {
                            q = at + 2
                            continue
                        }
                        q = at + 1
                        closed = true
                        break
                    }
                    if closed {
                        line += lineBreaks(base, from: p, to: q)
                        flag = RecordIndex.quotedFlag
                        sawQuotedField = true
                        p = q
                    } else {
                        unterminatedLine = line
                        unterminatedRecord = index.recordCount
                        quotesAreLiteral = true
                    }
                }
                // Eight bytes at a time while no field end is in sight, then byte by byte.
                var found = false
                while p + 8 <= end {
                    let word = raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)
                    let hits = SWAR.zeroBytes(word ^ delimiterPattern) | SWAR.zeroBytes(word ^ lineFeedPattern)
                        | SWAR.zeroBytes(word ^ carriageReturnPattern)
                    if hits != 0 {
                        p += SWAR.firstByte(hits)
                        found = true
                        break
                    }
                    p += 8
                }
                if !found {
                    while p < end && stop[Int(base[p])] == 0 { p += 1 }
                }
                index.fieldEnds.append(UInt32(truncatingIfNeeded: p) | flag)
                if p >= end { break }
                let byte = base[p]
                p += 1
                if byte == delimiter { continue }
                if byte == carriageReturn && p < end && base[p] == lineFeed { p += 1 }
                line += 1
                break
            }

            let fieldCount = index.fieldEnds.count - firstField
            if !sawQuotedField && isBlank(base, from: recordStart, fieldCount: fieldCount,
                                          lastEnd: Int(index.fieldEnds[index.fieldEnds.count - 1]),
                                          delimiter: delimiter) {
                index.fieldEnds.removeLast(fieldCount)
                continue
            }
            index.recordStarts.append(UInt32(truncatingIfNeeded: recordStart))
            index.recordLines.append(UInt32(truncatingIfNeeded: recordLine))
            index.recordFields.append(UInt32(truncatingIfNeeded: index.fieldEnds.count))
            if index.recordStarts.count > maxRecords {
                return Outcome(index: index, unterminatedQuoteLine: unterminatedLine, unterminatedQuoteRecord: unterminatedRecord, exceededRecordLimit: true)
            }
            if p >= nextProgress, let progress {
                progress(Double(p) / Double(end))
                nextProgress = p + progressStep
            }
        }
        return Outcome(index: index, unterminatedQuoteLine: unterminatedLine, unterminatedQuoteRecord: unterminatedRecord, exceededRecordLimit: false)
    }

    /// Line breaks inside a quoted field, so line numbers stay physical (`\r\n` counts once).
    @inline(__always)
    static func lineBreaks(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var count = 0
        var i = start
        while i < end {
            let byte = base[i]
            if byte == lineFeed {
                count += 1
            } else if byte == carriageReturn && !(i + 1 < end && base[i + 1] == lineFeed) {
                count += 1
            }
            i += 1
        }
        return count
    }

    /// A record is blank when it holds nothing but delimiters and spaces: empty lines and the
    /// `;;;;;` lines Excel writes for formatted but empty rows.
    @inline(__always)
    static func isBlank(_ base: UnsafePointer<UInt8>, from start: Int, fieldCount: Int, lastEnd: Int,
                        delimiter: UInt8) -> Bool {
        let length = lastEnd - start
        if length == fieldCount - 1 { return true }
        let first = base[start]
        guard first == 0x20 || first == 0x09 || first == delimiter else { return false }
        var i = start
        while i < lastEnd {
            let byte = base[i]
            if byte != 0x20 && byte != 0x09 && byte != delimiter { return false }
            i += 1
        }
        return true
    }
}

/// Byte-parallel tests on a 64-bit word (eight bytes, little-endian load).
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// High bit set in each byte of `word` that is zero. Bytes above the first zero may be
    /// flagged falsely (borrow), so only the lowest flag is exact, which is all callers use.
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highBits
    }

    /// Offset of the lowest flagged byte.
    @inline(__always)
    static func firstByte(_ flags: UInt64) -> Int {
        flags.trailingZeroBitCount >> 3
    }
}

extension RecordIndex {
    /// The index without its first `count` records (title lines above the header): the field
    /// table is shared, only the per-record arrays are cut.
    func droppingRecords(before count: Int) -> RecordIndex {
        var copy = self
        copy.recordFields = Array(recordFields[count...])
        copy.recordStarts = Array(recordStarts[count...])
        copy.recordLines = Array(recordLines[count...])
        return copy
    }
}

/// Finds the header row below a title ("Lista de clientes — marzo", maybe a blank line, then the
/// header), as Excel exports often have.
enum HeaderDetection {
    /// The record (0-based, among the first ten) that is the header: 0 unless the first records
    /// look like a title. A title record fills at most one cell, or fewer cells than the rows
    /// below on a line with fewer fields than they fill; the header is the first record after
    /// the titles that fills at least half of those cells (and two), with text that is not an
    /// e-mail or a number.
    static func headerRecord(_ index: RecordIndex, text: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Int {
        let count = index.recordCount
        guard count >= 3 else { return 0 }
        // How many cells the data rows fill: the most common count over the records after the
        // first few.
        let sampleEnd = min(count, 60)
        var frequency: [Int: Int] = [:]
        for record in min(1, count - 1)..<sampleEnd { frequency[filledCells(index, text, record), default: 0] += 1 }
        guard let typical = frequency.max(by: { ($0.value, $0.key) < ($1.value, $1.key) })?.key, typical >= 2 else { return 0 }
        let needed = max(2, (typical + 1) / 2)
        // A title fills one cell, or fewer than needed on a shorter line ("Reporte, Sucursal
        // Centro"); a header with unnamed columns ("Nombre,Teléfono,,,") has the full width and is
        // not one.
        func isTitle(_ record: Int) -> Bool {
            let filled = filledCells(index, text, record)
            return filled <= 1 || (filled < typical && index.fieldCount(record: record) < typical)
        }
        guard isTitle(0) else { return 0 }
        for record in 1..<min(count - 1, 10) {
            if isTitle(record) { continue }
            guard filledCells(index, text, record) >= needed else { return 0 }
            return looksLikeHeader(index, text, record) ? record : 0
        }
        return 0
    }

    private static func cell(_ index: RecordIndex, _ text: UnsafeBufferPointer<UInt8>, _ record: Int, _ column: Int) -> ArraySlice<UInt8> {
        let span = index.span(record: record, column: column)
        var start = span.quoted ? span.start + 1 : span.start
        var end = span.quoted ? max(span.end - 1, start) : span.end
        while start < end, text[start] == 0x20 || text[start] == 0x09 { start += 1 }
        while end > start, text[end - 1] == 0x20 || text[end - 1] == 0x09 || text[end - 1] == CSVParser.quote { end -= 1 }
        return ArraySlice(UnsafeBufferPointer(rebasing: text[start..<end]))
    }

    private static func filledCells(_ index: RecordIndex, _ text: UnsafeBufferPointer<UInt8>, _ record: Int) -> Int {
        (0..<index.fieldCount(record: record)).reduce(0) { $0 + (cell(index, text, record, $1).isEmpty ? 0 : 1) }
    }

    /// Header cells are names: no `@`, not only digits and number punctuation.
    private static func looksLikeHeader(_ index: RecordIndex, _ text: UnsafeBufferPointer<UInt8>, _ record: Int) -> Bool {
        for column in 0..<index.fieldCount(record: record) {
            let value = cell(index, text, record, column)
            if value.isEmpty { continue }
            if value.contains(UInt8(ascii: "@")) { return false }
            let numeric = value.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || " +-().,/".utf8.contains($0) }
            if numeric { return false }
        }
        return true
    }
}
