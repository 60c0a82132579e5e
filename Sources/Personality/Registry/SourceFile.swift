/// A file's name and content, as the registry builder consumes it. Building from values (not
/// paths) keeps the builder pure: tests and benchmarks feed it generated files directly.
public struct SourceFile: Hashable, Sendable {
    /// The name shown in diagnostics (usually the path as the user gave it).
    public var name: String
    /// The file's bytes.
    public var bytes: [UInt8]

    /// Creates a file from bytes.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    /// Creates a file from text.
    public init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// The file's last path component.
    public var baseName: String {
        name.split(separator: "/").last.map(String.init) ?? name
    }

    /// The base name without its extension (`pirate` for `Personalities/pirate.yaml`).
    public var stem: String {
        let base = baseName
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }

    /// What the file is, judged by its name: `limits.yaml`, `routing.yaml`, `upstreams.yaml` and
    /// `deployments.yaml` (or `.yml`) are the rule files, every other YAML file a personality.
    public var role: Role {
        switch baseName {
        case "limits.yaml", "limits.yml": return .limits
        case "routing.yaml", "routing.yml": return .routing
        case "upstreams.yaml", "upstreams.yml": return .upstreams
        case "deployments.yaml", "deployments.yml": return .deployments
        default: return .personality
        }
    }

    /// The roles a file can play.
    public enum Role: Hashable, Sendable {
        case personality
        case limits
        case routing
        case upstreams
        case deployments
    }
}
