import Glibc
import HTTP1
import HTTPServer
import Policies
import Reactor
import Synchronization

/// The per-IP connection-rate limit on the chat endpoint (per client IP: behind a trusted
/// proxy, the address it vouches for): a client opening WebSockets faster
/// than ``ConnectionRateLimitConfiguration`` allows is answered `429 Too Many Requests` with
/// `Retry-After` before the upgrade, so a reconnect storm costs one short response each.
///
/// Decided at the upgrade request rather than at `accept`: HTTPServer has no accept hook, and
/// the request is the first point where this layer sees the peer. One limiter is shared by
/// every loop (behind a mutex taken once per handshake), so a peer's allowance does not
/// depend on how the kernel spreads its connections over the loops.
final class ConnectionAdmission: Sendable {
    private let limiter: Mutex<(limiter: ConnectionRateLimiter, decisions: Int)>

    init(configuration: ConnectionRateLimitConfiguration) {
        limiter = Mutex((ConnectionRateLimiter(configuration: configuration), 0))
    }

    /// `nil` when the request's peer may connect now; otherwise the 429 to answer with.
    func refusal(for request: HTTPRequest) -> HTTPResponse? {
        guard let peer = request.clientAddress else { return nil }
        let now = PolicyInstant(nanoseconds: Int64(clamping: request.eventLoop.now().nanoseconds))
        let decision = limiter.withLock { state -> RateLimitDecision in
            state.decisions += 1
            // Idle peers are swept every 4,096 decisions; the limiter's own key bound caps
            // memory in between.
            if state.decisions % 4_096 == 0 { state.limiter.sweep(now: now) }
            switch peer {
            case .v4(let host, _):
                var address = in_addr()
                guard inet_pton(AF_INET, host, &address) == 1 else { return .allowed(remaining: 0) }
                return state.limiter.admit(ipv4: UInt32(bigEndian: address.s_addr), now: now)
            case .v6(let host, _):
                var address = in6_addr()
                guard inet_pton(AF_INET6, host, &address) == 1 else { return .allowed(remaining: 0) }
                let bytes = withUnsafeBytes(of: &address) { Array($0) }
                return state.limiter.admit(ipv6: bytes, now: now)
            }
        }
        switch decision {
        case .allowed: return nil
        case .limited(let milliseconds):
            var response = HTTPResponse.error(
                HTTPStatus(code: 429), code: "rate_limited",
                message: "too many new connections from this address; retry after \(milliseconds) ms")
            response.headers.add(name: "Retry-After", value: String((milliseconds + 999) / 1_000))
            return response
        case .exceedsBurst:
            return HTTPResponse.error(
                HTTPStatus(code: 429), code: "rate_limited",
                message: "connections from this address are refused")
        }
    }
}
