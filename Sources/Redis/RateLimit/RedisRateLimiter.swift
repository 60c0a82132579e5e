import Policies

/// The GCRA rate limit (the same policy as ``Policies/GCRA``: `burst` back to back, refilled at
/// `rate`) with its state in Redis, so every node that checks a key counts against one budget.
///
/// One round trip per check: a Lua script (`EVAL`) reads the theoretical arrival time (TAT),
/// decides and writes it back atomically, so two nodes checking the same key at the same
/// instant cannot both spend the last token. Time is the Redis server's own clock (`TIME`), so
/// nodes with skewed clocks still agree. The key expires when the bucket would be full again,
/// so idle clients cost Redis nothing.
///
/// Trade-offs: time is kept in microseconds as Lua numbers (doubles, exact below 2^53 µs), so a
/// rate whose interval is not a whole number of microseconds rounds by under 1 µs per event;
/// the script text travels with every call (no `EVALSHA` cache yet).
public final class RedisRateLimiter {
    /// The client the checks go through.
    public let client: any RedisCommanding
    /// Prefix of every key this limiter writes. Default `persona:rl:`.
    public let keyPrefix: String

    /// Creates a limiter on `client`.
    public init(client: any RedisCommanding, keyPrefix: String = "persona:rl:") {
        self.client = client
        self.keyPrefix = keyPrefix
    }

    /// The script: KEYS[1] the TAT key; ARGV interval (µs), burst, cost. Returns
    /// `{1, remaining}` or `{0, retry-after ms}`.
    static let script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local interval = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local cost = tonumber(ARGV[3])
        local tat = tonumber(redis.call('GET', KEYS[1]) or now)
        if tat < now then tat = now end
        local new = tat + cost * interval
        local limit = now + burst * interval
        if new <= limit then
          if cost > 0 then
            redis.call('SET', KEYS[1], string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000) + 1)
          end
          return {1, math.floor((limit - new) / interval)}
        end
        return {0, math.ceil((new - limit) / 1000)}
        """

    /// Checks one event of `cost` for `key` against `rate` with `burst`; `completion` runs on
    /// the client's loop with the decision, or the client's error (``RedisError/unavailable(retryAfter:reason:)``
    /// while Redis is down — the caller decides whether that means refuse or allow).
    public func check(
        key: String, rate: Rate, burst: Int, cost: Int = 1,
        _ completion: @escaping (Result<RateLimitDecision, RedisError>) -> Void
    ) {
        let burst = max(1, burst)
        if cost > burst {
            completion(.success(.exceedsBurst))
            return
        }
        let periodMicroseconds = Double(rate.period.components.seconds) * 1e6
            + Double(rate.period.components.attoseconds) / 1e12
        let interval = periodMicroseconds / Double(rate.count)
        client.send(["EVAL", Self.script, "1", keyPrefix + key, "\(interval)", String(burst), String(max(0, cost))]) {
            result in
            completion(
                result.flatMap { reply in
                    guard let items = reply.elements, items.count == 2, let flag = items[0].int, let number = items[1].int
                    else { return .failure(.server("unexpected rate limit reply \(reply)")) }
                    return .success(flag == 1 ? .allowed(remaining: Int(number)) : .limited(retryAfterMilliseconds: number))
                })
        }
    }
}
