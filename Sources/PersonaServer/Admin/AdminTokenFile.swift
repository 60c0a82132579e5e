#if canImport(Glibc)
    import Glibc
#endif

/// Where the admin token comes from: given explicitly (flag or `PERSONA_ADMIN_TOKEN`), or the
/// data directory's `admin-token` file, created on first start with mode 0600.
public enum AdminTokenFile {
    /// The file name inside the data directory.
    public static let fileName = "admin-token"

    /// Why the token could not be read or created.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What went wrong, naming the path.
        public var description: String
    }

    /// Where the token came from.
    public enum Source: Sendable, Hashable {
        /// Given by flag or environment.
        case given
        /// Read from an existing file.
        case file(String)
        /// Generated now and written to this file.
        case created(String)
    }

    /// The path of the token file in `dataDirectory`.
    public static func path(in dataDirectory: String) -> String {
        dataDirectory.hasSuffix("/") ? dataDirectory + fileName : dataDirectory + "/" + fileName
    }

    /// The token to use: `given` if set and non-empty; else the file's content; else a new
    /// token written to a new file (directory created with 0700, file with 0600, `O_EXCL` so
    /// two servers starting at once cannot overwrite each other's token).
    public static func resolve(given: String?, dataDirectory: String) throws(Failure) -> (AdminToken, Source)
    {
        if let given, !given.isEmpty { return (AdminToken(given), .given) }
        let path = path(in: dataDirectory)
        if let existing = read(path) { return (AdminToken(existing), .file(path)) }
        try makeDirectories(dataDirectory)
        let token = AdminToken.generate()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            // Another process created it first: use theirs.
            if errno == EEXIST, let existing = read(path) { return (AdminToken(existing), .file(path)) }
            throw Failure(description: "cannot create '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let bytes = Array((token.value + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw Failure(description: "cannot write '\(path)'") }
        return (token, .created(path))
    }

    /// `mkdir -p` with mode 0700 for the directories it creates.
    private static func makeDirectories(_ path: String) throws(Failure) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw Failure(
                    description: "cannot create data directory '\(path)': \(String(cString: strerror(errno)))"
                )
            }
            prefix += "/"
        }
    }

    /// The trimmed first line of `path`, or nil if it does not exist or is empty.
    public static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 1024)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let trimmed = String(line.filter { !$0.isWhitespace })
        return trimmed.isEmpty ? nil : trimmed
    }
}
