import Foundation

/// The engine behind the workspaces that tests create: the one switch that runs the wire tests
/// on PostgreSQL as well as SQLite. `CONTACT_IMPORT_TEST_ENGINE=postgresql` picks PostgreSQL in
/// the cluster named by `CONTACT_IMPORT_TEST_POSTGRES` (a libpq `key=value` conninfo); anything
/// else, or nothing, is SQLite. `.ci/test` runs the wire suite once per engine.
public enum TestEngine: String, Sendable {
    case sqlite, postgresql

    public static var current: TestEngine {
        let environment = ProcessInfo.processInfo.environment
        guard environment["CONTACT_IMPORT_TEST_ENGINE"]?.lowercased() == "postgresql" else { return .sqlite }
        return .postgresql
    }

    /// The test cluster's conninfo, when one is named.
    public static var postgresConninfo: String? {
        guard let value = ProcessInfo.processInfo.environment["CONTACT_IMPORT_TEST_POSTGRES"],
              !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return value
    }
}

/// A fresh, empty workspace for one test, on the current engine: a temporary folder for SQLite,
/// a new schema (through the `contact_import.schema` setting) for PostgreSQL, whose result files
/// go to a temporary folder of their own.
public struct TestWorkspace: Sendable {
    /// What `--workspace` and `initializationOptions.workspace` take.
    public let location: String
    /// The daemon arguments that select this workspace (`--workspace`, and `--files-dir` on PostgreSQL).
    public let arguments: [String]
    /// Where the workspace's result and error files are written.
    public let filesDirectory: String
    /// Removed when the last copy of this value is released.
    public let directory: TemporaryDirectory
    public let engine: TestEngine

    /// `conninfo` names another PostgreSQL cluster than the tests' one.
    public init(prefix: String = "contact-importd-test", engine: TestEngine = .current, conninfo: String? = nil) throws {
        directory = try TemporaryDirectory(prefix: prefix)
        self.engine = engine
        switch engine {
        case .sqlite:
            location = directory.file("workspace")
            filesDirectory = location + "/files"
            arguments = ["--workspace", location]
        case .postgresql:
            guard let conninfo = conninfo ?? TestEngine.postgresConninfo else {
                throw TestWorkspaceError.noPostgres
            }
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            location = conninfo + " options='-c contact_import.schema=\(schema)'"
            filesDirectory = directory.file("files")
            arguments = ["--workspace", location, "--files-dir", filesDirectory]
        }
    }
}

public enum TestWorkspaceError: Error, CustomStringConvertible {
    case noPostgres
    public var description: String {
        "CONTACT_IMPORT_TEST_ENGINE=postgresql needs CONTACT_IMPORT_TEST_POSTGRES (a conninfo such as 'host=/tmp/pg dbname=postgres user=postgres')"
    }
}
