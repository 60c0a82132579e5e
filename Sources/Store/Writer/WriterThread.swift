#if canImport(Glibc)
    import Glibc
#endif

/// Starts `body` on a thread of its own (named, detached): the store's writer, so SQLite never
/// runs on an event loop.
enum WriterThread {
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    static func start(name: String, _ body: @escaping () -> Void) {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        let code = pthread_create(
            &thread, nil,
            { argument in
                let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
                box.body()
                return nil
            }, box)
        precondition(code == 0, "pthread_create failed: \(code)")
        pthread_detach(thread)
    }
}
