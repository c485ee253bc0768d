import Foundation
import Synchronization

/// The shared reference scripts (`gen_contacts.py`, `ref_import.py`) that every speed figure is
/// compared against: the job as a user would script it in Python, kept outside this repository
/// so that every product measures against the same thing. The benchmark only runs them and
/// reads the JSON line they print; it holds no SQL of its own.
struct ReferenceScripts {
    /// `--reference-dir`, set once by `main` before any benchmark runs.
    static let chosenDirectory = Mutex<String?>(nil)
    /// `--reference-dir`, by default `../shared/bench` next to this repository.
    static var directory: String { chosenDirectory.withLock { $0 } ?? defaultDirectory }

    static var defaultDirectory: String {
        // Sources/contact-import-bench/ReferenceScripts.swift → the repository → its parent.
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return repository.deletingLastPathComponent().appendingPathComponent("shared/bench").path
    }

    /// False (and why, printed) when the scripts are missing.
    static func available() -> Bool {
        guard FileManager.default.fileExists(atPath: directory + "/ref_import.py"),
              FileManager.default.fileExists(atPath: directory + "/gen_contacts.py") else {
            print("reference scripts not found in \(directory) (see --reference-dir): no ratio")
            return false
        }
        return true
    }

    /// `gen_contacts.py` with `arguments`; throws when it fails.
    static func generate(_ arguments: [String]) throws {
        _ = try run("gen_contacts.py", arguments, expectJSON: false)
    }

    /// `ref_import.py` with `arguments`: the JSON line it prints.
    static func refImport(_ arguments: [String]) throws -> ReferenceRun {
        let json = try run("ref_import.py", arguments, expectJSON: true)
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let phases = object["phases"] as? [String: Double] else {
            throw ReferenceFailure(message: "ref_import.py printed no phases: \(json)")
        }
        return ReferenceRun(phases: phases, fields: object)
    }

    private static func run(_ script: String, _ arguments: [String], expectJSON: Bool) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", directory + "/" + script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ReferenceFailure(message: "\(script) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        let text = String(decoding: data, as: UTF8.self)
        return expectJSON ? String(text.split(separator: "\n").last ?? "") : text
    }
}

/// One run of `ref_import.py`: seconds per phase (`total` among them) and its other figures.
struct ReferenceRun {
    let phases: [String: Double]
    let fields: [String: Any]
    var total: Double { phases["total"] ?? 0 }
    func count(_ key: String) -> Int { fields[key] as? Int ?? 0 }
}

struct ReferenceFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
