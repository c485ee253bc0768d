import Dispatch
import FoundationEssentials
import ThreadSupport

/// Runs `body` over consecutive chunks of `0..<count` on all cores and returns the chunk results
/// in order. Review work is per row and independent, so chunks need no coordination.
func parallelChunks<T: Sendable>(count: Int, minimumChunk: Int = 2_048,
                                 _ body: @Sendable (Range<Int>) -> T) -> [T] {
    guard count > 0 else { return [] }
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    // A few chunks per core so one slow chunk does not leave a core idle.
    let chunkCount = max(1, min(cores * 4, (count + minimumChunk - 1) / minimumChunk))
    let chunkSize = (count + chunkCount - 1) / chunkCount
    let results = ChunkResults<T>(count: chunkCount)
    if chunkCount == 1 {
        results.set(0, body(0..<count))
    } else {
        DispatchQueue.concurrentPerform(iterations: chunkCount) { index in
            let start = index * chunkSize
            let end = min(count, start + chunkSize)
            results.set(index, body(start..<max(start, end)))
        }
    }
    return results.values()
}

/// Slots written once each by `parallelChunks`' workers.
private final class ChunkResults<T: Sendable>: @unchecked Sendable {
    private let lock = ThreadLock()
    private var slots: [T?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) { lock.withLock { slots[index] = value } }
    func values() -> [T] { lock.withLock { slots.compactMap { $0 } } }
}

/// A flag workers can raise and read without coordination beyond a lock.
final class AtomicFlag: @unchecked Sendable {
    private let lock = ThreadLock()
    private var raised = false
    func raise() { lock.withLock { raised = true } }
    var isRaised: Bool { lock.withLock { raised } }
}

/// Issues ids unique within this process: sessions, and with them reviews, live in memory only.
final class SequenceNumbers: @unchecked Sendable {
    private let lock = ThreadLock()
    private var next = 0
    func take() -> Int { lock.withLock { next += 1; return next } }
}
