import ChatProtocol
import Engines
import Personality
import Policies

/// The transport-free chat core: sessions, matchmaking, the message pipeline and streaming
/// cadence for the connections of one event loop.
///
/// ## Driving it
///
/// The shell owns sockets and timers; the hub owns everything else. Each input is a method
/// that returns the actions to carry out, in order (``HubAction``): frames to send, connections
/// to close, timers to schedule or cancel, mail for other hubs. The hub never blocks, sleeps,
/// reads a socket or starts a thread.
///
/// - ``connectionOpened(_:client:)`` when a WebSocket on ``ProtocolVersion/path`` is open
///   (the hub answers with `welcome`);
/// - ``textFrameReceived(_:_:)`` for every complete text frame (the hub decodes it; binary
///   frames should be refused by the shell with close code 1003);
/// - ``connectionClosed(_:)`` once the connection is gone (the hub ends its sessions, telling
///   human partners);
/// - ``timerFired(_:)`` for every timer the hub scheduled;
/// - ``connectionBacklog(_:bytes:)`` whenever the bytes queued for a connection change a lot
///   (after a write that left data queued, and when the queue drains) — see "Slow clients";
/// - ``registryReplaced(_:)`` after a reload swapped the registry;
/// - ``mailReceived(_:)`` for mail another hub addressed to this one;
/// - ``drain(deadline:)`` on SIGINT/SIGTERM.
///
/// Engines that stream (not the script engine, which answers synchronously) deliver tokens
/// later on the loop thread; the actions those tokens cause are handed to ``asyncActions``.
///
/// ## Threading and sharding
///
/// A hub is confined to one thread (not `Sendable`). Run one hub per event loop; a connection
/// belongs to the hub of the loop that accepted it, and so do all its sessions. Session ids
/// are `s<hub>-<n>`, so any session id names its hub. The only state hubs share is the
/// ``MatchQueue`` (a mutex around a short array); a human pair whose sides live on two hubs
/// talks through ``HubAction/mail(hub:_:)``, which the shell delivers with the target loop's
/// `execute`. A single-hub server needs no mail at all (the hub delivers to itself inline).
///
/// ## Slow clients
///
/// Replies are paced per session by the hub, and written by the shell. When the shell reports
/// a connection's backlog above ``ChatHubConfiguration/pauseBacklogBytes`` the hub stops
/// emitting tokens for that connection's sessions (other connections are unaffected); at or
/// below ``ChatHubConfiguration/resumeBacklogBytes`` it resumes where it stopped. Above
/// ``ChatHubConfiguration/maxBacklogBytes`` (which frames already emitted can reach, e.g. a
/// partner's messages) the hub closes the connection with 1008. So per-connection memory is
/// bounded by the hard bound plus at most one reply's tokens.
public final class ChatHub {
    /// The settings in force.
    public let configuration: ChatHubConfiguration
    /// The registry snapshot new sessions start on.
    public internal(set) var snapshot: RegistrySnapshot
    /// What the hub has done, for `/metrics`.
    public internal(set) var counters: HubCounters
    /// Where the actions caused by a streaming engine's late tokens go (set by the shell).
    public var asyncActions: (([HubAction]) -> Void)?

    let engines: EngineRegistry
    let clock: any ChatClock
    let matchQueue: any MatchQueueing
    let transcripts: any TranscriptStore
    let decoder: ClientMessageDecoder
    var random: SessionRandom

    var connections: [ConnectionID: ConnectionState] = [:]
    var sessions: [String: ChatSession] = [:]
    var timers: [TimerToken: TimerPurpose] = [:]
    var nextTimer: UInt64 = 0
    var nextSession: UInt64 = 0
    var outbox: [HubAction] = []
    var depth = 0
    var draining = false
    var drainAnnounced = false
    var housekeepingTimer: TimerToken?
    /// Store requests in flight, by ticket.
    var pendingStore: [StoreTicket: PendingStore] = [:]
    var nextTicket: UInt64 = 0
    /// Resumes waiting for other hubs to let go of their session, by session id.
    var pendingAdoptions: [String: ResumeRequest] = [:]
    /// Sessions whose live frames are held for a replay (a cheap check on the send path).
    var heldReplays = 0

    var rateLimiters: [LimiterKey: KeyedRateLimiter<String>] = [:]
    var dailyCounts: [String: DailyCount] = [:]
    var cache: ResponseCache
    /// A response cache shared with other nodes, asked after ``cache`` misses; nil: none
    /// (set before the hub serves, see ChatHub+SharedCache.swift).
    public var sharedCache: (any SharedReplyCache)?
    /// Shared-cache lookups in flight, by ticket.
    var pendingSharedCache: [StoreTicket: SharedCacheWait] = [:]
    /// A client rate limit shared with other nodes, checked after the hub's own limiters let a
    /// message through; nil: none (see ChatHub+SharedRate.swift).
    public var sharedRateLimiter: (any SharedRateLimiter)?
    /// Shared rate checks in flight, by ticket.
    var pendingSharedRates: [StoreTicket: SharedRateWait] = [:]
    var inboundScrubbers: [PIISettings: Scrubber] = [:]
    var outboundScrubbers: [PIISettings: Scrubber] = [:]

