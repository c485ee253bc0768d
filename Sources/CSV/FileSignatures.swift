#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Localization

/// Recognises files that are obviously not CSV text, so the user hears "this is an Excel
/// workbook, save it as CSV" instead of a page of garbled columns.
enum FileSignatures {
    static func rejection(for bytes: [UInt8], forced: TextEncoding?) -> CSVRejection? {
        if let detail = knownBinaryFormat(bytes) {
            return CSVRejection(reason: .notCsv, detail: detail)
        }
        let encoding = forced ?? TextDecoding.byteOrderMark(bytes) ?? TextDecoding.byteOrderWithoutMark(bytes)
        let isUTF16 = encoding == .utf16LE || encoding == .utf16BE
        // A few stray NULs (an old CRM's export) are the rows' problem; many are binary data.
        if !isUTF16 && containsNUL(bytes) && looksBinary(bytes) {
            return CSVRejection(reason: .notCsv, detail: CSVMessages.binaryContent)
        }
        return nil
    }

    /// Binary data rather than text with a few stray NULs: more than 16 NUL bytes making over 1%
    /// of the file (or of its first 4 KiB), or at least 3 control bytes (NUL and the other C0
    /// controls but tab and line ends) making over a tenth of the first 4 KiB.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        let total = nulOffsets(bytes, limit: Int.max).count
        let head = bytes.prefix(4096)
        let headNUL = head.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        if total > 16 && (total * 100 > bytes.count || headNUL * 100 > head.count) { return true }
        let controls = head.reduce(0) { $0 + ($1 < 0x20 && $1 != 0x09 && $1 != 0x0A && $1 != 0x0D && $1 != 0x0C ? 1 : 0) }
        return controls >= 3 && controls * 10 > head.count
    }

    /// Offsets of the NUL bytes of a text, at most `limit` of them.
    static func nulOffsets(_ bytes: [UInt8], limit: Int = 10_000) -> [Int] {
        guard containsNUL(bytes) else { return [] }
        var offsets: [Int] = []
        for (offset, byte) in bytes.enumerated() where byte == 0 {
            offsets.append(offset)
            if offsets.count >= limit { break }
        }
        return offsets
    }

    static func knownBinaryFormat(_ bytes: [UInt8]) -> LocalizedText? {
        func starts(with prefix: [UInt8]) -> Bool {
            bytes.count >= prefix.count && bytes[0..<prefix.count].elementsEqual(prefix)
        }
        if starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            // XLSX and ODS are ZIP archives; their first entries say which one it is.
            let head = bytes.prefix(4096)
            if contains(head, "opendocument.spreadsheet") { return CSVMessages.openDocumentSpreadsheet }
            if contains(head, "[Content_Types].xml") || contains(head, "xl/") { return CSVMessages.excelWorkbook }
            return CSVMessages.zipArchive
        }
        if starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return CSVMessages.legacyExcelWorkbook }
        if starts(with: Array("%PDF".utf8)) { return CSVMessages.pdfDocument }
        if starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return CSVMessages.image("PNG") }
        if starts(with: [0xFF, 0xD8, 0xFF]) { return CSVMessages.image("JPEG") }
        if starts(with: Array("GIF87a".utf8)) || starts(with: Array("GIF89a".utf8)) { return CSVMessages.image("GIF") }
        return nil
    }

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard haystack.count >= pattern.count, let first = pattern.first else { return false }
        var i = haystack.startIndex
        let last = haystack.endIndex - pattern.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + pattern.count)].elementsEqual(pattern) { return true }
            i += 1
        }
        return false
    }

    static func containsNUL(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return false }
            return memchr(base, 0, buffer.count) != nil
        }
    }
}
