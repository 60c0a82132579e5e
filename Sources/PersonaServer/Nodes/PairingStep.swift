import PersonaRuntime

/// What the claiming node does once its waiting-to-be session took a partner's ticket: pure,
/// so the order can be read and tested; ``NodeLink`` runs the steps.
///
/// A partner on another node hears `paired` through a `PUBLISH` on the link's connection,
/// while the claiming session's first message may reach that node through another connection
/// (the session store publishes the relay with its write). Redis hands a subscriber the
/// messages it processed in the order it processed them, so the claiming session is told of
/// the pairing only after Redis answered the `PUBLISH`: its client cannot send a message
/// before then, and its relay can never reach the partner's node before `paired` does (where
/// the partner, still matching, would drop it after the sender had its `ack`).
package indirect enum PairingStep: Hashable, Sendable {
    /// Hands `mail` to hub `hub` of this node.
    case deliver(HubMail, hub: Int)
    /// Publishes `mail` for `target`, then (answered or failed) runs `then`.
    case publish(NodeMail, to: NodeAddress, then: [PairingStep])

    /// The steps for local session `me` paired with `partner`; `partnerIndex` is the hub
    /// address this node's hubs use for the partner, `nodeID` this node's id.
    package static func pairing(
        me: PeerAddress, partner: NodeAddress, partnerIndex: PeerAddress, nodeID: String
    ) -> [PairingStep] {
        let mine = PairingStep.deliver(.paired(session: me.session, partner: partnerIndex), hub: me.hub)
        guard partner.node != nodeID else {
            return [.deliver(.paired(session: partner.session, partner: me), hub: partner.hub), mine]
        }
        let myAddress = NodeAddress(node: nodeID, hub: me.hub, session: me.session)
        return [.publish(NodeMail(hub: partner.hub, .paired(session: partner.session, partner: myAddress)), to: partner, then: [mine])]
    }
}
