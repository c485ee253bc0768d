import FoundationEssentials
import ImportServer
import JSONRPC
import Transcripts
#if canImport(Glibc)
import Glibc

// A session's large arrays (file bytes, record index, values) are made and dropped with each
// review. After the first such free, glibc raises its mmap threshold and serves later ones from
// a heap whose freed pages stay resident; held at 128 KB, each is its own mapping, unmapped when
// freed (`contact-import-bench import`: peak RSS about 4 MB lower, no time change measured).
// Neither `mallopt` nor `M_MMAP_THRESHOLD` (-3 in <malloc.h>) comes with the Glibc module.
if let symbol = dlsym(nil, "mallopt") {
    typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
    _ = unsafeBitCast(symbol, to: MallOpt.self)(-3, 128 * 1024)
}
#endif

// Thin entry point: parse flags, then either serve on stdin/stdout or replay transcripts.

let usage = """
usage: contact-importd [--workspace DIR|URI] [--files-dir DIR] [--session-ttl SECONDS] [--max-sessions N]
                       [--record FILE] [--log-level error|warn|info|debug] [--version] [--help]
       contact-importd replay [--verbose] FILE...

Serves the contact importer protocol (JSON-RPC 2.0, LSP framing or newline-delimited JSON) on
stdin/stdout; logs go to stderr. See protocol/README.md.

  --workspace DIR|URI    workspace folder (default: $CONTACT_IMPORT_WORKSPACE, else
                         $XDG_DATA_HOME/contact-importer/default), or a PostgreSQL database: a
                         postgresql:// URI or a "host=... dbname=..." conninfo
  --files-dir DIR        with a PostgreSQL workspace, this machine's folder of result files
                         (default: $XDG_DATA_HOME/contact-importer/files/<server, database, schema>)
  --session-ttl SECONDS  import session lifetime (default 3600)
  --max-sessions N       live import sessions at most (default 8)
  --record FILE          append every message in and out to FILE as a transcript (JSON lines)
  --log-level LEVEL      error, warn, info (default) or debug
  --version              print the version and exit
  --help                 print this help and exit

replay FILE...           start a fresh server per transcript session, feed it the client's
                         messages and compare its answers; exit 1 on a mismatch
"""

func writeToStandardError(_ text: String) {
    _ = try? FileDescriptorIO.writeAll(2, Array(text.utf8))
}

func fail(_ message: String) -> Never {
    writeToStandardError("contact-importd: \(message)\n\n\(usage)\n")
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())

if arguments.first == "replay" {
    arguments.removeFirst()
    let verbose = arguments.contains("--verbose")
    let files = arguments.filter { $0 != "--verbose" }
    if files.isEmpty || files.contains(where: { $0.hasPrefix("-") }) { fail("replay needs transcript files") }
    let daemon: String
    do {
        daemon = try DaemonLocator.daemonPath(environment: [:])
    } catch {
        fail("\(error)")
    }
    var failed = false
    for file in files {
        do {
            let report = try TranscriptReplayer(daemonPath: daemon).replay(file: file)
            if report.passed {
                print("ok   \(file) (\(report.sessions) session(s), \(report.comparedMessages) server messages)")
            } else {
                failed = true
                print("FAIL \(file)\n\(report.diff)")
            }
            if verbose { print(report.log) }
        } catch {
            failed = true
            print("FAIL \(file): \(error)")
        }
    }
    exit(failed ? 1 : 0)
}

func parseConfiguration(_ arguments: [String]) -> ImportServer.Configuration {
    var arguments = arguments
    var configuration = ImportServer.Configuration()
    // The flag wins over the environment, which wins over the default folder.
    if let named = ProcessInfo.processInfo.environment["CONTACT_IMPORT_WORKSPACE"], !named.isEmpty {
        configuration.workspaceDirectory = named
    }
    var index = 0
    func value(for flag: String) -> String {
        index += 1
        guard index < arguments.count else { fail("\(flag) needs a value") }
        return arguments[index]
    }
    while index < arguments.count {
        var flag = arguments[index]
        if let equals = flag.firstIndex(of: "="), flag.hasPrefix("--") {
            // --flag=value is accepted too.
            arguments.insert(String(flag[flag.index(after: equals)...]), at: index + 1)
            flag = String(flag[..<equals])
        }
        switch flag {
        case "--help", "-h":
            print(usage)
            exit(0)
        case "--version":
            print("\(ImportServer.name) \(ImportServer.version)")
            exit(0)
        case "--workspace":
            configuration.workspaceDirectory = value(for: flag)
        case "--files-dir":
            configuration.filesDirectory = value(for: flag)
        case "--session-ttl":
            let text = value(for: flag)
            // Bounded so every later conversion to whole seconds is exact (ten years is plenty).
            guard let seconds = Double(text), seconds > 0, seconds <= 315_360_000 else {
                fail("--session-ttl needs a positive number of seconds (at most 315360000), got \"\(text)\"")
            }
            configuration.sessionTTL = seconds
        case "--max-sessions":
            let text = value(for: flag)
            guard let count = Int(text), count > 0 else { fail("--max-sessions needs a positive integer, got \"\(text)\"") }
            configuration.maxSessions = count
        case "--record":
            configuration.recordPath = value(for: flag)
        case "--log-level":
            let text = value(for: flag)
            guard let level = LogLevel(name: text) else {
                fail("--log-level must be error, warn, info or debug, got \"\(text)\"")
            }
            configuration.logLevel = level
        case "--enable-test-methods":
            // Hidden: `$/test/sleep` for cancellation tests and transcripts.
            configuration.enableTestMethods = true
        default:
            fail("unknown argument \"\(flag)\"")
        }
        index += 1
    }
    return configuration
}

let configuration = parseConfiguration(arguments)
let server: ImportServer
do {
    server = try ImportServer(configuration: configuration)
} catch {
    writeToStandardError("contact-importd: cannot open the record file: \(error)\n")
    exit(2)
}
server.run()
