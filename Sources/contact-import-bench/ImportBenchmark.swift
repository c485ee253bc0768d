import Foundation
import JSONRPC
import TestSupport
import Workspace

/// The whole import over the wire, as a user's editor would run it: a workspace of 1,000,000
/// contacts, a generated 200,000-row file in which about half the rows match an existing contact
/// by phone, purpose `addAndUpdate`. Prints the time of each step, the daemon's peak RSS, and the
/// same job done by a plain Python script (csv + sqlite3) on a copy of the same workspace.
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
    let workspaceDirectory = root + "/workspace"
    let loadStart = Date()
    var filler = ContactCSVGenerator.distinctPhones(count: contactCount + matchingPhones.count, seed: 77)
        .lazy.filter { !filePhones.contains($0) }.makeIterator()
    let firstNames = ["Ana", "Luis", "María", "José", "Carmen", "João", "Sofía", "Diego", "Lucía", "Pedro"]
    do {
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

    // A copy for the Python script, taken before the daemon changes anything.
    let pythonDirectory = root + "/python"
    try FileManager.default.createDirectory(atPath: pythonDirectory, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: workspaceDirectory + "/contacts.sqlite", toPath: pythonDirectory + "/contacts.sqlite")

    let client = try WireClient(arguments: ["--workspace", workspaceDirectory, "--log-level", "warn"], timeout: 300)
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
        print("python comparison skipped (IMPORT_BENCH_PYTHON=0)")
    } else if let python = try runPythonImport(directory: pythonDirectory, csvPath: csvPath) {
        print(String(format: "python csv + sqlite3, same job: %.2f s (%@ added, %@ updated, %@ errors)",
                     python.seconds, formatted(python.added), formatted(python.updated), formatted(python.errors)))
        print(String(format: "contact-importd is %.1f x faster end to end (target >= 3 x)", python.seconds / total))
    } else {
        print("python3 not available: no ratio")
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

/// The job as a straightforward Python script does it: parse, canonical phone (country column
/// or the default country), duplicates in the file, one lookup per row, one transaction, and
/// a result file with a status column.
private func runPythonImport(directory: String, csvPath: String) throws -> (seconds: Double, added: Int, updated: Int, errors: Int)? {
    let script = #"""
    import csv, re, sqlite3, sys, time
    start = time.time()
    db_path, csv_path, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
    codes = {"MX": "52", "ES": "34", "AR": "54", "BR": "55", "CO": "57", "PT": "351", "US": "1"}
    names = {"méxico": "MX", "mexico": "MX", "españa": "ES", "argentina": "AR", "brasil": "BR",
             "colombia": "CO", "portugal": "PT", "estados unidos": "US"}
    def country_of(cell):
        cell = cell.strip()
        if cell.upper() in codes: return cell.upper()
        return names.get(cell.lower())
    def canonical(phone, country):
        phone = phone.strip().lstrip("'")
        if not phone: return None
        digits = re.sub(r"[^\d+]", "", phone)
        if digits.startswith("00"): digits = "+" + digits[2:]
        if not digits.startswith("+"):
            code = codes.get(country or "MX")
            digits = "+" + code + digits.lstrip("0")
        if not re.fullmatch(r"\+\d{8,15}", digits): return None
        return digits
    with open(csv_path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    phones = [canonical(r[2], country_of(r[5])) if len(r) == len(header) else None for r in rows]
    seen = {}
    for i, p in enumerate(phones):
        if p: seen.setdefault(p, []).append(i)
    db = sqlite3.connect(db_path, isolation_level=None)
    now = int(time.time() * 1000)
    tag = time.strftime("import-%Y%m%d-%H%M%S")
    status = []
    added = updated = errors = 0
    db.execute("BEGIN IMMEDIATE")
    for i, r in enumerate(rows):
        p = phones[i]
        if p is None or len(seen[p]) > 1 or len(r) != len(header):
            status.append("Error"); errors += 1; continue
        ids = [row[0] for row in db.execute("SELECT id FROM contacts WHERE phone = ?", (p,))]
        first, last, email, language, country = r[0].strip(), r[1].strip(), r[3].strip().lower(), r[4].strip(), country_of(r[5])
        if len(ids) > 1:
            status.append("Error"); errors += 1; continue
        if ids:
            db.execute("UPDATE contacts SET first_name=?, last_name=?, email=?, language=?, country_code=?, updated_at=? WHERE id=?",
                       (first, last, email or None, language or None, country, now, ids[0]))
            contact = ids[0]; updated += 1; status.append("Actualizado")
        else:
            if not first:
                status.append("Error"); errors += 1; continue
            cur = db.execute("INSERT INTO contacts (first_name, last_name, phone, email, language, country_code, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
                             (first, last, p, email or None, language or None, country, now, now))
            contact = cur.lastrowid; added += 1; status.append("Importado")
        tags = [t.strip() for t in r[6].split(",") if t.strip()] + [tag]
        for position, t in enumerate(tags):
            db.execute("INSERT OR IGNORE INTO contact_tags (contact_id, tag_key, tag, position) VALUES (?,?,?,?)",
                       (contact, t.lower(), t, position))
    db.execute("COMMIT")
    with open(out_path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(header + ["Estado de la importación", "Errores"])
        for r, s in zip(rows, status):
            w.writerow(r + [s, ""])
    print(time.time() - start, added, updated, errors)
    """#
    let scriptPath = directory + "/import.py"
    try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", scriptPath, directory + "/contacts.sqlite", csvPath, directory + "/result.csv"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.standardError
    let start = Date()
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let wallSeconds = Date().timeIntervalSince(start)
    guard process.terminationStatus == 0 else { return nil }
    let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
    guard fields.count >= 4, let added = Int(fields[1]), let updated = Int(fields[2]), let errors = Int(fields[3]) else { return nil }
    // Wall time including the interpreter's start, as a user would see it.
    return (wallSeconds, added, updated, errors)
}
