import Reactor

/// Pub/sub on a dedicated connection: a subscribed connection cannot carry ordinary commands
/// (in RESP2 at all; in RESP3 its pushes would interleave with replies), so a node keeps one
/// ``RedisClient`` for commands and one subscriber.
///
/// The subscriber remembers its channels and subscribes to all of them again after every
/// reconnect, so a message published while the connection was down is lost (pub/sub keeps
/// nothing) but every message published after ``onSubscribed`` reports the channel arrives.
///
/// Loop-confined, like the client it owns.
public final class RedisSubscriber {
    /// The connection's client (status, reconnect counts).
    public let client: RedisClient
    /// The channels subscribed to (or to be, once connected).
    public private(set) var channels: Set<String> = []
    /// A message arrived on `channel`.
    public var onMessage: ((_ channel: String, _ payload: [UInt8]) -> Void)?
    /// The server confirmed a subscription to `channel` (after each reconnect too).
    public var onSubscribed: ((_ channel: String) -> Void)?

    /// Makes a subscriber with its own connection.
    public init(configuration: RedisConfiguration, loop: EventLoop) throws(RedisError) {
        client = try RedisClient(configuration: configuration, loop: loop)
        client.subscriberMode = true
        client.commandsAfterHandshake = { [weak self] in
            guard let self, !self.channels.isEmpty else { return [] }
            return [["SUBSCRIBE"] + self.channels.sorted()].map { $0.map { Array($0.utf8) } }
        }
        client.onPush = { [weak self] value in self?.received(value) }
    }

    /// Connects. Loop thread only.
    public func start() {
        client.start()
    }

    /// Subscribes to `channels` (now if connected, else on connecting).
    public func subscribe(_ channels: [String]) {
        let new = channels.filter { !self.channels.contains($0) }
        guard !new.isEmpty else { return }
        self.channels.formUnion(new)
        client.sendWithoutReply((["SUBSCRIBE"] + new).map { Array($0.utf8) })
    }

    /// Unsubscribes from `channels`.
    public func unsubscribe(_ channels: [String]) {
        let gone = channels.filter { self.channels.contains($0) }
        guard !gone.isEmpty else { return }
        self.channels.subtract(gone)
        client.sendWithoutReply((["UNSUBSCRIBE"] + gone).map { Array($0.utf8) })
    }

    /// Closes the connection for good.
    public func close() {
        client.close()
    }

    private func received(_ value: RESPValue) {
        guard let items = value.elements, let kind = items.first?.string?.lowercased() else { return }
        switch kind {
        case "message" where items.count == 3:
            guard let channel = items[1].string, let payload = items[2].bytes else { return }
            onMessage?(channel, payload)
        case "subscribe" where items.count >= 2:
            if let channel = items[1].string { onSubscribed?(channel) }
        default:
            break
        }
    }
}
