import JSON
import Synchronization

/// A pool of long-lived plugin processes running one command, shared by every loop.
///
/// Each worker answers one request at a time. A request waits in a bounded queue when every
/// worker is busy; its timeout counts from submission. Whatever a worker does wrong — exits,
/// hangs past the timeout, writes a line that is not protocol JSON, a line or an answer past its
/// limit, or a line for another request — the pool kills it, fails its request with a
/// ``ProcessFailure`` at once, and starts a new process after a delay that doubles with each
/// failure in a row (reset by the next complete answer). While every worker is down, new
/// requests are refused at once rather than left to hang.
///
/// All state sits behind one lock; events reach the request's sink after the lock is released.
/// The host's contract (no callback from inside a host call) lets the pool call it while locked.
public final class ProcessPool: Sendable {
    /// What a request's sink receives, in order: tokens, then one terminal event.
    public enum Event: Equatable, Sendable {
        /// The next piece of the answer.
        case token(String)
        /// The answer is complete; `variables` (when given) replace the session's.
        case end(variables: [String: String]?)
        /// The plugin has nothing to say.
        case declined
        /// No complete answer.
        case failed(ProcessFailure)
    }

    /// The pool's settings.
    public let configuration: ProcessPoolConfiguration
    private let host: any PluginHost
    private let state: Mutex<State>

    private struct State {
        var workers: [Worker]
        var queue: [UInt64] = []
        var requests: [UInt64: Record] = [:]
        var nextID: UInt64 = 1
        var launched = false
        var closed = false
        var lastFailure = ""
    }

    private struct Worker {
        enum Phase: Equatable { case starting, idle, busy(UInt64), killing, restarting, stopped }
        var phase: Phase = .starting
        var process: (any PluginProcess)?
        var generation = 0
        var failures = 0
        var pid: Int32 = 0
        var decoder: JSONLinesDecoder
        var replyBytes = 0
        var killReason: ProcessFailure?
    }

    private struct Record {
        var request: PluginMessage.Request
        var sink: (@Sendable (Event) -> Void)?
        var worker: Int?
    }

    private typealias Delivery = (sink: @Sendable (Event) -> Void, event: Event)

    /// Creates a pool; no process starts before the first request.
    public init(configuration: ProcessPoolConfiguration, host: any PluginHost) {
        self.configuration = configuration
        self.host = host
        let decoder = JSONLinesDecoder(configuration: .init(maxLineBytes: configuration.maxLineBytes))
        state = Mutex(
            State(workers: Array(repeating: Worker(decoder: decoder), count: configuration.workers)))
    }

    // MARK: Requests

    /// Submits a request (its `id` is assigned here and returned); `sink` receives its events
    /// on any thread. A refusal (queue full, every worker down, shut down) is returned, and
    /// the sink is never called.
    public func submit(
        _ request: PluginMessage.Request, _ sink: @escaping @Sendable (Event) -> Void
    ) -> Result<UInt64, ProcessFailure> {
        let (result, deliveries) = state.withLock { state -> (Result<UInt64, ProcessFailure>, [Delivery]) in
            if state.closed { return (.failure(.shutDown), []) }
            launchAllIfNeeded(&state)
            if state.workers.allSatisfy({ $0.phase == .restarting || $0.phase == .killing }) {
                return (.failure(.unavailable(state.lastFailure)), [])
            }
            // Idle workers take queued requests at once, and starting ones as soon as they run:
            // only what waits beyond them counts against `max_queue`.
            let starting = state.workers.count { $0.phase == .starting || $0.phase == .idle }
            if state.queue.count >= configuration.maxQueue + starting {
                return (.failure(.queueFull(limit: configuration.maxQueue)), [])
            }
            let id = state.nextID
            state.nextID += 1
            var request = request
            request.id = id
            state.requests[id] = Record(request: request, sink: sink)
            state.queue.append(id)
            var deliveries: [Delivery] = []
            dispatch(&state, &deliveries)
            return (.success(id), deliveries)
        }
        if case .success(let id) = result {
            let timeout = configuration.timeout
            host.schedule(after: timeout) { [weak self] in self?.expire(id) }
            scheduleIdleStop(after: id)
        }
        deliver(deliveries)
        return result
    }

    /// Stops delivering events for request `id`. A queued request is dropped; a running one is
    /// sent a `cancel` line, and its worker is free again after the plugin's `end` (or the
    /// timeout).
    public func cancel(_ id: UInt64) {
        state.withLock { state in
            guard var record = state.requests[id] else { return }
            record.sink = nil
            if let worker = record.worker {
                state.requests[id] = record
                state.workers[worker].process?.write(PluginMessage.cancelLine(id: id))
            } else {
                state.requests[id] = nil
                state.queue.removeAll { $0 == id }
            }
        }
    }

