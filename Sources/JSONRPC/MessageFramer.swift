import FoundationEssentials

/// Splits a byte stream into message bodies, whatever the read boundaries are (one byte at a
/// time or many messages per read). Two framings:
/// - LSP base protocol: `Content-Length: N` (optional `Content-Type`, header names in any case,
///   lines ending in CRLF or LF alone), an empty line, N bytes of body.
/// - newline-delimited JSON: chosen for the whole stream when its first non-whitespace byte is
///   `{`, so `printf '{...}\n' | contact-importd` works from a shell.
///
/// Bad input never stops the stream: a broken header block is reported and dropped and the
/// parser resynchronises on the next `Content-Length`; a body over the cap is reported once and
/// its bytes are skipped as they arrive instead of being buffered.
public struct MessageFramer: Sendable {
    public enum Framing: String, Sendable {
        case contentLength = "content-length"
        case newlineDelimited = "newline"
    }

    public enum Event: Sendable, Hashable {
        case message([UInt8])
        /// A body longer than the cap (`bytes` is its declared length, or the bytes seen so far
        /// for an endless line). Its bytes are being discarded.
        case oversized(bytes: Int)
        /// A header block that cannot be used; it was dropped. The text is for the log.
        case badHeader(String)
        /// End of input in the middle of a body.
        case truncated(expected: Int, received: Int)
    }

    public static let defaultMaxHeaderBytes = 8 * 1024
    public static let defaultMaxBodyBytes = 64 * 1024 * 1024

    public let maxHeaderBytes: Int
    public let maxBodyBytes: Int
    /// Nil until the first non-whitespace byte decides it (unless fixed at init).
    public private(set) var framing: Framing?

    private enum State: Sendable {
        case detecting
        /// Offsets are relative to `start`: where the next unscanned line begins, and how many
        /// non-empty header lines came before it.
        case header(nextLine: Int, lines: Int)
        case body(length: Int)
        case line(scanned: Int)
        case skippingBody(remaining: Int)
        case skippingLine
    }

    private var state: State
    private var buffer: [UInt8] = []
    private var start = 0

    public init(framing: Framing? = nil, maxHeaderBytes: Int = defaultMaxHeaderBytes,
                maxBodyBytes: Int = defaultMaxBodyBytes) {
        self.framing = framing
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        switch framing {
        case nil: state = .detecting
        case .contentLength: state = .header(nextLine: 0, lines: 0)
        case .newlineDelimited: state = .line(scanned: 0)
        }
    }

    /// Frames one outgoing body in the given framing.
    public static func frame(_ body: [UInt8], framing: Framing) -> [UInt8] {
        switch framing {
        case .contentLength:
            var out = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
            out.append(contentsOf: body)
            return out
        case .newlineDelimited:
            var out = body
            out.append(0x0A)
            return out
        }
    }

    public mutating func push(_ bytes: [UInt8]) -> [Event] {
        var events: [Event] = []
        bytes.withUnsafeBytes { push($0, into: &events) }
        return events
    }

