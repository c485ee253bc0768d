import Foundation
import CSV
import JSONRPC
import Synchronization
import TestSupport
import Workspace

/// Flags of `contact-import-bench import`, set once by `main` before any benchmark runs.
struct ImportBenchSettings: Sendable {
    var runs = 3
    var curve = false
    var cacheDirectory: String?

    static let chosen = Mutex(ImportBenchSettings())
    static var current: ImportBenchSettings { chosen.withLock { $0 } }

    /// Generated files and loaded workspaces, kept between invocations (a 5M workspace takes
    /// minutes to make): `--cache-dir`, `$IMPORT_BENCH_CACHE`, else a folder under /tmp.
    var cache: String {
        cacheDirectory ?? ProcessInfo.processInfo.environment["IMPORT_BENCH_CACHE"]
            ?? NSTemporaryDirectory() + "contact-import-bench-cache"
    }
}

/// Issue 13's table, measured in one run over the wire as a user's editor runs an import: the
/// shared reference's files (`gen_contacts.py`: a 200,000-row import file and a 1,000,000-contact
/// workspace export), the workspace loaded with those contacts, `addAndUpdate` by phone; the
/// plain `ref_import.py import` on the same files is the ratio's denominator (`--lookup batch
/// --tuned` is reported too). Each figure is the median of `--runs` runs, each on a fresh copy
/// of the workspace and a fresh daemon, the reference runs interleaved with ours. The commit's
/// per-phase breakdown comes from the daemon's debug log (`commit phases`); peak RSS is the
/// daemon's VmHWM over the whole job. `--curve` adds review and commit times for 10k/50k/200k
/// rows against 0/100k/1M/5M contacts.
func runImportBenchmark() throws {
    let environment = ProcessInfo.processInfo.environment
    let settings = ImportBenchSettings.current
    let contactCount = Int(environment["IMPORT_BENCH_CONTACTS"] ?? "") ?? 1_000_000
    let rowCount = Int(environment["IMPORT_BENCH_ROWS"] ?? "") ?? 200_000
    let withReference = environment["IMPORT_BENCH_PYTHON"] != "0"
    guard ReferenceScripts.available() else {
        throw BenchmarkFailure(message: "the import benchmark needs gen_contacts.py (see --reference-dir)")
    }
    let cache = BenchCache(directory: settings.cache)
    let root = NSTemporaryDirectory() + "import-bench-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }

    let importFile = try cache.importFile(rows: rowCount, existing: contactCount)
    let workspace = try cache.daemonWorkspace(contacts: contactCount)
    let export = BenchWorkspace.onPostgres ? try cache.export(contacts: contactCount) : nil
    if BenchWorkspace.onPostgres { print("engine: PostgreSQL (each run loads the contacts into a schema of its own)") }
    let referenceDB = withReference ? try cache.referenceWorkspace(contacts: contactCount) : nil
    print(String(format: "file: %@ (%@ rows, %.1f MB); workspace: %@ contacts; %d runs",
                 (importFile as NSString).lastPathComponent, formatted(rowCount),
                 Double(fileSize(importFile)) / 1_048_576, formatted(contactCount), settings.runs))

    var ours: [ImportRun] = [], addAll: [ImportRun] = []
    var roundTrips: [Double] = []
    var plain: [ReferenceRun] = [], tuned: [ReferenceRun] = []
    for run in 1...settings.runs {
        let measured = try runImport(file: importFile, workspace: workspace, scratch: root, purpose: "addAndUpdate",
                                     contacts: export)
        ours.append(measured)
        print(String(format: "run %d: open %.3f  suggest %.3f  review %.3f  commit %.3f  total %.3f s  peak RSS %.0f MB  counts %@",
                     run, measured.open, measured.suggest, measured.review, measured.commit, measured.total,
                     measured.peakRSS, measured.counts))
        if run == 1 { print("  mapping: \(measured.mapping)") }
        print(String(format: "  WAL after the commit: %.0f MB", measured.walMB))
        print("  review phases (s): \(measured.reviewPhases)")
        print("  review result: \(measured.reviewResult)")
        print("  commit phases (s): \(measured.phases.map { String(format: "%@ %.3f", $0.name, $0.seconds) }.joined(separator: ", "))")
        let filling = try runImport(file: importFile, workspace: workspace, scratch: root, purpose: "addAll",
                                    contacts: export)
        addAll.append(filling)
        print(String(format: "  addAll: review %.3f  commit %.3f s  counts %@", filling.review, filling.commit, filling.counts))
        print("  addAll review phases (s): \(filling.reviewPhases)")
        let trips = try clientConnectionRoundTrips(count: 10_000)
        roundTrips.append(trips)
        print(String(format: "  round trips ($/test/sleep 0 through ClientConnection): %.0f/s", trips))
        if let referenceDB {
            for (label, options) in [("plain", [String]()), ("--lookup batch --tuned", ["--lookup", "batch", "--tuned"])] {
                let copy = root + "/ref-copy.sqlite"
                for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
                // The file itself, never a symbolic link to it: the script writes into its copy.
                try FileManager.default.copyItem(atPath: URL(fileURLWithPath: referenceDB).resolvingSymlinksInPath().path,
                                                 toPath: copy)
                let reference = try ReferenceScripts.refImport(["import", "--csv", importFile, "--db", copy] + options)
                if options.isEmpty { plain.append(reference) } else { tuned.append(reference) }
                print(String(format: "  ref_import.py import (%@): %.2f s (%@ created, %@ updated, %@ error rows); peak RSS %.0f MB",
                             label, reference.total, formatted(reference.count("created")), formatted(reference.count("updated")),
                             formatted(reference.count("error_rows")), reference.fields["peak_rss_mb"] as? Double ?? 0))
            }
        }
    }

    let total = median(ours.map(\.total))
    print("")
    print("| figure (median of \(settings.runs)) | measured | runs | target |")
    print("|---|---|---|---|")
    func line(_ name: String, _ values: [Double], _ unit: String, _ target: String, decimals: Int = 2) {
        let format = "%.\(decimals)f"
        let runs = values.map { String(format: format, $0) }.joined(separator: " / ")
        print("| \(name) | \(String(format: format, median(values))) \(unit) | \(runs) | \(target) |")
    }
    line("open (parse + column summary)", ours.map(\.open), "s", "keep (0.07–0.08 s)", decimals: 3)
    line("suggestMapping", ours.map(\.suggest), "s", "keep (0.005 s)", decimals: 3)
    line("review", ours.map(\.review), "s", "≤ 0.5 s")
    line("commit", ours.map(\.commit), "s", "≤ 1.0 s")
    line("whole import (open + suggest + review + commit)", ours.map(\.total), "s", "")
    if !plain.isEmpty {
        line("ref_import.py import (plain)", plain.map(\.total), "s", "")
        line("ref_import.py import --lookup batch --tuned", tuned.map(\.total), "s", "")
        let ratios = zip(plain, ours).map { $0.total / $1.total }
        print(String(format: "| whole import vs the plain script, same run | %.1f× | %@ | ≥ 3×, aim 5× |", median(plain.map(\.total)) / total,
                     ratios.map { String(format: "%.1f×", $0) }.joined(separator: " / ")))
        print(String(format: "| whole import vs --lookup batch --tuned | %.1f× | | |", median(tuned.map(\.total)) / total))
    }
    line("peak RSS of the daemon, whole job (VmHWM)", ours.map(\.peakRSS), "MB", "≤ 100 MB", decimals: 0)
    line("addAll \(formatted(rowCount)) rows into \(formatted(contactCount)): commit", addAll.map(\.commit), "s", "≤ 1.0 s")
    line("sequential round trips (`$/test/sleep 0`, 10,000 through ClientConnection)", roundTrips, "/s", "≥ 20,000/s", decimals: 0)

    // The commit's phases, median per phase (first run's order).
    print("")
    print("commit phases, median of \(settings.runs) (s; recheck/decide and resultFile run on a second thread beside the writes):")
    for name in ours.first?.phases.map(\.name) ?? [] {
        let values = ours.compactMap { run in run.phases.first { $0.name == name }?.seconds }
        print(String(format: "  %-22@ %.3f", name, median(values)))
    }
    print("addAll commit phases, median (s):")
    for name in addAll.first?.phases.map(\.name) ?? [] {
        let values = addAll.compactMap { run in run.phases.first { $0.name == name }?.seconds }
        print(String(format: "  %-22@ %.3f", name, median(values)))
    }

    if settings.curve { try runCostCurve(cache: cache, scratch: root) }
}

