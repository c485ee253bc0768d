import XCTest
import JSONRPC

final class JSONValueEncoderTests: XCTestCase {
    private struct Inner: Encodable { let name: String; let tags: [String] }
    private struct Shape: Encodable {
        let id: Int64
        let ratio: Double
        let flag: Bool
        let left: String?
        let explicit: OrNull<String>
        let inner: Inner
        let list: [Inner]
    }

    func testNilIsLeftOutAndOrNullIsAnExplicitNull() throws {
        let value = try JSONValueEncoder.encode(Shape(id: 7, ratio: 0.5, flag: true, left: nil, explicit: OrNull(nil),
                                                      inner: Inner(name: "a", tags: ["x"]), list: [Inner(name: "b", tags: [])]))
        XCTAssertEqual(value, ["id": 7, "ratio": 0.5, "flag": true, "explicit": .null,
                               "inner": ["name": "a", "tags": ["x"]], "list": [["name": "b", "tags": []]]])
        XCTAssertEqual(try JSONValueEncoder.encode(OrNull("v")), "v")
    }

    private struct Nested: Encodable {
        enum Keys: String, CodingKey { case outer, items }
        enum InnerKeys: String, CodingKey { case value }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var outer = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .outer)
            try outer.encode(1, forKey: .value)
            var items = container.nestedUnkeyedContainer(forKey: .items)
            try items.encode("a")
            try items.encodeNil()
        }
    }

    func testNestedContainersWriteIntoTheirParent() throws {
        XCTAssertEqual(try JSONValueEncoder.encode(Nested()), ["outer": ["value": 1], "items": ["a", .null]])
    }
}
