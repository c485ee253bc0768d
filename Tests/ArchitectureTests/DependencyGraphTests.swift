import Foundation
import XCTest

/// The module map of ARCHITECTURE.md, checked: every module a target imports is declared in
/// Package.swift, and the lower layers import nothing of ours above them.
final class DependencyGraphTests: XCTestCase {
    /// Our own modules, lowest layer first.
    private static let ours = ["Localization", "ThreadSupport", "CSQLite", "CLibPQ", "JSONRPC", "CSV", "Contacts", "Workspace",
                               "Importer", "ImportServer", "Transcripts", "TestSupport"]
    /// What each lower layer may import of ours (besides the system modules).
    private static let allowed: [String: Set<String>] = [
        "Localization": [],
        "ThreadSupport": [],
        "JSONRPC": ["Localization", "ThreadSupport"],
        "CSV": ["Localization"],
        "Contacts": ["Localization"],
        "Workspace": ["CSQLite", "CLibPQ", "Contacts", "Localization", "ThreadSupport"],
        "Importer": ["CSV", "Contacts", "Workspace", "Localization", "ThreadSupport"],
        "ImportServer": ["JSONRPC", "Importer", "CSV", "Contacts", "Workspace", "Localization", "ThreadSupport"],
        "Transcripts": ["JSONRPC", "Localization"],
        "TestSupport": ["JSONRPC", "Localization", "Transcripts"],
    ]

    private var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testEveryImportOfOursIsDeclaredInPackageSwift() throws {
        let declared = try declaredDependencies()
        XCTAssertFalse(declared.isEmpty, "Package.swift's targets were read")
        for (target, folder) in try targetFolders() {
            let dependencies = try XCTUnwrap(declared[target], "\(target) is declared in Package.swift")
            for module in try imports(in: folder) where Self.ours.contains(module) {
                XCTAssertTrue(dependencies.contains(module), "\(target) imports \(module) without declaring it")
            }
        }
    }

    func testLowerLayersImportNothingOfOursAboveThem() throws {
        let folders = try targetFolders()
        for (target, allowed) in Self.allowed {
            guard let folder = folders[target] else { continue }
            let used = try imports(in: folder).filter { Self.ours.contains($0) }
            XCTAssertTrue(used.isSubset(of: allowed), "\(target) imports \(used.subtracting(allowed).sorted()), above its layer")
        }
    }

    func testNoSQLiteNoLibPQAndNoSQLOutsideTheWorkspace() throws {
        let sources = root.appendingPathComponent("Sources")
        for (target, folder) in try targetFolders() where folder.path.hasPrefix(sources.path) {
            guard target != "Workspace", target != "CSQLite", target != "CLibPQ" else { continue }
            for file in try swiftFiles(in: folder) {
                let text = try String(contentsOf: file, encoding: .utf8)
                for marker in ["import CSQLite", "sqlite3_", "import CLibPQ", "PQexec", "PQconnect", "SELECT ",
                               "INSERT INTO", "DELETE FROM", "CREATE TABLE"] {
                    XCTAssertFalse(text.contains(marker), "\(file.lastPathComponent) (\(target)) contains \(marker)")
                }
            }
        }
    }

    /// Foundation proper loads ICU and its internationalization library (about 10 MB resident);
    /// everything the daemon links uses FoundationEssentials.
    func testTheDaemonsTargetsImportNoFoundation() throws {
        let daemonTargets = ["Localization", "ThreadSupport", "JSONRPC", "CSV", "Contacts", "Workspace", "Importer",
                             "ImportServer", "Transcripts", "contact-importd"]
        let folders = try targetFolders()
        for target in daemonTargets {
            let folder = try XCTUnwrap(folders[target], "\(target) has a folder")
            XCTAssertFalse(try imports(in: folder).contains("Foundation"), "\(target) imports Foundation")
        }
        let declared = try declaredDependencies()
        XCTAssertTrue(try XCTUnwrap(declared["contact-importd"]).isSubset(of: Set(daemonTargets)),
                      "contact-importd depends only on Foundation-free targets")
    }

    // MARK: reading the package

    /// Target name → the names in its `dependencies:` list.
    private func declaredDependencies() throws -> [String: Set<String>] {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var result: [String: Set<String>] = [:]
        let pattern = try NSRegularExpression(pattern: #"\.(?:target|executableTarget|testTarget|systemLibrary)\(\s*name:\s*"([^"]+)"(?:,\s*dependencies:\s*\[([^\]]*)\])?"#)
        let range = NSRange(manifest.startIndex..., in: manifest)
        for match in pattern.matches(in: manifest, range: range) {
            guard let nameRange = Range(match.range(at: 1), in: manifest) else { continue }
            var dependencies: Set<String> = []
            if let listRange = Range(match.range(at: 2), in: manifest) {
                for part in manifest[listRange].split(separator: ",") {
                    let name = part.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    if !name.isEmpty { dependencies.insert(name) }
                }
            }
            result[String(manifest[nameRange])] = dependencies
        }
        return result
    }

    private func targetFolders() throws -> [String: URL] {
        var folders: [String: URL] = [:]
        for parent in ["Sources", "Tests"] {
            let url = root.appendingPathComponent(parent)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path) {
                var isFolder: ObjCBool = false
                let folder = url.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue {
                    folders[name] = folder
                }
            }
        }
        return folders
    }

    private func swiftFiles(in folder: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    private func imports(in folder: URL) throws -> Set<String> {
        var modules: Set<String> = []
        for file in try swiftFiles(in: folder) {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                var words = line.split(separator: " ").map(String.init)
                if words.first == "@testable" || words.first == "@_exported" { words.removeFirst() }
                if words.count >= 2, words[0] == "import" { modules.insert(words[1]) }
            }
        }
        return modules
    }
}
