import Foundation
import CSV
import Localization

/// The error file of a review and the result file of a commit: the original header and rows as
/// in the file, plus the product's columns at the end, written with `CSVWriter` (UTF-8 with BOM,
/// CRLF, formula-safe) under the workspace's `files/` folder.
public enum ResultFiles {
    /// Result files are kept this long (the seed: "disponible durante 7 días").
    public static let retention: TimeInterval = 7 * 24 * 3600

    /// Error rows only, with a final `Error` column.
    public static func writeErrorFile(table: CSVTable, outcomes: [RowOutcome], locale: MessageLocale,
                                      path: String) throws -> ReviewErrorFile {
        var writer = CSVWriter()
        writer.writeRow(table.originalHeaders + [ReviewMessages.errorHeader.text(locale)])
        var rows = 0
        for outcome in outcomes where outcome.action == .error {
            writer.writeRow(originalCells(table, row: outcome.row - 1) + [joinedMessages(outcome.errors, locale)])
            rows += 1
        }
        try save(writer.bytes, to: path, directory: (path as NSString).deletingLastPathComponent)
        return ReviewErrorFile(path: path, rows: rows)
    }

    /// Every row, with `Import Status` and `Errors`.
    public static func writeResultFile(table: CSVTable, actions: [RowAction], errors: [Int: [RowError]],
                                       locale: MessageLocale, path: String, directory: String) throws {
        var writer = CSVWriter()
        writer.writeRow(table.originalHeaders + [ReviewMessages.statusHeader.text(locale),
                                                 ReviewMessages.errorsHeader.text(locale)])
        let statusWords = RowAction.allCases.reduce(into: [RowAction: String]()) {
            $0[$1] = ReviewMessages.status($1).text(locale)
        }
        for (row, action) in actions.enumerated() {
            let message = errors[row].map { joinedMessages($0, locale) } ?? ""
            writer.writeRow(originalCells(table, row: row) + [statusWords[action] ?? "", message])
        }
        try save(writer.bytes, to: path, directory: directory)
    }

    /// A file-name-safe version of the user's file name, without its extension.
    public static func safeStem(_ fileName: String) -> String {
        let base = (fileName as NSString).lastPathComponent
        let stem = (base as NSString).deletingPathExtension
        let cleaned = String(stem.unicodeScalars.map { scalar -> Character in
            CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_" ? Character(scalar) : "-"
        }.prefix(60))
        return cleaned.isEmpty ? "import" : cleaned
    }

    /// A short row keeps its place under the header (missing cells are empty); a long row keeps
    /// every cell it had, as in the file.
    static func originalCells(_ table: CSVTable, row: Int) -> [String] {
        var cells = table.cells(ofRow: row)
        if cells.count < table.columnCount {
            cells.append(contentsOf: repeatElement("", count: table.columnCount - cells.count))
        }
        return cells
    }

    static func joinedMessages(_ errors: [RowError], _ locale: MessageLocale) -> String {
        errors.map { $0.message(locale) }.joined(separator: " | ")
    }

    /// Written beside the final name and renamed into place, so a reader never sees half a file;
    /// the bytes go out as they are (no `Data` copy of a 20 MB file).
    private static func save(_ bytes: [UInt8], to path: String, directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil),
              let handle = FileHandle(forWritingAtPath: partial) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: partial])
        }
        do {
            try handle.write(contentsOf: bytes)
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        guard rename(partial, path) == 0 else {
            try? FileManager.default.removeItem(atPath: partial)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
