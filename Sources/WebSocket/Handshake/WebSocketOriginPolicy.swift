/// Which `Origin` values may open a WebSocket (RFC 6455 §10.2): the defence against
/// cross-site WebSocket hijacking by pages in a victim's browser.
public enum WebSocketOriginPolicy: Sendable {
    /// Any origin, and none. For APIs used only by non-browser clients or behind other auth.
    case anyOrigin
    /// Only these origins (compared ASCII case-insensitively, e.g. `https://chat.example`).
    /// A request without `Origin` is allowed when `allowsMissingOrigin` — browsers always send
    /// Origin, so its absence means a non-browser client, which this defence is not about.
    case allowList([String], allowsMissingOrigin: Bool = true)
    /// A custom decision on the `Origin` value (nil when absent).
    case custom(@Sendable (String?) -> Bool)
    /// Pages served by the host the request names (`Origin`'s host and port equal `Host`),
    /// plus the listed origins; a request without `Origin` is allowed (a non-browser client).
    case sameHost(alsoAllowed: [String])

    /// Whether a request with this `Origin` (and `Host`) may connect.
    public func allows(_ origin: String?, host: String? = nil) -> Bool {
        switch self {
        case .sameHost(let listed):
            guard let origin else { return true }
            if listed.contains(where: { $0.lowercased() == origin.lowercased() }) { return true }
            guard let host else { return false }
            let parts = origin.split(separator: "/", omittingEmptySubsequences: false)
            // `scheme://authority`: ["scheme:", "", "authority"].
            guard parts.count == 3, parts[1].isEmpty, parts[0].hasSuffix(":") else { return false }
            return parts[2].lowercased() == host.lowercased()
        case .anyOrigin:
            return true
        case .allowList(let allowed, let allowsMissingOrigin):
            guard let origin else { return allowsMissingOrigin }
            return allowed.contains { $0.lowercased() == origin.lowercased() }
        case .custom(let decide):
            return decide(origin)
        }
    }
}
