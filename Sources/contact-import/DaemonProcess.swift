import Foundation
import JSONRPC
#if canImport(Glibc)
import Glibc
#endif

/// `contact-importd` started with `posix_spawn` in a process group of its own, talking over pipes.
///
/// Why not `Process`: the terminal sends Ctrl-C's SIGINT to its whole foreground process group.
/// Were the daemon in ours, Ctrl-C would kill it mid-commit (history `interrupted`) before we
/// could ask it to cancel. Its own group makes that certain rather than an accident of how a
/// Foundation version happens to spawn; Ctrl-C is then ours to turn into `$/cancelRequest`.
final class DaemonProcess: @unchecked Sendable {
    let processIdentifier: pid_t
    let connection: ClientConnection
    private let lock = NSLock()
    private var stderrBytes: [UInt8] = []
    private var exitStatus: Int32?

    struct SpawnFailure: Error {
        let reason: String
    }

    init(executable: String, arguments: [String]) throws(SpawnFailure) {
        FileDescriptorIO.ignoreSIGPIPE()
        // Close-on-exec everywhere: the child gets only the three ends dup2'ed onto 0, 1 and 2.
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1], errors: [Int32] = [-1, -1]
        guard makePipe(&input), makePipe(&output), makePipe(&errors) else {
            throw SpawnFailure(reason: String(cString: strerror(errno)))
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, output[1], STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, errors[1], STDERR_FILENO)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        // Our SIGINT handler and blocked signals are not the daemon's business.
        var everySignal = sigset_t(), noSignal = sigset_t()
        sigfillset(&everySignal)
        sigemptyset(&noSignal)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setsigmask(&attributes, &noSignal)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        for descriptor in [input[0], output[1], errors[1]] { close(descriptor) }
        guard result == 0 else {
            for descriptor in [input[1], output[0], errors[0]] { close(descriptor) }
            throw SpawnFailure(reason: "\(executable): \(String(cString: strerror(result)))")
        }
        processIdentifier = pid
        connection = ClientConnection(readFrom: output[0], writeTo: input[1])
        let stderrDescriptor = errors[0]
        Thread.detachNewThread { [self] in
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 1)
            defer { chunk.deallocate() }
            while let count = try? FileDescriptorIO.read(stderrDescriptor, into: chunk), count > 0 {
                lock.lock()
                stderrBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
                // Only the end is ever shown; a chatty daemon must not grow this without bound.
                if stderrBytes.count > 256 * 1024 { stderrBytes.removeFirst(stderrBytes.count - 64 * 1024) }
                lock.unlock()
            }
            close(stderrDescriptor)
        }
    }

    /// What the daemon logged so far.
    var stderrText: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: stderrBytes, as: UTF8.self)
    }

    /// The daemon's exit code once it has ended, or nil if it still runs at the deadline.
    func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            lock.lock()
            if let exitStatus {
                lock.unlock()
                return exitStatus
            }
            var status: Int32 = 0
            let reaped = waitpid(processIdentifier, &status, WNOHANG)
            if reaped == processIdentifier {
                // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
                let signal = status & 0x7f
                exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
            } else if reaped < 0 && errno != EINTR {
                exitStatus = -1
            }
            let done = exitStatus
            lock.unlock()
            if let done { return done }
            if Date() > deadline { return nil }
            usleep(2_000)
        }
    }

    func terminate() {
        lock.lock()
        let running = exitStatus == nil
        lock.unlock()
        if running { kill(processIdentifier, SIGTERM) }
    }
}

/// A pipe whose two ends are closed on exec (glibc's `pipe2` is not visible to Swift).
func makePipe(_ ends: inout [Int32]) -> Bool {
    guard pipe(&ends) == 0 else { return false }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    return true
}
