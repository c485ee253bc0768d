import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Detached threads (what `Thread.detachNewThread` was) and sleeping, over pthreads.
public enum Threads {
    private final class Start {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Runs `body` on a new detached thread. Threads here block on pipes and locks for long
    /// stretches, which is why they are not Dispatch work items.
    public static func detach(_ body: @escaping @Sendable () -> Void) {
        let start = Unmanaged.passRetained(Start(body)).toOpaque()
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let created = pthread_create(&thread, &attributes, { argument in
            #if canImport(Glibc)
            let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
            #else
            let start = Unmanaged<Start>.fromOpaque(argument).takeRetainedValue()
            #endif
            start.body()
            return nil
        }, start)
        pthread_attr_destroy(&attributes)
        if created != 0 {
            // Out of threads: Dispatch's pool runs it when it can. Never on the caller's thread,
            // which may be about to wait for what this thread delivers.
            let body = Unmanaged<Start>.fromOpaque(start).takeRetainedValue().body
            DispatchQueue.global().async(execute: body)
        }
    }

    public static func sleep(seconds: Double) {
        var request = Deadline.relative(seconds)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
