import ChatProtocol
import PersonaRuntime
import Reactor
import Redis
import Synchronization

/// This node's link to the other nodes of a service over one Redis: the shared match queue
/// (see `NodeLink+Matching.swift`), the relay of human-pair mail through a pub/sub channel per
/// node, and the node and owner records renewed by a heartbeat.
///
/// ## How hubs reach other nodes without knowing about them
///
/// Hubs address a partner as ``PeerAddress`` (hub index, session). A partner on another node
/// gets a *virtual* hub index, at or above this node's hub count, interned here per (node,
/// hub). Hub mail to such an index reaches ``forward(_:to:)`` through the shell, which
/// translates it to ``NodeMail`` and publishes it on the partner node's channel; mail arriving
/// on this node's channel is translated back and handed to the right hub on its loop. So the
/// hub stays the same state machine whether a partner is on its loop, another loop, or
/// another node.
///
/// ## Threads
///
/// Sendable: hubs call it from their loops. The Redis connections (one for commands, one
/// subscribed) live on ``loop``, and every Redis call hops there first.
package final class NodeLink: Sendable {
    /// The settings.
    package let configuration: NodeConfiguration
    /// The loop the Redis connections live on.
    package let loop: EventLoop
    /// How many real hubs this node has (virtual indices start here).
    let hubCount: Int
    let core: LoopBound<NodeLinkCore>
    let table = Mutex(VirtualHubs())
    let shells = Mutex<[LoopBound<HubShell>]>([])
    /// The reload coordinator whose reloads this node propagates (see `NodeLink+Reload.swift`).
    let reloads = Mutex<ReloadCoordinator?>(nil)
    /// What the link has done, for tests, benchmarks and `/metrics`.
    package let counters = Mutex(NodeCounters())

    /// Makes the link (nothing connects before ``start()``).
    package init(configuration: NodeConfiguration, loop: EventLoop, hubCount: Int) throws(RedisError) {
        self.configuration = configuration
        self.loop = loop
        self.hubCount = hubCount
        let client = RedisClusterClient(seeds: configuration.seeds, loop: loop)
        let subscriber = try RedisSubscriber(configuration: configuration.redis, loop: loop)
        // In a cluster any node hears every PUBLISH: a subscriber whose node dies moves on
        // to the next master.
        subscriber.client.endpoints = { [weak client] in client?.isCluster == true ? client?.masterNodes ?? [] : [] }
        core = LoopBound(NodeLinkCore(client: client, subscriber: subscriber), loop: loop)
    }

    /// This node's id.
    package var nodeID: String { configuration.nodeID }

    /// Hands the link the server's shells (for delivering mail) and connects: subscribes to
    /// this node's channel, writes the node record and starts the heartbeat.
    func attach(_ shells: [LoopBound<HubShell>]) {
        self.shells.withLock { $0 = shells }
        start()
    }

    /// Connects and starts the heartbeat (without shells, mail from other nodes is dropped).
    package func start() {
        loop.execute { [self] in
            let core = core.value
            core.subscriber.onMessage = { [self] channel, payload in
                if channel == reloadChannel {
                    announced(by: String(decoding: payload, as: UTF8.self))
                } else {
                    received(payload)
                }
            }
            core.subscriber.subscribe([configuration.channel(nodeID)])
            core.subscriber.start()
            core.client.start()
            heartbeat()
        }
    }

    /// Stops the heartbeat, deletes the node record and closes the connections.
    package func stop() {
        loop.execute { [self] in
            let core = core.value
            if let timer = core.heartbeatTimer { _ = loop.cancelTimer(timer) }
            core.heartbeatTimer = nil
            writePresence(core.presence.removeAll())
            core.client.send(["DEL", configuration.nodeKey(nodeID)]) { _ in
                core.client.close()
                core.subscriber.close()
            }
        }
    }

    // MARK: Virtual hubs

    /// The hub index this node's hubs use for `address`: the real index for this node, a
    /// virtual one (interned) for another node.
    package func peerAddress(_ address: NodeAddress) -> PeerAddress {
        if address.node == nodeID { return PeerAddress(hub: address.hub, session: address.session) }
        let index = table.withLock { $0.index(of: NodeHub(node: address.node, hub: address.hub), base: hubCount) }
        return PeerAddress(hub: index, session: address.session)
    }

    /// The node-wide address of a hub's ``PeerAddress``; nil for an unknown virtual index.
    package func nodeAddress(_ address: PeerAddress) -> NodeAddress? {
        if address.hub < hubCount { return NodeAddress(node: nodeID, hub: address.hub, session: address.session) }
        guard let remote = table.withLock({ $0.hub(at: address.hub, base: hubCount) }) else { return nil }
        return NodeAddress(node: remote.node, hub: remote.hub, session: address.session)
    }

    // MARK: Relay

    /// Mail a hub addressed to a virtual hub index: published on that node's channel.
    /// Resume mail (`release`) never names another node and is dropped.
    func forward(_ mail: HubMail, to target: Int) {
        guard let (nodeMail, address) = translate(mail, to: target) else { return }
        if case .partnerLeft = nodeMail.body { loop.execute { [self] in core.value.forgetRemote(address, configuration: configuration) } }
        publish(nodeMail, to: address)
    }

    /// `mail` for virtual hub index `target` as the node mail to publish and the remote
    /// session it is for; nil for an unknown index and for mail that never crosses nodes.
    func translate(_ mail: HubMail, to target: Int) -> (NodeMail, NodeAddress)? {
        guard let remote = table.withLock({ $0.hub(at: target, base: hubCount) }) else { return nil }
        let body: NodeMail.Body
        let session: String
        switch mail {
        case .paired(let id, let partner):
            guard let partner = nodeAddress(partner) else { return nil }
            (body, session) = (.paired(session: id, partner: partner), id)
        case .relay(let id, let text): (body, session) = (.relay(session: id, text: text), id)
        case .typing(let id, let on): (body, session) = (.typing(session: id, on: on), id)
        case .partnerLeft(let id, let reason): (body, session) = (.partnerLeft(session: id, reason: reason), id)
        case .unmatched, .release, .released: return nil
        }
        return (NodeMail(hub: remote.hub, body), NodeAddress(node: remote.node, hub: remote.hub, session: session))
    }

    /// What the session store publishes, with a human message's write, to carry `mail` (a
    /// relay) to virtual hub index `target`: the channel and payload, and the remote session
    /// (for ``carried(_:to:receivers:)``). Nil when `mail` does not go to another node.
    package func publication(for mail: HubMail, to target: Int) -> (publication: StorePublication, mail: NodeMail, target: NodeAddress)? {
        guard let (nodeMail, address) = translate(mail, to: target) else { return nil }
        let publication = StorePublication(
            channel: configuration.channel(address.node), payload: NodeMailCodec.encode([nodeMail]))
        return (publication, nodeMail, address)
    }

    /// The store published `mail` for `target` with a write, and `receivers` subscribers got
    /// it: counted like a mail this link published, with the same rule for a gone node.
    package func carried(_ mail: NodeMail, to target: NodeAddress, receivers: Int) {
        loop.execute { [self] in
            counters.withLock {
                $0.published += 1
                $0.carried += 1
            }
            published(mail, to: target, receivers: Int64(receivers))
        }
    }

    /// Publishes one mail for `target`; when nobody receives it (the node is gone) or Redis
    /// fails, the local partner of `target` (if known) ends with `partner_left`. `answered`
    /// runs first, once Redis has answered (or the call failed).
    func publish(_ mail: NodeMail, to target: NodeAddress, answered: (@Sendable () -> Void)? = nil) {
        let payload = NodeMailCodec.encode([mail])
        let channel = configuration.channel(target.node)
        loop.execute { [self] in
            counters.withLock { $0.published += 1 }
            core.value.client.send(bytes: [Array("PUBLISH".utf8), Array(channel.utf8), payload]) { [self] result in
                answered?()
                published(mail, to: target, receivers: (try? result.get())?.int)
            }
        }
    }

    /// A mail for `target` reached `receivers` subscribers (nil: Redis failed). In a cluster the
    /// count is only the subscribers on the node the `PUBLISH` went to: zero proves nothing
    /// there, and a gone node is found by the heartbeat. Otherwise none means the node is
    /// gone, and the local partner of `target` ends `partner_left`.
    func published(_ mail: NodeMail, to target: NodeAddress, receivers: Int64?) {
        if let receivers, receivers > 0 || core.value.client.isCluster { return }
        counters.withLock { $0.undelivered += 1 }
        if case .partnerLeft = mail.body { return }
        partnerUnreachable(target)
    }

    /// A remote session cannot be reached: its local partner (if any) ends `partner_left`.
    func partnerUnreachable(_ remote: NodeAddress) {
        let core = core.value
        guard let local = core.localPartner[remote] else { return }
        core.forgetRemote(remote, configuration: configuration)
        deliver(.partnerLeft(session: local.session, reason: .partnerLeft), hub: local.hub)
    }

    /// A payload arrived on this node's channel.
    func received(_ payload: [UInt8]) {
        let mails: [NodeMail]
        do {
            mails = try NodeMailCodec.decode(payload, limits: configuration.mailLimits)
        } catch {
            counters.withLock { $0.refusedPayloads += 1 }
            return
        }
        counters.withLock { $0.received += mails.count }
        let core = core.value
        for mail in mails {
            let hubMail: HubMail
            switch mail.body {
            case .paired(let session, let partner):
                core.queues[PeerAddress(hub: mail.hub, session: session)] = nil
                if let timer = core.graceTimers.removeValue(forKey: session) { _ = loop.cancelTimer(timer) }
                core.remember(remote: partner, local: PeerAddress(hub: mail.hub, session: session), configuration: configuration)
                hubMail = .paired(session: session, partner: peerAddress(partner))
            case .relay(let session, let text): hubMail = .relay(session: session, text: text)
            case .typing(let session, let on): hubMail = .typing(session: session, on: on)
            case .partnerLeft(let session, let reason):
                if let remote = core.remotePartner[session] { core.forgetRemote(remote, configuration: configuration) }
                hubMail = .partnerLeft(session: session, reason: reason)
            case .release(let session):
                released(session)
                continue
            }
            deliver(hubMail, hub: mail.hub)
        }
    }

    /// Hands `mail` to hub `hub` of this node, on its loop.
    func deliver(_ mail: HubMail, hub: Int) {
        let shells = shells.withLock { $0 }
        guard shells.indices.contains(hub) else { return }
        let shell = shells[hub]
        shell.loop.execute { shell.value.perform(shell.value.hub.mailReceived(mail)) }
    }

    // MARK: Heartbeat

    /// Renews the node record, the owner record of every local session in a cross-node pair
    /// and the presence of every local session (one pipelined batch), checks that the nodes of remote partners still heartbeat
    /// (a gone node's partners end `partner_left`), and schedules the next beat.
    func heartbeat() {
        let core = core.value
        let lifetime = String(configuration.recordLifetimeMilliseconds)
        core.client.send(["SET", configuration.nodeKey(nodeID), "alive", "PX", lifetime]) { [self] result in
            // Redis unreachable: relay cannot be promised, so every cross-node pair ends now
            // (partner_left) rather than talking into the void; each node does the same.
            guard case .failure = result else { return }
            for remote in core.localPartner.keys { partnerUnreachable(remote) }
        }
        for (_, local) in core.localPartner {
            core.client.send(["SET", configuration.ownerKey(local.session), nodeID, "PX", lifetime]) { _ in }
        }
        for node in Set(core.localPartner.keys.map(\.node)) {
            core.client.send(["EXISTS", configuration.nodeKey(node)]) { [self] result in
                guard case .success(let reply) = result, reply.int == 0 else { return }
                for remote in core.localPartner.keys where remote.node == node { partnerUnreachable(remote) }
            }
        }
        renewPresence()
        counters.withLock { $0.heartbeats += 1 }
        core.heartbeatTimer = loop.scheduleTimer(after: configuration.heartbeatInterval) { [self] in heartbeat() }
    }
}

