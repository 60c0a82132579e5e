#if canImport(Glibc)
    import Glibc
#endif

/// The write end of the self-pipe, read by the C signal handler (which can capture nothing).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// Turns process signals (SIGINT, SIGTERM) into a blocking wait, with the self-pipe trick.
///
/// The handler is installed synchronously by ``install(_:)``: once it returns, no signal can be
/// lost. (Dispatch signal sources install theirs asynchronously after `resume()`; a SIGTERM in
/// that window met `SIG_IGN` and vanished — a server that then never shuts down.) The handler
/// only writes the signal number to a pipe, which is async-signal-safe; ``wait()`` reads it.
public final class SignalWaiter: Sendable {
    private let readEnd: Int32

    private init(readEnd: Int32) { self.readEnd = readEnd }

    /// Installs the handler for `signals`. Call once per process.
    public static func install(_ signals: [Int32]) throws(SystemError) -> SignalWaiter {
        var fds: [Int32] = [-1, -1]
        _ = try Syscall.blocking("pipe") { pipe(&fds) }
        for fd in fds { _ = try Syscall.blocking("fcntl(FD_CLOEXEC)") { fcntl(fd, F_SETFD, FD_CLOEXEC) } }
        signalPipeWriteEnd = fds[1]
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            _ = try Syscall.blocking("sigaction") { sigaction(number, &action, nil) }
        }
        return SignalWaiter(readEnd: fds[0])
    }

    /// Blocks until one of the signals arrives and returns its number.
    public func wait() -> Int32 {
        var byte: UInt8 = 0
        while true {
            switch try? Syscall.call("read(signal pipe)", { read(readEnd, &byte, 1) }) {
            case .processed(1): return Int32(byte)
            default: continue
            }
        }
    }
}
