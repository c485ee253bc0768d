import CSV
import Foundation
import TestSupport

/// The CSV reader on the file the issue describes: 200,000 generated contacts, about 20 MB.
/// Figures: the parse alone (bytes already in memory, best of 7, one core), the full read
/// from disk, decoding every cell once, peak RSS of the parse, and Python's `csv` module on
/// the same file for scale. Prints only; timings are never asserted.
func runCSVBenchmark() throws {
    let directory = NSTemporaryDirectory() + "contact-import-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/contacts-200k.csv"

    let generated = try ContinuousClock().measure {
        try ContactCSVGenerator(rows: 200_000, seed: 1).write(toPath: path)
    }
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let megabytes = Double(bytes.count) / 1_000_000
    print("file: 200,000 rows, \(bytes.count) bytes (\(format(megabytes, 1)) MB), generated in \(format(generated.seconds, 2)) s")

    // Memory first, on a quiet heap: what one read of the file costs, as a session would hold it.
    releaseFreedMemory()
    resetPeakRSS()
    let baselineRSS = residentKilobytes("VmRSS")
    var table = try CSVReader.read(path: path)
    let peakRSS = residentKilobytes("VmHWM")
    let heldRSS = residentKilobytes("VmRSS")
    print("memory: baseline \(baselineRSS / 1024) MB, peak during read(path:) \(peakRSS / 1024) MB "
        + "(+\((peakRSS - baselineRSS) / 1024) MB), holding the table \(heldRSS / 1024) MB; file \(bytes.count / 1_048_576) MiB")

    // Wall time is at the mercy of whoever else uses the machine; thread CPU time much less so.
    var bestWall = Double.infinity
    var bestCPU = Double.infinity
    for _ in 0..<7 {
        let cpuStart = threadCPUSeconds()
        let start = ContinuousClock.now
        table = try CSVReader.read(bytes: bytes)
        bestWall = min(bestWall, (ContinuousClock.now - start).seconds)
        bestCPU = min(bestCPU, threadCPUSeconds() - cpuStart)
    }
    print("parse alone (bytes in memory, one core, best of 7): \(format(bestWall * 1000, 1)) ms wall = \(format(megabytes / bestWall, 0)) MB/s; "
        + "\(format(bestCPU * 1000, 1)) ms CPU = \(format(megabytes / bestCPU, 0)) MB/s; \(table.rowCount) rows, encoding \(table.encoding.rawValue)")

    var bestFromDisk = Double.infinity
    for _ in 0..<3 {
        let start = ContinuousClock.now
        table = try CSVReader.read(path: path)
        bestFromDisk = min(bestFromDisk, (ContinuousClock.now - start).seconds)
    }
    print("read(path:) from disk + parse (best of 3): \(format(bestFromDisk * 1000, 1)) ms, \(format(megabytes / bestFromDisk, 0)) MB/s")

    // UTF-16 doubles the size of Latin text: 100,000 rows keep it under the 20 MiB limit.
    let otherEncodings: [(label: String, encoding: ContactCSVGenerator.Encoding, rows: Int, note: String)] = [
        ("windows-1252", .windows1252, 200_000, "indexed as is, cells transcoded when read"),
        ("utf-16le", .utf16LE, 100_000, "transcoded to UTF-8 first"),
    ]
    for (label, encoding, rows, note) in otherEncodings {
        let other = ContactCSVGenerator(rows: rows, seed: 1, encoding: encoding).bytes()
        let size = Double(other.count) / 1_000_000
        var best = Double.infinity
        var cpu = Double.infinity
        for _ in 0..<5 {
            let cpuStart = threadCPUSeconds()
            let start = ContinuousClock.now
            _ = try CSVReader.read(bytes: other)
            best = min(best, (ContinuousClock.now - start).seconds)
            cpu = min(cpu, threadCPUSeconds() - cpuStart)
        }
        print("parse \(label), \(rows) rows (\(format(size, 1)) MB, \(note), best of 5): "
            + "\(format(best * 1000, 1)) ms wall = \(format(size / best, 0)) MB/s; \(format(cpu * 1000, 1)) ms CPU = \(format(size / cpu, 0)) MB/s")
    }

    var characters = 0
    let decodeStart = ContinuousClock.now
    for row in 0..<table.rowCount {
        for column in 0..<table.fieldCount(ofRow: row) {
            characters &+= table.cell(row: row, column: column).utf8.count
        }
    }
    let decode = (ContinuousClock.now - decodeStart).seconds
    print("decode every cell once: \(format(decode * 1000, 1)) ms (\(characters) bytes of cell text)")

    if let python = pythonCSVSeconds(path: path) {
        print("python csv module (best of 3): \(format(python.wall * 1000, 0)) ms wall = \(format(megabytes / python.wall, 0)) MB/s; "
            + "\(format(python.cpu * 1000, 0)) ms CPU = \(format(megabytes / python.cpu, 0)) MB/s; "
            + "Swift parse is \(format(python.wall / bestWall, 1))x faster (wall), \(format(python.cpu / bestCPU, 1))x (CPU)")
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

private func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Hands memory the generator freed back to the kernel, so the baseline means something.
private func releaseFreedMemory() {
    #if canImport(Glibc)
    // malloc.h is not part of the Glibc module; look the function up instead (nil = RTLD_DEFAULT).
    guard let symbol = dlsym(nil, "malloc_trim") else { return }
    let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    _ = trim(0)
    #endif
}

/// Writing "5" to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0).
private func resetPeakRSS() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

/// Wall and CPU seconds of Python's `csv.reader` over the file (best of 3 each).
private func pythonCSVSeconds(path: String) -> (wall: Double, cpu: Double)? {
    let script = """
    import csv, sys, time
    best, best_cpu = None, None
    for _ in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        with open(sys.argv[1], newline='', encoding='utf-8') as f:
            rows = sum(1 for _ in csv.reader(f))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        best = elapsed if best is None else min(best, elapsed)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    print(best, best_cpu)
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
    let figures = String(decoding: data, as: UTF8.self).split(separator: " ").compactMap {
        Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    guard figures.count == 2 else { return nil }
    return (figures[0], figures[1])
}
