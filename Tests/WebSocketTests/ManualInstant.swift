/// A test clock's instant: a number of nanoseconds that only moves when a test moves it.
struct ManualInstant: InstantProtocol, Sendable {
    var nanoseconds: Int64

    static let zero = ManualInstant(nanoseconds: 0)

    func advanced(by duration: Duration) -> ManualInstant {
        let (seconds, attoseconds) = duration.components
        return ManualInstant(nanoseconds: nanoseconds + seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func duration(to other: ManualInstant) -> Duration {
        .nanoseconds(other.nanoseconds - nanoseconds)
    }

    static func < (lhs: ManualInstant, rhs: ManualInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}
