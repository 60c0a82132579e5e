import Dispatch
import Reactor

/// `persona serve --watch`: a ``DirectoryWatcher`` on one loop whose debounced changes run
/// the coordinator's reload (trigger `watch`) on a global queue — the same function the admin
/// API and SIGHUP call. Reloads are serialised by the coordinator, so a change during a
/// reload simply leads to one more reload after it.
public final class WatchReloader: Sendable {
    private let watcher: LoopBound<DirectoryWatcher>

    /// Starts watching `root` on `loop` (blocks until the watch is set up; call off the loop).
    /// `onReport` receives each reload's report (the server logs it; tests wait on it).
    public init(
        root: String, loop: EventLoop, coordinator: ReloadCoordinator,
        configuration: DirectoryWatcher.Configuration = DirectoryWatcher.Configuration(),
        onError: @escaping @Sendable (String) -> Void = { _ in },
        onReport: @escaping @Sendable (ReloadReport) -> Void = { _ in }
    ) throws {
        let ready = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var made: Result<DirectoryWatcher, SystemError>?
        loop.execute {
            do throws(SystemError) {
                made = .success(
                    try DirectoryWatcher(
                        root: root, loop: loop, configuration: configuration, onError: onError
                    ) {
                        DispatchQueue.global().async { onReport(coordinator.reload(trigger: .watch)) }
                    })
            } catch {
                made = .failure(error)
            }
            ready.signal()
        }
        ready.wait()
        watcher = LoopBound(try made!.get(), loop: loop)
    }

    /// Stops watching.
    public func stop() {
        let watcher = self.watcher
        watcher.loop.execute { watcher.value.close() }
    }
}