/// The loop-confined half of a ``NodeLink``: the Redis connections and the pair table.
final class NodeLinkCore {
    let client: any RedisCommanding
    let subscriber: RedisSubscriber
    var heartbeatTimer: TimerID?
    /// Local session of each remote session in a cross-node pair.
    var localPartner: [NodeAddress: PeerAddress] = [:]
    /// Remote partner of each local session in a cross-node pair.
    var remotePartner: [String: NodeAddress] = [:]
    /// The queue (tenant list) each waiting local session's ticket went to, for its withdraw.
    var queues: [PeerAddress: String] = [:]
    /// Withdraws that found their ticket claimed, waiting for the pairing mail.
    var graceTimers: [String: TimerID] = [:]
    /// What this node last wrote to the presence (see `NodeLink+Presence.swift`).
    var presence = PresenceTracker()

    init(client: any RedisCommanding, subscriber: RedisSubscriber) {
        self.client = client
        self.subscriber = subscriber
    }

    /// A cross-node pair formed: remembered for the heartbeat, with an owner record at once.
    func remember(remote: NodeAddress, local: PeerAddress, configuration: NodeConfiguration) {
        guard remote.node != configuration.nodeID else { return }
        localPartner[remote] = local
        remotePartner[local.session] = remote
        let lifetime = String(configuration.recordLifetimeMilliseconds)
        client.send(["SET", configuration.ownerKey(local.session), configuration.nodeID, "PX", lifetime]) { _ in }
    }

