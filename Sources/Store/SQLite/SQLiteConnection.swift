import CSQLite

/// One SQLite database connection. Not thread-safe: the store's writer thread owns it, and
/// nothing else in Persona touches SQLite (hence unchecked: it is confined, not locked).
package final class SQLiteConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    /// The file opened.
    package let path: String

    /// Opens (creating) `path`. The connection uses extended result codes.
    package init(path: String) throws(SQLiteError) {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw SQLiteError(code: code, message: message, context: "open \(path)")
        }
        sqlite3_extended_result_codes(db, 1)
        handle = db
    }

    deinit { close() }

    /// Closes the connection (statements must be finalized first).
    package func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs one or more statements without results.
    package func execute(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &error)
        guard code == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteError(code: code, message: message, context: Self.abbreviated(sql))
        }
    }

    /// Prepares `sql` once, to be reset and run many times.
    package func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw SQLiteError(code: code, message: lastMessage, context: "prepare \(Self.abbreviated(sql))")
        }
        return SQLiteStatement(statement, connection: self, sql: sql)
    }

    /// The first column of the first row of `sql`, as an integer (0 when there is no row).
    package func integer(_ sql: String) throws(SQLiteError) -> Int64 {
        let statement = try prepare(sql)
        defer { statement.finalize() }
        return try statement.step() ? statement.int64(0) : 0
    }

    /// The first column of the first row of `sql`, as text.
    package func text(_ sql: String) throws(SQLiteError) -> String? {
        let statement = try prepare(sql)
        defer { statement.finalize() }
        return try statement.step() ? statement.text(0) : nil
    }

    /// Rows changed by the last statement.
    package var changes: Int { Int(sqlite3_changes(handle)) }

    var lastMessage: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed" }

    static func abbreviated(_ sql: String) -> String {
        let flat = sql.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces }.joined(separator: " ")
        return flat.count > 60 ? String(flat.prefix(60)) + "…" : flat
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var slice = self
        while slice.first == " " { slice.removeFirst() }
        return slice
    }
}

/// A prepared statement: bind, step, read columns, reset.
package final class SQLiteStatement {
    private var handle: OpaquePointer?
    private unowned let connection: SQLiteConnection
    private let sql: String

    init(_ handle: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    /// Releases the statement.
    package func finalize() {
        sqlite3_finalize(handle)
        handle = nil
    }

    /// Clears bindings and rewinds, ready for the next run.
    package func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds parameters 1… in order (`nil` binds NULL).
    package func bind(_ values: SQLiteValue...) throws(SQLiteError) {
        try bind(values)
    }

    /// Binds parameters 1… in order.
    package func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(handle, index)
            case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
            case .text(let text): code = sqlite3_bind_text(handle, index, text, -1, persona_sqlite_transient())
            }
            guard code == SQLITE_OK else { throw failure(code, "bind") }
        }
    }

    /// Runs to the next row: true when a row is ready, false when done.
    package func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = failure(code, "step")
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Binds, runs to completion and resets (a statement without results).
    package func run(_ values: SQLiteValue...) throws(SQLiteError) {
        defer { reset() }
        try bind(values)
        while try step() {}
    }

    /// Column `index` as an integer.
    package func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Column `index` as text (`nil` for NULL).
    package func text(_ index: Int32) -> String? {
        guard sqlite3_column_type(handle, index) != SQLITE_NULL, let bytes = sqlite3_column_text(handle, index)
        else { return nil }
        return String(cString: bytes)
    }

    /// Whether column `index` is NULL.
    package func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    private func failure(_ code: Int32, _ what: String) -> SQLiteError {
        SQLiteError(code: code, message: connection.lastMessage, context: "\(what) \(SQLiteConnection.abbreviated(sql))")
    }

    deinit { finalize() }
}

/// A value bound to a statement parameter.
package enum SQLiteValue: Hashable, Sendable {
    /// NULL.
    case null
    /// INTEGER.
    case integer(Int64)
    /// TEXT (UTF-8).
    case text(String)

    /// `.text` or `.null`.
    package static func optional(_ text: String?) -> SQLiteValue { text.map(SQLiteValue.text) ?? .null }
    /// `.integer` or `.null`.
    package static func optional(_ number: Int?) -> SQLiteValue { number.map { .integer(Int64($0)) } ?? .null }
}
