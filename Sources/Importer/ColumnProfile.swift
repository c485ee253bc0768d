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

    /// How many values are kept per column: `import/open` shows 5, the suggester reads up to 60
    /// (more samples are cheap to keep and let a later reader look further without a rescan).
    public static let sampleLimit = 200

    public init(index: Int, header: String, samples: [String], filled: Int) {
        self.index = index
        self.header = header
        self.samples = samples
        self.filled = filled
    }

    /// Profiles every column of a table: fill counts from one pass over the table's index,
    /// then samples from the first rows, decoding only the cells kept as samples.
    public static func profiles(of table: CSVTable, sampleLimit: Int = ColumnProfile.sampleLimit) -> [ColumnProfile] {
        let columnCount = table.columnCount
        let filled = table.nonBlankCounts()
        var samples = [[String]](repeating: [], count: columnCount)
        // Columns still short of samples; a sparse column may need the whole file, the others
        // are done within the first few hundred rows.
        var wanting = (0..<columnCount).filter { filled[$0] > 0 }
        var row = 0
        while !wanting.isEmpty && row < table.rowCount {
            let fields = table.fieldCount(ofRow: row)
            var stillWanting: [Int] = []
            stillWanting.reserveCapacity(wanting.count)
            for column in wanting {
                if column < fields && !table.isBlank(row: row, column: column) {
                    samples[column].append(table.cell(row: row, column: column))
                }
                if samples[column].count < min(sampleLimit, filled[column]) { stillWanting.append(column) }
            }
            wanting = stillWanting
            row += 1
        }
        return (0..<columnCount).map {
            ColumnProfile(index: $0, header: table.headers[$0], samples: samples[$0], filled: filled[$0])
        }
    }
}
