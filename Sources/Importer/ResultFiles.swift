import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import CSV
import Localization
import Workspace

/// The error file of a review and the result file of a commit: the original header and rows as
/// in the file, plus the product's columns at the end, written with `CSVWriter` (UTF-8 with BOM,
/// CRLF, formula-safe, and the input file's own delimiter) under the workspace's `files/` folder.
public enum ResultFiles {
    /// Result files are kept as long as the workspace's retention says.
    public static var retention: TimeInterval { Workspace.resultRetention }

    /// Error rows only, with a final `Error` column.
    public static func writeErrorFile(table: CSVTable, outcomes: [RowOutcome], locale: MessageLocale,
                                      path: String) throws -> ReviewErrorFile {
        var file = try StreamedCSVFile(path: path, delimiter: table.delimiter)
        file.writeRow(table.originalHeaders + [ReviewMessages.errorHeader.text(locale)])
        let errorRows = outcomes.filter { $0.action == .error }
        // The review waits for this file: its rows are made on every core, a batch at a time
        // (so about a batch of them is held), and written in order.
        for batchStart in stride(from: 0, to: errorRows.count, by: errorFileBatch) {
            let batch = errorRows[batchStart..<min(batchStart + errorFileBatch, errorRows.count)]
            let pieces = parallelChunks(count: batch.count, minimumChunk: 1_024) { range -> CSVWriter in
                var writer = CSVWriter(delimiter: table.delimiter)
                for outcome in batch[(batch.startIndex + range.lowerBound)..<(batch.startIndex + range.upperBound)] {
                    writer.writeRow(table, row: outcome.row - 1, appending: [joinedMessages(outcome.errors, locale)])
                }
                return writer
            }
            for piece in pieces { try file.append(piece) }
        }
        try file.finish()
        return ReviewErrorFile(path: path, rows: errorRows.count)
    }

    /// Rows of the error file made at once by `writeErrorFile`.
    static let errorFileBatch = 16_384

    /// Every row, with `Import Status` and `Errors` (for a skipped row, why it was skipped),
    /// written to `partialPath(path)`: a commit gives it its final name (`publish`) only as the
    /// last step of the transaction that marks its job completed, so a killed commit never
    /// leaves a result file under a final name (recovery deletes the partial one with the job's
    /// other files).
    public static func writeResultFile(table: CSVTable, actions: [RowAction], errors: [Int: [RowError]],
                                       locale: MessageLocale, path: String) throws {
        var file = try StreamedCSVFile(path: path, delimiter: table.delimiter, renameWhenFinished: false)
        file.writeRow(table.originalHeaders + [ReviewMessages.statusHeader.text(locale),
                                               ReviewMessages.errorsHeader.text(locale)])
        let statusWords = RowAction.allCases.reduce(into: [RowAction: String]()) {
            $0[$1] = ReviewMessages.status($1).text(locale)
        }
        for (row, action) in actions.enumerated() {
            let message = errors[row].map { joinedMessages($0, locale) } ?? ""
            file.writeRow(table, row: row, appending: [statusWords[action] ?? "", message])
            try file.flushIfLarge()
        }
        try file.finish()
    }

    /// An undo's result file: one row per change it kept because the contact changed after the
    /// import, with what was kept and why. Written to `partialPath(path)` like a commit's.
    public static func writeUndoFile(_ conflicts: [UndoConflict], locale: MessageLocale, path: String) throws {
        var file = try StreamedCSVFile(path: path, renameWhenFinished: false)
        file.writeRow([ReviewMessages.undoContactHeader.text(locale), ReviewMessages.undoFieldHeader.text(locale),
                       ReviewMessages.undoKeptHeader.text(locale), ReviewMessages.undoImportedHeader.text(locale),
                       ReviewMessages.undoReasonHeader.text(locale)])
        for conflict in conflicts {
            file.writeRow([String(conflict.contactId), conflict.field ?? "", conflict.kept ?? "", conflict.imported ?? "",
                           ReviewMessages.undoReason(conflict).text(locale)])
            try file.flushIfLarge()
        }
        try file.finish()
    }

    /// Where a result file is written until its commit publishes it.
    public static func partialPath(_ path: String) -> String { path + ".partial" }

    /// Gives a written result file its final name.
    public static func publish(_ path: String) throws {
        guard rename(partialPath(path), path) == 0 else { throw FileWriteError(path: path) }
    }

    /// Removes a result file, published or not (its commit was rolled back).
    public static func discard(_ path: String) {
        unlink(partialPath(path))
        unlink(path)
    }