/// Review and commit time for 10k/50k/200k rows × 0/100k/1M/5M existing contacts, one run per
/// cell (medians when `--runs` > 1 would take long: the 5M copies alone are gigabytes).
private func runCostCurve(cache: BenchCache, scratch: String) throws {
    let rowCounts = [10_000, 50_000, 200_000]
    let contactCounts = [0, 100_000, 1_000_000, 5_000_000]
    var cells: [String: ImportRun] = [:]
    for contacts in contactCounts {
        let workspace = try cache.daemonWorkspace(contacts: contacts)
        for rows in rowCounts {
            let file = try cache.importFile(rows: rows, existing: contacts)
            let run = try runImport(file: file, workspace: workspace, scratch: scratch, purpose: "addAndUpdate",
                                    contacts: BenchWorkspace.onPostgres ? try cache.export(contacts: contacts) : nil)
            cells["\(rows)/\(contacts)"] = run
            print(String(format: "curve %@ rows × %@ contacts: review %.3f s, commit %.3f s (%@)", formatted(rows),
                         formatted(contacts), run.review, run.commit, run.counts))
        }
    }
    print("")
    print("cost curve: review / commit seconds (addAndUpdate by phone)")
    print("| rows \\ existing | " + contactCounts.map(formatted).joined(separator: " | ") + " |")
    print("|---|" + contactCounts.map { _ in "---|" }.joined())
    for rows in rowCounts {
        let cellsText = contactCounts.map { contacts -> String in
            guard let run = cells["\(rows)/\(contacts)"] else { return "" }
            return String(format: "%.3f / %.3f", run.review, run.commit)
        }
        print("| \(formatted(rows)) | " + cellsText.joined(separator: " | ") + " |")
    }
}

