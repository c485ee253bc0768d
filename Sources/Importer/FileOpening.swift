import FoundationEssentials
import CSV

/// Where an import's file comes from: a file the daemon reads, or an editor buffer's text.
public enum ImportSource: Sendable {
    case file(path: String)
    case text(String)
}

extension SessionRegistry {
    /// The open step as plain Swift: the session limit is checked before a 20 MB parse, the file
    /// is read (`CSVRejection` when it cannot be imported), its columns profiled once, and a
    /// new session holds the result. `progress` gets the fraction of the file read.
    public func openFile(_ source: ImportSource, fileName: String, options: CSVReadOptions,
                         progress: @escaping (Double) -> Void, checkCancellation: () throws -> Void) throws -> ImportSession {
        try checkCapacity()
        let table: CSVTable
        switch source {
        case .file(let path):
            table = try CSVReader.read(path: path, options: options, progress: progress)
        case .text(let text):
            // An editor buffer arrives as text, so as UTF-8 whatever the options say.
            var options = options
            options.encoding = nil
            table = try CSVReader.read(bytes: Array(text.utf8), options: options, progress: progress)
        }
        try checkCancellation()
        let columns = ColumnProfile.profiles(of: table)
        try checkCancellation()
        return try open(fileName: fileName, table: table, columns: columns)
    }
}