    /// A file-name-safe version of the user's file name, without its extension.
    public static func safeStem(_ fileName: String) -> String {
        let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        // Without its extension: what follows the last dot, unless the dot starts the name.
        var stem = Substring(base)
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { stem = base[..<dot] }
        let cleaned = String(stem.unicodeScalars.map { scalar -> Character in
            let kept = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                || scalar.properties.generalCategory == .nonspacingMark
            return kept || scalar == "-" || scalar == "_" ? Character(scalar) : "-"
        }.prefix(60))
        return cleaned.isEmpty ? "import" : cleaned
    }

    static func joinedMessages(_ errors: [RowError], _ locale: MessageLocale) -> String {
        errors.map { error in
            // A skip reason names its contact only here, row by row.
            if error.code == .skipped, let contactId = error.contactIds?.first {
                return error.message(locale).replacingEvery(ReviewMessages.contactPlaceholder,
                                                                  with: String(contactId))
            }
            return error.message(locale)
        }.joined(separator: " | ")
    }
}

/// A CSV file written a piece at a time, so a 200,000-row result file never sits whole in
/// memory. Written beside its final name and renamed into place when finished, so a reader
/// never sees half a file.
struct StreamedCSVFile {
    /// Written out past 256 KB, from one buffer reserved a little larger: a commit's result file
    /// is made while the store's writer cache fills, so its buffer should not double to megabytes.
    static let flushThreshold = 256 << 10
    private static let bufferCapacity = flushThreshold + (64 << 10)
    let path: String
    private let partial: String
    private let file: OpenFile
    private var writer: CSVWriter
    /// Every `CSVWriter` starts with a byte order mark; only the file's first piece keeps it.
    private var wroteFirstPiece = false

    private let renameWhenFinished: Bool

    init(path: String, delimiter: UInt8 = 0x2C, renameWhenFinished: Bool = true) throws {
        self.path = path
        self.renameWhenFinished = renameWhenFinished
        writer = CSVWriter(delimiter: delimiter)
        writer.startNextPiece(reservingCapacity: Self.bufferCapacity)
        partial = ResultFiles.partialPath(path)
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try FileManager.default.createDirectory(atPath: String(path[..<slash]), withIntermediateDirectories: true)
        }
        // Contacts' personal data: readable by the owner only, whatever the umask.
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileWriteError(path: partial) }
        fchmod(descriptor, 0o600)
        file = OpenFile(descriptor)
    }

    mutating func writeRow(_ cells: [String]) { writer.writeRow(cells) }
    mutating func writeRow(_ table: CSVTable, row: Int, appending extra: [String]) {
        writer.writeRow(table, row: row, appending: extra)
    }

    mutating func flushIfLarge() throws {
        if writer.bytes.count >= Self.flushThreshold { try flush() }
    }

    private mutating func flush() throws {
        try write(writer)
        writer.startNextPiece()
    }

    /// Writes the rows another writer made after those written so far (whose piece goes first).
    mutating func append(_ piece: CSVWriter) throws {
        try flush()
        try write(piece)
    }

    private mutating func write(_ piece: CSVWriter) throws {
        let bytes = piece.bytes
        let written = bytes.withUnsafeBytes { all in
            Self.writeAll(file.descriptor, UnsafeRawBufferPointer(rebasing: all[(wroteFirstPiece ? min(3, all.count) : 0)...]))
        }
        guard written else {
            let failure = FileWriteError(path: partial)
            abandon()
            throw failure
        }
        wroteFirstPiece = true
    }

    mutating func finish() throws {
        try flush()
        guard file.close() else {
            let failure = FileWriteError(path: partial)
            unlink(partial)
            throw failure
        }
        guard renameWhenFinished else { return }
        guard rename(partial, path) == 0 else {
            let failure = FileWriteError(path: path)
            unlink(partial)
            throw failure
        }
    }

    private func abandon() {
        _ = file.close()
        unlink(partial)
    }

    /// Closed when the file is finished or abandoned, else when the last copy of the writer goes.
    private final class OpenFile {
        private(set) var descriptor: Int32
        init(_ descriptor: Int32) { self.descriptor = descriptor }
        func close() -> Bool {
            guard descriptor >= 0 else { return true }
            defer { descriptor = -1 }
            return Glibc.close(descriptor) == 0
        }
        deinit { _ = close() }
    }

    /// Writes every byte, retrying short writes and interrupted calls.
    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += count
        }
        return true
    }
}

/// A result or error file that could not be written: its path and the system's reason.
public struct FileWriteError: Error, CustomStringConvertible {
    public let path: String
    public let code: Int32
    init(path: String, code: Int32 = errno) {
        self.path = path
        self.code = code
    }
    public var description: String { "\(path): \(String(cString: strerror(code)))" }
}