    /// Kills every worker and fails every request; nothing restarts afterwards.
    public func shutdown() {
        let deliveries = state.withLock { state -> [Delivery] in
            state.closed = true
            var deliveries: [Delivery] = []
            for index in state.workers.indices {
                state.workers[index].process?.kill()
                state.workers[index].phase = .killing
            }
            for (_, record) in state.requests {
                if let sink = record.sink { deliveries.append((sink, .failed(.shutDown))) }
            }
            state.requests = [:]
            state.queue = []
            return deliveries
        }
        deliver(deliveries)
    }

    /// Process ids of the running workers (tests, stats).
    public var workerPIDs: [Int32] {
        state.withLock { state in
            state.workers.filter { $0.phase != .restarting && $0.phase != .stopped && $0.pid != 0 }.map(\.pid)
        }
    }

    /// Requests waiting for a worker.
    public var queuedCount: Int { state.withLock { $0.queue.count } }

    // MARK: Process events

    private func handle(_ event: PluginProcessEvent, worker index: Int, generation: Int) {
        let deliveries = state.withLock { state -> [Delivery] in
            guard state.workers[index].generation == generation else { return [] }
            var deliveries: [Delivery] = []
            switch event {
            case .started(let pid):
                state.workers[index].pid = pid
                if state.workers[index].phase == .starting || state.workers[index].phase == .restarting {
                    state.workers[index].phase = .idle
                }
                dispatch(&state, &deliveries)
            case .output(let bytes):
                readOutput(bytes, worker: index, &state, &deliveries)
                dispatch(&state, &deliveries)
            case .exited(let exit):
                exited(exit, worker: index, &state, &deliveries)
            }
            return deliveries
        }
        deliver(deliveries)
    }

    private func readOutput(
        _ bytes: [UInt8], worker index: Int, _ state: inout State, _ deliveries: inout [Delivery]
    ) {
        guard state.workers[index].killReason == nil else { return }
        state.workers[index].decoder.feed(bytes)
        while state.workers[index].killReason == nil {
            let value: JSONValue
            do {
                guard let next = try state.workers[index].decoder.next() else { return }
                value = next
            } catch {
                switch error {
                case .lineTooLong(let limit, _):
                    return kill(index, .lineTooLong(limit: limit), &state, &deliveries)
                case .invalidJSON(let problem, _):
                    return kill(index, .garbage("not JSON (\(problem))"), &state, &deliveries)
                }
            }
            let line: PluginMessage.Reply
            do {
                line = try PluginMessage.Reply(value)
            } catch {
                return kill(index, .garbage(error.description), &state, &deliveries)
            }
            guard case .busy(let current) = state.workers[index].phase, line.id == current else {
                return kill(
                    index, .garbage("a line for request \(line.id), which the worker is not answering"),
                    &state, &deliveries)
            }
            let sink = state.requests[current]?.sink
            switch line {
            case .token(_, let text):
                state.workers[index].replyBytes += text.utf8.count
                if state.workers[index].replyBytes > configuration.maxReplyBytes {
                    return kill(
                        index, .replyTooLarge(limit: configuration.maxReplyBytes), &state, &deliveries)
                }
                if let sink { deliveries.append((sink, .token(text))) }
            case .end(_, let variables):
                state.workers[index].failures = 0
                finishRequest(current, worker: index, sink, .end(variables: variables), &state, &deliveries)
            case .error(_, let message):
                finishRequest(
                    current, worker: index, sink, .failed(.pluginError(message)), &state, &deliveries)
            case .decline:
                finishRequest(current, worker: index, sink, .declined, &state, &deliveries)
            }
        }
    }

    private func finishRequest(
        _ id: UInt64, worker index: Int, _ sink: (@Sendable (Event) -> Void)?, _ event: Event,
        _ state: inout State,
        _ deliveries: inout [Delivery]
    ) {
        state.requests[id] = nil
        state.workers[index].phase = .idle
        if let sink { deliveries.append((sink, event)) }
    }

    /// Stops every worker if no request arrives within `idle_stop` after this one's timeout
    /// (by then it has ended, one way or another); the pool starts again on the next request.
    /// So a pool left behind by a reload, or a quiet personality, holds no processes.
    private func scheduleIdleStop(after request: UInt64) {
        host.schedule(after: configuration.timeout + configuration.idleStop) { [weak self] in
            self?.stopIfIdle(since: request)
        }
    }

