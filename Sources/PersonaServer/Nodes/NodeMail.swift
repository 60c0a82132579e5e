import ChatProtocol

/// A session's address in a service of several nodes: the node, its hub (event loop) there,
/// and the session id on that hub.
package struct NodeAddress: Hashable, Sendable {
    /// The node's id (`persona serve --node-id`).
    package var node: String
    /// The hub's index on that node.
    package var hub: Int
    /// The session id on that hub.
    package var session: String

    /// Creates an address.
    package init(node: String, hub: Int, session: String) {
        self.node = node
        self.hub = hub
        self.session = session
    }
}

/// Hub mail on its way to another node: what one side of a human pair tells the other side
/// when the two live on different nodes (published on the target node's channel, encoded by
/// ``NodeMailCodec``).
package struct NodeMail: Hashable, Sendable {
    /// What it says, to which session.
    package enum Body: Hashable, Sendable {
        /// The waiting `session` was matched with `partner`.
        case paired(session: String, partner: NodeAddress)
        /// The partner of `session` said `text` (already scrubbed).
        case relay(session: String, text: String)
        /// The partner of `session` started or stopped typing.
        case typing(session: String, on: Bool)
        /// The partner of `session` left; `session` ends with `reason`.
        case partnerLeft(session: String, reason: EndReason)
        /// Another node resumed `session` for its client: let go of it (every hub of the
        /// receiving node is asked; the one holding it detaches its connection with
        /// `session_detached`, finishes its reply into the store and forgets it).
        case release(session: String)
    }

    /// The hub on the receiving node that holds the target session.
    package var hub: Int
    /// The message.
    package var body: Body

    /// Creates a mail for hub `hub` of the receiving node.
    package init(hub: Int, _ body: Body) {
        self.hub = hub
        self.body = body
    }
}
