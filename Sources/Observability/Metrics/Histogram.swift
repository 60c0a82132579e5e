/// A Prometheus-style histogram: fixed upper bounds, a count per bucket, the sum and the count
/// of every observation. A value: the shell fills one from whatever it measured, and the
/// exposition writes it cumulatively.
public struct Histogram: Hashable, Sendable {
    /// Finite upper bounds, strictly increasing; the `+Inf` bucket is implicit.
    public let upperBounds: [Double]
    /// Observations per bucket (not cumulative): `bucketCounts[i]` counts values in
    /// `(upperBounds[i-1], upperBounds[i]]`; the last element is the `+Inf` bucket.
    public private(set) var bucketCounts: [Int]
    /// The sum of every observation.
    public private(set) var sum: Double = 0
    /// How many observations.
    public private(set) var count: Int = 0

    /// Latency buckets in seconds, 1 ms to 10 s — wide enough for time-to-first-token,
    /// reply latency and matchmaking waits (default timeout 10 s).
    public static let latencyBounds: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    /// Creates an empty histogram. Bounds are sorted, de-duplicated and stripped of
    /// non-finite values.
    public init(upperBounds: [Double] = Histogram.latencyBounds) {
        var bounds: [Double] = []
        for bound in upperBounds.filter(\.isFinite).sorted() where bounds.last != bound {
            bounds.append(bound)
        }
        self.upperBounds = bounds
        self.bucketCounts = Array(repeating: 0, count: bounds.count + 1)
    }

    /// Records one observation (`le` is inclusive: a value equal to a bound lands in it).
    public mutating func observe(_ value: Double) {
        var low = 0
        var high = upperBounds.count
        while low < high {
            let middle = (low + high) / 2
            if value <= upperBounds[middle] { high = middle } else { low = middle + 1 }
        }
        bucketCounts[low] += 1
        sum += value
        count += 1
    }

    /// Running totals per bound, ending with the `+Inf` bucket (equal to ``count``).
    public var cumulativeCounts: [Int] {
        var total = 0
        return bucketCounts.map { bucket in
            total += bucket
            return total
        }
    }
}

extension Histogram {
    /// Adds `other`'s observations (same bounds required; a histogram with other bounds is a
    /// programming error).
    public mutating func merge(_ other: Histogram) {
        precondition(other.upperBounds == upperBounds, "merging histograms with different bounds")
        for index in bucketCounts.indices { bucketCounts[index] += other.bucketCounts[index] }
        sum += other.sum
        count += other.count
    }
}
