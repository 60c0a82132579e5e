/// A plain text table for terminals: a header row and left-aligned columns separated by two
/// spaces, widths counted in characters.
struct Table {
    /// Column titles.
    var header: [String]
    /// Data rows; each has as many cells as the header.
    var rows: [[String]]

    /// The table, one line per row, each ending in a newline; the last column is not padded.
    var rendered: String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ") + "\n"
        }.joined()
    }
}
