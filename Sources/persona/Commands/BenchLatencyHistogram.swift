/// A log-linear latency histogram in the HDR style: exact below 64 ns-units, then 64 buckets
/// per power of two (≤ 1.6 % relative error), so memory is fixed (~30 KiB) however many
/// samples arrive and percentiles never need the samples themselves.
struct BenchLatencyHistogram: Sendable {
    private static let subBuckets = 64
    private var counts = [UInt64](repeating: 0, count: 64 + 58 * 64)
    /// Number of recorded values.
    private(set) var count: UInt64 = 0
    /// Largest recorded value, exact.
    private(set) var maximum: UInt64 = 0
    /// Smallest recorded value, exact.
    private(set) var minimum: UInt64 = .max
    private var sum: Double = 0

    /// Records one value (nanoseconds).
    mutating func record(_ value: UInt64) {
        counts[Self.index(of: value)] &+= 1
        count &+= 1
        sum += Double(value)
        if value > maximum { maximum = value }
        if value < minimum { minimum = value }
    }

    /// Adds every sample of `other`.
    mutating func merge(_ other: BenchLatencyHistogram) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        count &+= other.count
        sum += other.sum
        maximum = max(maximum, other.maximum)
        minimum = min(minimum, other.minimum)
    }

    /// The mean, or 0 when empty.
    var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// The value at quantile `q` (0...1): the upper edge of the bucket holding that rank,
    /// capped at the exact maximum. 0 when empty.
    func value(atQuantile q: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = max(1, UInt64((q * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (index, bucket) in counts.enumerated() where bucket > 0 {
            seen += bucket
            if seen >= rank { return min(Self.upperEdge(of: index), maximum) }
        }
        return maximum
    }

    static func index(of value: UInt64) -> Int {
        if value < UInt64(subBuckets) { return Int(value) }
        let msb = 63 - value.leadingZeroBitCount
        let shift = msb - 6  // value >> shift lands in 64...127
        return subBuckets + shift * subBuckets + Int((value >> UInt64(shift)) - UInt64(subBuckets))
    }

    static func upperEdge(of index: Int) -> UInt64 {
        if index < subBuckets { return UInt64(index) }
        let shift = (index - subBuckets) / subBuckets
        let top = UInt64((index - subBuckets) % subBuckets + subBuckets)
        return ((top + 1) << UInt64(shift)) - 1
    }
}
