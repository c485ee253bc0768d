import XCTest
import TestSupport
@testable import JSONRPC

final class MessageFramerTests: XCTestCase {
    private func framed(_ body: String, header: String = "Content-Length") -> [UInt8] {
        Array("\(header): \(body.utf8.count)\r\n\r\n\(body)".utf8)
    }

    private func messages(_ events: [MessageFramer.Event]) -> [String] {
        events.compactMap { event in
            if case .message(let body) = event { return String(decoding: body, as: UTF8.self) }
            return nil
        }
    }

    func testOneMessage() {
        var framer = MessageFramer()
        XCTAssertEqual(messages(framer.push(framed(#"{"a":1}"#))), [#"{"a":1}"#])
        XCTAssertEqual(framer.framing, .contentLength)
    }

    func testOneByteAtATime() {
        var framer = MessageFramer()
        let input = framed(#"{"a":1}"#) + framed(#"{"b":"é"}"#)
        var events: [MessageFramer.Event] = []
        for byte in input { events += framer.push([byte]) }
        XCTAssertEqual(messages(events), [#"{"a":1}"#, #"{"b":"é"}"#])
    }

    func testEverySplitPoint() {
        let input = framed(#"{"first":true}"#) + framed(#"{"second":[1,2]}"#)
        for split in 0...input.count {
            var framer = MessageFramer()
            let events = framer.push(Array(input[0..<split])) + framer.push(Array(input[split...]))
            XCTAssertEqual(messages(events), [#"{"first":true}"#, #"{"second":[1,2]}"#], "split at \(split)")
        }
    }

    func testSeveralMessagesInOneRead() {
        var framer = MessageFramer()
        let input = (0..<50).flatMap { framed(#"{"n":\#($0)}"#) }
        XCTAssertEqual(messages(framer.push(input)).count, 50)
    }

    func testLineFeedOnlyHeadersAndMixedCase() {
        var framer = MessageFramer()
        let input = Array("content-LENGTH: 2\n\n{}CONTENT-LENGTH: 2\r\ncontent-type: application/vscode-jsonrpc; charset=utf8\r\n\r\n[]".utf8)
        XCTAssertEqual(messages(framer.push(input)), ["{}", "[]"])
    }

    func testUnknownHeadersAreIgnored() {
        var framer = MessageFramer()
        let input = Array("X-Test: yes\r\nContent-Length: 2\r\nOther: 1\r\n\r\n{}".utf8)
        XCTAssertEqual(messages(framer.push(input)), ["{}"])
    }

    func testUnsupportedCharsetSkipsBody() {
        var framer = MessageFramer()
        let input = Array("Content-Length: 2\r\nContent-Type: application/json; charset=latin1\r\n\r\n{}".utf8) + framed("[1]")
        let events = framer.push(input)
        XCTAssertEqual(messages(events), ["[1]"])
        XCTAssertTrue(events.contains { if case .badHeader = $0 { return true } else { return false } })
    }

    func testBadHeaderIsReportedAndParserResyncs() {
        var framer = MessageFramer()
        // A bad length, its body glued to the next header, then a good message.
        let input = Array("Content-Length: abc\r\n\r\n{\"lost\":1}".utf8) + framed(#"{"ok":1}"#)
        let events = framer.push(input)
        XCTAssertEqual(messages(events), [#"{"ok":1}"#])
        XCTAssertTrue(events.contains { if case .badHeader = $0 { return true } else { return false } })
    }

    /// A length glued to the end of a broken body's leftovers is found in any case, and read
    /// from the bytes after it.
    func testAGluedContentLengthIsFoundInAnyCase() throws {
        let header = try MessageFramer.parseHeader(Array("{\"lost\":1}CONTENT-length:  12 \r\n".utf8)).get()
        XCTAssertEqual(header.length, 12)
        let accented = try MessageFramer.parseHeader(Array("ñandú,Content-Length: 3".utf8)).get()
        XCTAssertEqual(accented.length, 3)
        XCTAssertThrowsError(try MessageFramer.parseHeader(Array("no length: here".utf8)).get())
    }

    func testHeaderWithoutLengthIsDropped() {
        var framer = MessageFramer()
        let events = framer.push(Array("Content-Type: x\r\n\r\n".utf8) + framed("{}"))
        XCTAssertEqual(messages(events), ["{}"])
        XCTAssertEqual(events.first, .badHeader("header without Content-Length"))
    }

    func testHeaderLongerThanCapIsDropped() {
        var framer = MessageFramer()
        let junk = Array(repeating: UInt8(ascii: "x"), count: 9000)
        var events = framer.push(junk)
        XCTAssertTrue(events.contains { if case .badHeader = $0 { return true } else { return false } })
        events = framer.push(Array("\r\n".utf8) + framed("{}"))
        XCTAssertEqual(messages(events), ["{}"])
    }

    func testOversizedBodyIsSkippedWithoutBuffering() {
        var framer = MessageFramer(maxBodyBytes: 100)
        var events = framer.push(Array("Content-Length: 1000\r\n\r\n".utf8))
        XCTAssertEqual(events, [.oversized(bytes: 1000)])
        for _ in 0..<10 { events = framer.push(Array(repeating: UInt8(ascii: "a"), count: 100)); XCTAssertEqual(events, []) }
        XCTAssertEqual(messages(framer.push(framed("{}"))), ["{}"])
    }

    func testALengthPastTheLargestIntegerIsOversizedNotABadHeader() {
        var framer = MessageFramer(maxBodyBytes: 100)
        let events = framer.push(Array("Content-Length: 9223372036854775808\r\n\r\n".utf8))
        XCTAssertEqual(events, [.oversized(bytes: Int.max)])
    }

    func testOversizedBodyInTheSameReadAsTheNextMessage() {
        var framer = MessageFramer(maxBodyBytes: 10)
        let input = Array("Content-Length: 20\r\n\r\n".utf8) + Array(repeating: UInt8(ascii: "z"), count: 20) + framed("{}")
        let events = framer.push(input)
        XCTAssertEqual(events, [.oversized(bytes: 20), .message(Array("{}".utf8))])
    }

    func testTruncatedBodyAtEndOfInput() {
        var framer = MessageFramer()
        _ = framer.push(Array("Content-Length: 10\r\n\r\n{}".utf8))
        XCTAssertEqual(framer.finish(), [.truncated(expected: 10, received: 2)])
    }

    func testBlankLinesBetweenMessagesAreHarmless() {
        var framer = MessageFramer()
        XCTAssertEqual(messages(framer.push(Array("\r\n\r\n".utf8) + framed("{}") + Array("\n".utf8) + framed("[]"))), ["{}", "[]"])
    }

    func testNewlineDelimitedIsDetectedFromFirstByte() {
        var framer = MessageFramer()
        let events = framer.push(Array("  \n{\"a\":1}\r\n\n{\"b\":2}\n{\"c\"".utf8))
        XCTAssertEqual(framer.framing, .newlineDelimited)
        XCTAssertEqual(messages(events), [#"{"a":1}"#, #"{"b":2}"#])
        XCTAssertEqual(messages(framer.push(Array(":3}\n".utf8))), [#"{"c":3}"#])
    }

    func testNewlineDelimitedOneByteAtATime() {
        var framer = MessageFramer()
        var events: [MessageFramer.Event] = []
        for byte in Array("{\"a\":1}\n{\"b\":2}\n".utf8) { events += framer.push([byte]) }
        XCTAssertEqual(messages(events), [#"{"a":1}"#, #"{"b":2}"#])
    }

    func testNewlineDelimitedOversizedLineIsSkipped() {
        var framer = MessageFramer(maxBodyBytes: 50)
        var events = framer.push(Array("{\"a\":\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: 60))
        XCTAssertEqual(events, [.oversized(bytes: 66)])
        events = framer.push(Array(repeating: UInt8(ascii: "x"), count: 100) + Array("\"}\n{}\n".utf8))
        XCTAssertEqual(messages(events), ["{}"])
    }

    func testFrameBothWays() {
        XCTAssertEqual(MessageFramer.frame(Array("{}".utf8), framing: .contentLength), Array("Content-Length: 2\r\n\r\n{}".utf8))
        XCTAssertEqual(MessageFramer.frame(Array("{}".utf8), framing: .newlineDelimited), Array("{}\n".utf8))
    }

    func testRandomChunkingNeverLosesMessages() {
        var generator = SplitMix64(seed: 42)
        var input: [UInt8] = []
        var expected: [String] = []
        for index in 0..<200 {
            let body = #"{"index":\#(index),"text":"\#(String(repeating: "ñ", count: index % 17))"}"#
            expected.append(body)
            input += index % 3 == 0 ? Array("content-length: \(body.utf8.count)\n\n\(body)".utf8) : framed(body)
        }
        var framer = MessageFramer()
        var events: [MessageFramer.Event] = []
        var position = 0
        while position < input.count {
            let count = min(input.count - position, Int.random(in: 1...300, using: &generator))
            events += framer.push(Array(input[position..<(position + count)]))
            position += count
        }
        XCTAssertEqual(messages(events), expected)
    }
}

