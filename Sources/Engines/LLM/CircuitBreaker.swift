/// A per-upstream circuit breaker (the classic three states), pure and clock-injected.
///
/// Closed: requests pass; `failures` consecutive failures open it. Open: requests are refused
/// at once (the personality's fallback answers without waiting for timeouts) until `cooldown`
/// has passed. Half-open: one probe passes; its success closes the breaker, its failure opens
/// it for another cooldown.
public struct CircuitBreaker: Hashable, Sendable {
    /// The state.
    public enum State: Hashable, Sendable {
        /// Passing requests; consecutive failures so far.
        case closed(failures: Int)
        /// Refusing until the instant.
        case open(until: Duration)
        /// One probe in flight.
        case halfOpen
    }

    /// Failures that open the breaker.
    public let threshold: Int
    /// How long it stays open.
    public let cooldown: Duration
    /// The current state.
    public private(set) var state = State.closed(failures: 0)

    /// Creates a closed breaker.
    public init(threshold: Int, cooldown: Duration) {
        self.threshold = threshold
        self.cooldown = cooldown
    }

    /// Whether a request may go now (a half-open breaker lets exactly one through).
    public mutating func allows(now: Duration) -> Bool {
        switch state {
        case .closed: return true
        case .halfOpen: return false
        case .open(let until):
            guard now >= until else { return false }
            state = .halfOpen
            return true
        }
    }

    /// A request succeeded.
    public mutating func recordSuccess() {
        state = .closed(failures: 0)
    }

    /// A request failed.
    public mutating func recordFailure(now: Duration) {
        switch state {
        case .closed(let failures):
            state = failures + 1 >= threshold ? .open(until: now + cooldown) : .closed(failures: failures + 1)
        case .halfOpen, .open:
            state = .open(until: now + cooldown)
        }
    }

    /// A request ended without telling anything about the upstream (cancelled by the client).
    public mutating func recordAbandoned() {
        if state == .halfOpen { state = .closed(failures: max(0, threshold - 1)) }
    }
}
