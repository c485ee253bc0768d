import Foundation
import JSONRPC
import TestSupport
import Workspace

/// The whole import over the wire, as a user's editor would run it: a workspace of 1,000,000
/// contacts, a generated 200,000-row file in which about half the rows match an existing contact
/// by phone, purpose `addAndUpdate`. Prints the time of each step, the daemon's peak RSS, and the
/// same job done by the shared reference script (`ReferenceScripts`).
func runImportBenchmark() throws {
    let environment = ProcessInfo.processInfo.environment
    let contactCount = Int(environment["IMPORT_BENCH_CONTACTS"] ?? "") ?? 1_000_000
    let rowCount = Int(environment["IMPORT_BENCH_ROWS"] ?? "") ?? 200_000
    let root = NSTemporaryDirectory() + "import-bench-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }

    // The file, and which of its rows will find an existing contact.
    let generator = ContactCSVGenerator(rows: rowCount, seed: 2024)
    let csvPath = root + "/contactos.csv"
    let fileBytes = try generator.write(toPath: csvPath)
    if let keep = environment["IMPORT_BENCH_KEEP_CSV"] {
        try? FileManager.default.removeItem(atPath: keep)
        try FileManager.default.copyItem(atPath: csvPath, toPath: keep)
    }
    let rows = generator.rows()
    var matchingPhones: [String] = []
    var filePhones = Set<String>()
    for (index, row) in rows.enumerated() {
        guard let phone = row.intendedPhone else { continue }
        filePhones.insert(phone)
        if index % 2 == 0 && row.duplicateOf == nil { matchingPhones.append(phone) }
    }
    print(String(format: "file: %@ rows, %.1f MB; %@ rows should match an existing contact",
                 formatted(rowCount), Double(fileBytes) / 1_048_576, formatted(matchingPhones.count)))

    // The workspace: the matching phones plus filler contacts nobody in the file has.
    let (workspaceDirectory, daemonExtra, onPostgres) = BenchWorkspace.arguments(root: root)
    defer { if onPostgres { BenchWorkspace.drop(workspaceDirectory) } }
    let loadStart = Date()
    var filler = ContactCSVGenerator.distinctPhones(count: contactCount + matchingPhones.count, seed: 77)
        .lazy.filter { !filePhones.contains($0) }.makeIterator()
    let firstNames = ["Ana", "Luis", "María", "José", "Carmen", "João", "Sofía", "Diego", "Lucía", "Pedro"]
    if onPostgres {
        try BenchWorkspace.load(workspaceDirectory, count: contactCount) { index in
            let phone = index < matchingPhones.count ? matchingPhones[index] : (filler.next() ?? "+1555\(index)")
            return NewContact(values: ["firstName": firstNames[index % firstNames.count], "lastName": "Existente",
                                       "phone": phone, "email": "existente\(index)@example.com"],
                              tags: index % 4 == 0 ? ["cliente"] : [])
        }
    } else {
        let workspace = try Workspace.open(directory: workspaceDirectory)
        _ = try workspace.write { tx in
            try tx.insertContacts(count: contactCount, now: Date()) { index in
                let phone = index < matchingPhones.count ? matchingPhones[index] : (filler.next() ?? "+1555\(index)")
                return NewContact(values: ["firstName": firstNames[index % firstNames.count], "lastName": "Existente",
                                           "phone": phone, "email": "existente\(index)@example.com"],
                                  tags: index % 4 == 0 ? ["cliente"] : [])
            }
        }
        try workspace.checkpoint()
    }
    print(String(format: "workspace: %@ contacts loaded in %.1f s", formatted(contactCount), Date().timeIntervalSince(loadStart)))

    let client = try WireClient(arguments: ["--workspace", workspaceDirectory, "--log-level", "warn"] + daemonExtra, timeout: 300)
    try client.initialize(locale: "es")
    let daemon = client.connection.processIdentifier
    // The machine may be shared: CPU time next to wall time shows how much was waiting for a core.
    var cpuMark = daemon.flatMap(cpuSeconds) ?? 0
    func cpuSince() -> Double {
        let now = daemon.flatMap(cpuSeconds) ?? cpuMark
        defer { cpuMark = now }
        return now - cpuMark
    }
    let openStart = Date()
    let opened = try client.request("import/open", ["uri": .string(URL(fileURLWithPath: csvPath).absoluteString)])
    let openSeconds = Date().timeIntervalSince(openStart)
    let openCPU = cpuSince()
    let sessionId = opened["sessionId"] ?? .null

    let suggestStart = Date()
    let suggestion = try client.request("import/suggestMapping", ["sessionId": sessionId, "purpose": "addAndUpdate"])
    let suggestSeconds = Date().timeIntervalSince(suggestStart)
    let suggestCPU = cpuSince()
    let mapping = (suggestion["mapping"]?.arrayValue ?? []).map { entry -> JSONValue in
        ["column": entry["column"] ?? .null, "field": entry["field"] ?? .null]
    }

    let reviewStart = Date()
    let review = try client.request("import/review", [
        "sessionId": sessionId, "purpose": "addAndUpdate", "identifier": "phone",
        "mapping": .array(mapping), "defaultCountry": "MX", "workDoneToken": "review",
    ])
    let reviewSeconds = Date().timeIntervalSince(reviewStart)
    let reviewCPU = cpuSince()
    let rssAfterReview = daemon.flatMap { residentMegabytes($0, field: "VmRSS:") }
    let splitAfterReview = daemon.map(residentSplit) ?? ""
    let counts = review["counts"] ?? .null
    print("review counts: add \(counts["add"] ?? .null), update \(counts["update"] ?? .null), "
          + "skip \(counts["skip"] ?? .null), error \(counts["error"] ?? .null)")

    let writtenBeforeCommit = daemon.flatMap(writtenBytes) ?? 0
    let commitStart = Date()
    let commit = try client.request("import/commit", ["sessionId": sessionId, "reviewId": review["reviewId"] ?? .null,
                                                      "workDoneToken": "commit"], timeout: 600)
    let commitSeconds = Date().timeIntervalSince(commitStart)
    let commitCPU = cpuSince()
    let peakRSS = daemon.flatMap { residentMegabytes($0, field: "VmHWM:") }
    let splitAfterCommit = daemon.map(residentSplit) ?? ""
    let commitWritten = (daemon.flatMap(writtenBytes) ?? 0) - writtenBeforeCommit
    _ = try? client.shutdownAndExit()
    let committed = commit["counts"] ?? .null
    print("commit counts: imported \(committed["imported"] ?? .null), updated \(committed["updated"] ?? .null), "
          + "skipped \(committed["skipped"] ?? .null), errors \(committed["errors"] ?? .null)")

    let total = openSeconds + suggestSeconds + reviewSeconds + commitSeconds
    print(String(format: "open: %.2f s (daemon CPU %.2f s)", openSeconds, openCPU))
    print(String(format: "suggestMapping: %.3f s (daemon CPU %.3f s)", suggestSeconds, suggestCPU))
    print(String(format: "review: %.2f s (daemon CPU %.2f s; target < 1 s)", reviewSeconds, reviewCPU))
    print(String(format: "commit: %.2f s (daemon CPU %.2f s; target < 2 s); daemon wrote %.0f MB", commitSeconds, commitCPU,
                 Double(commitWritten) / 1_048_576))
    print(String(format: "open + suggest + review + commit: %.2f s", total))
    if let peakRSS {
        print(String(format: "daemon peak RSS: %.0f MB (target < 250 MB); RSS after review %.0f MB",
                     peakRSS, rssAfterReview ?? 0))
        print("daemon memory after review: \(splitAfterReview); after commit: \(splitAfterCommit)")
    }

    if environment["IMPORT_BENCH_PYTHON"] == "0" {
        print("reference comparison skipped (IMPORT_BENCH_PYTHON=0)")
    } else if ReferenceScripts.available() {
        try runReferenceImport(directory: root + "/reference", contactCount: contactCount, rowCount: rowCount, total: total)
    }
}

