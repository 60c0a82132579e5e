import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// N event loops, one thread each. Connections are spread over the loops (the kernel does it
/// for listeners bound with `SO_REUSEPORT`; ``next()`` does it round-robin for outbound ones).
public final class EventLoopGroup: Sendable {
    /// The loops, in index order.
    public let loops: [EventLoop]
    private let cursor = Atomic<Int>(0)
    private let threads: Mutex<[pthread_t]>

    /// The number of CPUs this process may run on (`sched_getaffinity`), so
    /// `taskset -c 1 persona serve` gets one loop rather than one per machine core.
    public static var availableCores: Int {
        var mask = [UInt64](repeating: 0, count: 16)  // 1024 CPUs, glibc's cpu_set_t
        let result = mask.withUnsafeMutableBytes { LinuxAPI.schedGetAffinity(0, $0.count, $0.baseAddress) }
        if result == 0 {
            let count = mask.reduce(0) { $0 + $1.nonzeroBitCount }
            if count > 0 { return count }
        }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Starts `count` loops (default: one per available core), each on its own thread. Each loop
    /// reads into one scratch buffer of `readBufferSize` bytes (64 KiB unless a test wants to
    /// see a message arrive in many reads).
    public init(
        loops count: Int = EventLoopGroup.availableCores, clock: any ReactorClock = MonotonicClock(),
        readBufferSize: Int = 64 * 1024
    ) throws(SystemError) {
        precondition(count > 0, "an event loop group needs at least one loop")
        precondition(readBufferSize > 0, "a loop needs a read buffer")
        var loops: [EventLoop] = []
        for index in 0..<count {
            loops.append(try EventLoop(index: index, clock: clock, readBufferSize: readBufferSize))
        }
        self.loops = loops
        var started: [pthread_t] = []
        for loop in loops {
            started.append(Self.spawn(name: "persona-loop-\(loop.index)") { loop.run() })
        }
        threads = Mutex(started)
        // Wait until every loop knows its thread, so `inEventLoop` is right from the start.
        for loop in loops {
            while !loop.hasStarted { sched_yield() }
        }
    }

    /// The next loop, round-robin.
    public func next() -> EventLoop {
        loops[cursor.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// Stops every loop (closing whatever is still registered) and joins their threads.
    /// Call from outside the group's loops.
    public func shutdown() {
        let toJoin = threads.withLock { threads -> [pthread_t] in
            let taken = threads
            threads.removeAll()
            return taken
        }
        for loop in loops {
            precondition(!loop.inEventLoop, "EventLoopGroup.shutdown() called from one of its own loops")
            loop.stop()
        }
        for thread in toJoin { pthread_join(thread, nil) }
    }

    private final class ThreadBody {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    private static func spawn(name: String, _ body: @escaping () -> Void) -> pthread_t {
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { raw in
                let body = Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue()
                body.body()
                return nil
            }, box)
        precondition(result == 0, "pthread_create failed: \(result)")
        _ = LinuxAPI.setThreadName(UInt(thread), String(name.prefix(15)))
        return thread
    }
}
