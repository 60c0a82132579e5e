/// A position in an author's file: 1-based line and column, counted in Unicode scalars.
///
/// Every diagnostic about a personality, limits or routing file carries one, so an editor
/// can jump straight to the problem.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The file as the user named it (relative paths stay relative).
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// 1-based column number.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form compilers use and editors recognise.
    public var description: String { "\(file):\(line):\(column)" }

    /// Orders by file, then line, then column, so reports read top to bottom.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
