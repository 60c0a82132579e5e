import JSON
import PersonaRuntime

extension SocketIOSocket {
    /// Who the hub sees behind a namespace joined with `auth` (the CONNECT payload), the same
    /// identity `/v1/ws` and REST give a client:
    /// - the handshake presented an API key: that key's client — its tier picks the limits,
    ///   its tenant scopes routing, matchmaking and resume, its allow-list applies; `auth`
    ///   cannot change any of it;
    /// - no key: the peer's IP counts for rate limits (as on `/v1/ws`), or `auth.api_key`
    ///   (as a digest, like the REST door's bearer) when sent; `auth.tenant` names the tenant.
    package func hubClient(auth: JSONValue?) -> ClientIdentity {
        if let client { return client }
        var client = ClientIdentity(key: address)
        if let key = auth?["api_key"]?.stringValue, !key.isEmpty { client.key = "key-" + APIDoor.digest(key) }
        if let tenant = auth?["tenant"]?.stringValue, !tenant.isEmpty { client.tenant = tenant }
        return client
    }
}
