import ChatProtocol
import PersonaRuntime

/// A waiting ticket as the shared queue's Lua scripts read it: length-prefixed fields
/// (`LEN:VALUE`, so no separator can be forged by a tag or tenant), in this order:
/// deadline (Redis server ms, written by the script), node, hub, connection, session, tenant,
/// language (each optional one `""` when absent, `=VALUE` when present), then the tags.
package enum MatchTicketFields {
    /// Encodes everything but the deadline (which the enqueueing script prepends).
    package static func encode(node: String, _ ticket: MatchTicket) -> String {
        var fields = [
            node, String(ticket.address.hub), ticket.connection.description, ticket.address.session,
            ticket.filters.tenant.map { "=" + $0 } ?? "", ticket.filters.language.map { "=" + $0 } ?? "",
        ]
        fields += ticket.filters.tags
        return fields.map { "\($0.utf8.count):\($0)" }.joined()
    }

    /// Splits a stored ticket (deadline first) into fields; nil when malformed.
    package static func decode(_ text: String) -> [String]? {
        var fields: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            guard let colon = rest.firstIndex(of: ":"), let length = Int(rest[..<colon]), length >= 0 else { return nil }
            let utf8 = rest.utf8[rest.utf8.index(after: colon)...]
            guard utf8.count >= length else { return nil }
            let end = utf8.index(utf8.startIndex, offsetBy: length)
            guard let field = String(utf8[utf8.startIndex..<end]) else { return nil }
            fields.append(field)
            rest = Substring(utf8[end...]) 
        }
        return fields
    }

    /// The stored ticket's owner: node, hub and session; nil when malformed.
    package static func owner(_ text: String) -> NodeAddress? {
        guard let fields = decode(text), fields.count >= 7, let hub = Int(fields[2]) else { return nil }
        return NodeAddress(node: fields[1], hub: hub, session: fields[4])
    }

    /// Shared Lua: `fields(s)` splits a ticket; `compatible(a, b)` is ``MatchTicket/compatible(_:_:)``
    /// (same tenant; languages equal where both name one; a common tag where both name tags).
    static let luaHelpers = """
        local function fields(s)
          local out, i = {}, 1
          while i <= #s do
            local c = string.find(s, ':', i, true)
            local n = tonumber(string.sub(s, i, c - 1))
            out[#out + 1] = string.sub(s, c + 1, c + n)
            i = c + n + 1
          end
          return out
        end
        local function compatible(a, b)
          if a[6] ~= b[6] then return false end
          if a[7] ~= '' and b[7] ~= '' and a[7] ~= b[7] then return false end
          if #a > 7 and #b > 7 then
            for i = 8, #a do
              for j = 8, #b do
                if a[i] == b[j] then return true end
              end
            end
            return false
          end
          return true
        end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        """

    /// Claim or wait, atomically: KEYS[1] the queue; ARGV[1] the ticket (no deadline), ARGV[2]
    /// its lifetime in ms, ARGV[3] the most tickets waiting. Scans oldest first, 64 tickets per
    /// `LRANGE` (so a match near the head costs little however long the queue), dropping expired
    /// tickets; takes the first compatible ticket of another connection and returns it; else
    /// appends this one (deadline prepended) and returns false, or an error when full.
    static let claimOrWait = luaHelpers + """

        local me = fields('0:' .. ARGV[1])
        local start = 0
        while true do
          local chunk = redis.call('LRANGE', KEYS[1], start, start + 63)
          if #chunk == 0 then break end
          for _, raw in ipairs(chunk) do
            local other = fields(raw)
            if tonumber(other[1]) < now then
              redis.call('LREM', KEYS[1], 1, raw)
              start = start - 1
            elseif not (other[2] == me[2] and other[3] == me[3] and other[4] == me[4]) and compatible(other, me) then
              redis.call('LREM', KEYS[1], 1, raw)
              return raw
            end
          end
          start = start + #chunk
        end
        if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[3]) then
          return redis.error_reply('FULL the shared match queue holds ' .. ARGV[3] .. ' tickets')
        end
        local deadline = tostring(now + tonumber(ARGV[2]))
        redis.call('RPUSH', KEYS[1], #deadline .. ':' .. deadline .. ARGV[1])
        return false
        """

    /// Withdraw, atomically: KEYS[1] the queue; ARGV[1] node, ARGV[2] hub, ARGV[3] session.
    /// Returns 1 when this call removed the ticket, 0 when it was gone (claimed or expired).
    static let withdraw = luaHelpers + """

        local start = 0
        while true do
          local chunk = redis.call('LRANGE', KEYS[1], start, start + 63)
          if #chunk == 0 then return 0 end
          for _, raw in ipairs(chunk) do
            local f = fields(raw)
            if f[2] == ARGV[1] and f[3] == ARGV[2] and f[5] == ARGV[3] then
              redis.call('LREM', KEYS[1], 1, raw)
              return 1
            end
          end
          start = start + #chunk
        end
        """
}
