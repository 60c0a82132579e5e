import Personality

/// A session's engines in the personality's order, each with its own state: the first engine
/// that answers wins.
///
/// Owned by the session. Synchronous engines are asked directly; when an engine streams, the
/// chain hands back the stream wrapped so that a `declined` before the first token moves on to
/// the next engine transparently.
public final class EngineChain {
    /// One engine and its per-session state.
    public struct Link {
        /// The engine.
        public var engine: any Engine
        /// Its state for this session.
        public var state: any EngineSessionState
    }

    /// The personality the session runs on.
    public let personality: Personality
    /// The engines, in order.
    public let links: [Link]

    /// Creates a chain.
    public init(personality: Personality, links: [Link]) {
        self.personality = personality
        self.links = links
    }

    /// Asks each engine from `index` on until one answers; `.declined` when none does.
    public func respond(to message: String, from index: Int = 0) -> EngineResponse {
        var position = index
        while position < links.count {
            let link = links[position]
            let response = link.engine.respond(
                to: EngineRequest(personality: personality, message: message), state: link.state)
            switch response {
            case .reply: return response
            case .declined: position += 1
            case .stream(let stream):
                return .stream(
                    ChainedTokenStream(stream: stream, chain: self, message: message, next: position + 1))
            }
        }
        return .declined
    }

    /// The greeting of the first engine that has one.
    public func greeting() -> String? {
        for link in links {
            if let text = link.engine.greeting(for: personality, state: link.state) { return text }
        }
        return nil
    }

    /// The farewell of the first engine that has one.
    public func farewell() -> String? {
        for link in links {
            if let text = link.engine.farewell(for: personality, state: link.state) { return text }
        }
        return nil
    }

    /// The state of the engine called `name`, for tools that inspect it (tests, explain).
    public func state(of name: String) -> (any EngineSessionState)? {
        links.first { $0.engine.name == name }?.state
    }
}

/// A stream that falls through to the next engines of its chain when its engine declines.
final class ChainedTokenStream: TokenStream {
    private var current: any TokenStream
    private let chain: EngineChain
    private let message: String
    private let next: Int
    private var cancelled = false

    init(stream: any TokenStream, chain: EngineChain, message: String, next: Int) {
        self.current = stream
        self.chain = chain
        self.message = message
        self.next = next
    }

    func start(_ handler: @escaping (TokenStreamEvent) -> Void) {
        current.start { [weak self] event in
            guard let self, !self.cancelled else { return }
            guard event == .declined else { return handler(event) }
            switch self.chain.respond(to: self.message, from: self.next) {
            case .reply(let text):
                self.current = ReplyTokenStream(text)
                self.current.start(handler)
            case .stream(let stream):
                self.current = stream
                stream.start(handler)
            case .declined:
                handler(.declined)
            }
        }
    }

    func cancel() {
        cancelled = true
        current.cancel()
    }
}
