import Redis

/// How a node joins a service of several nodes over one Redis (`persona serve --redis`).
package struct NodeConfiguration: Sendable {
    /// Where Redis is: the first seed.
    package var redis: RedisConfiguration
    /// Every seed (`--redis URL,URL…`): plain servers tried in order, or a Redis Cluster's
    /// nodes (see ``RedisClusterClient``). Default: ``redis`` alone.
    package var seeds: [RedisConfiguration]
    /// This node's id, unique in the service (`--node-id`; default `HOST-PID`).
    package var nodeID: String
    /// Prefix of every key and channel. Default `persona:`.
    package var keyPrefix: String
    /// How often the node renews its node record and its sessions' owner records. Default 2 s;
    /// records live three intervals, so a node that stops renewing is gone within 6 s.
    package var heartbeatInterval: Duration
    /// How long a waiting ticket may stay in the shared queue at most (a ticket whose node died
    /// is skipped and dropped after it). Default 300 s; a matchmaking timeout longer than this
    /// still works, but the ticket stops being matchable across nodes when it expires.
    package var ticketLifetime: Duration
    /// Most sessions waiting in the shared queue; a session arriving at a full queue falls
    /// back to a personality at once. Default 10,000.
    package var maxWaiting: Int
    /// How long after a withdraw that found its ticket claimed the node waits for the pairing
    /// mail before it gives up on it and lets the session fall back. Default 2 s.
    package var claimGrace: Duration
    /// Bounds on a decoded payload.
    package var mailLimits: NodeMailCodec.Limits
    /// Most sessions one tenant's presence holds across all nodes; a session past it is not
    /// listed (it still chats), counted in `persona_node_presence_total{outcome="refused"}`.
    /// Default 100,000.
    package var maxPresencePerTenant = 100_000

    /// Creates a configuration with the defaults above.
    package init(
        redis: RedisConfiguration, nodeID: String, keyPrefix: String = "persona:",
        heartbeatInterval: Duration = .seconds(2), ticketLifetime: Duration = .seconds(300), maxWaiting: Int = 10_000,
        claimGrace: Duration = .seconds(2), mailLimits: NodeMailCodec.Limits = NodeMailCodec.Limits()
    ) {
        self.redis = redis
        self.seeds = [redis]
        self.nodeID = nodeID
        self.keyPrefix = keyPrefix
        self.heartbeatInterval = heartbeatInterval
        self.ticketLifetime = ticketLifetime
        self.maxWaiting = maxWaiting
        self.claimGrace = claimGrace
        self.mailLimits = mailLimits
    }

    /// How long node and owner records live: three heartbeats, in milliseconds.
    package var recordLifetimeMilliseconds: Int64 { 3 * NodeConfiguration.milliseconds(heartbeatInterval) }

    /// A duration in whole milliseconds.
    package static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    /// The shared waiting queue of `tenant` (a list of tickets). Tenants never meet, so each
    /// has its own list and a start never scans another tenant's tickets; clients without a
    /// tenant share `match:queue`.
    package func queueKey(tenant: String?) -> String {
        tenant.map { keyPrefix + "match:queue:" + $0 } ?? keyPrefix + "match:queue"
    }
    /// The node record of `node` (present while the node heartbeats).
    package func nodeKey(_ node: String) -> String { keyPrefix + "node:" + node }
    /// The pub/sub channel where `node` receives its mail.
    package func channel(_ node: String) -> String { keyPrefix + "node:" + node + ":mail" }
    /// The presence of `tenant` (a sorted set session → expiry in Redis milliseconds). The
    /// tenant is the hash tag, so the set and its ``presenceInfoKey(tenant:)`` share a slot.
    package func presenceKey(tenant: String?) -> String { keyPrefix + "presence:{" + Self.presenceTag(tenant) + "}" }
    /// What each present session of `tenant` is (a hash session → ``PresenceEntry/info``).
    package func presenceInfoKey(tenant: String?) -> String { presenceKey(tenant: tenant) + ":info" }
    /// The tenants with presence (a sorted set ``presenceTag(_:)`` → expiry).
    package var presenceTenantsKey: String { keyPrefix + "presence:tenants" }
    /// `t:<tenant>`, or `-` for clients without a tenant (never a tenant's tag).
    package static func presenceTag(_ tenant: String?) -> String { tenant.map { "t:" + $0 } ?? "-" }
    /// The tenant of a ``presenceTag(_:)``; nil for `-`.
    package static func tenant(ofPresenceTag tag: String) -> String? { tag.hasPrefix("t:") ? String(tag.dropFirst(2)) : nil }
    /// The owner record of a session in a cross-node pair: the node that holds it.
    package func ownerKey(_ session: String) -> String { keyPrefix + "owner:" + session }
}