/// The same job by the shared reference (`ref_import.py`): a workspace of `contactCount`
/// contacts and an import file of `rowCount` rows made by `gen_contacts.py` (its own messy
/// file, the same size and share of matches as ours), add-and-update by phone. The plain run
/// is the script a user would write and the ratio's denominator; `--lookup batch --tuned` is
/// the fastest a careful user would reach.
private func runReferenceImport(directory: String, contactCount: Int, rowCount: Int, total: Double) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let workspaceCSV = directory + "/ws.csv", importCSV = directory + "/contacts.csv"
    let loaded = directory + "/ws.sqlite"
    try ReferenceScripts.generate(["--existing", "--rows", String(contactCount), "--seed", "7", "--out", workspaceCSV])
    try ReferenceScripts.generate(["--rows", String(rowCount), "--existing-rows", String(contactCount), "--seed", "1",
                                   "--out", importCSV])
    _ = try ReferenceScripts.refImport(["load", "--csv", workspaceCSV, "--db", loaded])
    for (label, options) in [("plain", [String]()), ("--lookup batch --tuned", ["--lookup", "batch", "--tuned"])] {
        let copy = directory + "/copy.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
        try FileManager.default.copyItem(atPath: loaded, toPath: copy)
        let run = try ReferenceScripts.refImport(["import", "--csv", importCSV, "--db", copy] + options)
        print(String(format: "ref_import.py import (%@): %.2f s (%@ created, %@ updated, %@ error rows); peak RSS %.0f MB",
                     label, run.total, formatted(run.count("created")), formatted(run.count("updated")),
                     formatted(run.count("error_rows")), run.fields["peak_rss_mb"] as? Double ?? 0))
        if options.isEmpty {
            print(String(format: "contact-importd is %.1f x faster end to end than ref_import.py (target >= 3 x)", run.total / total))
        }
    }
}

private func formatted(_ value: Int) -> String {
    let digits = String(value)
    var out = ""
    for (offset, character) in digits.enumerated() {
        if offset > 0 && (digits.count - offset) % 3 == 0 { out.append(",") }
        out.append(character)
    }
    return out
}

/// User + system CPU time of a live process, in seconds (Linux).
private func cpuSeconds(_ pid: Int32) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return nil }
    // Fields after the command name; utime and stime are fields 14 and 15 of the whole line.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    return (user + system) / ticks
}

/// A memory figure of a live process (`VmHWM:` peak, `VmRSS:` now), in MB (Linux).
private func residentMegabytes(_ pid: Int32, field: String) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix(field) {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first
        return kilobytes.map { $0 / 1024 }
    }
    return nil
}

/// Bytes a live process has passed to write() so far (Linux).
private func writtenBytes(_ pid: Int32) -> Int? {
    guard let io = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8) else { return nil }
    for line in io.split(separator: "\n") where line.hasPrefix("wchar:") {
        return line.split(separator: " ").last.flatMap { Int($0) }
    }
    return nil
}

/// Anonymous (heap) and file-backed (mapped database, libraries) resident memory of a live
/// process, which tell a large heap from pages of a memory-mapped database (Linux).
private func residentSplit(_ pid: Int32) -> String {
    var parts: [String] = []
    for field in ["RssAnon:", "RssFile:"] {
        if let megabytes = residentMegabytes(pid, field: field) {
            parts.append(String(format: "%@ %.0f MB", String(field.dropFirst(3).dropLast()).lowercased(), megabytes))
        }
    }
    return parts.joined(separator: ", ")
}
