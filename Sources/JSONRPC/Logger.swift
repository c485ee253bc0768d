import FoundationEssentials
import ThreadSupport
#if canImport(Glibc)
import Glibc
#endif

public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case error = 0, warn, info, debug

    public init?(name: String) {
        switch name.lowercased() {
        case "error": self = .error
        case "warn", "warning": self = .warn
        case "info": self = .info
        case "debug": self = .debug
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .error: return "ERROR"
        case .warn: return "WARN"
        case .info: return "INFO"
        case .debug: return "DEBUG"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Writes log lines to stderr (never stdout, which carries protocol bytes only). One line per
/// event: UTC time, level, then `method #id` when the line concerns a message, then the text.
public final class Logger: Sendable {
    public let level: LogLevel
    private let descriptor: Int32
    private let lock = ThreadLock()

    public init(level: LogLevel, descriptor: Int32 = STDERR_FILENO) {
        self.level = level
        self.descriptor = descriptor
    }

    public func isEnabled(_ level: LogLevel) -> Bool { level <= self.level }

    public func log(_ level: LogLevel, _ text: @autoclosure () -> String, method: String? = nil, id: RequestID? = nil) {
        guard isEnabled(level) else { return }
        var line = Self.timestamp()
        line += " " + level.name
        if let method {
            line += " " + method
            if let id { line += " #\(id)" }
        } else if let id {
            line += " #\(id)"
        }
        // Keep one event on one line whatever the message contains.
        line += " " + text().replacingEvery("\n", with: "\\n")
        line += "\n"
        lock.lock()
        defer { lock.unlock() }
        _ = try? FileDescriptorIO.writeAll(descriptor, Array(line.utf8))
    }

    public func error(_ text: @autoclosure () -> String, method: String? = nil, id: RequestID? = nil) {
        log(.error, text(), method: method, id: id)
    }
    public func warn(_ text: @autoclosure () -> String, method: String? = nil, id: RequestID? = nil) {
        log(.warn, text(), method: method, id: id)
    }
    public func info(_ text: @autoclosure () -> String, method: String? = nil, id: RequestID? = nil) {
        log(.info, text(), method: method, id: id)
    }
    public func debug(_ text: @autoclosure () -> String, method: String? = nil, id: RequestID? = nil) {
        log(.debug, text(), method: method, id: id)
    }

    /// `2026-11-29T17:05:01.123Z`, without Foundation formatters (they are slow and not
    /// thread-safe everywhere).
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + "\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }
}

/// Raw descriptor IO with errors instead of traps. `FileHandle.write(_:)` raises an uncatchable
/// exception on EPIPE once SIGPIPE is ignored, so all protocol output goes through here.
public enum FileDescriptorIO {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let errno: Int32
        public var description: String { String(cString: strerror(errno)) }
    }

    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws(Failure) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            guard var pointer = raw.baseAddress else { return }
            var remaining = raw.count
            while remaining > 0 {
                let written = write(descriptor, pointer, remaining)
                if written < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    failure = errno
                    return
                }
                remaining -= written
                pointer += written
            }
        }
        if failure != 0 { throw Failure(errno: failure) }
    }

    /// Reads up to `buffer.count` bytes; 0 means end of input. Retries on EINTR.
    public static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(Failure) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw Failure(errno: errno)
        }
    }

    /// How long a reader expecting a message soon (a response to its request, the next request
    /// of a client it has just answered) polls before it blocks. A thread blocked in `read`
    /// is woken through the kernel; when its core has gone idle (on a virtual machine, the
    /// vCPU halted) that costs tens of microseconds each way, which measured as most of a
    /// sequential round trip on an idle machine (6–8k/s against 17–30k/s with its cores busy).
    /// Bounded, so a quiet connection costs at most this much CPU per message.
    public static let readSpin: Duration = .microseconds(100)

    /// Polls `descriptor` without blocking for up to `readSpin`; true as soon as it has bytes
    /// (or its end) to read, false when the time is up.
    public static func spinUntilReadable(_ descriptor: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: readSpin)
        repeat {
            if poll(&entry, 1, 0) != 0 { return true }
        } while clock.now < deadline
        return false
    }

    /// A closed reader must surface as an error on write, not kill the process.
    public static func ignoreSIGPIPE() {
        signal(SIGPIPE, SIG_IGN)
    }
}
