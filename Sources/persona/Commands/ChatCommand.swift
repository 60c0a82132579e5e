import CLI
import ChatProtocol
import Foundation
import HTTPServer
import Reactor
import Synchronization

/// `persona chat`: a terminal client for the native protocol — the quickest way for an author
/// to try a personality against the real server.
///
/// Lines read from stdin are sent as messages, one at a time: the next line goes out when the
/// previous one was answered (the bot's `reply_end`, or the `ack` in a human chat), so piped
/// input reads like a conversation. `/cancel` and `/quit` act at once; `/next [bot]` asks for a
/// new partner. At the end of input the session is ended politely and the command exits 0.
enum ChatCommand {
    /// The command's declaration.
    static let command = Command(
        name: "chat",
        abstract: "Chat with a personality (or a random partner) on a running server.",
        discussion: """
            Connects to `persona serve`'s WebSocket endpoint and starts a session: direct with \
            --personality ID, or random with --random (a waiting human first, a bot after the \
            server's matchmaking timeout). Type a line to send it; replies stream token by \
            token. Commands: /cancel stops the reply being streamed, /next asks for a new \
            partner (/next bot for a bot at once), /quit ends the chat. End of input (Ctrl-D) \
            ends the session and exits.
            """,
        options: [
            .option(
                "url", type: .string, default: "ws://127.0.0.1:8080/v1/ws", environment: "PERSONA_URL",
                help: "The server's chat endpoint."),
            .option("personality", type: .string, help: "Talk to this personality (its id)."),
            .flag("random", help: "Ask for a random partner: a human if one is waiting, else a bot."),
            .option("language", type: .string, help: "With --random: only partners speaking this language."),
        ],
        run: run)

    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let target = try LoadGeneratorOptions.target(values, example: "ws://127.0.0.1:8080/v1/ws")
        let mode: StartRequest.Mode
        switch (values.stringIfPresent("personality"), values.flag("random")) {
        case (let id?, false): mode = .direct(personality: id)
        case (nil, true): mode = .random(RandomFilters(language: values.stringIfPresent("language")))
        default:
            throw CommandFailure("give either --personality ID or --random", exitCode: .usageError)
        }
        let group = try EventLoopGroup(loops: 1)
        // The stdin reader may still be blocked in a read when the chat ends; it posts to the
        // loop only while `open` says the loop is alive (checked and posted under the lock).
        let open = Mutex(true)
        defer {
            open.withLock { $0 = false }
            group.shutdown()
        }
        let loop = group.loops[0]
        let outcome: String? = await withCheckedContinuation { continuation in
            loop.execute {
                let terminal = ChatTerminal(
                    start: StartRequest(mode: mode), output: context.stdout, loop: loop,
                    finished: { continuation.resume(returning: $0) })
                terminal.connect(to: target.address, host: target.host, path: target.path)
                let input = context.stdin
                let bound = LoopBound(terminal, loop: loop)
                let reader = Thread {
                    while let line = input.readLine() {
                        let posted = open.withLock { alive in
                            if alive { loop.execute { bound.value.input(line) } }
                            return alive
                        }
                        if !posted { return }
                    }
                    open.withLock { alive in
                        if alive { loop.execute { bound.value.inputEnded() } }
                    }
                }
                reader.start()
            }
        }
        if let outcome { throw CommandFailure(outcome) }
    }
}
