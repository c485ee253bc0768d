import CSV
import Foundation
import TestSupport

/// The CSV reader on the file the issue describes: 200,000 generated contacts, about 20 MB.
/// Figures: the parse alone (bytes already in memory, best of 5, one core), the full read
/// from disk, decoding every cell once, peak RSS of the parse, and Python's `csv` module on
/// the same file for scale. Prints only; timings are never asserted.
func runCSVBenchmark() throws {
    let directory = NSTemporaryDirectory() + "contact-import-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/contacts-200k.csv"

    let generated = ContinuousClock().measure {
        _ = try? ContactCSVGenerator(rows: 200_000, seed: 1).write(toPath: path)
    }
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let megabytes = Double(bytes.count) / 1_000_000
    print("file: 200,000 rows, \(bytes.count) bytes (\(format(megabytes, 1)) MB), generated in \(format(generated.seconds, 2)) s")

    // The generator's strings are gone; start the peak-memory count from here.
    resetPeakRSS()
    let baselineRSS = residentKilobytes("VmRSS")

    var best = Double.infinity
    var rows = 0
    for _ in 0..<5 {
        let start = ContinuousClock.now
        let table = try CSVReader.read(bytes: bytes)
        best = min(best, (ContinuousClock.now - start).seconds)
        rows = table.rowCount
    }
    print("parse (in memory, best of 5): \(format(best * 1000, 1)) ms, \(format(megabytes / best, 0)) MB/s, \(rows) rows")

    var bestFromDisk = Double.infinity
    var table: CSVTable?
    for _ in 0..<3 {
        let start = ContinuousClock.now
        table = try CSVReader.read(path: path)
        bestFromDisk = min(bestFromDisk, (ContinuousClock.now - start).seconds)
    }
    print("read from disk + parse (best of 3): \(format(bestFromDisk * 1000, 1)) ms, \(format(megabytes / bestFromDisk, 0)) MB/s")

    if let table {
        var characters = 0
        let start = ContinuousClock.now
        for row in 0..<table.rowCount {
            for column in 0..<table.fieldCount(ofRow: row) {
                characters &+= table.cell(row: row, column: column).utf8.count
            }
        }
        let decode = (ContinuousClock.now - start).seconds
        print("decode every cell once: \(format(decode * 1000, 1)) ms (\(characters) bytes of cell text)")
    }
    let peak = residentKilobytes("VmHWM")
    print("peak RSS during parses: \(peak / 1024) MB (baseline before parsing \(baselineRSS / 1024) MB, file \(bytes.count / 1_048_576) MB)")

    if let python = pythonCSVSeconds(path: path) {
        print("python csv module (best of 3): \(format(python * 1000, 0)) ms, \(format(megabytes / python, 0)) MB/s; Swift parse is \(format(python / best, 1))x faster")
    } else {
        print("python csv module: python3 not available")
    }
}

private extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

private func format(_ value: Double, _ decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
}

/// Reads a `kB` line of /proc/self/status (Linux only; 0 elsewhere).
private func residentKilobytes(_ key: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
        return Int(line.dropFirst(key.count + 1).filter(\.isNumber)) ?? 0
    }
    return 0
}

/// Writing "5" to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0).
private func resetPeakRSS() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

private func pythonCSVSeconds(path: String) -> Double? {
    let script = """
    import csv, sys, time
    best = None
    for _ in range(3):
        start = time.perf_counter()
        with open(sys.argv[1], newline='', encoding='utf-8') as f:
            rows = sum(1 for _ in csv.reader(f))
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(best)
    """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
    } catch {
        return nil
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
}
