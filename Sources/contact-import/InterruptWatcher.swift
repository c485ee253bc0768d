import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Write end of the self-pipe: the one thing the signal handler touches (written once, before
/// the handler is installed).
nonisolated(unsafe) private var interruptPipeWriteEnd: Int32 = -1

/// Turns Ctrl-C (SIGINT) and SIGTERM (`kill`, `timeout`, a service manager) into calls of
/// `handler(signal)` on a thread of its own, where it may take locks and talk to the daemon,
/// which a signal handler may not. The handler only writes the signal's number to a pipe.
enum InterruptWatcher {
    static let signals: [Int32] = [SIGINT, SIGTERM]

    /// Installs the watcher for the rest of the process. A signal that was ignored when we
    /// started (`nohup`, a `&` job of a non-interactive shell) stays ignored: whoever started us
    /// meant it so. False when neither is watched.
    @discardableResult
    static func install(_ handler: @escaping @Sendable (Int32) -> Void) -> Bool {
        let watched = signals.filter { signal in
            var previous = sigaction()
            sigaction(signal, nil, &previous)
            guard let current = previous.__sigaction_handler.sa_handler else { return true }
            return unsafeBitCast(current, to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self)
        }
        var ends: [Int32] = [-1, -1]
        guard !watched.isEmpty, makePipe(&ends) else { return false }
        interruptPipeWriteEnd = ends[1]
        let readEnd = ends[0]

        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            let savedErrno = errno
            var byte = UInt8(truncatingIfNeeded: signal)
            _ = write(interruptPipeWriteEnd, &byte, 1)
            errno = savedErrno
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        for signal in watched { sigaction(signal, &action, nil) }

        Thread.detachNewThread {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 {
                    handler(Int32(byte))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        return true
    }

    /// Ends the process the way the uncaught signal does, so that a calling shell sees "killed
    /// by SIGINT" (status 130) or SIGTERM (143) and stops its own loop or script as well.
    static func die(of signal: Int32) -> Never {
        Glibc.signal(signal, SIG_DFL)
        raise(signal)
        // Only reached if the signal is blocked in this thread; the status still says why.
        exit(128 + signal)
    }
}
