import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM for `persona serve`, delivered through Dispatch sources instead of a
/// signal handler that would run at an arbitrary point on an arbitrary thread.
///
/// `@unchecked Sendable`: the sources are created and resumed in `init` and never touched
/// again; the received name is behind a mutex.
final class ShutdownSignals: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "persona.signals")
    private let waiter = DispatchSemaphore(value: 0)
    private let received = Mutex("signal")

    /// Starts listening; from now on SIGINT/SIGTERM no longer kill the process.
    init() {
        for (number, label) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in
                received.withLock { $0 = label }
                waiter.signal()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Waits for the first signal and returns its name.
    func next() async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [self] in
                waiter.wait()
                continuation.resume(returning: received.withLock { $0 })
            }
        }
    }
}
