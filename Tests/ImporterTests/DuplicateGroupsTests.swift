import XCTest
@testable import Importer
import Contacts

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

    /// With a phone or e-mail identifier the rows go in the workspace index's order (a radix
    /// sort of their lookup keys), equal keys by the value, equal values in file order: what a
    /// comparison sort on (key, value, position) gives.
    func testTheLookupOrderIsTheComparisonOrderOfKeyValueAndPosition() {
        var generator = SystemRandomNumberGenerator()
        let phones = (0..<3_000).map { _ in "+34" + String(Int.random(in: 600_000_000...600_000_300, using: &generator)) }
            + ["612 34", "612 34", "abc", "", "+34 612", "+0123"]
        let emails = (0..<3_000).map { _ in "u\(Int.random(in: 0...400, using: &generator))@example.com" } + ["", "", "x@y"]
        for (identifier, values) in [(ImportIdentifier.phone, phones.shuffled()), (.email, emails.shuffled())] {
            let rows = Array(values.indices.filter { $0 % 7 != 3 })
            let key = { (value: String) -> Int64 in identifier == .phone ? LookupKeys.phone(value) : LookupKeys.email(value) }
            let expected = rows.indices.sorted { a, b in
                let (ka, kb) = (key(values[rows[a]]), key(values[rows[b]]))
                if ka != kb { return ka < kb }
                return values[rows[a]] != values[rows[b]] ? values[rows[a]] < values[rows[b]] : a < b
            }
            XCTAssertEqual(ReviewPlanner.keyedValueOrder(values, rows: rows, identifier: identifier).map(\.k), expected, "\(identifier)")
        }
    }
}
