/// A Lua script called by its SHA-1 digest (`EVALSHA`), so each call carries 40 bytes instead of
/// the script's body.
///
/// - The digest is learnt once per process from `SCRIPT LOAD` (the server computes it), sent
///   beside the first call; until its answer arrives, calls go as `EVAL` with the body, which
///   caches the script on the server that runs it.
/// - A server that does not know the digest answers `NOSCRIPT`: after a restart or a failover
///   (scripts are not replicated), a `SCRIPT FLUSH`, or a cluster master that never ran it
///   (a slot moved there: `ASK`/`MOVED` sends the `EVALSHA` to it). The call is then sent once
///   more as `EVAL` — the `NOSCRIPT` proves the script did not run, so this never runs it
///   twice — and that `EVAL` caches it there for the next calls.
///
/// Calls sent before a `NOSCRIPT` came back may run before the `EVAL` sent after it: callers
/// that need an order between calls must not depend on the order in which they *run* after
/// a flush (the session store does not: turns carry their sequence number).
///
/// Loop-confined, like the clients it is used with.
public final class RedisScript {
    /// The Lua source.
    public let body: String
    /// The SHA-1 the server reported for ``body`` (`nil` until `SCRIPT LOAD` answered).
    public private(set) var digest: String?
    /// Calls answered `NOSCRIPT` and sent again as `EVAL`.
    public private(set) var fallbacks = 0
    private var loading = false

    /// A script with this source.
    public init(_ body: String) {
        self.body = body
    }

    /// The command for one call: `EVALSHA digest numkeys keys… arguments…` when `digest` is
    /// known, `EVAL body numkeys keys… arguments…` otherwise. The first key routes it in a
    /// cluster (``RedisCommandKey``), so all keys must share its slot.
    public static func command(
        body: String, digest: String?, keys: [[UInt8]], arguments: [[UInt8]]
    ) -> [[UInt8]] {
        var command: [[UInt8]] = []
        command.reserveCapacity(3 + keys.count + arguments.count)
        if let digest {
            command.append(Array("EVALSHA".utf8))
            command.append(Array(digest.utf8))
        } else {
            command.append(Array("EVAL".utf8))
            command.append(Array(body.utf8))
        }
        command.append(Array(String(keys.count).utf8))
        command.append(contentsOf: keys)
        command.append(contentsOf: arguments)
        return command
    }

    /// Whether an error reply says the server does not know the digest.
    public static func isNoScript(_ error: RedisError) -> Bool {
        guard case .server(let text) = error else { return false }
        return text.hasPrefix("NOSCRIPT")
    }

    /// Runs the script on `client` with `keys` and `arguments`; `completion` gets its reply
    /// (after at most one `EVAL` resend on `NOSCRIPT`).
    public func run(
        on client: any RedisCommanding, keys: [[UInt8]], arguments: [[UInt8]],
        _ completion: @escaping (Result<RESPValue, RedisError>) -> Void
    ) {
        if digest == nil && !loading {
            loading = true
            client.send(["SCRIPT", "LOAD", body]) { [self] result in
                loading = false
                if case .success(let reply) = result, let text = reply.string, text.utf8.count == 40 { digest = text }
            }
        }
        guard let digest else {
            return client.send(bytes: Self.command(body: body, digest: nil, keys: keys, arguments: arguments), completion)
        }
        client.send(bytes: Self.command(body: body, digest: digest, keys: keys, arguments: arguments)) { [self] result in
            guard case .failure(let error) = result, Self.isNoScript(error) else { return completion(result) }
            fallbacks += 1
            client.send(bytes: Self.command(body: body, digest: nil, keys: keys, arguments: arguments), completion)
        }
    }
}
