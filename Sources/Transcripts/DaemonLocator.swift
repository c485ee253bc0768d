import FoundationEssentials

/// Finds the built `contact-importd`: `$CONTACT_IMPORTD` if set, else next to the running
/// executable (the test bundle and the daemon share `.build/<config>/`), else under `.build/`
/// of the current directory or its parents.
public enum DaemonLocator {
    public struct NotFound: Error, CustomStringConvertible {
        public let searched: [String]
        public var description: String {
            "contact-importd not found (searched: \(searched.joined(separator: ", "))); run `swift build` or set CONTACT_IMPORTD"
        }
    }

    public static func daemonPath(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        try executablePath(named: "contact-importd", override: environment["CONTACT_IMPORTD"])
    }

    public static func executablePath(named name: String, override: String? = nil) throws -> String {
        let fileManager = FileManager.default
        var candidates: [String] = []
        if let override, !override.isEmpty { candidates.append(override) }
        for directory in executableDirectories() {
            candidates.append(directory + "/" + name)
        }
        var directory = fileManager.currentDirectoryPath
        for _ in 0..<6 {
            for configuration in ["debug", "release"] {
                candidates.append("\(directory)/.build/\(configuration)/\(name)")
            }
            directory = parentDirectory(directory)
        }
        for candidate in candidates where fileManager.isExecutableFile(atPath: candidate) {
            var isDirectory = false
            if fileManager.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory {
                return candidate
            }
        }
        throw NotFound(searched: candidates)
    }

    /// Directories of the running executable (on Linux a test bundle is the executable itself).
    private static func executableDirectories() -> [String] {
        var directories: [String] = []
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(parentDirectory(resolved))
        }
        if let first = CommandLine.arguments.first {
            directories.append(parentDirectory(URL(fileURLWithPath: first).standardizedFileURL.path))
        }
        return directories
    }

    /// The path without its last component ("/a/b" → "/a", "/a" → "/").
    static func parentDirectory(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }
}
