internal import Diagnostics

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

extension YAMLParser {
    /// Reads and parses the file at `path`. Locations name the file as `displayName` (default:
    /// `path` exactly as given, so relative paths stay relative in messages).
    ///
    /// The size is checked from `fstat` before anything is read, and reading stops one byte past
    /// the limit, so neither a huge file nor a file that grows (or a device that never ends) is
    /// read whole.
    public func parseFile(atPath path: String, displayName: String? = nil) throws(YAMLError) -> YAMLNode {
        let name = displayName ?? path
        let bytes = try readLimited(path: path, name: name)
        return try parse(bytes, file: name)
    }

    private func readLimited(path: String, name: String) throws(YAMLError) -> [UInt8] {
        func failure(_ what: String, _ code: Int32) -> YAMLError {
            YAMLError(
                .unreadableFile, at: SourceLocation(file: name, line: 1, column: 1),
                "cannot \(what) the file: \(String(cString: strerror(code)))")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("inspect", errno) }
        if info.st_mode & S_IFMT == S_IFDIR { throw failure("read", EISDIR) }
        if info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) > limits.maxDocumentBytes {
            throw tooLarge(file: name)
        }
        let cap = limits.maxDocumentBytes + 1
        var bytes = [UInt8](repeating: 0, count: min(cap, max(Int(info.st_size), 0) + 1))
        var count = 0
        while count < cap {
            if count == bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: min(cap, bytes.count * 2) - bytes.count))
            }
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + count, buffer.count - count)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw failure("read", errno)
            }
            if got == 0 { break }
            count += got
        }
        guard count <= limits.maxDocumentBytes else { throw tooLarge(file: name) }
        bytes.removeSubrange(count...)
        return bytes
    }
}
