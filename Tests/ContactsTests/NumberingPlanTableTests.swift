import XCTest
@testable import Contacts

/// Integrity of the numbering-plan table: it is data, so it gets checked like data.
final class NumberingPlanTableTests: XCTestCase {
    /// Calling codes assigned in ITU-T E.164 (geographic and non-geographic, in service).
    private let assignedCodes: [Int] = [
        1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58,
        60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
        211, 212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236,
        237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 256, 257, 258,
        260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290, 291, 297, 298, 299,
        350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375, 376, 377, 378, 380, 381, 382,
        383, 385, 386, 387, 389, 420, 421, 423,
        500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599,
        670, 672, 673, 674, 675, 676, 677, 678, 679, 680, 681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692,
        800, 808, 850, 852, 853, 855, 856, 870, 878, 880, 881, 882, 883, 886, 888,
        960, 961, 962, 963, 964, 965, 966, 967, 968, 970, 971, 972, 973, 974, 975, 976, 977, 979, 992, 993, 994, 995,
        996, 998,
    ]

    func testEveryAssignedCallingCodeHasAPlan() {
        let covered = Set(numberingPlans.map(\.callingCode))
        for code in assignedCodes { XCTAssertTrue(covered.contains(code), "+\(code)") }
        XCTAssertEqual(covered.count, numberingPlans.count, "one plan per calling code")
    }

    func testCallingCodesArePrefixFree() {
        let codes = numberingPlans.map { String($0.callingCode) }
        for a in codes {
            for b in codes where a != b { XCTAssertFalse(b.hasPrefix(a), "+\(a) is a prefix of +\(b)") }
        }
    }

    func testPlansAreWellFormed() {
        var regions = Set<String>()
        let extraRegions: Set<String> = ["AC", "TA"]  // ITU-only: Ascension, Tristan da Cunha
        for plan in numberingPlans {
            let ccLength = String(plan.callingCode).count
            XCTAssertLessThanOrEqual(ccLength + plan.nsnLengths.upperBound, 15, "+\(plan.callingCode) exceeds E.164")
            XCTAssertGreaterThanOrEqual(plan.nsnLengths.lowerBound, 4, "+\(plan.callingCode)")
            for prefix in plan.trunkPrefixes + plan.internationalPrefixes + plan.validStarts {
                XCTAssertTrue(prefix.allSatisfy { $0.isNumber || $0 == "#" }, "+\(plan.callingCode) \(prefix)")
            }
            for range in plan.ranges {
                XCTAssertTrue(range.prefix.allSatisfy { $0.isNumber || "#Nn".contains($0) }, "+\(plan.callingCode) \(range.prefix)")
                XCTAssertLessThanOrEqual(String(plan.callingCode).count + range.lengths.upperBound, 15, "+\(plan.callingCode)")
            }
            for region in plan.regions {
                XCTAssertTrue(regions.insert(region).inserted, "\(region) in two plans")
                XCTAssertTrue(Countries.code(for: region) == region || extraRegions.contains(region), region)
            }
        }
        for region in ["MX", "AR", "CO", "PE", "CL", "BR", "US", "CA", "ES", "PT", "GB", "DE", "FR", "IT", "IN", "MY",
                       "PH", "VE", "EC", "UY", "PY", "BO", "GT", "CR", "DO", "PR", "HN", "SV", "NI", "PA", "CU"] {
            XCTAssertNotNil(PhoneTables.planIndex(forCountry: region), region)
        }
    }

    func testEveryGeographicPlanReadsAnInternationalNumberOfEachPossibleLength() {
        for plan in numberingPlans {
            // A plan with ranges gets a number of each range's lengths (its pattern filled with 5s
            // and 2s), else one of each possible length starting like its first valid start.
            let start = plan.validStarts.first ?? "5"
            let samples: [(String, Int)] = plan.ranges.isEmpty
                ? plan.nsnLengths.map { (start, $0) }
                : plan.ranges.flatMap { range in range.lengths.map { (range.prefix, $0) } }
            for (pattern, length) in samples {
                let fill: Character = plan.callingCode == 1 ? "2" : "5"
                let prefix = String(pattern.map { "#Nn".contains($0) ? fill : $0 })
                let nsn = prefix + String(repeating: fill, count: length - prefix.count)
                let input = "+\(plan.callingCode) \(nsn)"
                switch PhoneNumbers.canonicalize(input, defaultCountry: nil) {
                case .success(let value):
                    XCTAssertTrue(value.hasPrefix("+\(plan.callingCode)"), "\(input) → \(value)")
                case .failure(let problem):
                    XCTFail("\(input): \(problem.code)")
                }
            }
        }
    }
}
