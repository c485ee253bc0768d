import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Write end of the self-pipe: the one thing the signal handler touches (written once, before
/// the handler is installed).
nonisolated(unsafe) private var interruptPipeWriteEnd: Int32 = -1

/// Turns Ctrl-C (SIGINT) into calls of `handler` on a thread of its own, where it may take locks
/// and talk to the daemon, which a signal handler may not. The handler only writes a byte.
enum InterruptWatcher {
    /// Installs the watcher for the rest of the process, unless SIGINT was ignored when we
    /// started (`nohup`, a `&` job of a non-interactive shell): then whoever started us meant it
    /// to be ignored, and it stays so. False when not installed.
    @discardableResult
    static func install(_ handler: @escaping @Sendable () -> Void) -> Bool {
        var previous = sigaction()
        sigaction(SIGINT, nil, &previous)
        if let handler = previous.__sigaction_handler.sa_handler,
           unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
            return false
        }

        var ends: [Int32] = [-1, -1]
        guard makePipe(&ends) else { return false }
        interruptPipeWriteEnd = ends[1]
        let readEnd = ends[0]

        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let savedErrno = errno
            var byte: UInt8 = 1
            _ = write(interruptPipeWriteEnd, &byte, 1)
            errno = savedErrno
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)

        Thread.detachNewThread {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 { handler() } else if count < 0 && errno == EINTR { continue } else { return }
            }
        }
        return true
    }

    /// Ends the process the way an uncaught Ctrl-C does, so that a calling shell sees "killed by
    /// SIGINT" (status 130) and stops its own loop or script as well.
    static func dieOfInterrupt() -> Never {
        signal(SIGINT, SIG_DFL)
        raise(SIGINT)
        // Only reached if SIGINT is blocked in this thread; the status still says why.
        exit(130)
    }
}
