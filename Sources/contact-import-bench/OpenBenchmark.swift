import CSV
import Foundation
import Importer
import JSONRPC
import TestSupport

/// `import/open` and `import/suggestMapping` as a client sees them, on the file: 200,000
/// generated contacts, about 20 MB. Over the wire (a real contact-importd from the same build):
/// open end to end (request written → response parsed), suggestMapping end to end, and the
/// daemon's memory (VmRSS/VmHWM from /proc) before, while holding one session and after
/// import/close. In process: the parse, the column profile and the suggester alone, which
/// split the open time into its parts. Prints only; timings are never asserted.
func runOpenBenchmark() throws {
    let directory = NSTemporaryDirectory() + "contact-import-open-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/contacts-200k.csv"
    let size = try ContactCSVGenerator(rows: 200_000, seed: 7).write(toPath: path)
    let megabytes = Double(size) / 1_000_000
    print("file: 200,000 rows, \(size) bytes (\(openFormat(megabytes, 1)) MB)")

    // In process: where the time of an open goes.
    var parse = Double.infinity
    var profile = Double.infinity
    var suggest = Double.infinity
    var columns: [ColumnProfile] = []
    for _ in 0..<5 {
        var start = ContinuousClock.now
        let table = try CSVReader.read(path: path)
        parse = min(parse, (ContinuousClock.now - start).openSeconds)
        start = ContinuousClock.now
        columns = ColumnProfile.profiles(of: table)
        profile = min(profile, (ContinuousClock.now - start).openSeconds)
        start = ContinuousClock.now
        _ = MappingSuggester().suggest(columns: columns)
        suggest = min(suggest, (ContinuousClock.now - start).openSeconds)
    }
    print("in process (best of 5): read+parse \(openFormat(parse * 1000, 1)) ms (\(openFormat(megabytes / parse, 0)) MB/s), "
          + "column profile (fill counts + samples) \(openFormat(profile * 1000, 1)) ms, suggester \(openFormat(suggest * 1000, 2)) ms")

    // A wide file: 300 columns with 200 samples each (every header kind, typos, content-only columns).
    let kinds = ["Email %d", "Teléfono %d", "Nombre %d", "Campo %d", "Idioma", "Celualr %d", "Dato %d"]
    let wide: [ColumnProfile] = (0..<300).map { column in
        let header = kinds[column % kinds.count].replacingOccurrences(of: "%d", with: String(column))
        let samples = (0..<200).map { row -> String in
            switch column % kinds.count {
            case 0, 6: return "user\(row)@example.com"
            case 1, 5: return "+52 55 \(1000 + row) 5678"
            case 4: return ["es", "pt", "en"][row % 3]
            default: return "valor \(row)"
            }
        }
        return ColumnProfile(index: column, header: header, samples: samples, filled: 200_000)
    }
    var wideTime = Double.infinity
    for _ in 0..<3 {
        let start = ContinuousClock.now
        _ = MappingSuggester().suggest(columns: wide)
        wideTime = min(wideTime, (ContinuousClock.now - start).openSeconds)
    }
    print("suggester on a 300-column file, 200 samples each (best of 3): \(openFormat(wideTime * 1000, 1)) ms")

    // Over the wire.
    let client = try WireClient(arguments: ["--log-level", "warn"], timeout: 120)
    try client.initialize(locale: "es")
    let daemon = childProcessID(named: "contact-importd")
    let baseline = daemon.map { openStatus($0, "VmRSS") } ?? 0
    let uri = "file://" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path)

    var openTimes: [Double] = []
    var suggestTimes: [Double] = []
    var heldRSS = 0
    var peakRSS = 0
    var afterCloseRSS = 0
    var closeRSS: [Int] = []
    for round in 0..<5 {
        var start = ContinuousClock.now
        let opened = try client.request("import/open", ["uri": .string(uri)])
        openTimes.append((ContinuousClock.now - start).openSeconds)
        guard let sessionId = opened["sessionId"] else { throw OpenBenchmarkFailure.noSession }
        for _ in 0..<3 {
            start = ContinuousClock.now
            _ = try client.request("import/suggestMapping", ["sessionId": sessionId])
            suggestTimes.append((ContinuousClock.now - start).openSeconds)
        }
        if round == 0, let daemon {
            heldRSS = openStatus(daemon, "VmRSS")
            peakRSS = openStatus(daemon, "VmHWM")
        }
        _ = try client.request("import/close", ["sessionId": sessionId])
        // The daemon returns freed memory to the system just after answering.
        Thread.sleep(forTimeInterval: 0.3)
        if let daemon { closeRSS.append(openStatus(daemon, "VmRSS") / 1024) }
        if round == 0, let daemon { afterCloseRSS = openStatus(daemon, "VmRSS") }
    }
    let finalRSS = daemon.map { openStatus($0, "VmRSS") } ?? 0
    let finalPeak = daemon.map { openStatus($0, "VmHWM") } ?? 0
    _ = try client.shutdownAndExit()

    func summary(_ times: [Double]) -> String {
        let sorted = times.sorted()
        return "best \(openFormat(sorted[0] * 1000, 1)) ms, median \(openFormat(sorted[sorted.count / 2] * 1000, 1)) ms"
    }
    print("import/open over the wire (\(openTimes.count) runs): \(summary(openTimes)), "
          + "\(openFormat(megabytes / (openTimes.min() ?? 1), 0)) MB/s end to end (target < 150 ms)")
    print("import/suggestMapping over the wire (\(suggestTimes.count) runs): \(summary(suggestTimes)) (target < 20 ms)")
    if daemon == nil {
        print("daemon memory: not measured (could not find the contact-importd process)")
    } else {
        print("daemon RSS: \(baseline / 1024) MB after initialize, \(heldRSS / 1024) MB holding one session "
              + "(peak \(peakRSS / 1024) MB, target < 100 MB), \(afterCloseRSS / 1024) MB after import/close; "
              + "after each of 5 open/close rounds \(closeRSS.map(String.init).joined(separator: ", ")) MB, "
              + "finally \(finalRSS / 1024) MB (peak \(finalPeak / 1024) MB)")
    }
}

private enum OpenBenchmarkFailure: Error {
    case noSession
}

/// The pid of our child process with this executable name, found through /proc (the client
/// library does not expose it).
private func childProcessID(named name: String) -> Int32? {
    let me = getpid()
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
    for entry in entries {
        guard let pid = Int32(entry),
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { continue }
        // "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 1, Int32(fields[1]) == me else { continue }
        let command = stat[..<close].split(separator: "(", maxSplits: 1).last.map(String.init) ?? ""
        if name.hasPrefix(command) { return pid }
    }
    return nil
}

/// A /proc/<pid>/status value in kB ("VmRSS", "VmHWM"); 0 when unavailable.
private func openStatus(_ pid: Int32, _ key: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return 0
}

private func openFormat(_ value: Double, _ decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
}

private extension Duration {
    var openSeconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
