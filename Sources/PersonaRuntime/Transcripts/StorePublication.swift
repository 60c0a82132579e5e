/// A payload for a pub/sub channel, published after a write.
package struct StorePublication: Hashable, Sendable {
    /// The channel.
    package var channel: String
    /// The bytes.
    package var payload: [UInt8]

    /// A publication of `payload` on `channel`.
    package init(channel: String, payload: [UInt8]) {
        self.channel = channel
        self.payload = payload
    }
}
