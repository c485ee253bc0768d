import Foundation
import JSONRPC
import TestSupport
import XCTest

/// Replies stay bounded whatever a client sends.
final class HardeningWireTests: XCTestCase {
    private func started() throws -> WireClient {
        let client = try WireClient()
        try client.initialize()
        return client
    }

    func testAContentLengthOfTwoToTheSixtyThirdOrMoreIsAnsweredLikeAnyOversizedMessage() throws {
        for length in ["9223372036854775808", "18446744073709551616", "99999999999999999999999999"] {
            let client = try started()
            try client.sendRaw("Content-Length: \(length)\r\n\r\n")
            let reply = try XCTUnwrap(client.nextMessage(timeout: 10), length)
            XCTAssertEqual(reply["id"], .null)
            XCTAssertEqual(reply["error"]?["code"], .int(ErrorCode.invalidRequest), length)
        }
    }

    func testAnErrorReplyQuotesOnlyAShortPrefixOfAHugeValue() throws {
        let client = try started()
        let huge = String(repeating: "x", count: 10_000_000)
        let badEnum = try client.requestError("import/open", ["text": "a,b\n1,2\n", "encoding": .string(huge)])
        XCTAssertEqual(badEnum.code, ErrorCode.invalidParams)
        XCTAssertLessThan(badEnum.message.utf8.count, 2_000, "the message quotes a prefix")
        let badPhone = try client.requestError("contacts/create", ["firstName": "Ana", "phone": .string("+34" + huge)])
        XCTAssertEqual(badPhone.code, ErrorCode.invalidParams)
        XCTAssertLessThan(badPhone.message.utf8.count, 2_000)
        XCTAssertLessThan(badPhone.data?.serializedBytes().count ?? 0, 4_000, "data quotes a prefix too")
        let badURI = try client.requestError("import/open", ["uri": .string("http://" + huge)])
        XCTAssertLessThan(badURI.message.utf8.count + (badURI.data?.serializedBytes().count ?? 0), 4_000)
        XCTAssertNotNil(try client.request("fields/list")["fields"], "the daemon goes on serving")
    }
}
