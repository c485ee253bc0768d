import XCTest
@testable import Contacts

/// The review's compact value store gives back exactly what was put in.
final class FieldValueTableTests: XCTestCase {
    func testValuesReadBackEqualToTheOnesAppended() {
        let values: [FieldValue] = [
            .empty, .text(""), .text("Ana"), .text("Rodríguez Rincón 👩‍💻"), .tags([]), .tags(["VIP"]),
            .tags(["", "a,b", String(repeating: "x", count: 300), "e\u{301}"]), .text("+525512345678"), .empty,
        ]
        var table = FieldValueTable()
        for value in values { table.append(value) }
        XCTAssertEqual(Array(table), values)
        XCTAssertEqual(table.count, values.count)
        XCTAssertEqual((0..<table.count).map(table.isEmpty(at:)), values.map { $0 == .empty })

        var merged = FieldValueTable(values.prefix(4))
        merged.append(contentsOf: FieldValueTable(values.dropFirst(4)))
        XCTAssertEqual(Array(merged), values)
        XCTAssertEqual(merged, table)
    }

    func testFirstBytesAndTextBytesWithoutMakingValues() {
        let table = FieldValueTable([.text("=SUM(A1)"), .tags(["ok", "@x"]), .empty, .text(""), .tags(["ok"])])
        let isFormulaStart: (UInt8) -> Bool = { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "@") }
        XCTAssertEqual((0..<5).map { table.startsWithByte(at: $0, where: isFormulaStart) }, [true, true, false, false, false])
        XCTAssertEqual(table.withTextUTF8(at: 0) { Array($0) }, Array("=SUM(A1)".utf8))
        XCTAssertNil(table.withTextUTF8(at: 1) { $0.count })
        XCTAssertEqual(table.withTextUTF8(at: 3) { $0.count }, 0)
    }
}
