import CSV

/// What the server knows about one column of an opened file: its header, how many data rows
/// have a value, and the first non-empty values (the samples `import/open` shows and the
/// suggester reads to recognise e-mails, phones, languages and countries).
public struct ColumnProfile: Sendable, Hashable {
    public let index: Int
    public let header: String
    /// The first non-empty values in file order, at most `ColumnProfile.sampleLimit`.
    public let samples: [String]
    /// Data rows whose value is not empty (whitespace-only counts as empty).
    public let filled: Int

    /// Enough values to judge a column's content, few enough that the suggester stays well under
    /// its 20 ms budget whatever the file's size.
    public static let sampleLimit = 200

    public init(index: Int, header: String, samples: [String], filled: Int) {
        self.index = index
        self.header = header
        self.samples = samples
        self.filled = filled
    }

    /// Profiles every column of a table in one pass over its rows.
    public static func profiles(of table: CSVTable, sampleLimit: Int = ColumnProfile.sampleLimit) -> [ColumnProfile] {
        let columnCount = table.columnCount
        var filled = [Int](repeating: 0, count: columnCount)
        var samples = [[String]](repeating: [], count: columnCount)
        for row in 0..<table.rowCount {
            let fields = min(columnCount, table.fieldCount(ofRow: row))
            for column in 0..<fields where !table.isBlank(row: row, column: column) {
                filled[column] += 1
                // Only sampled cells are decoded: a 200,000-row file decodes a few thousand.
                if samples[column].count < sampleLimit { samples[column].append(table.cell(row: row, column: column)) }
            }
        }
        return (0..<columnCount).map {
            ColumnProfile(index: $0, header: table.headers[$0], samples: samples[$0], filled: filled[$0])
        }
    }
}
