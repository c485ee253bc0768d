import XCTest
@testable import Importer

/// `ReviewPlanner.duplicateGroups` groups by sorting when every value is ASCII and by a
/// dictionary otherwise; both must give the same groups, in file order.
final class DuplicateGroupsTests: XCTestCase {
    func testASCIIValuesAreGroupedInFileOrderAndUnmatchableRowsLeftOut() {
        // Values sharing their first 8 bytes, one repeated three times, one unmatchable copy.
        let values = ["+34612345678", "+34612345679", "+34612345678", "a@example.com", "+34612345679",
                      "+34612345678", "a@example.com", ""]
        let matchable = [true, true, true, true, true, true, false, false]
        let groups = ReviewPlanner.duplicateGroups(values, matchable: matchable)
        XCTAssertEqual(Set(groups), [[0, 2, 5], [1, 4]])
    }

    func testCanonicallyEquivalentSpellingsAreOneGroup() {
        // A precomposed and a decomposed "é": equal as Swift strings, different bytes.
        let values = ["jos\u{E9}@example.com", "ana@example.com", "jose\u{301}@example.com", "ana@example.com"]
        let groups = ReviewPlanner.duplicateGroups(values, matchable: [true, true, true, true])
        XCTAssertEqual(Set(groups), [[0, 2], [1, 3]])
    }

    func testNoGroupsWithoutRepeats() {
        XCTAssertEqual(ReviewPlanner.duplicateGroups(["1", "2", "3"], matchable: [true, true, true]), [])
        XCTAssertEqual(ReviewPlanner.duplicateGroups([], matchable: []), [])
    }
}
