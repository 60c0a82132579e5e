import PersonaRuntime
import Reactor
import Redis
import Synchronization

/// Presence: who is online, per tenant, on every node of the service (README → "Several
/// nodes (Redis)" → presence).
///
/// Each tenant has a sorted set session → expiry (Redis milliseconds) and a hash session →
/// ``PresenceEntry/info``, both tagged with the tenant so one script touches them atomically
/// (and on one slot of a cluster). Every heartbeat, each node renews its live sessions (expiry
/// now + three heartbeats) and removes the ones it wrote before that are gone; a session that
/// ends with `session_ended` is removed at once. A node that dies stops renewing, so its
/// entries drop out of every listing within three heartbeats (6 s by default) — every script
/// run first deletes the entries whose expiry has passed. Time is Redis's own (`TIME`), so
/// nodes with skewed clocks agree. A tenant holds at most
/// ``NodeConfiguration/maxPresencePerTenant`` sessions; sessions past it chat normally but
/// are not listed (counted as refused).
extension NodeLink {
    /// KEYS[1] the tenant's set, KEYS[2] its hash; ARGV lifetime (ms), maximum, this node's
    /// id, number of removals, the removed sessions, then session/info pairs to renew. A
    /// removal deletes only an entry this node wrote (a session another node resumed meanwhile
    /// is that node's now). Returns `{present, refused, expiry}`.
    static let renewPresenceScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local expiry = now + tonumber(ARGV[1])
        local max = tonumber(ARGV[2])
        local mine = ARGV[3] .. '\t'
        local removals = tonumber(ARGV[4])
        for i = 5, 4 + removals do
          local info = redis.call('HGET', KEYS[2], ARGV[i])
          if not info or string.sub(info, 1, #mine) == mine then
            redis.call('ZREM', KEYS[1], ARGV[i])
            redis.call('HDEL', KEYS[2], ARGV[i])
          end
        end
        local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
        for _, s in ipairs(stale) do redis.call('HDEL', KEYS[2], s) end
        if #stale > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) end
        local count = redis.call('ZCARD', KEYS[1])
        local refused = 0
        for i = 5 + removals, #ARGV - 1, 2 do
          if count < max or redis.call('ZSCORE', KEYS[1], ARGV[i]) then
            count = count + redis.call('ZADD', KEYS[1], expiry, ARGV[i])
            redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
          else
            refused = refused + 1
          end
        end
        if count > 0 then
          local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
          redis.call('PEXPIREAT', KEYS[1], top[2])
          redis.call('PEXPIREAT', KEYS[2], top[2])
        else
          redis.call('DEL', KEYS[2])
        end
        return {count, refused, expiry}
        """

    /// KEYS[1] the tenant's set, KEYS[2] its hash; ARGV the most sessions to list. Drops
    /// expired entries, then returns `{present, session, info, session, info, …}`.
    static let readPresenceScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
        for _, s in ipairs(stale) do redis.call('HDEL', KEYS[2], s) end
        if #stale > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) end
        local out = {redis.call('ZCARD', KEYS[1])}
        for _, s in ipairs(redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)) do
          out[#out + 1] = s
          out[#out + 1] = redis.call('HGET', KEYS[2], s) or ''
        end
        return out
        """

    /// KEYS[1] the tenant index; ARGV the most tenants to list. Drops tenants nobody renewed,
    /// then returns their tags.
    static let readTenantsScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        return redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
        """

    /// Most tenants one listing covers. 1,000.
    package static let maxListedTenants = 1_000

    /// Heartbeat step: asks every hub for its live sessions, then writes the tracker's batches.
    func renewPresence() {
        let shells = shells.withLock { $0 }
        guard !shells.isEmpty else { return }
        let gathering = Mutex((left: shells.count, entries: [PresenceEntry]()))
        let node = nodeID
        for shell in shells {
            shell.loop.execute { [self] in
                let entries = shell.value.hub.sessionSummaries().map { PresenceEntry($0, node: node) }
                loop.execute { [self] in
                    let done = gathering.withLock { state -> [PresenceEntry]? in
                        state.entries += entries
                        state.left -= 1
                        return state.left == 0 ? state.entries : nil
                    }
                    guard let done else { return }
                    writePresence(core.value.presence.beat(done))
                }
            }
        }
    }

    /// A session on this node ended: its entry goes now, not at the next heartbeat.
    func presenceEnded(_ session: String) {
        loop.execute { [self] in
            if let batch = core.value.presence.ended(session) { writePresence([batch]) }
        }
    }

    /// Runs each batch's script; renewals also renew the tenant in the tenant index. On the loop.
    func writePresence(_ batches: [PresenceBatch]) {
        let client = core.value.client
        let lifetime = String(configuration.recordLifetimeMilliseconds)
        for batch in batches {
            var arguments = [
                "EVAL", Self.renewPresenceScript, "2", configuration.presenceKey(tenant: batch.tenant),
                configuration.presenceInfoKey(tenant: batch.tenant), lifetime,
                String(configuration.maxPresencePerTenant), nodeID, String(batch.remove.count),
            ]
            arguments += batch.remove
            for entry in batch.renew { arguments += [entry.session, entry.info] }
            let tag = NodeConfiguration.presenceTag(batch.tenant)
            let renewed = batch.renew.count
            let removed = batch.remove.count
            client.send(arguments) { [self] result in
                guard case .success(let reply) = result, let fields = reply.elements, fields.count == 3 else {
                    return
                }
                let refused = Int(fields[1].int ?? 0)
                counters.withLock {
                    $0.presenceRenewed += renewed - refused
                    $0.presenceRefused += refused
                    $0.presenceRemoved += removed
                }
                guard renewed > 0, let expiry = fields[2].int else { return }
                client.send(["ZADD", configuration.presenceTenantsKey, "GT", String(expiry), tag]) { _ in }
            }
        }
    }

    /// The presence on every node: of `tenant` only when `only` is set (`.some(nil)`: clients
    /// without a tenant), else of every tenant (at most ``maxListedTenants``), each with at
    /// most `limit` sessions listed. `completion` runs on the link's loop.
    package func presence(
        only: String??, limit: Int,
        _ completion: @escaping @Sendable (Result<[PresenceTenant], RedisError>) -> Void
    ) {
        loop.execute { [self] in
            let client = core.value.client
            if let only {
                return readPresence(
                    tags: [NodeConfiguration.presenceTag(only)], limit: limit, client: client, completion)
            }
            client.send([
                "EVAL", Self.readTenantsScript, "1", configuration.presenceTenantsKey,
                String(Self.maxListedTenants),
            ]) {
                [self] result in
                switch result {
                case .failure(let error): completion(.failure(error))
                case .success(let reply):
                    let tags = (reply.elements ?? []).compactMap(\.string)
                    readPresence(tags: tags, limit: limit, client: client, completion)
                }
            }
        }
    }

    /// Reads each tag's presence (pipelined) and answers once all replied; tenants with nobody
    /// online are left out.
    private func readPresence(
        tags: [String], limit: Int, client: any RedisCommanding,
        _ completion: @escaping @Sendable (Result<[PresenceTenant], RedisError>) -> Void
    ) {
        guard !tags.isEmpty else { return completion(.success([])) }
        let gathered = Mutex((left: tags.count, tenants: [PresenceTenant](), failure: RedisError?.none))
        for tag in tags {
            let tenant = NodeConfiguration.tenant(ofPresenceTag: tag)
            client.send([
                "EVAL", Self.readPresenceScript, "2", configuration.presenceKey(tenant: tenant),
                configuration.presenceInfoKey(tenant: tenant), String(max(1, limit)),
            ]) { result in
                let finished = gathered.withLock { state -> Result<[PresenceTenant], RedisError>? in
                    switch result {
                    case .failure(let error): state.failure = error
                    case .success(let reply):
                        if let tenant = Self.presenceTenant(reply, tenant: tenant), tenant.online > 0 {
                            state.tenants.append(tenant)
                        }
                    }
                    state.left -= 1
                    guard state.left == 0 else { return nil }
                    if let failure = state.failure { return .failure(failure) }
                    return .success(
                        state.tenants.sorted {
                            ($0.tenant.map { "t" + $0 } ?? "") < ($1.tenant.map { "t" + $0 } ?? "")
                        })
                }
                if let finished { completion(finished) }
            }
        }
    }

    /// The read script's reply as a tenant's presence (entries sorted by node, then id).
    static func presenceTenant(_ reply: RESPValue, tenant: String?) -> PresenceTenant? {
        guard let fields = reply.elements, let online = fields.first?.int else { return nil }
        var entries: [PresenceEntry] = []
        var index = 1
        while index + 1 < fields.count {
            if let session = fields[index].string, let info = fields[index + 1].string,
                let entry = PresenceEntry(session: session, tenant: tenant, info: info)
            {
                entries.append(entry)
            }
            index += 2
        }
        entries.sort { ($0.node, $0.session) < ($1.node, $1.session) }
        return PresenceTenant(tenant: tenant, online: Int(online), sessions: entries)
    }
}
