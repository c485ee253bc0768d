#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex over pthreads. The daemon's targets import FoundationEssentials only (Foundation
/// proper brings ICU and ~10 MB of resident libraries), and `NSLock`, `NSRecursiveLock`,
/// `NSCondition` and `Thread` live in Foundation. `Mutex` from Synchronization covers state that
/// is Sendable; these cover the rest: recursion, timed locking, condition waits, and threads.
public final class ThreadLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    public init(recursive: Bool = false) {
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        if recursive { pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_RECURSIVE)) }
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    /// Takes the lock unless `seconds` pass first; false then.
    public func lock(timeout seconds: Double) -> Bool {
        #if canImport(Glibc)
        var deadline = Deadline.realtime(after: seconds)
        return pthread_mutex_timedlock(mutex, &deadline) == 0
        #else
        let end = Deadline.monotonicSeconds() + seconds
        while pthread_mutex_trylock(mutex) != 0 {
            if Deadline.monotonicSeconds() >= end { return false }
            usleep(200)
        }
        return true
        #endif
    }

    public func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        lock()
        defer { unlock() }
        return try body()
    }
}

/// A mutex with a condition variable (what `NSCondition` was): lock, wait, signal. Timed waits
/// use the monotonic clock, so a change of the wall clock neither shortens nor lengthens them.
public final class ThreadCondition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        #if canImport(Glibc)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        #endif
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    public func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits (holding the lock) until signalled; wake-ups may be spurious, so callers loop.
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// Waits at most `seconds`; false when the time ran out.
    public func wait(seconds: Double) -> Bool {
        guard seconds > 0 else { return false }
        #if canImport(Glibc)
        var deadline = Deadline.monotonic(after: seconds)
        return pthread_cond_timedwait(condition, mutex, &deadline) == 0
        #else
        var relative = Deadline.relative(seconds)
        return pthread_cond_timedwait_relative_np(condition, mutex, &relative) == 0
        #endif
    }

    public func signal() { pthread_cond_signal(condition) }
    public func broadcast() { pthread_cond_broadcast(condition) }
}

enum Deadline {
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    static func relative(_ seconds: Double) -> timespec {
        let clamped = min(max(seconds, 0), 1e9)
        let whole = clamped.rounded(.down)
        return timespec(tv_sec: Int(whole), tv_nsec: Int((clamped - whole) * 1e9))
    }

    static func monotonic(after seconds: Double) -> timespec { after(seconds, clock: CLOCK_MONOTONIC) }
    static func realtime(after seconds: Double) -> timespec { after(seconds, clock: CLOCK_REALTIME) }

    private static func after(_ seconds: Double, clock: clockid_t) -> timespec {
        var now = timespec()
        clock_gettime(clock, &now)
        let add = relative(seconds)
        var result = timespec(tv_sec: now.tv_sec + add.tv_sec, tv_nsec: now.tv_nsec + add.tv_nsec)
        if result.tv_nsec >= 1_000_000_000 {
            result.tv_sec += 1
            result.tv_nsec -= 1_000_000_000
        }
        return result
    }
}
