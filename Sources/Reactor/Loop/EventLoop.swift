import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One epoll event loop, owning one thread.
///
/// The loop has two primitives, as in Redis's `ae`: descriptor readiness and timers. Each
/// iteration:
/// 1. waits in `epoll_wait` until an event, a cross-thread task or the earliest timer;
/// 2. dispatches events (a fired event is re-checked against its registration id first),
///    flushing the connections written to so far whenever ``flushBatch`` of them are waiting;
/// 3. runs due timers, then queued tasks;
/// 4. flushes connections that were written to during the iteration (write-first: the
///    kernel is asked for writability only when a flush could not finish);
/// 5. closes what was asked to close — never inside the callback that asked.
///
/// Timers are a heap plus the `epoll_wait` timeout, not a timerfd: the timeout costs no extra
/// system call or descriptor, while a timerfd must be re-armed (`timerfd_settime`) whenever an
/// earlier deadline arrives. The price is millisecond resolution, which protocol timeouts
/// (heartbeats, header-read and idle deadlines) do not notice; the timeout is rounded *up* so
/// a timer never fires early.
///
/// Thread-safety: ``execute(_:)`` and ``inEventLoop`` may be called from any thread; every other
/// member is for the loop's own thread (checked in debug builds).
public final class EventLoop: @unchecked Sendable {
    /// The clock timers are measured against.
    public let clock: any ReactorClock
    /// This loop's index within its group.
    public let index: Int

    let epollFD: Int32
    private let wakeFD: Int32
    private let threadID = Atomic<UInt>(0)

    // Cross-thread tasks: a locked queue plus an eventfd wake-up, written only when the loop is
    // not already known to be awake (`wakePending`), so a burst of `execute` calls costs one
    // `write(2)`.
    private let remoteTasks = Mutex<[@Sendable () -> Void]>([])
    private let wakePending = Atomic<Bool>(false)

    // Loop-thread state.
    private var localTasks: [() -> Void] = []
    private var timers = TimerQueue<() -> Void>()
    private var slots: [Slot] = []
    private var nextRegistration: UInt32 = 1
    private var events: UnsafeMutableRawPointer
    private var eventCapacity: Int
    private var running = true
    var pendingFlush: [TCPConnection] = []
    private var pendingClose: [any DeferredClose] = []
    /// Scratch buffer every connection on this loop reads into; handlers copy what they keep.
    let readBuffer: UnsafeMutableRawBufferPointer
    private var shutdownWaiters: [@Sendable () -> Void] = []
    /// Descriptors this loop owns (debug builds), to report leaks at shutdown.
    var ownedDescriptors: [Int32: StaticString] = [:]

    private struct Slot {
        var id: RegistrationID
        var selectable: (any Selectable)?
        var interest: Interest
    }

    /// Largest events array the loop grows to; more ready descriptors than this simply wait for
    /// the next iteration.
    static let maximumEventCapacity = 4096
    /// Connections with output waiting after which the loop flushes them before dispatching
    /// more events: 32. Deferring the sends of a whole wake-up lets one `send(2)` wake a peer
    /// that was asleep and the rest find it running (on loopback the wake-up is a large share
    /// of a send's cost); bounding the batch keeps each connection still in the cache when its
    /// output leaves, even with thousands of connections ready at once.
    package static let flushBatch = 32

    package init(index: Int, clock: any ReactorClock, readBufferSize: Int = 64 * 1024) throws(SystemError) {
        self.index = index
        self.clock = clock
        let epollFD = try Syscall.blocking("epoll_create1") { LinuxAPI.create1(LinuxAPI.cloexec) }
        let wakeFD: Int32
        do {
            wakeFD = try Syscall.blocking("eventfd") {
                LinuxAPI.eventfd(0, LinuxAPI.cloexec | LinuxAPI.nonblock)
            }
            // Registration id 0 marks the wake-up fd.
            _ = try Syscall.blocking("epoll_ctl(ADD eventfd)") {
                LinuxAPI.ctl(
                    epollFD, LinuxAPI.ctlAdd, wakeFD, events: LinuxAPI.in,
                    data: UInt64(UInt32(bitPattern: wakeFD)))
            }
        } catch {
            Syscall.close(epollFD)
            throw error
        }
        self.epollFD = epollFD
        self.wakeFD = wakeFD
        eventCapacity = 64
        events = .allocate(byteCount: eventCapacity * LinuxAPI.eventStride, alignment: 8)
        readBuffer = .allocate(byteCount: readBufferSize, alignment: 16)
    }

