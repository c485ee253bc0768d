import XCTest
import TestSupport
@testable import JSONRPC

final class JSONValueTests: XCTestCase {
    func testScalars() throws {
        XCTAssertEqual(try JSONValue.parse("null"), .null)
        XCTAssertEqual(try JSONValue.parse(" true "), .bool(true))
        XCTAssertEqual(try JSONValue.parse("false"), .bool(false))
        XCTAssertEqual(try JSONValue.parse("7"), .int(7))
        XCTAssertEqual(try JSONValue.parse("-0"), .int(0))
        XCTAssertEqual(try JSONValue.parse("7.0"), .double(7))
        XCTAssertEqual(try JSONValue.parse("1e3"), .double(1000))
        XCTAssertEqual(try JSONValue.parse("-2.5E-1"), .double(-0.25))
        XCTAssertEqual(try JSONValue.parse("9223372036854775807"), .int(Int.max))
        XCTAssertEqual(try JSONValue.parse("92233720368547758070"), .double(9.223372036854775808e19))
    }

    func testIntegersAndDoublesStayApart() throws {
        XCTAssertEqual(try JSONValue.parse("1").serialized, "1")
        XCTAssertEqual(try JSONValue.parse("1.0").serialized, "1.0")
        XCTAssertEqual(try JSONValue.parse("0.5").serialized, "0.5")
        XCTAssertNotEqual(JSONValue.int(1), JSONValue.double(1))
    }

