import XCTest
import CSV
import Contacts
import Localization
@testable import Importer

/// The review's reader remembers the values of repeated cells (`CellMemo`) and reads the
/// identifier column first: every value and error must be what reading each cell on its own
/// gives, whatever the cell's shape.
final class RowReaderTests: XCTestCase {
    private static let custom = [
        FieldDefinition(key: "Size", label: LocalizedText(en: "Size", es: "Talla", pt: "Tamanho"), type: .list,
                        isBuiltin: false, options: ["Small", "Large"]),
        FieldDefinition(key: "Score", label: LocalizedText(en: "Score", es: "Puntos", pt: "Pontos"), type: .number, isBuiltin: false),
        FieldDefinition(key: "Member", label: LocalizedText(en: "Member", es: "Socio", pt: "Sócio"), type: .checkbox, isBuiltin: false),
    ]

    private static let builtins: [BuiltinField] = [.firstName, .lastName, .phone, .email, .tags, .language, .countryCode]

    /// Cells of every shape, repeated so that most are read from the memo: plain and accented,
    /// quoted (the same text as an unquoted one), padded, placeholders, NUL, invalid UTF-8,
    /// decomposed accents, long, and invalid values.
    private static func fileBytes() -> [UInt8] {
        let firstNames = ["Ana", "José", "\"Ana\"", " Ana ", "N/A", "-", "Jose\u{301}", "Ana\u{0}", "\u{A0}Luis\u{A0}",
                          String(repeating: "x", count: 120), "", "\"a, b\"", "Ñandú"]
        let tags = ["vip", "\"vip, frío\"", "\"VIP; vip\"", "* myContacts", "\"\"\"VIP\"\"\"", "", " , ", "\"a\nb\""]
        let languages = ["es", "Español", "pt-BR", "klingon", "", "ES", "\"es\""]
        let countries = ["ES", "España", "Mexico", "Atlantis", "", "BV", "\"MX\""]
        let phones = ["+34 612 345 678", "612345678", "'+34612345678", "abc", "", "\"+34 612 345 678\"", "0034612345679", "55 1234 5678"]
        let emails = ["ana@example.com", " ANA@EXAMPLE.COM ", "bad@", "", "\"x@example.org\"", "ana@example.com"]
        let sizes = ["small", "LARGE", "medium", ""]
        let scores = ["1.234", "12,5", "abc", ""]
        let members = ["sí", "x", "maybe", ""]
        var text = "First,Last,Phone,Email,Tags,Language,Country,Size,Score,Member\n"
        var bytes: [UInt8] = []
        for row in 0..<1_500 {
            let cells = [firstNames[row % firstNames.count], firstNames[(row / 3) % firstNames.count],
                         phones[row % phones.count], emails[(row / 2) % emails.count], tags[row % tags.count],
                         languages[row % languages.count], countries[(row / 5) % countries.count],
                         sizes[row % sizes.count], scores[row % scores.count], members[row % members.count]]
            text += (row % 97 == 0 ? cells.dropLast() : cells[...]).joined(separator: ",") + "\n"
            if row % 101 == 0 {
                // A cell with a byte that is not UTF-8, unquoted and quoted.
                bytes += Array(text.utf8)
                text = ""
                bytes += [0x4A, 0xFF, 0x2C, 0x22, 0x4B, 0xFE, 0x22] + Array(",+34612000111,,,,,,,\n".utf8)
            }
        }
        return bytes + Array(text.utf8)
    }

    private func columns(_ table: CSVTable) -> [MappedColumn] {
        let fields = Self.builtins.map(\.definition) + Self.custom
        return fields.enumerated().map { MappedColumn(column: $0.offset, field: $0.element, overwrite: true) }
    }

    /// Each cell read on its own, with the row's country as the phone's context.
    private func expected(_ table: CSVTable, _ columns: [MappedColumn], row: Int, defaultCountry: String?) -> [Result<FieldValue, ValueProblem>] {
        let base = NormalizationContext(defaultCountry: defaultCountry)
        var context = base
        if case .success(.text(let code)) = FieldValues.normalize(table.cell(row: row, column: 6), for: BuiltinField.countryCode.definition,
                                                                  context: base),
           Countries.callingCode(of: code) != nil {
            context = NormalizationContext(defaultCountry: code)
        }
        return columns.map { FieldValues.normalize(table.cell(row: row, column: $0.column), for: $0.field, context: context) }
    }

