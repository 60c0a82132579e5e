import Engines
import Foundation
import HTTP1
import Observability
import Personality
import Reactor
import Upstream

/// The `llm` engine's transport on the server's event loops: one ``UpstreamClient`` (with its
/// keep-alive pools) per loop, timers on the loop, API keys read from the environment at
/// request time (so a key rotated with the process's environment needs no reload).
public final class UpstreamLLMTransport: LLMTransport {
    private let group: EventLoopGroup
    private let clients: [LoopBound<UpstreamClient>]
    /// TLS contexts shared by the loops.
    public let tlsContexts: TLSContextCache
    private let environment: @Sendable (String) -> String?

    /// Creates the transport for `group`.
    public init(
        group: EventLoopGroup, tlsContexts: TLSContextCache = TLSContextCache(),
        configuration: UpstreamClient.Configuration = .init(),
        environment: @escaping @Sendable (String) -> String? = { ProcessInfo.processInfo.environment[$0] }
    ) {
        self.group = group
        self.tlsContexts = tlsContexts
        self.environment = environment
        clients = group.loops.map {
            LoopBound(UpstreamClient(loop: $0, tlsContexts: tlsContexts, configuration: configuration), loop: $0)
        }
    }

    /// Makes the TLS contexts `upstreams` need now (reading CA files), off the loops, so the
    /// first request does not read the disk; problems are returned for the log.
    public func prepare(_ upstreams: UpstreamsConfiguration) -> [String] {
        var problems: [String] = []
        for upstream in upstreams.byName.values where upstream.isTLS {
            do {
                _ = try tlsContexts.context(caFile: upstream.caFile)
            } catch {
                problems.append("upstream '\(upstream.name)': \(error)")
            }
        }
        return problems.sorted()
    }

    private var current: (loop: EventLoop, client: UpstreamClient) {
        for bound in clients where bound.loop.inEventLoop { return (bound.loop, bound.value) }
        preconditionFailure("the llm transport is used off the server's event loops")
    }

    /// Sends the request with the upstream's headers and key.
    public func streamChat(
        body: [UInt8], to upstream: UpstreamDefinition, _ events: @escaping (LLMTransportEvent) -> Void
    ) -> any LLMCancellable {
        var headers: HTTPHeaders = [
            "Content-Type": "application/json", "Accept": "text/event-stream", "User-Agent": "persona",
        ]
        if let variable = upstream.apiKeyEnvironmentVariable, let key = environment(variable), !key.isEmpty {
            headers.add(name: "Authorization", value: "Bearer \(key)")
        }
        for (name, value) in upstream.headers.sorted(by: { $0.key < $1.key }) { headers.add(name: name, value: value) }
        let endpoint = UpstreamEndpoint(
            host: upstream.host, port: upstream.port, isTLS: upstream.isTLS, caFile: upstream.caFile,
            connectTimeout: upstream.timeouts.connect)
        let exchange = current.client.send(
            UpstreamRequest(target: upstream.basePath + "/chat/completions", headers: headers, body: body),
            to: endpoint, hostHeader: upstream.hostHeader
        ) { event in
            switch event {
            case .head(let head):
                events(.status(head.status.code, retryAfter: Self.retryAfter(head.headers["Retry-After"])))
            case .events(let list):
                for item in list { events(.data(item.data)) }
            case .body:
                break
            case .end:
                events(.end)
            case .failed(let error):
                events(.failed(error.description))
            }
        }
        return ExchangeCancellation(exchange)
    }

    /// Runs `body` on the current loop after `delay`.
    public func schedule(after delay: Duration, _ body: @escaping () -> Void) -> any LLMCancellable {
        let loop = current.loop
        let timer = loop.scheduleTimer(after: delay, body)
        return TimerCancellation(loop: loop, timer: timer)
    }

    /// The loop clock.
    public func now() -> Duration {
        let instant = current.loop.now()
        return .nanoseconds(Int64(instant.nanoseconds))
    }

    /// Wall-clock milliseconds.
    public func wallMilliseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }

    /// Today's UTC date, from the log timestamp's calendar arithmetic.
    public func utcDate() -> String {
        String(LogTimestamp(nanosecondsSinceEpoch: wallMilliseconds() * 1_000_000).description.prefix(10))
    }

    /// `Retry-After` in delay-seconds form (RFC 9110 §10.2.3); the HTTP-date form is ignored
    /// (the backoff applies instead).
    static func retryAfter(_ value: String?) -> Duration? {
        guard let value, let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds >= 0,
            seconds <= 3_600
        else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }
}

private final class ExchangeCancellation: LLMCancellable {
    let exchange: UpstreamExchange
    init(_ exchange: UpstreamExchange) { self.exchange = exchange }
    func cancel() { exchange.cancel() }
}

private final class TimerCancellation: LLMCancellable {
    let loop: EventLoop
    var timer: TimerID?
    init(loop: EventLoop, timer: TimerID) {
        self.loop = loop
        self.timer = timer
    }
    func cancel() {
        if let timer { _ = loop.cancelTimer(timer) }
        timer = nil
    }
}
