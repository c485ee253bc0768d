/// A plain-text table with columns padded to their widest cell (characters, not bytes, so
/// "Teléfono" lines up with "Telefone").
struct TextTable {
    private let headings: [String]
    private var rows: [[String]] = []

    init(headings: [String]) {
        self.headings = headings
    }

    mutating func add(_ cells: [String]) {
        rows.append(cells)
    }

    /// With `maxWidth`, the `shrinkable` columns (in that order) give way until the table fits,
    /// their cells cut with "…"; the others never do.
    func rendered(maxWidth: Int? = nil, shrinkable: [Int] = []) -> String {
        var all = [headings] + rows
        var widths = Array(repeating: 0, count: headings.count)
        for row in all {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        if let maxWidth {
            let minimum = 8
            var total: Int { widths.reduce(0, +) + 2 * max(0, widths.count - 1) }
            for column in shrinkable where column < widths.count && total > maxWidth {
                widths[column] = max(minimum, widths[column] - (total - maxWidth), headings[column].count)
            }
            for index in all.indices {
                for column in shrinkable where column < all[index].count && all[index][column].count > widths[column] {
                    all[index][column] = String(all[index][column].prefix(widths[column] - 1)) + "…"
                }
            }
        }
        let lines = all.map { row -> String in
            let cells = row.enumerated().map { column, cell in
                // The last column is not padded: no trailing spaces.
                column == row.count - 1 ? cell : cell.rightPadded(to: column < widths.count ? widths[column] : 0)
            }
            return cells.joined(separator: "  ")
        }
        let rule = widths.enumerated().map { column, width in
            String(repeating: "─", count: column == widths.count - 1 ? max(width, 1) : width)
        }.joined(separator: "  ")
        return ([lines[0], rule] + lines.dropFirst()).joined(separator: "\n")
    }
}
