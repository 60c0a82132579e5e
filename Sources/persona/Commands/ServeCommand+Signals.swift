import Dispatch
import Reactor

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM for `persona serve`: installed before the listening line is printed, so a
/// supervisor (or a test) that signals right after reading it is always heard.
final class ShutdownSignals: Sendable {
    private let waiter: SignalWaiter

    /// Installs the handlers; from now on SIGINT/SIGTERM start a graceful drain.
    init() throws {
        waiter = try SignalWaiter.install([SIGINT, SIGTERM])
    }

    /// Waits for the first signal and returns its name.
    func next() async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [waiter] in
                continuation.resume(returning: waiter.wait() == SIGINT ? "SIGINT" : "SIGTERM")
            }
        }
    }
}
