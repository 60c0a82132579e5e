/// Greedy word wrapping for help text.
///
/// Breaks only at spaces; explicit newlines start a new line and blank lines are kept, so
/// authors can write paragraphs and lists in a ``Command/discussion``. A word longer than the
/// width stays whole on its own line (a URL cut in half helps nobody). Widths count Characters,
/// which is right for the ASCII and Latin text of help screens; wide CJK glyphs would overflow.
package enum TextWrapper {
    /// `text` wrapped so each line has at most `width` characters where words allow.
    package static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // Keep a line's leading indentation (list items, examples) on its first line.
            let indent = paragraph.prefix(while: { $0 == " " })
            var line = String(indent)
            var lineHasWord = false
            for word in paragraph.dropFirst(indent.count).split(separator: " ") {
                if lineHasWord, line.count + 1 + word.count > width {
                    lines.append(line)
                    line = String(indent)
                    lineHasWord = false
                }
                line += (lineHasWord ? " " : "") + word
                lineHasWord = true
            }
            lines.append(lineHasWord ? line : "")
        }
        return lines
    }

    /// `pieces` joined by spaces after `prefix`, breaking between pieces (never inside one) and
    /// indenting continuation lines to `hangingIndent` columns.
    package static func join(_ pieces: [String], prefix: String, hangingIndent: Int, width: Int) -> [String] {
        var lines: [String] = []
        var line = prefix
        var lineHasPiece = false
        for piece in pieces {
            if lineHasPiece, line.count + 1 + piece.count > width {
                lines.append(line)
                line = String(repeating: " ", count: hangingIndent)
                lineHasPiece = false
            }
            line += (lineHasPiece ? " " : "") + piece
            lineHasPiece = true
        }
        lines.append(line)
        return lines
    }
}
