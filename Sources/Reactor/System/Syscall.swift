#if canImport(Glibc)
    import Glibc
#endif

/// The single wrapper every Reactor system call goes through.
///
/// The rules, borrowed from SwiftNIO's `System.swift`:
/// - `EINTR` is retried: a signal arriving mid-call is never an error.
/// - `EAGAIN`/`EWOULDBLOCK` become `.wouldBlock`, the ordinary answer of a non-blocking socket.
/// - `EBADF` and `EFAULT` stop the process: they mean we passed a descriptor or pointer we do
///   not own, i.e. memory corruption or a double close, and continuing would act on somebody
///   else's file.
/// - Anything else is thrown as a ``SystemError`` that names the call.
@usableFromInline
package enum Syscall {
    /// Runs `body` (a libc call returning `-1` on failure) under the wrapper's rules.
    @inlinable
    @inline(__always)
    package static func call<T: FixedWidthInteger>(
        _ name: StaticString, _ body: () -> T
    ) throws(SystemError) -> IOResult<T> {
        while true {
            let result = body()
            if result != -1 { return .processed(result) }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case EBADF, EFAULT:
                preconditionFailure(
                    "\(name) failed with errno \(code): a descriptor or pointer we do not own")
            default:
                throw SystemError(call: String(describing: name), errno: code)
            }
        }
    }

    /// Like ``call(_:_:)`` for calls that never legitimately block (setup calls such as `bind`);
    /// a `.wouldBlock` there is reported as an error naming the call.
    @inlinable
    @inline(__always)
    package static func blocking<T: FixedWidthInteger>(
        _ name: StaticString, _ body: () -> T
    ) throws(SystemError) -> T {
        switch try call(name, body) {
        case .processed(let value): return value
        case .wouldBlock: throw SystemError(call: String(describing: name), errno: EAGAIN)
        }
    }

    /// Closes `fd`. `EINTR` on close must *not* be retried on Linux (the descriptor is already
    /// gone and may have been reused), so it is ignored; `EBADF` is a double close and stops.
    package static func close(_ fd: Int32) {
        if Glibc.close(fd) == -1 {
            let code = errno
            precondition(code != EBADF, "close(\(fd)) failed with EBADF: double close")
        }
    }
}
