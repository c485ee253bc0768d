import XCTest
@testable import Workspace

final class StoredTagsTests: XCTestCase {
    func testTheInternerNumbersSpellingsAndTheirKeysOnce() {
        var interner = TagInterner()
        let vip = interner.spelling("VIP")
        let again = interner.spelling("VIP")
        let lower = interner.spelling("vip")
        let spaced = interner.spelling("  Vip ")
        XCTAssertNotNil(vip)
        XCTAssertEqual(vip, again, "one number per spelling")
        XCTAssertNotEqual(vip, lower)
        XCTAssertEqual(vip.map(interner.key), lower.map(interner.key), "one key for every case")
        XCTAssertEqual(spaced.map(interner.key), vip.map(interner.key))
        XCTAssertEqual(spaced.map { String(decoding: interner.bytes($0), as: UTF8.self) }, "Vip", "stored trimmed")
        XCTAssertEqual(interner.keys, ["vip"])
    }

    func testEmptyTagsHaveNoNumberAndSeparatorsBecomeSpaces() {
        var interner = TagInterner()
        XCTAssertNil(interner.spelling(""))
        XCTAssertNil(interner.spelling("   "))
        XCTAssertNil(interner.spelling("   "), "and stays so when met again")
        let joined = interner.spelling("a\u{1F}b")
        XCTAssertEqual(joined.map { String(decoding: interner.bytes($0), as: UTF8.self) }, "a b")
        let accented = interner.spelling("Campaña Ñ")
        XCTAssertEqual(accented.map { interner.keys[interner.key($0)] }, "campaña ñ")
    }

    func testAStoredTagListSplitsAndJoinsBack() {
        let entries = StoredTags.entries(["Uno", " dos ", "UNO", "", "tres"])
        XCTAssertEqual(entries.map(\.tag), ["Uno", "dos", "tres"])
        XCTAssertEqual(StoredTags.joined(entries), "Uno\u{1F}dos\u{1F}tres")
        XCTAssertEqual(StoredTags.split(StoredTags.joined(entries)), ["Uno", "dos", "tres"])
        XCTAssertNil(StoredTags.joined([]))
        XCTAssertEqual(StoredTags.split(nil), [])
    }
}
