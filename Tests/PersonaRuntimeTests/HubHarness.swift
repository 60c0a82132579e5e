import ChatProtocol
import Engines
import PersonaRuntime
import Personality
import Policies
import Testing

/// A shell in miniature: carries out the hub's actions in memory, runs its timers on a manual
/// clock, and keeps what each connection received.
final class HubHarness {
    let clock = ManualChatClock()
    let transcripts: InMemoryTranscriptStore
    let hub: ChatHub
    var timers: [TimerToken: PolicyInstant] = [:]
    var received: [ConnectionID: [ServerMessage]] = [:]
    /// Every frame sent, with the instant it was sent.
    var log: [(at: PolicyInstant, connection: ConnectionID, message: ServerMessage)] = []
    var closed: [ConnectionID: UInt16] = [:]
    var mail: [(hub: Int, mail: HubMail)] = []
    var drained = false
    var nextConnection: UInt64 = 0

    static func snapshot(_ files: [SourceFile], engines: EngineRegistry = .builtIn) -> RegistrySnapshot {
        let result = RegistryBuilder(catalog: engines.catalog).build(files)
        guard let snapshot = result.snapshot else {
            Issue.record("fixtures do not build: \(result.diagnostics.map { "\($0)" })")
            return .empty
        }
        return snapshot
    }

    init(
        files: [SourceFile] = Fixtures.files(), configuration: ChatHubConfiguration = ChatHubConfiguration(),
        matchQueue: any MatchQueueing = MatchQueue(), engines: EngineRegistry = .builtIn,
        transcripts: ((ManualChatClock) -> InMemoryTranscriptStore)? = nil,
        store: ((InMemoryTranscriptStore) -> any TranscriptStore)? = nil
    ) {
        self.transcripts = transcripts?(clock) ?? InMemoryTranscriptStore(clock: clock)
        hub = ChatHub(
            snapshot: Self.snapshot(files, engines: engines), engines: engines, clock: clock,
            configuration: configuration,
            matchQueue: matchQueue, transcripts: store?(self.transcripts) ?? self.transcripts)
        hub.asyncActions = { [unowned self] in self.perform($0) }
    }

    func perform(_ actions: [HubAction]) {
        for action in actions {
            switch action {
            case .send(let connection, let message):
                // Encode and decode every frame, as the wire would.
                let decoded = try? ServerMessage(decoding: message.encoded())
                #expect(decoded == message)
                received[connection, default: []].append(message)
                log.append((clock.now(), connection, message))
            case .close(let connection, let code, _): closed[connection] = code
            case .scheduleTimer(let token, let at): timers[token] = at
            case .cancelTimer(let token): timers[token] = nil
            case .mail(let hub, let mail): self.mail.append((hub, mail))
            case .drained: drained = true
            }
        }
    }

    @discardableResult
    func open(client: ClientIdentity? = nil) -> ConnectionID {
        nextConnection += 1
        let connection = ConnectionID(nextConnection)
        perform(
            hub.connectionOpened(
                connection, client: client ?? ClientIdentity(key: "client-\(nextConnection)")))
        return connection
    }

    func send(_ connection: ConnectionID, _ message: ClientMessage) {
        perform(hub.textFrameReceived(connection, message.encoded()))
    }

    func sendText(_ connection: ConnectionID, _ text: String) {
        perform(hub.textFrameReceived(connection, Array(text.utf8)))
    }

    /// Fires every timer due up to `now + duration`, in instant order, moving the clock to each.
    func advance(by duration: Duration) {
        let target = clock.now().advanced(by: duration)
        while let (token, at) = timers.filter({ $0.value <= target }).min(by: {
            ($0.value, $0.key.value) < ($1.value, $1.key.value)
        }) {
            timers[token] = nil
            clock.advance(to: at)
            perform(hub.timerFired(token))
        }
        clock.advance(to: target)
    }

    /// Takes (and forgets) what the connection received so far.
    func take(_ connection: ConnectionID) -> [ServerMessage] {
        defer { received[connection] = [] }
        return received[connection] ?? []
    }

    /// Starts a direct session and returns its id (the welcome and start frames are consumed).
    func startDirect(_ connection: ConnectionID, _ personality: String) -> String {
        send(connection, .start(StartRequest(mode: .direct(personality: personality))))
        let frames = take(connection)
        for case .sessionStarted(let start) in frames { return start.session }
        Issue.record("no session_started in \(frames)")
        return ""
    }
}

extension [ServerMessage] {
    /// The deltas of reply `reply` in `session`, joined.
    func replyText(session: String, reply: Int? = nil) -> String {
        var text = ""
        for case .token(let id, let number, let delta) in self
        where id == session && (reply == nil || number == reply) {
            text += delta
        }
        return text
    }

    /// The error frames.
    var errors: [ErrorReport] {
        compactMap { if case .error(let report) = $0 { report } else { nil } }
    }

    /// The reply_end frames as (reply, tokens, finish).
    var replyEnds: [(reply: Int, tokens: Int, finish: FinishReason)] {
        compactMap {
            if case .replyEnd(_, let reply, _, let tokens, let finish) = $0 {
                (reply, tokens, finish)
            } else {
                nil
            }
        }
    }

    /// The session_ended frames as (session, reason, farewell).
    var endings: [(session: String, reason: EndReason, farewell: String?)] {
        compactMap {
            if case .sessionEnded(let session, let reason, let farewell) = $0 {
                (session, reason, farewell)
            } else {
                nil
            }
        }
    }
}

extension ServerMessage {
    /// The frame with `session_started`'s random resume token removed, for comparisons.
    var withoutResumeToken: ServerMessage {
        guard case .sessionStarted(var start) = self else { return self }
        start.resumeToken = nil
        return .sessionStarted(start)
    }
}

extension [ServerMessage] {
    /// Every frame without its resume token.
    var withoutResumeTokens: [ServerMessage] { map(\.withoutResumeToken) }
}
