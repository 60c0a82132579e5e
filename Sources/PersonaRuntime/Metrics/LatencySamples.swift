/// The most recent latency samples (nanoseconds) in a fixed ring, plus a running count and
/// sum: enough for percentiles over recent traffic and a Prometheus summary, in bounded memory.
public struct LatencySamples: Hashable, Sendable {
    /// How many samples the ring keeps.
    public let capacity: Int
    /// Every sample ever recorded.
    public private(set) var count = 0
    /// The sum of every sample ever recorded, in nanoseconds.
    public private(set) var sumNanoseconds: Int64 = 0
    private var ring: [Int64] = []
    private var next = 0

    /// Creates an empty ring of `capacity` samples.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Records one sample.
    public mutating func record(_ nanoseconds: Int64) {
        count += 1
        sumNanoseconds &+= nanoseconds
        if ring.count < capacity {
            ring.append(nanoseconds)
        } else {
            ring[next] = nanoseconds
            next = (next + 1) % capacity
        }
    }

    /// The samples in the ring (recent traffic), in no particular order.
    public var recent: [Int64] { ring }

    /// The `quantile` (0…1) of the samples in the ring, nearest-rank; `nil` when empty.
    public func percentile(_ quantile: Double) -> Int64? {
        guard !ring.isEmpty else { return nil }
        let sorted = ring.sorted()
        let rank = Int((quantile * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}