    /// Creates a hub serving `snapshot` with `engines`.
    ///
    /// - Parameters:
    ///   - matchQueue: shared by every hub of the process (or of several nodes, see
    ///     ``MatchQueueing``); a hub alone may omit it.
    ///   - transcripts: where turns are recorded (in memory by default).
    public init(
        snapshot: RegistrySnapshot, engines: EngineRegistry, clock: any ChatClock,
        configuration: ChatHubConfiguration = ChatHubConfiguration(), matchQueue: any MatchQueueing = MatchQueue(),
        transcripts: any TranscriptStore = InMemoryTranscriptStore()
    ) {
        self.snapshot = snapshot
        self.engines = engines
        self.clock = clock
        self.configuration = configuration
        self.matchQueue = matchQueue
        self.transcripts = transcripts
        self.decoder = ClientMessageDecoder(configuration: configuration.decoder)
        self.random = SessionRandom(seed: configuration.seed)
        self.counters = HubCounters(sampleCapacity: configuration.latencySamples)
        self.cache = ResponseCache(configuration: configuration.cache)
    }

    /// Sessions currently held (matching, active or ending).
    public var sessionCount: Int { sessions.count }

    /// Connections currently open.
    public var connectionCount: Int { connections.count }

    /// Whether ``drain(deadline:)`` was called and every session has ended.
    public var isDrained: Bool { draining && sessions.isEmpty }

    /// The response cache's own counters (hits, misses, evictions by cause).
    public var cacheCounters: ResponseCacheCounters { cache.counters }

    // MARK: Inputs

    /// A client connected: the hub greets it with `welcome`.
    public func connectionOpened(_ connection: ConnectionID, client: ClientIdentity) -> [HubAction] {
        run { now in
            connections[connection] = ConnectionState(id: connection, client: client)
            counters.connectionsOpened += 1
            if housekeepingTimer == nil {
                housekeepingTimer = schedule(
                    .housekeeping, at: now.advanced(by: configuration.housekeepingInterval))
            }
            send(
                connection,
                .welcome(
                    connection: connection.description, protocolVersion: ProtocolVersion.current,
                    heartbeatMilliseconds: Int(milliseconds(configuration.heartbeatInterval)),
                    limits: ConnectionLimits(
                        maxFrameBytes: configuration.decoder.maxFrameBytes,
                        maxSessions: configuration.maxSessionsPerConnection,
                        maxQueuedMessages: configuration.maxQueuedMessages)))
        }
    }

    /// A complete text frame arrived: decoded strictly, then handled; a frame that does not
    /// decode is answered with its typed `error` and the connection stays usable.
    public func textFrameReceived(_ connection: ConnectionID, _ bytes: [UInt8]) -> [HubAction] {
        bytes.withUnsafeBufferPointer { textFrameReceived(connection, $0) }
    }

    /// A complete text frame in memory the shell owns for the duration of the call.
    public func textFrameReceived(_ connection: ConnectionID, _ buffer: UnsafeBufferPointer<UInt8>)
        -> [HubAction]
    {
        run { now in
            guard connections[connection] != nil else { return }
            let decoded = Result { () throws(ProtocolError) in try decoder.decode(buffer) }
            switch decoded {
            case .success(let message): handle(message, from: connection, now: now)
            case .failure(let error): refuse(connection, error)
            }
        }
    }

    /// A message already decoded (by a shell that decodes itself, or by tests).
    public func messageReceived(_ connection: ConnectionID, _ message: ClientMessage) -> [HubAction] {
        run { now in
            guard connections[connection] != nil else { return }
            handle(message, from: connection, now: now)
        }
    }

    /// The connection is gone. Its bot sessions stay resumable for
    /// ``ChatHubConfiguration/resumeWindow`` (a reply in flight runs on and is stored), then
    /// end `disconnected`; its other sessions end (reason `user`) and partners are told.
    public func connectionClosed(_ connection: ConnectionID) -> [HubAction] {
        run { now in
            guard var state = connections[connection] else { return }
            // Gone already: ending its sessions (even while draining) must not ask to close it.
            state.closing = true
            connections[connection] = state
            for id in state.sessions {
                guard let session = sessions[id] else { continue }
                let window = session.limits.resumeWindow ?? configuration.resumeWindow
                if session.bot != nil, session.state == .active, window > .zero, !draining, !session.oneShot {
                    session.attached = false
                    session.detachTimer = schedule(.resumeWindow(id), at: now.advanced(by: window))
                    continue
                }
                endSession(session, reason: .user, now: now, notifyClient: false)
            }
            connections[connection] = nil
            counters.connectionsClosed += 1
            checkDrained()
        }
    }

