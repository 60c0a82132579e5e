/// A SQLite call failed: the result code (https://sqlite.org/rescode.html), SQLite's own
/// message, and what we were doing.
public struct SQLiteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The (extended) result code.
    public var code: Int32
    /// SQLite's message.
    public var message: String
    /// What was being done (`open`, `step: INSERT INTO turns…`).
    public var context: String

    /// `SQLITE_FULL` (disk or `max_page_count` full).
    package var isFull: Bool { code & 0xFF == 13 }
    /// `SQLITE_NOTADB` or `SQLITE_CORRUPT`.
    package var isCorrupt: Bool { code & 0xFF == 26 || code & 0xFF == 11 }
    /// `SQLITE_BUSY` or `SQLITE_LOCKED`.
    package var isBusy: Bool { code & 0xFF == 5 || code & 0xFF == 6 }

    /// `context: message (code N)`.
    public var description: String { "\(context): \(message) (SQLite code \(code))" }
}