    func testMemoizedAndIdentifierFirstReadsAgreeWithReadingEachCell() throws {
        let table = try CSVReader.read(bytes: Self.fileBytes())
        let columns = columns(table)
        for identifier in [ImportIdentifier.phone, .email, nil] {
            for defaultCountry in ["ES", nil] {
                let reader = RowReader(table: table, columns: columns, identifier: identifier,
                                       defaultCountry: defaultCountry, dayFirstDates: true)
                let identifiers = identifier.map { _ in
                    IdentifierColumn(merging: [reader.readIdentifiers(0..<700), reader.readIdentifiers(700..<table.rowCount)],
                                     rowCount: table.rowCount)
                }
                // One memo set across two chunks, as a worker reuses it, and a fresh one for the third.
                var memos = [CellMemo](repeating: CellMemo(), count: columns.count)
                var chunks = [reader.read(0..<500, identifiers: identifiers, memos: &memos),
                              reader.read(500..<1_000, identifiers: identifiers, memos: &memos)]
                var fresh = [CellMemo](repeating: CellMemo(), count: columns.count)
                chunks.append(reader.read(1_000..<table.rowCount, identifiers: identifiers, memos: &fresh))
                var values = FieldValueTable()
                var errors: [[RowError]] = []
                for chunk in chunks {
                    values.append(contentsOf: chunk.values)
                    errors += chunk.errors
                }
                XCTAssertEqual(values.count, table.rowCount * columns.count)
                var malformed = 0
                for row in 0..<table.rowCount {
                    if table.fieldCount(ofRow: row) != table.columnCount {
                        malformed += 1
                        XCTAssertEqual(errors[row].map(\.code), [.malformedRow])
                        continue
                    }
                    let cells = expected(table, columns, row: row, defaultCountry: defaultCountry)
                    var problems: [String] = []
                    for (k, result) in cells.enumerated() {
                        let got = values[row * columns.count + k]
                        switch result {
                        case .success(let value): XCTAssertEqual(got, value, "row \(row) column \(k)")
                        case .failure(let problem):
                            XCTAssertEqual(got, .empty, "row \(row) column \(k)")
                            problems.append(problem.code)
                        }
                    }
                    let invalid = errors[row].filter { $0.code == .invalidValue }
                    XCTAssertEqual(invalid.count, problems.count, "row \(row)")
                    XCTAssertEqual(invalid.map(\.column), cells.indices.filter {
                        if case .failure = cells[$0] { return true } else { return false }
                    }.map { columns[$0].column }, "row \(row)")
                    if let identifier, let identifiers {
                        let k = columns.firstIndex { $0.field.key == identifier.fieldKey }!
                        let text: String? = { if case .success(let value) = cells[k] { return value.storedText } else { return nil } }()
                        XCTAssertEqual(identifiers.strings[row], text ?? "", "row \(row)")
                        XCTAssertEqual(identifiers.matchable[row], !(text ?? "").isEmpty, "row \(row)")
                        XCTAssertEqual(errors[row].contains { $0.code == .identifierMissing }, text == "", "row \(row)")
                    }
                }
                XCTAssertGreaterThan(malformed, 0)
            }
        }
    }

    /// Duplicates found by sorting agree with the Dictionary of Strings they replace.
    func testDuplicateGroupsBySortingAgreeWithTheDictionary() {
        func normalized(_ groups: [[Int]]) -> [[Int]] { groups.sorted { $0[0] < $1[0] } }
        var generator = SystemRandomNumberGenerator()
        let stems = ["+34612345678", "+3461234567", "+346123456789", "ana.garcia.lopez@example.com", "ana.garcia.lopez@example.co",
                     "ana.garcia.lopez@example.com.mx", "a@b.co", "0123456789abcdef", "0123456789abcdeg", "0123456789abcdef0"]
        for round in 0..<50 {
            let values = (0..<400).map { _ in stems[Int.random(in: 0..<stems.count, using: &generator)]
                + (Bool.random(using: &generator) ? "" : String(Int.random(in: 0..<30, using: &generator))) }
            let matchable = values.map { _ in Int.random(in: 0..<10, using: &generator) > 0 }
            let sorted = normalized(ReviewPlanner.duplicateGroups(values, matchable: matchable))
            var expected: [String: [Int]] = [:]
            for row in values.indices where matchable[row] { expected[values[row], default: []].append(row) }
            XCTAssertEqual(sorted, normalized(expected.values.filter { $0.count > 1 }), "round \(round)")
        }
        // Not ASCII: String equality decides (U+1FEF is canonically a grave accent).
        let values = ["a\u{1FEF}b@x.com", "a`b@x.com", "+34612345678", "+34612345678", "c@x.com"]
        XCTAssertEqual(normalized(ReviewPlanner.duplicateGroups(values, matchable: [true, true, true, true, true])), [[0, 1], [2, 3]])
    }
}
