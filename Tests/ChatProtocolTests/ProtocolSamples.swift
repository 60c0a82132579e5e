import ChatProtocol

/// One value of every message shape, both directions, for round-trip and fuzz tests.
enum ProtocolSamples {
    static let client: [ClientMessage] = [
        .start(StartRequest(mode: .direct(personality: "captain-redbeard"))),
        .start(StartRequest(mode: .direct(personality: "eliza"), sessionRef: "tab-1")),
        .start(StartRequest(mode: .random(RandomFilters()))),
        .start(
            StartRequest(
                mode: .direct(personality: "eliza"), maxReplyTokens: 12, replay: ["my name is Jack", "hi"])),
        .start(StartRequest(mode: .random(RandomFilters()), maxReplyTokens: 1)),
        .start(
            StartRequest(
                mode: .random(RandomFilters(language: "de", tags: ["fun", "music"], tenant: "acme")),
                sessionRef: "r")),
        .message(session: "s0-1", text: "Hello, \"captain\" \\ \n\t\u{1}é😀", id: "m1"),
        .typing(session: "s0-1", on: true),
        .typing(session: "s0-2", on: false),
        .cancel(session: "s0-1"),
        .end(session: "s0-1"),
        .next(session: "s0-1", want: .partner),
        .next(session: "s0-1", want: .bot),
        .ping(id: "p1"),
        .ping(id: nil),
    ]

    static let server: [ServerMessage] = [
        .welcome(
            connection: "c1", protocolVersion: 1, heartbeatMilliseconds: 30_000,
            limits: ConnectionLimits(maxFrameBytes: 65_536, maxSessions: 16, maxQueuedMessages: 4)),
        .matching(session: "s0-1", timeoutMilliseconds: 10_000, sessionRef: nil),
        .matching(session: "s0-1", timeoutMilliseconds: 0, sessionRef: "tab"),
        .sessionStarted(
            SessionStart(
                session: "s0-1", kind: .bot,
                personality: PersonalityInfo(
                    id: "captain-redbeard", name: "Captain Redbeard", version: "00ff00ff00ff00ff"),
                greeting: "Ahoy!", sessionRef: "tab")),
        .sessionStarted(SessionStart(session: "s0-2", kind: .human)),
        .ack(session: "s0-1", id: "m1", seq: 1),
        .replyStart(session: "s0-1", reply: 1, seq: 2, ref: "m1"),
        .replyStart(session: "s0-1", reply: 2, seq: 5, ref: nil),
        .token(session: "s0-1", reply: 1, delta: "Ahoy"),
        .token(session: "s0-1", reply: 12_345, delta: " \"q\" \\ \u{0}\u{1f}\n😀"),
        .token(session: "s0-1", reply: 0, delta: ""),
        .replyEnd(session: "s0-1", reply: 1, seq: 2, tokens: 7, finish: .stop),
        .replyEnd(session: "s0-1", reply: 2, seq: 4, tokens: 0, finish: .cancelled),
        .partnerMessage(session: "s0-2", seq: 3, text: "hi there"),
        .partnerTyping(session: "s0-2", on: true),
        .sessionEnded(session: "s0-1", reason: .limitReached, farewell: "Fair winds!"),
        .sessionEnded(session: "s0-2", reason: .partnerLeft, farewell: nil),
        .error(
            ErrorReport(
                code: .rateLimited, message: "slow down", retryAfterMilliseconds: 1_500, ref: "m9",
                session: "s0-1")),
        .error(ErrorReport(code: .invalidJSON, message: "invalid JSON")),
        .pong(id: "p1"),
        .pong(id: nil),
    ]
}
