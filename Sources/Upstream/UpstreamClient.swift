import HTTP1
import Reactor

/// An HTTP/1.1 client for LLM upstreams on one event loop: a keep-alive pool per endpoint,
/// streamed bodies (chunked, event streams), TLS through ``TLSContextCache``. Loop thread only;
/// a server makes one per loop.
///
/// Every step is non-blocking: name lookup runs off the loop, connect and TLS are driven by
/// readiness, and bodies are parsed as they arrive.
public final class UpstreamClient {
    /// Limits.
    public struct Configuration: Sendable {
        /// Idle connections kept per endpoint; more are closed when released. Default 256.
        public var maxIdlePerEndpoint: Int
        /// Response limits.
        public var reader: UpstreamResponseReader.Configuration

        /// Creates limits.
        public init(maxIdlePerEndpoint: Int = 256, reader: UpstreamResponseReader.Configuration = .init()) {
            self.maxIdlePerEndpoint = maxIdlePerEndpoint
            self.reader = reader
        }
    }

    /// The loop.
    public let loop: EventLoop
    /// The limits in force.
    public let configuration: Configuration
    private let tlsContexts: TLSContextCache
    private var idle: [UpstreamEndpoint: [UpstreamConnection]] = [:]
    private var reused: Set<ObjectIdentifier> = []
    /// Connections opened so far (tests show reuse with it).
    public private(set) var connectionsOpened = 0

    /// Creates a client for `loop`.
    public init(loop: EventLoop, tlsContexts: TLSContextCache, configuration: Configuration = Configuration()) {
        self.loop = loop
        self.tlsContexts = tlsContexts
        self.configuration = configuration
    }

    /// Idle connections to `endpoint`.
    public func idleCount(_ endpoint: UpstreamEndpoint) -> Int { idle[endpoint]?.count ?? 0 }

    /// Sends `request`; `handler` gets the response's events on the loop (never from inside
    /// this call). Cancel with the returned exchange.
    @discardableResult
    public func send(
        _ request: UpstreamRequest, to endpoint: UpstreamEndpoint, hostHeader: String? = nil,
        _ handler: @escaping (UpstreamEvent) -> Void
    ) -> UpstreamExchange {
        precondition(loop.inEventLoop, "UpstreamClient is used off its loop")
        let exchange = UpstreamExchange(
            request: request, endpoint: endpoint, client: self, configuration: configuration.reader,
            handler: handler)
        exchange.hostHeader = hostHeader ?? Self.defaultHost(endpoint)
        loop.executeOnLoop { [weak self] in
            guard let self, !exchange.isDone else { return }
            self.start(exchange, allowReuse: true)
        }
        return exchange
    }

    func start(_ exchange: UpstreamExchange, allowReuse: Bool) {
        reused.remove(ObjectIdentifier(exchange))
        if allowReuse, var pool = idle[exchange.endpoint] {
            while let connection = pool.popLast() {
                guard connection.isReusable else { continue }
                idle[exchange.endpoint] = pool
                reused.insert(ObjectIdentifier(exchange))
                return run(exchange, on: connection)
            }
            idle[exchange.endpoint] = pool
        }
        let connection = UpstreamConnection(endpoint: exchange.endpoint, loop: loop)
        connectionsOpened += 1
        exchange.connection = connection
        connection.open(tlsContexts: tlsContexts) { [weak self, weak exchange, weak connection] result in
            guard let connection else { return }
            guard let self, let exchange, !exchange.isDone else {
                // Cancelled while connecting: keep the connection for the next request.
                if case .success = result { self?.release(connection, reusable: true) }
                return
            }
            switch result {
            case .success: self.run(exchange, on: connection)
            case .failure(let error): exchange.failBeforeConnection(error)
            }
        }
    }

    private func run(_ exchange: UpstreamExchange, on connection: UpstreamConnection) {
        exchange.connection = connection
        connection.exchange = exchange
        connection.exchangesCarried += 1
        connection.send(exchange.encoded(hostHeader: exchange.hostHeader))
    }

    func lastWasReused(_ exchange: UpstreamExchange) -> Bool {
        reused.remove(ObjectIdentifier(exchange)) != nil
    }

    /// Takes a connection back after a complete response.
    func release(_ connection: UpstreamConnection, reusable: Bool) {
        guard reusable, connection.isReusable else {
            connection.close()
            return
        }
        var pool = idle[connection.endpoint] ?? []
        guard pool.count < configuration.maxIdlePerEndpoint else {
            connection.close()
            return
        }
        connection.onIdleClose = { [weak self] closed in
            guard let self else { return }
            self.idle[closed.endpoint]?.removeAll { $0 === closed }
        }
        pool.append(connection)
        idle[connection.endpoint] = pool
    }

    /// Closes every idle connection (shutdown, tests).
    public func closeIdle() {
        for (_, pool) in idle { for connection in pool { connection.close() } }
        idle.removeAll()
    }

    static func defaultHost(_ endpoint: UpstreamEndpoint) -> String {
        let literal = endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host
        return endpoint.port == (endpoint.isTLS ? 443 : 80) ? literal : "\(literal):\(endpoint.port)"
    }
}
