/// A store that can publish a message in the same step as a write: the message leaves only
/// once the records are stored, and never when they are not (the Redis store runs both in one
/// script, so a relayed chat message costs no second round trip). The server uses it to carry
/// a human message's relay to a partner on another node (see ``TranscriptStore/write(_:ticket:carrying:to:)``).
package protocol PublishingStoreBackend: SessionStoreBackend {
    /// Stores `records` like ``SessionStoreBackend/write(_:completion:)``, then publishes
    /// `publication`; `completion` gets how many subscribers received it (on any thread).
    func write(
        _ records: [StoreRecord], publishing publication: StorePublication,
        completion: @escaping @Sendable (Result<Int, StoreFailure>) -> Void)
}
