/// How a client verifies the servers it talks to.
///
/// Verification is on by default: the chain must lead to a trusted root (the system's store, or
/// the CA file when one is given) and the certificate must name the host we asked for (RFC 6125
/// rules as OpenSSL implements them, `SSL_set1_host`; an IP literal is matched against the
/// certificate's IP SANs). Turning it off is only for tests and is spelled out loud.
public struct TLSConfiguration: Hashable, Sendable {
    /// A PEM file of CA certificates to trust instead of the system store. Default `nil`.
    public var caFile: String?
    /// Whether to verify the certificate chain and the host name. Default `true`.
    public var verifiesPeer: Bool

    /// Creates a configuration.
    public init(caFile: String? = nil, verifiesPeer: Bool = true) {
        self.caFile = caFile
        self.verifiesPeer = verifiesPeer
    }
}
