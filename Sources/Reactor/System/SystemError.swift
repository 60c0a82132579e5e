#if canImport(Glibc)
    import Glibc
#endif

/// A failed system call: which call, and the `errno` it left behind.
///
/// Errors are typed where they arise (here, at the syscall) and rendered once at the edge, so
/// the description names the call rather than a generic "I/O error".
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name of the call that failed, e.g. `"accept4"`.
    public var call: String
    /// The `errno` value.
    public var errno: Int32

    /// Creates an error for `call` failing with `errno`.
    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// `"connect: Connection refused (errno 111)"`.
    public var description: String {
        let message = strerror(errno).map { String(cString: $0) } ?? "unknown error"
        return "\(call): \(message) (errno \(errno))"
    }
}
