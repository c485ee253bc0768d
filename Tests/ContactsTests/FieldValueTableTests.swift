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

    /// Tables joined as runs (the review's read chunks) read as one: every accessor, at every
    /// position, on either side of each seam; equal to and hashed like the same values in one run;
    /// and appending after a join, or a copy of a joined value, keeps working.
    func testJoinedTablesReadAsOne() {
        let values: [FieldValue] = (0..<40).map { i in
            switch i % 5 {
            case 0: return .empty
            case 1: return .text("v\(i)")
            case 2: return .tags(["t\(i)", "=x"])
            case 3: return .text("=\(i)")
            default: return .text("")
            }
        }
        let cuts = [0, 0, 3, 4, 4, 17, 18, 31, 40, 40]
        var joined = FieldValueTable()
        for (from, to) in zip(cuts, cuts.dropFirst()) {
            var part = FieldValueTable()
            part.reserveCapacity(values: 64, bytes: 4_096)
            for value in values[from..<to] { part.append(value) }
            part.trimCapacity()
            joined.append(contentsOf: part)
        }
        let flat = FieldValueTable(values)
        XCTAssertEqual(Array(joined), values)
        XCTAssertEqual(joined, flat)
        XCTAssertEqual(joined.hashValue, flat.hashValue)
        XCTAssertEqual(joined.valueByteCount, flat.valueByteCount)
        let isEquals: (UInt8) -> Bool = { $0 == UInt8(ascii: "=") }
        for position in values.indices {
            XCTAssertEqual(joined.isEmpty(at: position), flat.isEmpty(at: position))
            XCTAssertEqual(joined.startsWithByte(at: position, where: isEquals), flat.startsWithByte(at: position, where: isEquals))
            XCTAssertEqual(joined.withTextUTF8(at: position) { Array($0) }, flat.withTextUTF8(at: position) { Array($0) })
            // Rows of three values, some across a seam (read from a copy), in both forms of the ends.
            let count = min(3, values.count - position)
            let read = { (table: FieldValueTable) in
                table.withCells(at: position, count: count) { cells in
                    (0..<count).map { (cells.text($0).map(Array.init), Array(cells.tagsEncoding($0))) }
                }
            }
            let (fromJoined, fromFlat) = (read(joined), read(flat))
            XCTAssertEqual(fromJoined.map(\.0), fromFlat.map(\.0), "text at \(position)")
            XCTAssertEqual(fromJoined.map(\.1), fromFlat.map(\.1), "tags at \(position)")
            XCTAssertEqual(fromFlat.map(\.0), values[position..<position + count].map { value -> [UInt8]? in
                if case .text(let text) = value { return Array(text.utf8) } else { return nil }
            })
            var tags: [String] = []
            joined.forEachTagUTF8(at: position) { tags.append(String(decoding: $0, as: UTF8.self)) }
            if case .tags(let expected) = values[position] { XCTAssertEqual(tags, expected) } else { XCTAssertEqual(tags, []) }
        }

        var copied = FieldValueTable()
        for position in values.indices.reversed() { copied.append(position, of: joined) }
        XCTAssertEqual(Array(copied), values.reversed())

        var extended = joined
        extended.append(.text("after"))
        extended.append(contentsOf: FieldValueTable([.tags(["z"])]))
        XCTAssertEqual(Array(extended), values + [.text("after"), .tags(["z"])])
        XCTAssertEqual(Array(joined), values, "a joined table is a value: extending a copy leaves it as it was")
        XCTAssertNotEqual(extended, joined)
    }

    /// A finished run keeps 16-bit ends per block of 256 values; one whose block holds 16 KB or
    /// more keeps 32-bit ends. Both read as the values appended, and take more after.
    func testFinishedRunsReadTheSameWithShortOrWideEnds() {
        let short: [FieldValue] = (0..<1_000).map { i in
            i % 7 == 0 ? .empty : i % 5 == 0 ? .tags(["t\(i)", "otra etiqueta"]) : .text(String(repeating: "ñ", count: i % 60))
        }
        var long = short
        long[600] = .text(String(repeating: "x", count: 20_000))
        for values in [short, long, [FieldValue.text("solo")], [FieldValue]()] {
            var table = FieldValueTable()
            table.reserveCapacity(values: values.count * 2, bytes: 100_000)
            for value in values { table.append(value) }
            let before = table.byteCount
            table.trimCapacity()
            XCTAssertEqual(Array(table), values)
            XCTAssertEqual(table, FieldValueTable(values))
            if values.count == short.count && values == short {
                XCTAssertEqual(table.byteCount, table.valueByteCount + 2 * values.count + 4 * 4, "two bytes a value, four a block")
                XCTAssertLessThan(table.byteCount, before)
            }
            for position in values.indices {
                XCTAssertEqual(table.isEmpty(at: position), values[position] == .empty)
                XCTAssertEqual(table[position], values[position])
            }
            table.append(.text("después"))
            XCTAssertEqual(Array(table), values + [.text("después")])
        }
    }
}
