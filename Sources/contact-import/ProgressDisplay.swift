import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Shows `$/progress` on stderr: a bar redrawn in place when stderr is a terminal, otherwise
/// one plain line per tenth of the way (logs of scripts and CI stay short and readable).
/// Notifications arrive on the connection's reader thread, hence the lock.
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private let interactive: Bool
    private var titles: [String: String] = [:]
    private var lastPlainStep: [String: Int] = [:]
    private var barVisible = false

    init(interactive: Bool = isatty(STDERR_FILENO) == 1) {
        self.interactive = interactive
    }

    /// Registers the title shown for `token` (the daemon's own title is used if it sends one).
    func expect(token: String, title: String) {
        lock.lock()
        titles[token] = title
        lock.unlock()
    }

    func handle(params: JSONValueProgress) {
        lock.lock()
        defer { lock.unlock() }
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
            if interactive {
                draw(title: title, percentage: 100, message: params.message)
                write("\n")
                barVisible = false
            } else {
                writeLine("\(title): 100%" + (params.message.map { " (\($0))" } ?? ""))
            }
        default:
            break
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
        var line = "\r\(title) \(bar) \(String(clamped).leftPadded(to: 3))%"
        if let message { line += "  \(message)" }
        // Clear what a longer previous message left behind.
        write(line + "\u{1B}[K")
        barVisible = true
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
