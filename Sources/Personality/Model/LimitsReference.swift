/// Which response-limit rule set a personality uses: a named set from `limits.yaml` plus
/// inline overrides, or `nil` to let the limits file's tier rules and default decide.
public struct LimitsReference: Hashable, Sendable {
    /// The named rule set, or `nil` for the limits file's choice.
    public var setName: String?
    /// Values that replace the named set's.
    public var overrides: LimitValues
    /// Where the reference is written (for "undefined limit set" errors).
    public var location: SourceLocationBox?

    /// Creates a reference.
    public init(setName: String? = nil, overrides: LimitValues = LimitValues(), location: SourceLocationBox? = nil) {
        self.setName = setName
        self.overrides = overrides
        self.location = location
    }
}