    /// A cross-node pair ended: forgotten, owner record deleted.
    func forgetRemote(_ remote: NodeAddress, configuration: NodeConfiguration) {
        guard let local = localPartner.removeValue(forKey: remote) else { return }
        remotePartner[local.session] = nil
        client.send(["DEL", configuration.ownerKey(local.session)]) { _ in }
    }
}

/// What a ``NodeLink`` has done.
package struct NodeCounters: Hashable, Sendable {
    /// Mails published to other nodes.
    package var published = 0
    /// Of those, relays the session store published with the sender's write.
    package var carried = 0
    /// Published mails nobody received (node gone) or that Redis refused.
    package var undelivered = 0
    /// Mails received from other nodes.
    package var received = 0
    /// Payloads refused by the codec.
    package var refusedPayloads = 0
    /// Claim-or-wait scripts run.
    package var claims = 0
    /// Sessions paired across the shared queue (counted by the claiming node).
    package var pairsMade = 0
    /// Sessions told to fall back (`unmatched`) by the shared queue.
    package var unmatched = 0
    /// Redis failures met by matchmaking (each one a local fallback).
    package var matchFailures = 0
    /// Heartbeats run.
    package var heartbeats = 0
    /// Presence entries written or renewed.
    package var presenceRenewed = 0
    /// Presence entries not written because their tenant's presence was full.
    package var presenceRefused = 0
    /// Presence entries removed (session ended or moved).
    package var presenceRemoved = 0
    /// Sessions resumed here that another node held: `release` sent to it.
    package var releasesAsked = 0
    /// `release` mails received from nodes that resumed a session.
    package var releasesReceived = 0
}

/// A hub on another node.
struct NodeHub: Hashable {
    var node: String
    var hub: Int
}

/// Virtual hub indices for hubs on other nodes, interned on first sight (never reused, so a
/// stale index can only name the hub it named before).
struct VirtualHubs {
    var indices: [NodeHub: Int] = [:]
    var hubs: [NodeHub] = []

    mutating func index(of hub: NodeHub, base: Int) -> Int {
        if let index = indices[hub] { return index }
        hubs.append(hub)
        indices[hub] = base + hubs.count - 1
        return base + hubs.count - 1
    }

    func hub(at index: Int, base: Int) -> NodeHub? {
        let position = index - base
        return hubs.indices.contains(position) ? hubs[position] : nil
    }
}
