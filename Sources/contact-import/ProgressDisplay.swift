import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Shows `$/progress` on stderr: a bar redrawn in place when stderr is a terminal, otherwise
/// one plain line per tenth of the way (logs of scripts and CI stay short and readable).
/// Notifications arrive on the connection's reader thread, hence the lock.
///
/// The daemon's `end` message is not shown: the summary printed next says the same, better laid
/// out. A transient bar (reading, reviewing) is erased when done, as what it measured is printed
/// right after; the import's bar stays, at 100%.
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private let interactive: Bool
    private var titles: [String: String] = [:]
    private var transient: Set<String> = []
    private var lastPlainStep: [String: Int] = [:]
    private var barVisible = false
    private var silenced = false

    init(interactive: Bool = isatty(STDERR_FILENO) == 1) {
        self.interactive = interactive
    }

    /// Registers the title shown for `token` (the daemon's own title is used if it sends one).
    func expect(token: String, title: String, transient isTransient: Bool = false) {
        lock.lock()
        titles[token] = title
        if isTransient { transient.insert(token) }
        lock.unlock()
    }

    /// Ends the bar on screen and ignores every later notification (Ctrl-C: the messages that
    /// follow must not be overdrawn by a report already on its way).
    func silence() {
        lock.lock()
        defer { lock.unlock() }
        if barVisible {
            write("\n")
            barVisible = false
        }
        silenced = true
    }

    func handle(params: JSONValueProgress) {
        lock.lock()
        defer { lock.unlock() }
        if silenced { return }
        let title = titles[params.token] ?? params.title ?? ""
        switch params.kind {
        case "begin":
            if let own = params.title, titles[params.token] == nil { titles[params.token] = own }
            lastPlainStep[params.token] = 0
            if interactive {
                draw(title: title, percentage: params.percentage ?? 0, message: params.message)
            } else {
                writeLine("\(title)…")
            }
        case "report":
            let percentage = params.percentage ?? 0
            if interactive {
                draw(title: title, percentage: percentage, message: params.message)
            } else if percentage / 10 > lastPlainStep[params.token, default: 0] {
                lastPlainStep[params.token] = percentage / 10
                writeLine("\(title): \(percentage)%" + (params.message.map { " (\($0))" } ?? ""))
            }
        case "end":
            // Reading and reviewing are followed by their summary (or by the error that stopped
            // them), which says more than a "100%" would. The import's bar is completed only by
            // `finish(token:succeeded:)`: its `end` also comes for an import that was refused.
            if interactive && barVisible && transient.contains(params.token) {
                write("\r\u{1B}[K")
                barVisible = false
            }
        default:
            break
        }
    }

    /// Completes the bar of `token` once its request has answered: at 100% if it succeeded,
    /// erased if not (the error is printed next).
    func finish(token: String, succeeded: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if silenced { return }
        let title = titles[token] ?? ""
        if interactive {
            if succeeded {
                draw(title: title, percentage: 100, message: nil)
                write("\n")
            } else if barVisible {
                write("\r\u{1B}[K")
            }
            barVisible = false
        } else if succeeded && lastPlainStep[token, default: 0] < 10 {
            writeLine("\(title): 100%")
        }
    }

    /// Ends a bar left open (the request failed before its `end`) so the next line starts clean.
    func finishLine() {
        lock.lock()
        defer { lock.unlock() }
        if barVisible {
            write("\n")
            barVisible = false
        }
    }

    private func draw(title: String, percentage: Int, message: String?) {
        let clamped = max(0, min(100, percentage))
        let width = 30
        let filled = clamped * width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        var line = "\(title) \(bar) \(String(clamped).leftPadded(to: 3))%"
        if let message { line += "  \(message)" }
        // A line that wraps can no longer be redrawn in place with "\r".
        let columns = Self.terminalWidth()
        if line.count >= columns { line = String(line.prefix(max(columns - 2, 10))) + "…" }
        // Clear what a longer previous message left behind.
        write("\r" + line + "\u{1B}[K")
        barVisible = true
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    private func writeLine(_ text: String) {
        write(text + "\n")
    }

    private func write(_ text: String) {
        FileHandle.standardError.writeQuietly(text)
    }
}

/// The fields of a `$/progress` notification the display needs, read defensively.
struct JSONValueProgress: Sendable {
    var token: String
    var kind: String
    var title: String?
    var message: String?
    var percentage: Int?
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    func rightPadded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

extension FileHandle {
    /// Writes, ignoring failures: a closed terminal must not turn into a crash of the import.
    func writeQuietly(_ text: String) {
        try? write(contentsOf: Data(text.utf8))
    }
}