    func testStrings() throws {
        XCTAssertEqual(try JSONValue.parse(#""a\"b\\c\/d\b\f\n\r\t""#), .string("a\"b\\c/d\u{8}\u{c}\n\r\t"))
        XCTAssertEqual(try JSONValue.parse(#""\u00e9\u00E9""#), .string("éé"))
        XCTAssertEqual(try JSONValue.parse(#""\ud83d\ude00""#), .string("😀"))
        XCTAssertEqual(try JSONValue.parse("\"señor 😀\""), .string("señor 😀"))
        XCTAssertEqual(try JSONValue.parse(#""""#), .string(""))
    }

    func testRejectsInvalidDocuments() {
        let invalid = ["", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "01", "1.", ".5", "-", "+1", "1e", "tru", "nul",
                       "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\u{1}b\"", "[1] 2", "{}{}",
                       "NaN", "Infinity", "'a'", "[\"a\" \"b\"]", "{\"a\" 1}"]
        for text in invalid {
            XCTAssertThrowsError(try JSONValue.parse(text), "should reject \(text.debugDescription)")
        }
    }

    func testRejectsInvalidUTF8() {
        XCTAssertThrowsError(try JSONValue.parse([0x22, 0xFF, 0x22]))
        XCTAssertThrowsError(try JSONValue.parse([0x22, 0x5C, 0x6E, 0xC3, 0x22]))
    }

    func testDeepNestingFailsInsteadOfCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertThrowsError(try JSONValue.parse(deep))
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        XCTAssertNoThrow(try JSONValue.parse(fine))
    }

    func testSerializationSortsKeysAndEscapes() {
        let value: JSONValue = ["b": 1, "a": ["z": true, "y": nil], "c": "line\nbreak \"q\" \u{1}"]
        XCTAssertEqual(value.serialized, #"{"a":{"y":null,"z":true},"b":1,"c":"line\nbreak \"q\" \u0001"}"#)
    }

    func testRoundTrip() throws {
        let value: JSONValue = ["ints": [0, -1, .int(Int.max), .int(Int.min)], "doubles": [0.1, -2.5, 1e300, 3.0],
                                "text": "ñ 😀 \\ / \t", "nested": [["a": []], [:]], "flags": [true, false, nil]]
        XCTAssertEqual(try JSONValue.parse(value.serialized), value)
    }

    func testRandomValuesRoundTrip() throws {
        var generator = SplitMix64(seed: 7)
        func random(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0...(depth > 3 ? 4 : 6), using: &generator) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &generator))
            case 2: return .int(Int.random(in: Int.min...Int.max, using: &generator))
            case 3: return .double(Double.random(in: -1e6...1e6, using: &generator))
            case 4: return .string(String((0..<Int.random(in: 0...8, using: &generator)).map { _ in
                Character(Unicode.Scalar(UInt8.random(in: 0...127, using: &generator))) }))
            case 5: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in random(depth + 1) })
            default:
                var object: [String: JSONValue] = [:]
                for index in 0..<Int.random(in: 0...4, using: &generator) { object["k\(index)"] = random(depth + 1) }
                return .object(object)
            }
        }
        for _ in 0..<500 {
            let value = random(0)
            XCTAssertEqual(try JSONValue.parse(value.serialized), value)
        }
    }

    func testAccessors() {
        let value: JSONValue = ["a": [1, "x"], "d": 2.0, "f": 2.5]
        XCTAssertEqual(value["a"]?[0]?.intValue, 1)
        XCTAssertEqual(value["a"]?[1]?.stringValue, "x")
        XCTAssertNil(value["a"]?[2])
        XCTAssertEqual(value["d"]?.intValue, 2)
        XCTAssertNil(value["f"]?.intValue)
        XCTAssertNil(value["missing"])
    }
}

final class MessageTests: XCTestCase {
    private func decode(_ text: String) throws -> Result<Message, Message.Invalid> {
        Message.decode(try JSONValue.parse(text))
    }

    func testRequestIdsKeepTheirType() throws {
        XCTAssertEqual(try decode(#"{"jsonrpc":"2.0","id":1,"method":"m"}"#).get(), .request(id: 1, method: "m", params: nil))
        XCTAssertEqual(try decode(#"{"jsonrpc":"2.0","id":"1","method":"m"}"#).get(), .request(id: "1", method: "m", params: nil))
        XCTAssertEqual(Message.response(id: "1", result: .null).json.serialized, #"{"id":"1","jsonrpc":"2.0","result":null}"#)
        XCTAssertEqual(Message.response(id: 1, result: .null).json.serialized, #"{"id":1,"jsonrpc":"2.0","result":null}"#)
    }

    func testNotification() throws {
        XCTAssertEqual(try decode(#"{"jsonrpc":"2.0","method":"n","params":{"a":1}}"#).get(),
                       .notification(method: "n", params: ["a": 1]))
    }

    func testInvalidEnvelopes() throws {
        let invalid = [#"[]"#, #"[{"jsonrpc":"2.0","id":1,"method":"m"}]"#, #"1"#, #""x""#, #"{"id":1,"method":"m"}"#,
                       #"{"jsonrpc":"1.0","id":1,"method":"m"}"#, #"{"jsonrpc":"2.0","id":1.5,"method":"m"}"#,
                       #"{"jsonrpc":"2.0","id":true,"method":"m"}"#, #"{"jsonrpc":"2.0","id":{},"method":"m"}"#,
                       #"{"jsonrpc":"2.0","id":1,"method":7}"#, #"{"jsonrpc":"2.0","id":1,"method":"m","params":3}"#,
                       #"{"jsonrpc":"2.0"}"#]
        for text in invalid {
            if case .success(let message) = try decode(text) { XCTFail("\(text) decoded as \(message)") }
        }
    }

    func testErrorResponseWithNullID() {
        let json = Message.errorResponse(id: nil, error: ResponseError(code: -32700, message: "x")).json
        XCTAssertEqual(json.serialized, #"{"error":{"code":-32700,"message":"x"},"id":null,"jsonrpc":"2.0"}"#)
    }
}

final class ParamsTests: XCTestCase {
    private enum Purpose: String, CaseIterable { case addNew, addAll }

    func testTypedReaders() throws {
        let params = Params(["s": "x", "i": 3, "b": true, "a": [1], "o": ["n": "y"], "tags": ["a", "b"], "p": "addAll"])
        XCTAssertEqual(try params.string("s"), "x")
        XCTAssertEqual(try params.int("i"), 3)
        XCTAssertEqual(try params.bool("b"), true)
        XCTAssertEqual(try params.array("a"), [1])
        XCTAssertEqual(try params.nested("o")?.string("n"), "y")
        XCTAssertEqual(try params.stringArray("tags"), ["a", "b"])
        XCTAssertEqual(try params.enumValue("p", as: Purpose.self), .addAll)
        XCTAssertNil(try params.optionalString("missing"))
    }

    func testErrorsNameTheField() {
        let params = Params(["s": 1, "o": ["n": 2], "p": "sideways", "tags": ["a", 3]], locale: .spanish)
        func error(_ body: () throws -> Void) -> ResponseError? {
            do { try body() } catch let error as ResponseError { return error } catch { return nil }
            return nil
        }
        let wrongType = error { _ = try params.string("s") }
        XCTAssertEqual(wrongType?.code, ErrorCode.invalidParams)
        XCTAssertEqual(wrongType?.data?["field"], "s")
        XCTAssertEqual(wrongType?.message, "Parámetros no válidos: `s` debe ser un texto")
        XCTAssertEqual(error { _ = try params.string("sessionId") }?.message, "Parámetros no válidos: `sessionId` es obligatorio")
        XCTAssertEqual(error { _ = try params.nested("o")?.string("n") }?.data?["field"], "o.n")
        XCTAssertEqual(error { _ = try params.stringArray("tags") }?.data?["field"], "tags[1]")
        let badEnum = error { _ = try params.enumValue("p", as: Purpose.self) }
        XCTAssertTrue(badEnum?.message.contains("\"addNew\", \"addAll\"") ?? false)
        XCTAssertEqual(error { _ = try Params(["limit": 5000]).optionalInt("limit", in: 0...1000) }?.data?["field"], "limit")
    }

    func testWorkDoneToken() {
        XCTAssertEqual(Params(["workDoneToken": "t"]).workDoneToken, "t")
        XCTAssertEqual(Params(["workDoneToken": 4]).workDoneToken, 4)
        XCTAssertNil(Params(["workDoneToken": [1]]).workDoneToken)
    }
}