/// One import's figures.
private struct ImportRun {
    var open = 0.0, suggest = 0.0, review = 0.0, commit = 0.0
    var peakRSS = 0.0
    /// The WAL's size after the commit: how much the commit wrote to it.
    var walMB = 0.0
    var counts = ""
    var mapping = ""
    var phases: [(name: String, seconds: Double)] = []
    /// The daemon's `review phases (s):` log line, as logged.
    var reviewPhases = ""
    /// The review's counts and a digest of its sample and error file: equal across builds when
    /// a change to the review keeps its results.
    var reviewResult = ""
    var total: Double { open + suggest + review + commit }
}

/// One import over the wire on a fresh copy of `workspace`, by a fresh daemon.
/// On PostgreSQL (`--workspace`), the same contacts are loaded into a fresh schema through the
/// store seam (`COPY`) before each run, and the schema is dropped after it.
private func runImport(file: String, workspace: String, scratch: String, purpose: String,
                       contacts: BenchCache.Export? = nil) throws -> ImportRun {
    let directory = scratch + "/workspace"
    try? FileManager.default.removeItem(atPath: directory)
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let (location, extra, onPostgres) = BenchWorkspace.arguments(root: scratch)
    if onPostgres {
        let export = try contacts ?? BenchCache.Export(csv: nil)
        try BenchWorkspace.load(location, count: export.count, contact: export.contact)
    } else {
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: workspace + "/contacts.sqlite").resolvingSymlinksInPath().path,
                                         toPath: directory + "/contacts.sqlite")
    }
    defer {
        try? FileManager.default.removeItem(atPath: directory)
        if onPostgres { BenchWorkspace.drop(location) }
    }
    // Debug level: the daemon logs the commit's phases (a handful of lines per request).
    let client = try WireClient(arguments: ["--workspace", onPostgres ? location : directory, "--log-level", "debug"] + extra,
                                timeout: 600)
    try client.initialize(locale: "es")
    let daemon = client.connection.processIdentifier
    var run = ImportRun()

    var start = Date()
    let opened = try client.request("import/open", ["uri": .string(URL(fileURLWithPath: file).absoluteString)])
    run.open = Date().timeIntervalSince(start)
    let sessionId = opened["sessionId"] ?? .null

    start = Date()
    let suggestion = try client.request("import/suggestMapping", ["sessionId": sessionId, "purpose": .string(purpose)])
    run.suggest = Date().timeIntervalSince(start)
    let mapping = (suggestion["mapping"]?.arrayValue ?? []).map { entry -> JSONValue in
        ["column": entry["column"] ?? .null, "field": entry["field"] ?? .null]
    }
    run.mapping = (suggestion["mapping"]?.arrayValue ?? []).map { entry in
        "\(entry["column"]?.intValue ?? -1)→\(entry["field"]?.stringValue ?? "-")"
    }.joined(separator: " ")

    var params: [String: JSONValue] = [
        "sessionId": sessionId, "purpose": .string(purpose), "mapping": .array(mapping), "defaultCountry": "ES",
        "workDoneToken": "review",
    ]
    if purpose != "addAll" { params["identifier"] = "phone" }
    start = Date()
    let review = try client.request("import/review", .object(params))
    run.review = Date().timeIntervalSince(start)
    let errorFile = review["errorFile"]?["uri"]?.stringValue.flatMap(URL.init(string:)).flatMap { try? Data(contentsOf: $0) }
    run.reviewResult = "counts " + String(decoding: (review["counts"] ?? .null).serializedBytes(), as: UTF8.self)
        + String(format: ", sample digest %016llx, error file %d bytes, digest %016llx", fnv1a((review["sample"] ?? .null).serializedBytes()),
                 errorFile?.count ?? 0, fnv1a(Array(errorFile ?? Data())))

    start = Date()
    let commit = try client.request("import/commit", ["sessionId": sessionId, "reviewId": review["reviewId"] ?? .null,
                                                      "workDoneToken": "commit"], timeout: 600)
    run.commit = Date().timeIntervalSince(start)
    run.peakRSS = daemon.flatMap { residentMegabytes($0, field: "VmHWM:") } ?? 0
    run.walMB = Double(fileSize(directory + "/contacts.sqlite-wal")) / 1_048_576
    _ = try? client.shutdownAndExit()
    let counts = commit["counts"] ?? .null
    run.counts = ["imported", "updated", "skipped", "errors", "drifted"].map { "\($0) \(counts[$0]?.intValue ?? -1)" }
        .joined(separator: ", ")
    // "… commit phases (s): name=0.123 name=0.456 …"
    let log = client.connection.stderrText
    if let line = log.split(separator: "\n").last(where: { $0.contains("review phases (s):") }),
       let colon = line.range(of: "review phases (s):") {
        run.reviewPhases = String(line[colon.upperBound...])
    }
    if let line = log.split(separator: "\n").last(where: { $0.contains("commit phases (s):") }),
       let colon = line.range(of: "commit phases (s):") {
        for pair in line[colon.upperBound...].split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let seconds = Double(parts[1]) { run.phases.append((String(parts[0]), seconds)) }
        }
    }
    return run
}

