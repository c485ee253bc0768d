import XCTest
import TestSupport
@testable import CSV

/// Compares the optimised parser (word-at-a-time scanning, memchr, offsets) with a plain
/// byte-by-byte reading of the same rules, over thousands of small random inputs built from
/// the troublesome pieces: quotes, delimiters, every line end, accents, long runs.
final class CSVParserDifferentialTests: XCTestCase {
    struct Parsed: Equatable {
        var records: [[String]] = []
        var lines: [Int] = []
        var unterminatedLine: Int?
    }

    /// The rules of `CSVTable`'s documentation, written as simply as possible.
    func reference(_ b: [UInt8], delimiter: UInt8) -> Parsed {
        var result = Parsed()
        var i = 0
        var line = 1
        var literal = false
        let quote = UInt8(ascii: "\"")
        while i < b.count {
            let recordLine = line
            var fields: [[UInt8]] = []
            var quoted = false
            while true {
                var field: [UInt8] = []
                if i < b.count && b[i] == quote && !literal {
                    var j = i + 1
                    var closed = false
                    var content: [UInt8] = []
                    while j < b.count {
                        if b[j] == quote {
                            if j + 1 < b.count && b[j + 1] == quote {
                                content.append(quote)
                                j += 2
                                continue
                            }
                            closed = true
                            j += 1
                            break
                        }
                        content.append(b[j])
                        j += 1
                    }
                    if closed {
                        var k = i
                        while k < j {
                            if b[k] == 10 || (b[k] == 13 && !(k + 1 < j && b[k + 1] == 10)) { line += 1 }
                            k += 1
                        }
                        field = content
                        quoted = true
                        i = j
                    } else {
                        result.unterminatedLine = result.unterminatedLine ?? line
                        literal = true
                    }
                }
                while i < b.count && b[i] != delimiter && b[i] != 10 && b[i] != 13 {
                    field.append(b[i])
                    i += 1
                }
                fields.append(field)
                if i >= b.count { break }
                let c = b[i]
                i += 1
                if c == delimiter { continue }
                if c == 13 && i < b.count && b[i] == 10 { i += 1 }
                line += 1
                break
            }
            let blank = !quoted && fields.allSatisfy { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
            if blank { continue }
            result.records.append(fields.map { String(decoding: $0, as: UTF8.self) })
            result.lines.append(recordLine)
        }
        return result
    }

    func optimised(_ bytes: [UInt8], delimiter: UInt8, compacted: Bool = false) -> Parsed {
        let outcome = bytes.withUnsafeBufferPointer {
            CSVParser.buildIndex($0, from: 0, delimiter: delimiter, maxRecords: .max, progress: nil)
        }
        var result = Parsed(unterminatedLine: outcome.unterminatedQuoteLine)
        var index = outcome.index
        if compacted { index.compact() }
        for record in 0..<index.recordCount {
            result.records.append((0..<index.fieldCount(record: record)).map {
                CSVTable.decodeField(bytes, index, record: record, column: $0)
            })
            result.lines.append(Int(index.recordLines[record]))
        }
        return result
    }

    func testRandomInputsAgreeWithReference() {
        let pieces = ["a", "é", ",", ";", "\"", "\"\"", "\n", "\r", "\r\n", " ", "\t", "abcdefghijklmnop", "ñandú€",
                      "x,y,z", "\"q,\nq\"", "        ", ";;;;", "|"]
        var random = SplitMix64(seed: 2024)
        for round in 0..<4_000 {
            var text = ""
            for _ in 0..<random.below(40) { text += random.pick(pieces) }
            let bytes = Array(text.utf8)
            let delimiter = random.pick([UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")])
            let expected = reference(bytes, delimiter: delimiter)
            let actual = optimised(bytes, delimiter: delimiter)
            if expected != actual {
                XCTFail("round \(round) delimiter \(delimiter) input \(text.debugDescription)\nexpected \(expected)\nactual   \(actual)")
                return
            }
            let compacted = optimised(bytes, delimiter: delimiter, compacted: true)
            if expected != compacted {
                XCTFail("round \(round), compacted index, delimiter \(delimiter) input \(text.debugDescription)\nexpected \(expected)\nactual   \(compacted)")
                return
            }
        }
    }

    /// A record of 32 KB or more cannot be described relative to its start in 16 bits: the
    /// index keeps absolute ends for the whole file, and every field still reads back.
    func testRecordLongerThanSixteenBitsKeepsWideEnds() throws {
        let long = String(repeating: "ñ", count: 20_000)  // 40,000 bytes
        let text = "Nombre,Notas,Etiquetas\nAna,\"\(long)\",vip\n\"Luis, el del \"\"bar\"\"\",,b\n"
        var index = Array(text.utf8).withUnsafeBufferPointer {
            CSVParser.buildIndex($0, from: 0, delimiter: UInt8(ascii: ","), maxRecords: .max, progress: nil).index
        }
        index.compact()
        XCTAssertFalse(index.isNarrow)
        let table = try XCTUnwrap(parse(text))
        XCTAssertEqual(rows(table), [["Ana", long, "vip"], ["Luis, el del \"bar\"", "", "b"]])
        XCTAssertEqual(table.nonBlankCounts(), [2, 1, 2])

        let short = try XCTUnwrap(parse("Nombre,Notas\n\"Ana\",x\n,\"y, z\"\n"))
        XCTAssertEqual(rows(short), [["Ana", "x"], ["", "y, z"]])
        XCTAssertEqual(short.nonBlankCounts(), [1, 2])
    }
}