    private func stopIfIdle(since request: UInt64) {
        state.withLock { state in
            guard !state.closed, state.launched, state.nextID == request + 1, state.requests.isEmpty else {
                return
            }
            state.launched = false
            for index in state.workers.indices {
                state.workers[index].process?.kill()
                state.workers[index].phase = .stopped
            }
            host.log(
                "plugin '\(configuration.command)': no request for \(configuration.idleStop); workers stopped until the next one"
            )
        }
    }

    private func exited(
        _ exit: PluginExit, worker index: Int, _ state: inout State, _ deliveries: inout [Delivery]
    ) {
        var worker = state.workers[index]
        if case .busy(let id) = worker.phase, let record = state.requests.removeValue(forKey: id) {
            if let sink = record.sink { deliveries.append((sink, .failed(.crashed(exit)))) }
        }
        let reason = worker.killReason.map { "\($0); \(exit)" } ?? "\(exit)"
        state.lastFailure = "worker \(index + 1) \(reason)"
        worker.killReason = nil
        worker.pid = 0
        worker.process = nil
        worker.generation += 1
        worker.decoder = JSONLinesDecoder(configuration: .init(maxLineBytes: configuration.maxLineBytes))
        guard !state.closed, worker.phase != .stopped else {
            if state.closed { worker.phase = .killing }
            state.workers[index] = worker
            return
        }
        worker.failures += 1
        worker.phase = .restarting
        let delay = configuration.restartDelay(afterFailures: worker.failures)
        host.log("plugin '\(configuration.command)': worker \(index + 1) \(reason); restarting in \(delay)")
        worker.process = launch(index, generation: worker.generation, after: delay)
        state.workers[index] = worker
        // Nobody is left to serve the queue: fail it now rather than let it wait out timeouts.
        if state.workers.allSatisfy({ $0.phase == .restarting || $0.phase == .killing }) {
            for id in state.queue {
                if let sink = state.requests.removeValue(forKey: id)?.sink {
                    deliveries.append((sink, .failed(.unavailable(state.lastFailure))))
                }
            }
            state.queue = []
        }
    }

    private func expire(_ id: UInt64) {
        let deliveries = state.withLock { state -> [Delivery] in
            guard let record = state.requests[id] else { return [] }
            var deliveries: [Delivery] = []
            if let worker = record.worker {
                kill(worker, .timedOut(configuration.timeout), &state, &deliveries)
            } else {
                state.requests[id] = nil
                state.queue.removeAll { $0 == id }
                if let sink = record.sink {
                    deliveries.append((sink, .failed(.timedOut(configuration.timeout))))
                }
            }
            return deliveries
        }
        deliver(deliveries)
    }

    // MARK: Helpers (lock held)

    private func kill(
        _ index: Int, _ reason: ProcessFailure, _ state: inout State, _ deliveries: inout [Delivery]
    ) {
        if case .busy(let id) = state.workers[index].phase,
            let record = state.requests.removeValue(forKey: id)
        {
            if let sink = record.sink { deliveries.append((sink, .failed(reason))) }
        }
        state.workers[index].killReason = reason
        state.workers[index].phase = .killing
        state.workers[index].process?.kill()
    }

    private func launchAllIfNeeded(_ state: inout State) {
        guard !state.launched else { return }
        state.launched = true
        for index in state.workers.indices {
            // A stopped worker's old process may still report its exit: a new generation
            // makes the pool ignore it.
            if state.workers[index].phase == .stopped {
                state.workers[index].generation += 1
                state.workers[index].pid = 0
                state.workers[index].failures = 0
                state.workers[index].killReason = nil
                state.workers[index].decoder = JSONLinesDecoder(
                    configuration: .init(maxLineBytes: configuration.maxLineBytes))
            }
            state.workers[index].phase = .starting
            state.workers[index].process = launch(
                index, generation: state.workers[index].generation, after: .zero)
        }
    }

    private func launch(_ index: Int, generation: Int, after delay: Duration) -> any PluginProcess {
        host.launch(configuration.command, after: delay) { [weak self] event in
            self?.handle(event, worker: index, generation: generation)
        }
    }

    private func dispatch(_ state: inout State, _ deliveries: inout [Delivery]) {
        while !state.queue.isEmpty, let index = state.workers.firstIndex(where: { $0.phase == .idle }) {
            let id = state.queue.removeFirst()
            guard var record = state.requests[id] else { continue }
            record.worker = index
            state.requests[id] = record
            state.workers[index].phase = .busy(id)
            state.workers[index].replyBytes = 0
            state.workers[index].process?.write(record.request.line())
        }
    }

    private func deliver(_ deliveries: [Delivery]) {
        for delivery in deliveries { delivery.sink(delivery.event) }
    }
}