    deinit {
        events.deallocate()
        readBuffer.deallocate()
    }

    /// Whether the caller is running on this loop's thread.
    public var inEventLoop: Bool {
        threadID.load(ordering: .relaxed) == UInt(pthread_self())
    }

    /// Whether the loop's thread has started running it.
    var hasStarted: Bool { threadID.load(ordering: .acquiring) != 0 }

    /// The current time on the loop's clock.
    public func now() -> MonotonicInstant { clock.now() }

    // MARK: Tasks

    /// Runs `task` on the loop's thread, after the current iteration's events. Safe from any
    /// thread; from the loop itself it is queued without a wake-up.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        if inEventLoop {
            localTasks.append(task)
            return
        }
        remoteTasks.withLock { $0.append(task) }
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) { wake() }
    }

    /// Queues a non-`Sendable` task from the loop's own thread.
    public func executeOnLoop(_ task: @escaping () -> Void) {
        assertInLoop()
        localTasks.append(task)
    }

    private func wake() {
        var one: UInt64 = 1
        // EAGAIN means the counter is saturated: the loop is certainly going to wake.
        _ = try? Syscall.call("write(eventfd)") { write(wakeFD, &one, 8) }
    }

    // MARK: Timers

    /// Runs `body` on the loop once `deadline` has passed. Loop thread only.
    @discardableResult
    public func scheduleTimer(at deadline: MonotonicInstant, _ body: @escaping () -> Void) -> TimerID {
        assertInLoop()
        return timers.schedule(at: deadline, body)
    }

    /// Runs `body` on the loop after `delay`. Loop thread only.
    @discardableResult
    public func scheduleTimer(after delay: Duration, _ body: @escaping () -> Void) -> TimerID {
        scheduleTimer(at: clock.now().advanced(by: delay), body)
    }

    /// Cancels a timer; returns whether it had not yet fired. Loop thread only.
    @discardableResult
    public func cancelTimer(_ id: TimerID) -> Bool {
        assertInLoop()
        return timers.cancel(id)
    }

    /// Number of live timers (for tests and leak checks).
    public var scheduledTimerCount: Int { timers.count }

    // MARK: Registration

    /// Adds `fd` to the epoll set for `selectable`. Loop thread only.
    package func register(fd: Int32, interest: Interest, _ selectable: any Selectable) throws(SystemError)
        -> RegistrationID
    {
        assertInLoop()
        let id = RegistrationID(rawValue: nextRegistration)
        nextRegistration = nextRegistration == .max ? 1 : nextRegistration + 1
        _ = try Syscall.blocking("epoll_ctl(ADD)") {
            LinuxAPI.ctl(epollFD, LinuxAPI.ctlAdd, fd, events: interest.rawValue, data: id.userData(fd: fd))
        }
        let index = Int(fd)
        if index >= slots.count {
            slots.append(
                contentsOf: repeatElement(
                    Slot(id: RegistrationID(rawValue: 0), selectable: nil, interest: []),
                    count: max(index + 1 - slots.count, slots.count)))
        }
        slots[index] = Slot(id: id, selectable: selectable, interest: interest)
        return id
    }

    /// Changes the interest of a registered fd, skipping the syscall when nothing changes.
    package func reregister(fd: Int32, id: RegistrationID, interest: Interest) throws(SystemError) {
        let index = Int(fd)
        precondition(index < slots.count && slots[index].id == id, "reregister of an unknown registration")
        guard slots[index].interest != interest else { return }
        _ = try Syscall.blocking("epoll_ctl(MOD)") {
            LinuxAPI.ctl(epollFD, LinuxAPI.ctlMod, fd, events: interest.rawValue, data: id.userData(fd: fd))
        }
        slots[index].interest = interest
    }

    /// Asks the kernel to report `fd` again if it is ready now, keeping its interest. An
    /// edge-triggered owner that stops reading before `EAGAIN` (its per-wake-up cap) re-arms so
    /// the bytes still queued are reported on the next wait instead of waiting for new ones.
    package func rearm(fd: Int32, id: RegistrationID) throws(SystemError) {
        let index = Int(fd)
        precondition(index < slots.count && slots[index].id == id, "rearm of an unknown registration")
        _ = try Syscall.blocking("epoll_ctl(MOD)") {
            LinuxAPI.ctl(
                epollFD, LinuxAPI.ctlMod, fd, events: slots[index].interest.rawValue, data: id.userData(fd: fd))
        }
    }

    /// The interest `fd` is registered with, if it is registered (tests).
    package func registeredInterest(fd: Int32) -> Interest? {
        let index = Int(fd)
        guard index < slots.count, slots[index].selectable != nil else { return nil }
        return slots[index].interest
    }

    /// Removes `fd` from the epoll set. Must precede `close(fd)`.
    package func deregister(fd: Int32, id: RegistrationID) {
        let index = Int(fd)
        guard index < slots.count, slots[index].id == id else { return }
        slots[index] = Slot(id: RegistrationID(rawValue: 0), selectable: nil, interest: [])
        // ENOENT cannot happen for a registered fd; anything else is not worth stopping for, as
        // the close that follows removes the fd from the set anyway.
        _ = try? Syscall.call("epoll_ctl(DEL)") {
            LinuxAPI.ctl(epollFD, LinuxAPI.ctlDel, fd, events: 0, data: 0)
        }
    }

    /// Whether epoll user data still names a live registration (what dispatch checks before
    /// delivering an event). Loop thread only; exposed for the fd-reuse tests.
    package func isCurrent(userData: UInt64) -> Bool {
        let (fd, id) = RegistrationID.unpack(userData)
        let index = Int(fd)
        return index < slots.count && slots[index].id == id && slots[index].selectable != nil
    }

    /// Asks the loop to run `closable.finishClose()` after the current batch of events.
    package func deferClose(_ closable: any DeferredClose) {
        pendingClose.append(closable)
    }

    /// Records that this loop owns `fd` (debug builds), for leak reports at shutdown.
    package func adopt(_ fd: Int32, _ kind: StaticString) {
        #if DEBUG
            ownedDescriptors[fd] = kind
        #endif
    }

    /// Records that `fd` was closed.
    package func release(_ fd: Int32) {
        #if DEBUG
            ownedDescriptors.removeValue(forKey: fd)
        #endif
    }

    /// Descriptors opened by this loop and not yet closed (always 0 in release builds).
    public var openDescriptorCount: Int { ownedDescriptors.count }

    // MARK: Running

    /// Runs the loop on the calling thread until ``stop()``; then closes everything it owns.
    package func run() {
        threadID.store(UInt(pthread_self()), ordering: .releasing)
        while running {
            iterate()
        }
        tearDown()
    }

    /// Asks the loop to stop after its current iteration. Registered descriptors are then closed
    /// abruptly: graceful draining is the server's job, done before it stops the loop. Tasks
    /// queued before the stop still run; tasks submitted after the loop's thread has finished are
    /// dropped (there is no thread left to run them).
    public func stop() {
        execute { [self] in self.running = false }
    }

    /// Registers `callback` to run (on the loop's thread, last thing) once the loop has stopped
    /// and released its descriptors.
    package func onStopped(_ callback: @escaping @Sendable () -> Void) {
        assertInLoop()
        shutdownWaiters.append(callback)
    }

    private func iterate() {
        let timeout = waitTimeoutMilliseconds()
        let count: Int
        do {
            switch try Syscall.call(
                "epoll_wait", { LinuxAPI.wait(epollFD, events, Int32(eventCapacity), timeout) })
            {
            case .processed(let n): count = Int(n)
            case .wouldBlock: count = 0
            }
        } catch {
            // Only EINVAL is possible here, which means the loop itself is broken.
            fatalError("\(error)")
        }
        for i in 0..<count {
            let (bits, data) = LinuxAPI.event(in: events, at: i)
            let (fd, id) = RegistrationID.unpack(data)
            if id.rawValue == 0 {
                drainWakeFD()
                continue
            }
            let index = Int(fd)
            // Re-check the event against its registration: an earlier event in this batch may
            // have closed the fd (and a new registration may even hold the number now).
            guard index < slots.count, slots[index].id == id, let selectable = slots[index].selectable else {
                continue
            }
            selectable.ready(
                readable: bits & LinuxAPI.in != 0,
                writable: bits & LinuxAPI.out != 0,
                failed: bits & (LinuxAPI.err | LinuxAPI.hup) != 0)
            if pendingFlush.count >= Self.flushBatch { flushPending() }
        }
        if count == eventCapacity, eventCapacity < Self.maximumEventCapacity {
            // A full array means more descriptors may have been ready than we could take.
            events.deallocate()
            eventCapacity *= 2
            events = .allocate(byteCount: eventCapacity * LinuxAPI.eventStride, alignment: 8)
        }
        runDueTimers()
        runTasks()
        flushPending()
        runPendingCloses()
    }

    private func waitTimeoutMilliseconds() -> Int32 {
        if !localTasks.isEmpty || !pendingFlush.isEmpty || !pendingClose.isEmpty { return 0 }
        guard let deadline = timers.nextDeadline() else { return -1 }
        let now = clock.now()
        guard deadline > now else { return 0 }
        let nanoseconds = deadline.nanoseconds - now.nanoseconds
        // Round up so a timer never fires before its deadline.
        return Int32(clamping: (nanoseconds + 999_999) / 1_000_000)
    }

    private func drainWakeFD() {
        var value: UInt64 = 0
        _ = try? Syscall.call("read(eventfd)") { read(wakeFD, &value, 8) }
    }

    private func runDueTimers() {
        guard timers.count > 0 else { return }
        let now = clock.now()
        while let body = timers.popDue(now: now) { body() }
    }

    private func runTasks() {
        // Reset the flag before taking the queue: a producer that appends after the swap sees
        // `false` and writes the eventfd, so its task is never stranded.
        wakePending.store(false, ordering: .releasing)
        let remote = remoteTasks.withLock { tasks -> [@Sendable () -> Void] in
            if tasks.isEmpty { return [] }
            let taken = tasks
            tasks.removeAll(keepingCapacity: true)
            return taken
        }
        for task in remote { task() }
        // Tasks queued by these tasks run next iteration (with a zero timeout), so a task that
        // re-queues itself cannot starve I/O.
        if !localTasks.isEmpty {
            let local = localTasks
            localTasks.removeAll(keepingCapacity: true)
            for task in local { task() }
        }
    }

    private func flushPending() {
        while !pendingFlush.isEmpty {
            let batch = pendingFlush
            pendingFlush.removeAll(keepingCapacity: true)
            for connection in batch { connection.flushQueued() }
        }
    }

    private func runPendingCloses() {
        while !pendingClose.isEmpty {
            let batch = pendingClose
            pendingClose.removeAll(keepingCapacity: true)
            for closable in batch { closable.finishClose() }
            flushPending()
        }
    }

    private func tearDown() {
        runTasks()
        for slot in slots where slot.selectable != nil {
            slot.selectable?.closeForShutdown()
        }
        flushPending()
        runPendingCloses()
        runTasks()
        #if DEBUG
            for (fd, kind) in ownedDescriptors.sorted(by: { $0.key < $1.key }) {
                let line = "persona reactor: loop \(index) leaked \(kind) fd \(fd)\n"
                _ = line.withCString { write(2, $0, strlen($0)) }
            }
        #endif
        Syscall.close(wakeFD)
        Syscall.close(epollFD)
        let waiters = shutdownWaiters
        shutdownWaiters.removeAll()
        for waiter in waiters { waiter() }
    }

    @inline(__always)
    func assertInLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(inEventLoop, "called off the event loop's thread", file: file, line: line)
    }
}
