/// One `name="value"` label of a metric sample.
public struct MetricLabel: Hashable, Sendable {
    /// The label name: `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__` (reserved).
    public var name: String
    /// Any text; escaped when written.
    public var value: String

    /// Creates a label.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One line of a counter or gauge family: labels and a value.
public struct MetricSample: Hashable, Sendable {
    /// The sample's labels, written in this order.
    public var labels: [MetricLabel]
    /// The value.
    public var value: Double

    /// Creates a sample.
    public init(_ labels: [MetricLabel] = [], _ value: Double) {
        self.labels = labels
        self.value = value
    }

    /// A sample from an integer count.
    public init(_ labels: [MetricLabel] = [], _ value: Int) {
        self.init(labels, Double(value))
    }
}
