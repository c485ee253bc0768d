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

    func rendered() -> String {
        let all = [headings] + rows
        var widths = Array(repeating: 0, count: headings.count)
        for row in all {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
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
