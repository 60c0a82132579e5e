import ChatProtocol
import Engines
import PersonaRuntime
import Personality
import Policies

/// Runs chaos actions against real hubs in memory: several ``ChatHub``s sharing one
/// ``MatchQueue`` (as the event loops of one server do), one manual clock, timers fired in
/// instant order, mail between hubs held until a ``ChaosAction/deliverMail`` step (so pairs
/// across hubs see the delays a real server has). Deterministic: the same actions give the
/// same frames, which is what lets a failing run be shrunk.
public final class ChaosHubWorld {
    /// How a run ends.
    public enum Ending: Sendable {
        /// Every user pings (a barrier), then leaves; the hubs must come to rest.
        case leave
        /// The server drains with users still connected (SIGTERM).
        case drain
    }

    /// What a run saw.
    public struct Outcome: Sendable {
        /// Broken invariants.
        public var violations: [ChaosViolation]
        /// Connections opened, sessions seen (human among them), messages and frames.
        public var connections = 0, sessions = 0, humanSessions = 0, messages = 0
        /// Frames both ways.
        public var framesSent = 0, framesReceived = 0
        /// Session endings by reason.
        public var endings: [EndReason: Int] = [:]

        /// What `checker` saw.
        public init(checker: ChaosChecker) {
            violations = checker.violations
            connections = checker.connections
            sessions = checker.sessionsSeen
            humanSessions = checker.humanSessions
            messages = checker.messages
            framesSent = checker.framesSent
            framesReceived = checker.framesReceived
            endings = checker.endings
        }
    }

    private let checker: ChaosChecker
    private let clock = ManualChatClock()
    private let snapshots: [RegistrySnapshot]
    private var hubs: [ChatHub] = []
    private var timers: [(hub: Int, token: TimerToken, at: PolicyInstant)] = []
    private var mail: [(hub: Int, mail: HubMail)] = []
    private var closes: [(hub: Int, connection: ConnectionID)] = []
    private var connectionsPerHub: [UInt64]
    private var users: [Int: (link: Int, hub: Int, connection: ConnectionID)] = [:]
    private var linkOf: [Int: [ConnectionID: Int]] = [:]
    private var nextLink = 0
    private var reloads = 0
    private var drained: Set<Int> = []
    /// How long a left session waits for its client to resume before it ends.
    private let resumeWindow: Duration

    /// Creates hubs serving `snapshots[0]` (reloads cycle through the others).
    public init(
        snapshots: [RegistrySnapshot], hubs count: Int, configuration: ChatHubConfiguration,
        checker: ChaosChecker = ChaosChecker()
    ) {
        self.snapshots = snapshots
        self.checker = checker
        resumeWindow = configuration.resumeWindow
        connectionsPerHub = Array(repeating: 0, count: count)
        let queue = MatchQueue()
        for index in 0..<count {
            var settings = configuration
            settings.hubIndex = index
            hubs.append(
                ChatHub(
                    snapshot: snapshots[0], engines: .builtIn, clock: clock, configuration: settings,
                    matchQueue: queue, transcripts: InMemoryTranscriptStore(clock: clock)))
        }
    }

    /// Runs `actions`, then ends as `ending` asks, and reports.
    public static func run(
        _ actions: [ChaosAction], snapshots: [RegistrySnapshot], hubs: Int,
        configuration: ChatHubConfiguration, ending: Ending
    ) -> Outcome {
        let world = ChaosHubWorld(snapshots: snapshots, hubs: hubs, configuration: configuration)
        for action in actions { world.perform(action) }
        world.end(ending)
        return world.outcome
    }

    /// What the checker saw so far.
    public var outcome: Outcome { Outcome(checker: checker) }

