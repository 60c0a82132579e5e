import COpenSSL

/// An OpenSSL client context (`SSL_CTX`): protocol floor, trust store and verification mode,
/// shared by every session made from it. Made once per upstream; OpenSSL allows sessions to be
/// created from one context on several threads once it is configured, which is why this type
/// is `Sendable` while the sessions are not.
///
/// Loading the CA file reads the disk, so contexts are made when the configuration is loaded,
/// never on an event loop's hot path.
public final class TLSContext: @unchecked Sendable {
    let pointer: OpaquePointer
    /// The configuration the context was made from.
    public let configuration: TLSConfiguration

    /// Makes a client context: TLS 1.2 or newer, peer verification as configured.
    public init(_ configuration: TLSConfiguration) throws(TLSError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw .configuration("SSL_CTX_new: \(TLSContext.drainErrors())")
        }
        pointer = context
        self.configuration = configuration
        _ = persona_ssl_ctx_set_min_tls12(context)
        _ = persona_ssl_ctx_set_modes(context)
        if let caFile = configuration.caFile {
            if SSL_CTX_load_verify_locations(context, caFile, nil) != 1 {
                throw .caFile(path: caFile, reason: TLSContext.drainErrors())
            }
        } else if SSL_CTX_set_default_verify_paths(context) != 1 {
            throw .configuration("the system trust store: \(TLSContext.drainErrors())")
        }
        SSL_CTX_set_verify(context, configuration.verifiesPeer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    /// Empties this thread's OpenSSL error queue into one line.
    static func drainErrors() -> String {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            parts.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return parts.isEmpty ? "unknown error" : parts.joined(separator: "; ")
    }
}
