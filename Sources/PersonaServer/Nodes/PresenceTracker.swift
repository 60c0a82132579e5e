/// What one node last wrote to the service-wide presence, and what to write next: pure, so
/// the heartbeat's arithmetic is tested without Redis (the writing is in
/// `NodeLink+Presence.swift`).
///
/// Each heartbeat hands it the node's live sessions; it answers one ``PresenceBatch`` per
/// tenant: the sessions to renew (every live one — renewing is what keeps an entry alive) and
/// the ones written before that are gone now (ended, or moved to another node by a resume).
/// A session that ends between beats is removed at once through ``ended(_:)``.
package struct PresenceTracker: Sendable {
    /// Most sessions renewed by one script run; a larger tenant takes several runs, so one
    /// heartbeat never blocks Redis for long. Default 1,000.
    package var chunkSize: Int
    /// Tenant of every session written at the last beat.
    package private(set) var written: [String: String?] = [:]

    /// A tracker that has written nothing yet.
    package init(chunkSize: Int = 1_000) {
        self.chunkSize = max(1, chunkSize)
    }

    /// The writes for one heartbeat given the node's live sessions now: per tenant (tenants
    /// sorted, no-tenant first), removals in the first batch, renewals chunked.
    package mutating func beat(_ live: [PresenceEntry]) -> [PresenceBatch] {
        var renew: [String?: [PresenceEntry]] = [:]
        var now: [String: String?] = [:]
        for entry in live {
            renew[entry.tenant, default: []].append(entry)
            now[entry.session] = entry.tenant
        }
        var remove: [String?: [String]] = [:]
        for (session, tenant) in written where now[session] == nil {
            remove[tenant, default: []].append(session)
        }
        written = now
        let tenants = Set(renew.keys).union(remove.keys).sorted {
            ($0.map { "t" + $0 } ?? "") < ($1.map { "t" + $0 } ?? "")
        }
        var batches: [PresenceBatch] = []
        for tenant in tenants {
            let entries = renew[tenant] ?? []
            var removals = (remove[tenant] ?? []).sorted()
            var start = 0
            repeat {
                let chunk = Array(entries[start..<min(start + chunkSize, entries.count)])
                batches.append(PresenceBatch(tenant: tenant, renew: chunk, remove: removals))
                removals = []
                start += chunkSize
            } while start < entries.count
        }
        return batches
    }

    /// The write for a session that just started or came back on this node (so other nodes
    /// see who holds it at once, not at the next heartbeat).
    package mutating func started(_ entry: PresenceEntry) -> PresenceBatch {
        written[entry.session] = entry.tenant
        return PresenceBatch(tenant: entry.tenant, renew: [entry], remove: [])
    }

    /// Forgets a session another node took over, writing nothing (its entry is that node's now).
    package mutating func handedOver(_ session: String) {
        written[session] = nil
    }

    /// The removal for a session that just ended; nil when it was never written.
    package mutating func ended(_ session: String) -> PresenceBatch? {
        guard let tenant = written.removeValue(forKey: session) else { return nil }
        return PresenceBatch(tenant: tenant, renew: [], remove: [session])
    }

    /// Every session written, as removals (the node stops: its entries go at once instead of
    /// by expiry).
    package mutating func removeAll() -> [PresenceBatch] {
        var remove: [String?: [String]] = [:]
        for (session, tenant) in written { remove[tenant, default: []].append(session) }
        written = [:]
        return remove.map { PresenceBatch(tenant: $0.key, renew: [], remove: $0.value.sorted()) }
    }
}

/// One script run on one tenant's presence keys.
package struct PresenceBatch: Hashable, Sendable {
    /// The tenant whose keys it touches.
    package var tenant: String?
    /// Sessions to add or renew.
    package var renew: [PresenceEntry]
    /// Sessions to remove.
    package var remove: [String]
}
