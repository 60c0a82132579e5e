import ChatProtocol
import Engines
import Foundation
import PersonaRuntime
import Personality
import Policies
import Testing

/// Throughput of the chat core alone (no sockets), run by hand — never as part of the suite:
///
///     PERSONA_BENCHMARK=1 swift test -c release --filter HubBenchmark
///
/// N sessions on N/10 connections each send M messages to a script personality streaming at
/// cadence 0; the whole pipeline runs (decode, size/rate/limit checks, scrub both ways,
/// transcript, engine, tokenizer, pacing) and every frame is encoded to bytes as the shell
/// would. Prints messages/s and tokens/s for the hub with and without frame encoding.
enum HubBenchmark {
    static let personality = """
        id: bench
        name: Bench
        engine: script
        limits: open
        stream: { tokens_per_second: 0 }
        script:
          rules:
            - match: "*"
              reply: "The quick brown fox jumps over the lazy dog, then runs all the way home to rest for the night."
        """

    static func run(sessions: Int, messages: Int) -> [String] {
        let files = [
            SourceFile(name: "bench.yaml", text: personality),
            SourceFile(name: "limits.yaml", text: "default: open\nsets:\n  open: {}\n"),
        ]
        let snapshot = RegistryBuilder(catalog: EngineRegistry.builtIn.catalog).build(files).snapshot!
        let clock = ManualChatClock()
        let hub = ChatHub(
            snapshot: snapshot, engines: .builtIn, clock: clock,
            configuration: ChatHubConfiguration(maxSessionsPerConnection: 10),
            transcripts: InMemoryTranscriptStore(maxEndedSessions: 100, maxEntriesPerSession: 8))
        var ids: [(ConnectionID, String)] = []
        for index in 0..<sessions {
            let connection = ConnectionID(UInt64(index / 10 + 1))
            if index % 10 == 0 {
                _ = hub.connectionOpened(connection, client: ClientIdentity(key: "client-\(index / 10)"))
            }
            for case .send(_, .sessionStarted(let start)) in hub.messageReceived(
                connection, .start(StartRequest(mode: .direct(personality: "bench"))))
            {
                ids.append((connection, start.session))
            }
        }
        let frames = ids.map { connection, session in
            (
                connection,
                ClientMessage.message(session: session, text: "hello there, how are you today?", id: "m")
                    .encoded()
            )
        }
        var tokens = 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 16)
        var encoded = 0
        let clockTime = ContinuousClock()
        let elapsed = clockTime.measure {
            for _ in 0..<messages {
                for (connection, frame) in frames {
                    for action in hub.textFrameReceived(connection, frame) {
                        guard case .send(_, let message) = action else { continue }
                        if case .token = message { tokens += 1 }
                        bytes.removeAll(keepingCapacity: true)
                        message.encode(into: &bytes)
                        encoded &+= bytes.count
                    }
                }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let total = sessions * messages
        precondition(
            hub.counters.messagesIn == total && hub.counters.errors.isEmpty, "\(hub.counters.errors)")
        return [
            "\(sessions) sessions × \(messages) messages at cadence 0: \(total) replies, \(tokens) tokens, \(encoded / 1_000_000) MB of frames",
            String(
                format: "  %.0f messages/s, %.0f tokens/s (hub + frame encoding, one thread), %.2f s",
                Double(total) / seconds, Double(tokens) / seconds, seconds),
        ]
    }
}

@Suite("Hub benchmark (by hand only)")
struct HubBenchmarkRunner {
    @Test(
        "measures messages and tokens per second through the hub at cadence 0",
        .enabled(if: ProcessInfo.processInfo.environment["PERSONA_BENCHMARK"] != nil))
    func benchmark() {
        for line in HubBenchmark.run(sessions: 1_000, messages: 20) { print(line) }
        for line in HubBenchmark.run(sessions: 10_000, messages: 2) { print(line) }
    }
}
