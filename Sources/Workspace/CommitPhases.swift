import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Seconds spent in each named phase of one commit, for the daemon's debug log and the
/// benchmark's breakdown (never on the wire). Cheap: a monotonic clock read per measured step,
/// sums kept per phase; any thread may add to it.
public final class CommitPhases: Sendable {
    private let sums = Mutex<[(name: String, seconds: Double)]>([])

    public init() {}

    /// Now, in seconds of a monotonic clock.
    @inline(__always)
    public static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// CPU time of the calling thread, in seconds (a system call: not for per-row use).
    public static func threadCPU() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Adds `seconds` to phase `name`.
    public func add(_ name: String, _ seconds: Double) {
        sums.withLock { sums in
            if let index = sums.firstIndex(where: { $0.name == name }) {
                sums[index].seconds += seconds
            } else {
                sums.append((name, seconds))
            }
        }
    }

    /// Runs `body` and adds its time to `name`.
    public func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = Self.now()
        defer { add(name, Self.now() - start) }
        return try body()
    }

    /// The phases in the order first seen.
    public var phases: [(name: String, seconds: Double)] { sums.withLock { $0 } }

    /// `name=0.123 name=0.456 …`, seconds with three decimals: what the daemon logs.
    public var summary: String {
        phases.map { "\($0.name)=\($0.seconds.fixed(3))" }.joined(separator: " ")
    }
}
