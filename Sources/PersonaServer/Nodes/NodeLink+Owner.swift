import PersonaRuntime
import Reactor
import Redis
import Synchronization

/// One holder per session across the nodes: the presence entry of every live session names the
/// node holding it (written when the session starts or is resumed, renewed by the heartbeat).
/// When a client resumes on this node a session whose entry names another node — the client's
/// connection moved while that node still holds the session — this node tells the other one,
/// through its channel, to let go: there every hub gets the same `release` a resume on another
/// loop sends, so the holder detaches its connection with `session_detached`, finishes a
/// streaming reply into the store and forgets the session. This node does not wait for it: it
/// has already adopted the session from the store (README → "Several nodes (Redis)" → owner).
extension NodeLink {
    /// The requester named in a `release` from another node: no hub has this index, so the
    /// holder's `released` answer goes nowhere.
    static let nobody = Int.max

    /// HubShell saw `session_started` or `session_resumed` for `entry`: writes its entry now,
    /// and after a resume first asks who held it and, if another node, tells that node to let go.
    func sessionHeld(_ entry: PresenceEntry, resumed: Bool) {
        loop.execute { [self] in
            let core = core.value
            if resumed {
                core.client.send(["HGET", configuration.presenceInfoKey(tenant: entry.tenant), entry.session])
                {
                    [self] result in
                    guard case .success(let reply) = result, let info = reply.string,
                        let holder = PresenceEntry(session: entry.session, tenant: entry.tenant, info: info)?
                            .node,
                        holder != nodeID
                    else { return }
                    counters.withLock { $0.releasesAsked += 1 }
                    publish(
                        NodeMail(hub: 0, .release(session: entry.session)),
                        to: NodeAddress(node: holder, hub: 0, session: entry.session))
                }
            }
            writePresence([core.presence.started(entry)])
        }
    }

    /// Another node resumed `session`: every hub here lets go of it (on the link's loop).
    func released(_ session: String) {
        counters.withLock { $0.releasesReceived += 1 }
        core.value.presence.handedOver(session)
        let count = shells.withLock { $0.count }
        for hub in 0..<count { deliver(.release(session: session, requester: Self.nobody), hub: hub) }
    }
}
