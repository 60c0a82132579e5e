import HTTP1
import Reactor

/// The peers allowed to say who the client is (`--trusted-proxies`), and the rule that reads
/// it: from a trusted peer only, the client is the **rightmost untrusted hop** of `Forwarded`
/// (RFC 7239, preferred when present) or `X-Forwarded-For`. Hops to the left of the first
/// untrusted one were written by whoever sent the request to that hop, so anything there can
/// be forged; a header from an untrusted peer is ignored entirely.
///
/// A hop that is not an address (`unknown`, an obfuscated `_name`, garbage) ends the walk: the
/// client is then the last trusted hop to its right, never something the sender could choose.
public struct TrustedProxies: Hashable, Sendable {
    /// The trusted networks. Empty (the default) trusts no one: the TCP peer is the client.
    public var networks: [IPNetwork]

    /// Trusts `networks`.
    public init(_ networks: [IPNetwork] = []) {
        self.networks = networks
    }

    /// Parses a comma-separated list of CIDRs (`10.0.0.0/8,::1`); nil naming the first bad one.
    public static func parse(_ list: String) -> Result<TrustedProxies, ParseError> {
        var networks: [IPNetwork] = []
        for item in list.split(separator: ",") {
            let trimmed = item.trimmingSpaces
            if trimmed.isEmpty { continue }
            guard let network = IPNetwork(trimmed) else { return .failure(ParseError(text: String(trimmed))) }
            networks.append(network)
        }
        return .success(TrustedProxies(networks))
    }

    /// A CIDR that did not parse.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The offending item.
        public var text: String
        /// What is wrong.
        public var description: String { "'\(text)' is not an IP address or CIDR network" }
    }

    /// Whether `address` belongs to a trusted proxy.
    public func trusts(_ address: SocketAddress?) -> Bool {
        guard let address, !networks.isEmpty, let bytes = IPNetwork.addressBytes(address.host) else { return false }
        return trusts(bytes)
    }

    private func trusts(_ bytes: [UInt8]) -> Bool { networks.contains { $0.contains(bytes) } }

    /// The client of a request that reached us from `peer` with `headers`.
    public func client(peer: SocketAddress?, headers: HTTPHeaders) -> SocketAddress? {
        guard trusts(peer) else { return peer }
        let forwarded = headers.values(for: "Forwarded")
        let hops: [Substring]
        if !forwarded.isEmpty {
            hops = forwarded.flatMap { Self.forwardedFor($0) }
        } else {
            hops = headers.values(for: "X-Forwarded-For").flatMap { $0.split(separator: ",") }.map(\.trimmingSpaces)
        }
        var client = peer
        for hop in hops.reversed() {
            guard let bytes = Self.hostBytes(hop) else { break }
            client = (try? SocketAddress(host: IPNetwork.text(of: bytes), port: 0)) ?? client
            if !trusts(bytes) { break }
        }
        return client
    }

    /// The `for=` values of one `Forwarded` field, in order (RFC 7239 §4: elements separated
    /// by commas, pairs by semicolons, values tokens or quoted strings). An element without
    /// `for` yields an empty hop, which ends the walk.
    static func forwardedFor(_ field: String) -> [Substring] {
        var hops: [Substring] = []
        for element in field.split(separator: ",") {
            var value: Substring = ""
            for pair in element.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingSpaces.lowercased() == "for" else { continue }
                var raw = parts[1].trimmingSpaces
                if raw.hasPrefix("\""), raw.hasSuffix("\""), raw.count >= 2 { raw = raw.dropFirst().dropLast() }
                value = raw
            }
            hops.append(value)
        }
        return hops
    }

    /// The address bytes of one hop: `a.b.c.d`, `a.b.c.d:port`, `[v6]`, `[v6]:port` or a bare
    /// IPv6 address (as `X-Forwarded-For` writes it).
    static func hostBytes(_ hop: Substring) -> [UInt8]? {
        if hop.hasPrefix("[") {
            guard let close = hop.firstIndex(of: "]") else { return nil }
            return IPNetwork.addressBytes(String(hop[hop.index(after: hop.startIndex)..<close]))
        }
        let colons = hop.filter { $0 == ":" }.count
        if colons == 1 { return IPNetwork.addressBytes(String(hop.prefix { $0 != ":" })) }
        return IPNetwork.addressBytes(String(hop))
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: Substring {
        let view = self[...]
        let start = view.firstIndex { $0 != " " && $0 != "\t" } ?? view.endIndex
        let end = view.lastIndex { $0 != " " && $0 != "\t" }.map { view.index(after: $0) } ?? start
        return Substring(view[start..<Swift.max(start, end)])
    }
}
