import Foundation

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
            directory = (directory as NSString).deletingLastPathComponent
        }
        for candidate in candidates where fileManager.isExecutableFile(atPath: candidate) {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
        }
        throw NotFound(searched: candidates)
    }

    /// Directories of the running executable and of loaded test bundles (`*.xctest`).
    private static func executableDirectories() -> [String] {
        var directories: [String] = []
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append((resolved as NSString).deletingLastPathComponent)
        }
        if let first = CommandLine.arguments.first {
            directories.append((URL(fileURLWithPath: first).standardizedFileURL.path as NSString).deletingLastPathComponent)
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append((bundle.bundlePath as NSString).deletingLastPathComponent)
        }
        return directories
    }
}
