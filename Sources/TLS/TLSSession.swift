import COpenSSL

/// One client-side TLS session as a pure byte transformer: ciphertext from the network goes in
/// through ``receive(_:)``, plaintext for the application comes out; plaintext from the
/// application goes in through ``send(_:)``, ciphertext for the network comes out of
/// ``takeOutbound()``.
///
/// OpenSSL works on two memory BIOs, never on the socket, so no call can block and the
/// session does not care which event loop (or test) moves its bytes: the socket stays owned by
/// the Reactor, and a `WANT_READ` simply means "feed me more". Application bytes written before
/// the handshake finishes are held and encrypted once it does.
///
/// Not thread-safe; one owner (a connection on one loop).
public final class TLSSession {
    private let ssl: OpaquePointer
    private let networkIn: OpaquePointer
    private let networkOut: OpaquePointer
    private var heldPlaintext: [UInt8] = []
    /// Whether the handshake (and certificate verification) has completed.
    public private(set) var isHandshakeComplete = false
    /// Whether the peer sent close_notify.
    public private(set) var peerClosed = false
    private var failure: TLSError?

    /// Starts a session with `context` for `serverName` (a DNS name or an IP literal): the name
    /// is sent as SNI (names only) and checked against the certificate when verification is on.
    public init(context: TLSContext, serverName: String) throws(TLSError) {
        ERR_clear_error()
        guard let ssl = SSL_new(context.pointer) else {
            throw .configuration("SSL_new: \(TLSContext.drainErrors())")
        }
        guard let networkIn = BIO_new(BIO_s_mem()), let networkOut = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw .configuration("BIO_new failed")
        }
        // An empty input BIO means "retry later", not end of file.
        _ = persona_bio_set_mem_eof_return(networkIn, -1)
        SSL_set_bio(ssl, networkIn, networkOut)
        SSL_set_connect_state(ssl)
        self.ssl = ssl
        self.networkIn = networkIn
        self.networkOut = networkOut
        let isIPLiteral = serverName.contains(":") || serverName.allSatisfy { $0.isNumber || $0 == "." }
        if isIPLiteral {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName) == 1 else {
                throw .configuration("'\(serverName)' is not an IP address")
            }
        } else {
            guard SSL_set1_host(ssl, serverName) == 1, persona_ssl_set_sni(ssl, serverName) == 1 else {
                throw .configuration("cannot use '\(serverName)' as the server name")
            }
        }
    }

    deinit {
        SSL_free(ssl)  // frees both BIOs
    }

    /// Begins the handshake; the ClientHello is then in ``takeOutbound()``.
    public func start() throws(TLSError) {
        try advance()
    }

    /// Feeds ciphertext that arrived from the network; returns the plaintext it completed.
    public func receive(_ bytes: UnsafeRawBufferPointer) throws(TLSError) -> [UInt8] {
        if let failure { throw failure }
        if !bytes.isEmpty {
            let written = BIO_write(networkIn, bytes.baseAddress, Int32(bytes.count))
            guard written == Int32(bytes.count) else { throw fail(.protocolFailure("BIO_write failed")) }
        }
        try advance()
        guard isHandshakeComplete else { return [] }
        var plaintext: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            ERR_clear_error()
            let count = chunk.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if count > 0 {
                plaintext.append(contentsOf: chunk[0..<Int(count)])
                continue
            }
            let code = SSL_get_error(ssl, count)
            switch code {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return plaintext
            case SSL_ERROR_ZERO_RETURN:
                peerClosed = true
                return plaintext
            default:
                throw fail(.protocolFailure(TLSContext.drainErrors()))
            }
        }
    }

    /// Encrypts `plaintext` (held until the handshake completes); the records are then in
    /// ``takeOutbound()``.
    public func send(_ plaintext: [UInt8]) throws(TLSError) {
        if let failure { throw failure }
        guard isHandshakeComplete else {
            heldPlaintext.append(contentsOf: plaintext)
            return
        }
        try write(plaintext)
    }

    /// The ciphertext waiting to go to the network (empties the buffer).
    public func takeOutbound() -> [UInt8] {
        let pending = Int(BIO_ctrl_pending(networkOut))
        guard pending > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: pending)
        let read = bytes.withUnsafeMutableBytes { BIO_read(networkOut, $0.baseAddress, Int32(pending)) }
        return read > 0 ? Array(bytes[0..<Int(read)]) : []
    }

    /// Queues close_notify (best effort) for ``takeOutbound()``.
    public func close() {
        guard isHandshakeComplete, failure == nil else { return }
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
    }

    private func write(_ plaintext: [UInt8]) throws(TLSError) {
        var offset = 0
        while offset < plaintext.count {
            ERR_clear_error()
            let count = plaintext.withUnsafeBytes {
                SSL_write(ssl, $0.baseAddress! + offset, Int32(plaintext.count - offset))
            }
            guard count > 0 else {
                throw fail(.protocolFailure("SSL_write: \(TLSContext.drainErrors())"))
            }
            offset += Int(count)
        }
    }

    private func advance() throws(TLSError) {
        guard !isHandshakeComplete else { return }
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            isHandshakeComplete = true
            let held = heldPlaintext
            heldPlaintext = []
            if !held.isEmpty { try write(held) }
            return
        }
        let code = SSL_get_error(ssl, result)
        if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE { return }
        let verify = SSL_get_verify_result(ssl)
        if verify != X509_V_OK {
            let reason = X509_verify_cert_error_string(verify).map { String(cString: $0) } ?? "code \(verify)"
            _ = TLSContext.drainErrors()
            throw fail(.certificate(reason))
        }
        throw fail(.protocolFailure("handshake: \(TLSContext.drainErrors())"))
    }

    private func fail(_ error: TLSError) -> TLSError {
        failure = error
        return error
    }
}
