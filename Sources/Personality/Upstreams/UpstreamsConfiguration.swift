/// Every upstream of `upstreams.yaml`, by name.
public struct UpstreamsConfiguration: Hashable, Sendable {
    /// Upstreams by name.
    public var byName: [String: UpstreamDefinition]

    /// Creates a configuration.
    public init(_ upstreams: [UpstreamDefinition] = []) {
        byName = [:]
        for upstream in upstreams { byName[upstream.name] = upstream }
    }

    /// The upstream called `name`.
    public subscript(name: String) -> UpstreamDefinition? { byName[name] }

    /// Names, sorted.
    public var names: [String] { byName.keys.sorted() }

    /// No upstreams.
    public static let none = UpstreamsConfiguration()
}

/// An engine section that sends requests to a named upstream, so the registry can check the
/// name against `upstreams.yaml`.
public protocol UpstreamReferencing: EngineSection {
    /// The upstream's name.
    var upstreamName: String { get }
    /// Where the name was written.
    var upstreamNameLocation: SourceLocationBox { get }
}