    public mutating func push(_ input: UnsafeRawBufferPointer, into events: inout [Event]) {
        var offset = 0
        while offset < input.count {
            switch state {
            case .skippingBody(let remaining):
                let count = min(remaining, input.count - offset)
                offset += count
                state = remaining == count ? afterMessage : .skippingBody(remaining: remaining - count)
            case .skippingLine:
                var index = offset
                while index < input.count, input[index] != 0x0A { index += 1 }
                if index < input.count {
                    state = afterMessage
                    offset = index + 1
                } else {
                    offset = input.count
                }
            default:
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset...]))
                offset = input.count
                process(into: &events)
            }
        }
        compact()
    }

    /// End of input: reports a body cut short.
    public mutating func finish() -> [Event] {
        if case .body(let length) = state {
            return [.truncated(expected: length, received: buffer.count - start)]
        }
        return []
    }

    private var afterMessage: State {
        framing == .newlineDelimited ? .line(scanned: 0) : .header(nextLine: 0, lines: 0)
    }

    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            start = 0
        } else if start > 64 * 1024 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }

    private mutating func process(into events: inout [Event]) {
        while true {
            switch state {
            case .detecting:
                while start < buffer.count, Self.isWhitespace(buffer[start]) { start += 1 }
                guard start < buffer.count else { return }
                if buffer[start] == UInt8(ascii: "{") {
                    framing = .newlineDelimited
                    state = .line(scanned: 0)
                } else {
                    framing = .contentLength
                    state = .header(nextLine: 0, lines: 0)
                }

            case .header(let nextLine, let lines):
                guard let newline = firstNewline(from: start + nextLine) else {
                    if buffer.count - start > maxHeaderBytes {
                        events.append(.badHeader("header block longer than \(maxHeaderBytes) bytes"))
                        start = buffer.count
                        state = .header(nextLine: 0, lines: 0)
                    }
                    return
                }
                var lineEnd = newline
                if lineEnd > start + nextLine, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let lineIsEmpty = lineEnd == start + nextLine
                if lineIsEmpty && lines == 0 {
                    // Blank lines between messages are harmless.
                    start = newline + 1
                    state = .header(nextLine: 0, lines: 0)
                } else if !lineIsEmpty {
                    state = .header(nextLine: newline + 1 - start, lines: lines + 1)
                    if newline + 1 - start > maxHeaderBytes {
                        events.append(.badHeader("header block longer than \(maxHeaderBytes) bytes"))
                        start = newline + 1
                        state = .header(nextLine: 0, lines: 0)
                    }
                } else {
                    let block = Array(buffer[start..<(start + nextLine)])
                    start = newline + 1
                    switch Self.parseHeader(block) {
                    case .success(let header):
                        if let charset = header.unsupportedCharset {
                            events.append(.badHeader("unsupported charset \(charset); body skipped"))
                            state = header.length > 0 ? .skippingBody(remaining: header.length) : afterMessage
                            dropBufferedSkippedBytes()
                        } else if header.length > maxBodyBytes {
                            events.append(.oversized(bytes: header.length))
                            state = .skippingBody(remaining: header.length)
                            dropBufferedSkippedBytes()
                        } else {
                            state = .body(length: header.length)
                        }
                    case .failure(let problem):
                        events.append(.badHeader(problem.reason))
                        state = .header(nextLine: 0, lines: 0)
                    }
                }

            case .body(let length):
                guard buffer.count - start >= length else { return }
                events.append(.message(Array(buffer[start..<(start + length)])))
                start += length
                state = .header(nextLine: 0, lines: 0)

            case .line(let scanned):
                guard let newline = firstNewline(from: start + scanned) else {
                    let pending = buffer.count - start
                    if pending > maxBodyBytes {
                        events.append(.oversized(bytes: pending))
                        start = buffer.count
                        state = .skippingLine
                    } else {
                        state = .line(scanned: pending)
                    }
                    return
                }
                var lineEnd = newline
                if lineEnd > start, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                if lineEnd - start > maxBodyBytes {
                    events.append(.oversized(bytes: lineEnd - start))
                } else if buffer[start..<lineEnd].contains(where: { !Self.isWhitespace($0) }) {
                    events.append(.message(Array(buffer[start..<lineEnd])))
                }
                start = newline + 1
                state = .line(scanned: 0)

            case .skippingBody, .skippingLine:
                dropBufferedSkippedBytes()
                if start == buffer.count { return }
            }
        }
    }

    /// Discards the already-buffered part of a skipped body.
    private mutating func dropBufferedSkippedBytes() {
        switch state {
        case .skippingBody(let remaining):
            let count = min(remaining, buffer.count - start)
            start += count
            state = remaining == count ? afterMessage : .skippingBody(remaining: remaining - count)
        case .skippingLine:
            if let newline = firstNewline(from: start) {
                start = newline + 1
                state = afterMessage
            } else {
                start = buffer.count
            }
        default:
            break
        }
    }

    private func firstNewline(from index: Int) -> Int? {
        var position = index
        let count = buffer.count
        while position < count {
            if buffer[position] == 0x0A { return position }
            position += 1
        }
        return nil
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    struct Header {
        var length: Int
        var unsupportedCharset: String?
    }

    struct HeaderProblem: Error { let reason: String }

    /// Reads a header block. Unknown fields are ignored; a line that is not a header may carry a
    /// `Content-Length` glued to the end of a broken previous body, which is how we resync.
    static func parseHeader(_ block: [UInt8]) -> Result<Header, HeaderProblem> {
        var length: Int?
        var badLength: String?
        var charset: String?
        // Split on bytes: as Characters, "\r\n" is a single grapheme and would not split on "\n".
        for var lineBytes in block.split(separator: 0x0A, omittingEmptySubsequences: true) {
            while lineBytes.last == 0x0D { lineBytes = lineBytes.dropLast() }
            let line = Substring(String(decoding: lineBytes, as: UTF8.self))
            if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingSpaces.lowercased()
                let value = line[line.index(after: colon)...].trimmingSpaces
                if name == "content-length" {
                    if let number = parseLength(value) { length = number; badLength = nil } else { badLength = String(value) }
                    continue
                }
                if name == "content-type" {
                    charset = unsupportedCharset(in: value)
                    continue
                }
            }
            if let end = Self.endOfContentLength(in: lineBytes) {
                let value = Substring(String(decoding: lineBytes[end...], as: UTF8.self)).trimmingSpaces
                if let number = parseLength(value) { length = number; badLength = nil } else { badLength = String(value) }
            }
        }
        if let badLength { return .failure(HeaderProblem(reason: "invalid Content-Length \"\(badLength.prefix(40))\"")) }
        guard let length else { return .failure(HeaderProblem(reason: "header without Content-Length")) }
        return .success(Header(length: length, unsupportedCharset: charset))
    }

    /// Where the first "content-length:" (in any case) ends in a header line without a name
    /// before its colon. ASCII case folding keeps byte offsets, so the match is found on bytes.
    private static func endOfContentLength(in line: ArraySlice<UInt8>) -> Int? {
        let lowered = line.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return lowered.firstRange(of: Array("content-length:".utf8)).map { line.startIndex + $0.upperBound }
    }

    /// Any run of digits is a length; one past `Int.max` (2^63 and more) is simply too large,
    /// and gets the oversize answer like every other length over the cap.
    private static func parseLength(_ value: Substring) -> Int? {
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(value) ?? Int.max
    }

    /// LSP allows only UTF-8 (`utf8` is an accepted alias).
    private static func unsupportedCharset(in contentType: Substring) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingSpaces.lowercased() == "charset" else { continue }
            let charset = Substring(pair[1].trimmingSpaces.lowercased()).trimmingQuotes
            if charset != "utf-8" && charset != "utf8" { return charset }
        }
        return nil
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }

    var trimmingQuotes: String {
        var result = self
        while result.first == "\"" { result = result.dropFirst() }
        while result.last == "\"" { result = result.dropLast() }
        return String(result)
    }
}