    /// A timer the hub scheduled is due.
    public func timerFired(_ token: TimerToken) -> [HubAction] {
        run { now in
            guard let purpose = timers.removeValue(forKey: token) else { return }
            fire(purpose, token: token, now: now)
        }
    }

    /// The shell's outbound queue for the connection now holds `bytes` (see "Slow clients").
    public func connectionBacklog(_ connection: ConnectionID, bytes: Int) -> [HubAction] {
        run { now in
            guard var state = connections[connection] else { return }
            if bytes > configuration.maxBacklogBytes {
                counters.slowConsumersClosed += 1
                outbox.append(
                    .close(
                        connection, code: 1008,
                        reason: "outbound backlog over \(configuration.maxBacklogBytes) bytes"))
                return
            }
            if !state.paused, bytes > configuration.pauseBacklogBytes {
                counters.slowConsumersPaused += 1
                state.paused = true
                connections[connection] = state
            } else if state.paused, bytes <= configuration.resumeBacklogBytes {
                state.paused = false
                connections[connection] = state
                for id in state.sessions {
                    guard let session = sessions[id], let reply = session.reply else { continue }
                    reply.starved = true
                    pump(session, now: now)
                }
            }
        }
    }

    /// Mail from another hub.
    public func mailReceived(_ mail: HubMail) -> [HubAction] {
        run { now in deliver(mail, now: now) }
    }

    // MARK: Plumbing

    /// Runs one input: reads the clock once, collects the actions it causes.
    func run(_ body: (PolicyInstant) -> Void) -> [HubAction] {
        depth += 1
        body(clock.now())
        depth -= 1
        guard depth == 0 else { return [] }
        let actions = outbox
        outbox.removeAll(keepingCapacity: true)
        return actions
    }

    /// Called when a streaming engine's callback changed something outside any input.
    func flushAsync() {
        guard depth == 0, !outbox.isEmpty else { return }
        let actions = outbox
        outbox.removeAll(keepingCapacity: true)
        asyncActions?(actions)
    }

    func send(_ connection: ConnectionID, _ message: ServerMessage) {
        if heldReplays > 0, let id = message.session, let session = sessions[id], session.replay?.connection == connection {
            session.replay?.frames.append(message)
            return
        }
        outbox.append(.send(connection, message))
    }

    func refuse(_ connection: ConnectionID, _ error: ProtocolError) {
        counters.errors[error.code, default: 0] += 1
        send(connection, error.serverMessage)
    }

    func refuse(
        _ connection: ConnectionID, _ code: ErrorCode, _ message: String, ref: String? = nil,
        session: String? = nil,
        retryAfter: Int64? = nil
    ) {
        counters.errors[code, default: 0] += 1
        send(
            connection,
            .error(
                ErrorReport(
                    code: code, message: message, retryAfterMilliseconds: retryAfter, ref: ref,
                    session: session)))
    }

    func schedule(_ purpose: TimerPurpose, at instant: PolicyInstant) -> TimerToken {
        nextTimer += 1
        let token = TimerToken(nextTimer)
        timers[token] = purpose
        outbox.append(.scheduleTimer(token, at: instant))
        return token
    }

    func cancel(_ token: TimerToken?) {
        guard let token, timers.removeValue(forKey: token) != nil else { return }
        outbox.append(.cancelTimer(token))
    }

    func milliseconds(_ duration: Duration) -> Int64 {
        PolicyInstant.zero.advanced(by: duration).nanoseconds / 1_000_000
    }
}

/// A hub belongs to one thread: it is deliberately not `Sendable`.
@available(*, unavailable)
extension ChatHub: Sendable {}

/// What the hub knows about one connection.
struct ConnectionState {
    let id: ConnectionID
    let client: ClientIdentity
    /// Live sessions, in the order they started.
    var sessions: [String] = []
    /// Ended sessions remembered for `next`, oldest first.
    var remembered: [RememberedSession] = []
    /// Pacing is paused because the outbound backlog is over the soft bound.
    var paused = false
    /// The hub asked the shell to close it (drain); no more closes are sent.
    var closing = false
}

/// Why a timer was scheduled.
enum TimerPurpose {
    case matchTimeout(String)
    case cadence(String)
    case idle(String)
    case lifetime(String)
    case drainDeadline
    case housekeeping
    case resumeWindow(String)
}

/// Which limiter a rate applies to: the scope and the rate's parameters (sessions of different
/// personalities can have different rates, so each distinct rate has its own limiter).
struct LimiterKey: Hashable {
    enum Scope: Hashable {
        case client
        case session
        case personality
    }

    var scope: Scope
    var count: Int
    var periodNanoseconds: Int64
    var burst: Int
}

/// Messages a client sent on one UTC day.
struct DailyCount {
    var day: Int64
    var count: Int
}
