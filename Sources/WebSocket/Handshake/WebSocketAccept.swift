/// The `Sec-WebSocket-Accept` computation (RFC 6455 §4.2.2 step 5.4).
public enum WebSocketAccept {
    /// The GUID every WebSocket endpoint appends to the key.
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// base64(SHA-1(key + GUID)), `key` exactly as sent in `Sec-WebSocket-Key`.
    public static func value(forKey key: String) -> String {
        Base64.encode(SHA1.hash(Array((key + guid).utf8)))
    }
}