    /// Carries out one action.
    public func perform(_ action: ChaosAction) {
        switch action {
        case .connect(let user, let hub):
            guard users[user] == nil else { return }
            let hub = hub % hubs.count
            let connection = ConnectionID.numbered(connectionsPerHub[hub], hub: hub, of: hubs.count)
            connectionsPerHub[hub] += 1
            let link = nextLink
            nextLink += 1
            users[user] = (link, hub, connection)
            linkOf[hub, default: [:]][connection] = link
            checker.opened(link, user: user)
            // Users share a few client keys, so per-client limits are exercised too.
            apply(
                hub, hubs[hub].connectionOpened(connection, client: ClientIdentity(key: "client-\(user % 7)"))
            )
        case .drop(let user):
            guard let (link, hub, connection) = users.removeValue(forKey: user) else { return }
            checker.closed(link)
            linkOf[hub]?[connection] = nil
            apply(hub, hubs[hub].connectionClosed(connection))
        case .send(let user, let frame):
            guard let (link, hub, connection) = users[user] else { return }
            let text = checker.send(frame, link: link)
            apply(hub, hubs[hub].textFrameReceived(connection, Array(text.utf8)))
        case .wait(let milliseconds):
            advance(to: clock.now().advanced(by: .milliseconds(milliseconds)))
        case .deliverMail:
            let due = mail
            mail.removeAll()
            for item in due { apply(item.hub, hubs[item.hub].mailReceived(item.mail)) }
        case .reload:
            reloads += 1
            let snapshot = snapshots[reloads % snapshots.count]
            for index in hubs.indices { apply(index, hubs[index].registryReplaced(snapshot)) }
        }
        processCloses()
    }

    /// Ends the run: everybody leaves (after a barrier) or the server drains; then checks rest.
    public func end(_ ending: Ending) {
        switch ending {
        case .leave:
            for user in users.keys.sorted() {
                perform(.send(user: user, .ping("p-end-\(user)")))
            }
            settleMail()
            for user in users.keys.sorted() { perform(.drop(user: user)) }
            settleMail()
            // Sessions of the clients that left wait out their resume window, then end.
            advance(to: clock.now().advanced(by: resumeWindow + .seconds(30)))
            settleMail()
            checkRest()
        case .drain:
            checker.drainBegan()
            let deadline = clock.now().advanced(by: .seconds(5))
            for index in hubs.indices { apply(index, hubs[index].drain(deadline: deadline)) }
            for _ in 0..<20 where drained.count < hubs.count {
                settleMail()
                advance(to: clock.now().advanced(by: .seconds(1)))
                processCloses()
            }
            settleMail()
            processCloses()
            if drained.count < hubs.count {
                checker.fail(
                    .shutdownRule, "hubs \(Set(hubs.indices).subtracting(drained).sorted()) never drained")
            }
            for link in checker.openLinks {
                checker.fail(.shutdownRule, "connection \(link) was never closed by the drain")
            }
            users.removeAll()
            checkRest()
        }
    }

    private func checkRest() {
        for (index, hub) in hubs.enumerated() {
            if hub.connectionCount != 0 || hub.sessionCount != 0 || !hub.sessionSummaries().isEmpty {
                checker.fail(
                    .rest,
                    "hub \(index) holds \(hub.connectionCount) connections and \(hub.sessionCount) sessions")
            }
        }
    }

    private func settleMail() {
        for _ in 0..<50 where !mail.isEmpty { perform(.deliverMail) }
    }

    private func advance(to target: PolicyInstant) {
        while let next = timers.indices.filter({ timers[$0].at <= target }).min(by: {
            (timers[$0].at, timers[$0].token.value) < (timers[$1].at, timers[$1].token.value)
        }) {
            let timer = timers.remove(at: next)
            clock.advance(to: timer.at)
            apply(timer.hub, hubs[timer.hub].timerFired(timer.token))
            processCloses()
        }
        clock.advance(to: target)
    }

    private func processCloses() {
        while !closes.isEmpty {
            let (hub, connection) = closes.removeFirst()
            apply(hub, hubs[hub].connectionClosed(connection))
        }
    }

    private func apply(_ hub: Int, _ actions: [HubAction]) {
        for action in actions {
            switch action {
            case .send(let connection, let message):
                guard let link = linkOf[hub]?[connection] else { continue }
                // Through the wire format, as a client would see it.
                guard let decoded = try? ServerMessage(decoding: message.encoded()) else {
                    checker.fail(.wireFormat, "a frame that does not decode: \(message)")
                    continue
                }
                checker.received(decoded, link: link)
            case .close(let connection, let code, _):
                guard let link = linkOf[hub]?[connection] else { continue }
                checker.closed(link, code: code)
                linkOf[hub]?[connection] = nil
                if let user = users.first(where: { $0.value.link == link })?.key { users[user] = nil }
                closes.append((hub, connection))
            case .scheduleTimer(let token, let at):
                timers.append((hub, token, at))
            case .cancelTimer(let token):
                timers.removeAll { $0.hub == hub && $0.token == token }
            case .mail(let target, let item):
                mail.append((target, item))
            case .drained:
                drained.insert(hub)
            }
        }
    }
}
