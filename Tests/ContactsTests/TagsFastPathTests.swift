import XCTest
import TestSupport
@testable import Contacts

/// `FieldValues.plainASCIITags` (the bytes) reads every cell it accepts as `anyTags` does.
final class TagsFastPathTests: XCTestCase {
    func testPlainCellsReadAsAnyCell() {
        var random = SplitMix64(seed: 7)
        let pieces = ["vip", "VIP", "Vip", "app", "news letter", "a", "", " ", "  x  ", ",", ";", ",,", "; ;", "2024",
                      "B2B", "b2b", "-", "+1", "=SUM(A1)", "@home", "mycontacts", "starred", "a-b_c.d", "~"]
        var accepted = 0
        for _ in 0..<20_000 {
            let count = 1 + Int(random.next() % 6)
            let cell = (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            guard let fast = FieldValues.plainASCIITags(cell) else { continue }
            accepted += 1
            XCTAssertEqual(fast, FieldValues.anyTags(cell), "\"\(cell)\"")
        }
        XCTAssertGreaterThan(accepted, 10_000)
        for refused in ["\"VIP\"", "'a'", "* starred", "a ::: b", "a\nb", "a\tb", "S\u{E3}o Paulo", "caf\u{E9}"] {
            XCTAssertNil(FieldValues.plainASCIITags(refused), refused)
        }
    }
}
