import FoundationEssentials
import ThreadSupport

/// State reached only while holding a lock. `@unchecked Sendable` is honest here: every access
/// to `state` goes through `withLock`, so no two threads touch it at once.
///
/// Everything Sendable uses `Mutex` instead; this stays for the two states `Mutex` cannot
/// hold: the pool of reader connections (a non-Sendable connection leaves the lock, is used,
/// and comes back) and the purge timer (a dispatch timer is not Sendable).
final class Locked<State>: @unchecked Sendable {
    private let lock = ThreadLock()
    private var state: State

    init(_ state: State) {
        self.state = state
    }

    func withLock<Result, Failure: Error>(_ body: (inout State) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}

/// A non-Sendable object reached only while holding a recursive lock. Recursive so that a
/// nested `write` on the same thread reaches the connection and is refused with an error
/// instead of deadlocking; the value is handed out by reference, never as `inout`, so such
/// re-entry is not an exclusivity violation. `Mutex` has neither recursion nor the timed wait
/// the writer needs (`withLock(timeout:)`), hence this class.
final class Guarded<Value: AnyObject>: @unchecked Sendable {
    private let lock = ThreadLock(recursive: true)
    private let value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result, Failure: Error>(_ body: (Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(value)
    }

    /// Like `withLock`, but gives up after `timeout` and returns nil without running `body`.
    func withLock<Result, Failure: Error>(timeout: TimeInterval, _ body: (Value) throws(Failure) -> Result) throws(Failure) -> Result? {
        guard lock.lock(timeout: timeout) else { return nil }
        defer { lock.unlock() }
        return try body(value)
    }
}
