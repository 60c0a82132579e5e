/// The database schema as numbered migrations. `PRAGMA user_version` records how many have
/// run; at start the store runs the missing ones, each in its own transaction, and refuses a
/// database whose version is newer than it knows (written by a newer Persona).
///
/// Never edit a migration once released: add the next one.
package enum StoreSchema {
    /// Migration `n` (1-based) is `migrations[n - 1]`.
    package static let migrations: [String] = [
        // 1: sessions and their turns.
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            personality_id TEXT,
            personality_version TEXT,
            client_key TEXT NOT NULL,
            tenant TEXT,
            tier TEXT,
            state TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            ended_at INTEGER,
            end_reason TEXT,
            resume_token_hash TEXT NOT NULL
        );
        CREATE INDEX sessions_by_client ON sessions (client_key);
        CREATE TABLE turns (
            session TEXT NOT NULL,
            seq INTEGER NOT NULL,
            role TEXT NOT NULL,
            text TEXT NOT NULL,
            ref TEXT,
            reply INTEGER,
            finish TEXT,
            at INTEGER NOT NULL,
            PRIMARY KEY (session, seq)
        ) WITHOUT ROWID;
        """,
        // 2: engine state snapshots (a bot session continues after a restart), daily quotas,
        // and the index retention pruning walks.
        """
        CREATE TABLE engine_state (
            session TEXT PRIMARY KEY,
            snapshot TEXT NOT NULL,
            replies INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE quotas (
            client_key TEXT NOT NULL,
            day INTEGER NOT NULL,
            messages INTEGER NOT NULL,
            PRIMARY KEY (client_key, day)
        ) WITHOUT ROWID;
        CREATE INDEX sessions_by_created ON sessions (created_at);
        """,
    ]

    /// The version this build writes.
    package static var current: Int { migrations.count }

    /// Brings `connection` to `target` (default: current). Throws ``StoreOpenError`` for a
    /// newer database.
    package static func migrate(_ connection: SQLiteConnection, to target: Int = current) throws(StoreOpenError) {
        let found: Int
        do {
            found = Int(try connection.integer("PRAGMA user_version"))
        } catch {
            throw .sqlite(path: connection.path, error)
        }
        if found > current { throw .newerSchema(path: connection.path, found: found, known: current) }
        guard found < target else { return }
        for version in (found + 1)...target {
            do {
                try connection.execute("BEGIN IMMEDIATE")
                try connection.execute(migrations[version - 1])
                try connection.execute("PRAGMA user_version = \(version)")
                try connection.execute("COMMIT")
            } catch {
                try? connection.execute("ROLLBACK")
                throw .sqlite(path: connection.path, error)
            }
        }
    }
}

/// Why the store could not open its database at start: `persona serve` prints it and stops.
public enum StoreOpenError: Error, CustomStringConvertible {
    /// SQLite refused (corrupt file, not a database, locked by another process, no permission).
    case sqlite(path: String, SQLiteError)
    /// The file was written by a newer schema than this build knows.
    case newerSchema(path: String, found: Int, known: Int)
    /// The data directory could not be created or used.
    case directory(path: String, String)

    /// A sentence naming the file.
    public var description: String {
        switch self {
        case .sqlite(let path, let error):
            if error.isCorrupt {
                return "\(path) is not a usable database (\(error.message)); move it aside or restore a backup"
            }
            if error.isBusy {
                return "\(path) is locked: is another persona serve using this data directory?"
            }
            return "\(path): \(error)"
        case .newerSchema(let path, let found, let known):
            return
                "\(path) has schema version \(found), newer than this build's \(known); run a newer persona or use another --data-dir"
        case .directory(let path, let reason):
            return "data directory \(path): \(reason)"
        }
    }
}
