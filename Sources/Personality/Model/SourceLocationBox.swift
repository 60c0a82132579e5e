import Diagnostics

/// A source location carried by a model value but ignored when comparing values, so that two
/// otherwise-equal rule sets from different lines compare equal (reload diffs rely on it).
public struct SourceLocationBox: Hashable, Sendable {
    /// The location.
    public var location: SourceLocation

    /// Wraps a location.
    public init(_ location: SourceLocation) {
        self.location = location
    }

    /// Always equal: a location is not part of a value's meaning.
    public static func == (lhs: SourceLocationBox, rhs: SourceLocationBox) -> Bool { true }

    /// Hashes nothing, consistently with `==`.
    public func hash(into hasher: inout Hasher) {}
}