/// Generated files and loaded workspaces under the cache folder, each made once.
private struct BenchCache {
    let directory: String

    init(directory: String) {
        self.directory = directory
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// `gen_contacts.py --existing --rows N --seed 7`.
    func workspaceCSV(contacts: Int) throws -> String {
        let path = directory + "/ws-\(contacts).csv"
        if !FileManager.default.fileExists(atPath: path) {
            try ReferenceScripts.generate(["--existing", "--rows", String(contacts), "--seed", "7", "--out", path + ".part"])
            try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
        }
        return path
    }

    /// `gen_contacts.py --rows R --existing-rows N --seed 1` (against no workspace: the 1M file's
    /// rows, which then match nothing).
    func importFile(rows: Int, existing: Int) throws -> String {
        let against = existing == 0 ? 1_000_000 : existing
        let path = directory + "/contacts-\(rows)-\(against).csv"
        if !FileManager.default.fileExists(atPath: path) {
            try ReferenceScripts.generate(["--rows", String(rows), "--existing-rows", String(against), "--seed", "1",
                                           "--out", path + ".part"])
            try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
        }
        return path
    }

    /// `ref_import.py load` of the workspace export.
    func referenceWorkspace(contacts: Int) throws -> String {
        let path = directory + "/ref-ws-\(contacts).sqlite"
        if !FileManager.default.fileExists(atPath: path) {
            try? FileManager.default.removeItem(atPath: path + ".part")
            let run = try ReferenceScripts.refImport(["load", "--csv", try workspaceCSV(contacts: contacts), "--db", path + ".part"])
            print(String(format: "ref_import.py load of %@ contacts: %.1f s", formatted(contacts), run.total))
            try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
        }
        return path
    }

    /// The export's contacts (built-in fields, tags), made one at a time from the parsed file.
    struct Export {
        let count: Int
        let contact: (Int) -> NewContact

        init(csv path: String?) throws {
            guard let path else {
                count = 0
                contact = { _ in NewContact(values: [:], tags: []) }
                return
            }
            let table = try CSVReader.read(path: path, options: CSVReadOptions(maxBytes: 1 << 30, maxRows: 1 << 30))
            let headers = table.headers
            func column(_ name: String) -> Int? { headers.firstIndex(of: name) }
            let columns: [(key: String, column: Int)] = [("firstName", "Nombre"), ("lastName", "Apellido"), ("phone", "Teléfono"),
                                                         ("email", "Correo electrónico"), ("language", "Idioma")]
                .compactMap { key, name in column(name).map { (key, $0) } }
            let country = column("País"), tags = column("Etiquetas")
            let countryCodes = ["España": "ES", "México": "MX", "Brasil": "BR", "Portugal": "PT", "Colombia": "CO"]
            count = table.rowCount
            contact = { row in
                var values: [String: String] = [:]
                for (key, index) in columns {
                    let cell = table.cell(row: row, column: index)
                    if !cell.isEmpty { values[key] = cell }
                }
                if let country, let code = countryCodes[table.cell(row: row, column: country)] { values["countryCode"] = code }
                let tagList = tags.map { table.cell(row: row, column: $0).split(separator: ",").map(String.init) } ?? []
                return NewContact(values: values, tags: tagList)
            }
        }
    }

    func export(contacts: Int) throws -> Export {
        try Export(csv: contacts > 0 ? try workspaceCSV(contacts: contacts) : nil)
    }

    /// A workspace folder holding the export's contacts (built-in fields, tags), loaded in
    /// this process in one transaction and checkpointed. Empty for `contacts == 0`.
    func daemonWorkspace(contacts: Int) throws -> String {
        let path = directory + "/daemon-ws-\(contacts)-v\(Workspace.schemaVersion)-p\(Workspace.pageSize / 1024)k"
        if FileManager.default.fileExists(atPath: path + "/contacts.sqlite") { return path }
        let building = path + ".part"
        try? FileManager.default.removeItem(atPath: building)
        let start = Date()
        do {
            let workspace = try Workspace.open(directory: building)
            if contacts > 0 {
                let table = try CSVReader.read(path: try workspaceCSV(contacts: contacts),
                                               options: CSVReadOptions(maxBytes: 1 << 30, maxRows: 1 << 30))
                let headers = table.headers
                func column(_ name: String) -> Int? { headers.firstIndex(of: name) }
                let columns: [(key: String, column: Int)] = [("firstName", "Nombre"), ("lastName", "Apellido"), ("phone", "Teléfono"),
                                                             ("email", "Correo electrónico"), ("language", "Idioma")]
                    .compactMap { key, name in column(name).map { (key, $0) } }
                let country = column("País"), tags = column("Etiquetas")
                let countryCodes = ["España": "ES", "México": "MX", "Brasil": "BR", "Portugal": "PT", "Colombia": "CO"]
                _ = try workspace.write { tx in
                    try tx.insertContacts(count: table.rowCount, now: Date()) { row in
                        var values: [String: String] = [:]
                        for (key, index) in columns {
                            let cell = table.cell(row: row, column: index)
                            if !cell.isEmpty { values[key] = cell }
                        }
                        if let country, let code = countryCodes[table.cell(row: row, column: country)] { values["countryCode"] = code }
                        let tagList = tags.map { table.cell(row: row, column: $0).split(separator: ",").map(String.init) } ?? []
                        return NewContact(values: values, tags: tagList)
                    }
                }
            }
            // Each run copies the database file alone: the WAL must be empty. A checkpoint that
            // meets the background checkpointer or a reader copies what it can and returns.
            var attempts = 0
            repeat {
                try workspace.checkpoint()
                attempts += 1
                if fileSize(building + "/contacts.sqlite-wal") > 0 { Thread.sleep(forTimeInterval: 0.5) }
            } while fileSize(building + "/contacts.sqlite-wal") > 0 && attempts < 60
            guard fileSize(building + "/contacts.sqlite-wal") == 0 else {
                throw BenchmarkFailure(message: "could not checkpoint the loaded workspace \(building)")
            }
        }
        try FileManager.default.moveItem(atPath: building, toPath: path)
        print(String(format: "workspace of %@ contacts loaded in %.1f s (cached in %@)", formatted(contacts),
                     Date().timeIntervalSince(start), path))
        return path
    }
}

private func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
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

private func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
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

/// FNV-1a, 64 bits: a digest to tell whether two runs gave the same bytes.
private func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}
