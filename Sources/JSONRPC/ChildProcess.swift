import FoundationEssentials
import ThreadSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A server started with its stdin, stdout and stderr on pipes (what Foundation's `Process` did,
/// without Foundation). The pipes are close-on-exec in this process, so a second server started
/// meanwhile does not inherit them and keep the first one's input open; the child gets only its
/// three standard descriptors.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    /// This side's ends: the child's stdin (write), stdout and stderr (read).
    let input: Int32
    let output: Int32
    let errors: Int32
    private let lock = ThreadLock()
    private var exited: Int32?

    private init(pid: pid_t, input: Int32, output: Int32, errors: Int32) {
        self.pid = pid
        self.input = input
        self.output = output
        self.errors = errors
    }

    static func spawn(executable: String, arguments: [String], environment: [String: String]?) throws(ClientConnection.ClientError) -> ChildProcess {
        var stdinPipe: [Int32] = [-1, -1], stdoutPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
        func closeAll() { for fd in stdinPipe + stdoutPipe + stderrPipe where fd >= 0 { close(fd) } }
        guard makePipe(&stdinPipe), makePipe(&stdoutPipe), makePipe(&stderrPipe) else {
            let reason = String(cString: strerror(errno))
            closeAll()
            throw .spawnFailed("\(executable): pipe: \(reason)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        // Descriptors this process opened without close-on-exec stay out of the child too
        // (glibc 2.34 and later; the Glibc module does not declare it).
        if let closeFrom = Self.closeFromAction { _ = closeFrom(&actions, 3) }

        let environmentLines = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environmentLines.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        close(stdinPipe[0])
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard status == 0 else {
            close(stdinPipe[1])
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw .spawnFailed("\(executable): \(String(cString: strerror(status)))")
        }
        return ChildProcess(pid: pid, input: stdinPipe[1], output: stdoutPipe[0], errors: stderrPipe[0])
    }

    private static func makePipe(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFromAction: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    /// The exit code once it has ended (the signal's number for a killed child, as `Process`
    /// said), nil while it runs. Reaped under the lock: several threads may ask.
    func exitStatus() -> Int32? {
        lock.withLock {
            if let exited { return exited }
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            guard reaped == pid else { return nil }
            let code: Int32 = status & 0x7F == 0 ? (status >> 8) & 0xFF : status & 0x7F
            exited = code
            return code
        }
    }

    func terminate() {
        if exitStatus() == nil { kill(pid, SIGTERM) }
    }
}
