import Dispatch
import Reactor

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM for `persona serve`: installed before the listening line is printed, so a
/// supervisor (or a test) that signals right after reading it is always heard.
final class ShutdownSignals: Sendable {
    private let waiter: SignalWaiter
    private let onHangUp: @Sendable () -> Void

    /// Installs the handlers; from now on SIGINT/SIGTERM start a graceful drain and SIGHUP
    /// runs `onHangUp` (the reload) and keeps serving.
    init(onHangUp: @escaping @Sendable () -> Void = {}) throws {
        self.onHangUp = onHangUp
        waiter = try SignalWaiter.install([SIGINT, SIGTERM, SIGHUP])
    }

    /// Waits for the first signal and returns its name.
    func next() async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [waiter, onHangUp] in
                var signal = waiter.wait()
                while signal == SIGHUP {
                    onHangUp()
                    signal = waiter.wait()
                }
                continuation.resume(returning: signal == SIGINT ? "SIGINT" : "SIGTERM")
            }
        }
    }
}
