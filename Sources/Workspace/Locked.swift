import Foundation

/// State reached only while holding a lock. `@unchecked Sendable` is honest here: every access
/// to `state` goes through `withLock`, so no two threads touch it at once.
final class Locked<State>: @unchecked Sendable {
    private let lock: NSRecursiveLock
    private var state: State

    init(_ state: State) {
        self.state = state
        self.lock = NSRecursiveLock()
    }

    func withLock<Result, Failure: Error>(_ body: (inout State) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
