import HTTP1

/// One request in flight, and the handle its owner cancels it with. Loop thread only.
///
/// ``cancel()`` closes the connection at once: the upstream sees the close and stops
/// generating, and no token that nobody will read is paid for. The connection is never
/// returned to the pool after a cancel (its response is still half-read).
public final class UpstreamExchange {
    let request: UpstreamRequest
    let endpoint: UpstreamEndpoint
    private var handler: ((UpstreamEvent) -> Void)?
    private var reader: UpstreamResponseReader
    private weak var client: UpstreamClient?
    var connection: UpstreamConnection?
    private var retriedStale = false
    var hostHeader = ""

    init(
        request: UpstreamRequest, endpoint: UpstreamEndpoint, client: UpstreamClient,
        configuration: UpstreamResponseReader.Configuration, handler: @escaping (UpstreamEvent) -> Void
    ) {
        self.request = request
        self.endpoint = endpoint
        self.client = client
        self.handler = handler
        reader = UpstreamResponseReader(
            events: request.streamsEvents, isHeadRequest: request.method == .head, configuration: configuration)
    }

    /// Whether the exchange is over (ended, failed or cancelled).
    public var isDone: Bool { handler == nil }

    /// Stops the exchange and closes its connection now.
    public func cancel() {
        guard handler != nil else { return }
        handler = nil
        connection?.exchange = nil
        connection?.close()
        connection = nil
    }

    /// The request's bytes.
    func encoded(hostHeader: String) -> [UInt8] {
        var fields = request.headers
        fields.replaceOrAdd(name: "Host", value: hostHeader)
        if !request.body.isEmpty || request.method == .post || request.method == .put {
            fields.replaceOrAdd(name: "Content-Length", value: String(request.body.count))
        }
        var bytes: [UInt8] = []
        HTTP1RequestEncoder.encodeHead(
            HTTP1RequestHead(method: request.method, target: request.target, headers: fields), into: &bytes)
        bytes += request.body
        return bytes
    }

    func received(_ bytes: [UInt8]) {
        guard handler != nil else { return }
        do {
            deliver(try reader.feed(bytes))
        } catch {
            fail(error)
        }
    }

    func receivedEOF() {
        guard handler != nil else { return }
        do {
            deliver(try reader.feedEOF())
        } catch {
            fail(error)
        }
    }

    func connectionFailed(_ error: UpstreamError) {
        guard handler != nil else { return }
        connection = nil
        // A kept-alive connection the upstream closed while it sat idle fails on first use
        // with no byte received: that is not the upstream's answer, so try once on a new one.
        if !retriedStale, !reader.receivedAnything, case .reset = error, let client, client.lastWasReused(self) {
            retriedStale = true
            client.start(self, allowReuse: false)
            return
        }
        fail(error)
    }

    func failBeforeConnection(_ error: UpstreamError) {
        fail(error)
    }

    private func fail(_ error: UpstreamError) {
        guard let handler else { return }
        self.handler = nil
        connection?.exchange = nil
        connection?.close()
        connection = nil
        handler(.failed(error))
    }

    private func deliver(_ outputs: [UpstreamResponseReader.Output]) {
        for output in outputs {
            guard let handler else { return }
            switch output {
            case .head(let head): handler(.head(head))
            case .body(let bytes): handler(.body(bytes))
            case .events(let events): if !events.isEmpty { handler(.events(events)) }
            case .end(let reusable):
                self.handler = nil
                if let connection {
                    connection.exchange = nil
                    self.connection = nil
                    client?.release(connection, reusable: reusable)
                }
                handler(.end)
            }
        }
    }
}
