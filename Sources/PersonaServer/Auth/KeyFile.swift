import Diagnostics
import JSON
import YAML

#if canImport(Glibc)
    import Glibc
#endif

/// `keys.yaml`: the API keys, one flow mapping per line under `keys:` (valid YAML that stays
/// readable and diffable; hand edits in block style are read too). Written by the server only
/// (`persona keys create|revoke` through the admin API), atomically (temporary file, `fsync`,
/// `rename`), mode 0600. Holds digests, never secrets.
///
/// ```yaml
/// keys:
///   - {"id": "3f9c0a1b2c3d", "tenant": "acme", "tier": "free", "created": 1764950400, "secret_sha256": "…"}
/// ```
public enum KeyFile {
    /// The file name in the data directory.
    public static let fileName = "keys.yaml"

    /// Why the file could not be read or written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What went wrong, naming the file.
        public var description: String
    }

    /// The keys in `path`; an absent file is no keys.
    public static func read(_ path: String) throws(Failure) -> [APIKey] {
        guard access(path, F_OK) == 0 else { return [] }
        let root: YAMLNode
        do {
            root = try YAMLParser().parseFile(atPath: path)
        } catch {
            throw Failure(description: "\(error)")
        }
        if root.isNull { return [] }
        guard let mapping = root.mapping else { throw Failure(description: "\(path): expected a mapping with 'keys'") }
        var keys: [APIKey] = []
        for pair in mapping where pair.key.scalar?.text == "keys" {
            guard let items = pair.value.sequence ?? (pair.value.isNull ? [] : nil) else {
                throw Failure(description: "\(path):\(pair.value.location.line): 'keys' must be a list")
            }
            for item in items {
                guard let key = decode(item) else {
                    throw Failure(
                        description: "\(path):\(item.location.line): a key needs id, tenant, created and secret_sha256")
                }
                keys.append(key)
            }
        }
        return keys
    }

    private static func decode(_ node: YAMLNode) -> APIKey? {
        guard let pairs = node.mapping else { return nil }
        var fields: [String: YAMLNode] = [:]
        for pair in pairs { if let name = pair.key.scalar?.text { fields[name] = pair.value } }
        func text(_ name: String) -> String? {
            guard let scalar = fields[name]?.scalar, !scalar.isNull else { return nil }
            return scalar.text
        }
        func list(_ name: String) -> [String] {
            fields[name]?.sequence?.compactMap { $0.scalar?.text } ?? []
        }
        guard let id = text("id"), let tenant = text("tenant"), let created = text("created").flatMap({ Int64($0) }),
            let digest = text("secret_sha256")
        else { return nil }
        return APIKey(
            id: id, tenant: tenant, tier: text("tier"), personalities: list("personalities"), origins: list("origins"),
            expiresAt: text("expires").flatMap { Int64($0) }, createdAt: created, secretDigest: digest,
            revoked: text("revoked") == "true")
    }

    /// The file's text for `keys`.
    public static func render(_ keys: [APIKey]) -> String {
        var text = "# Persona API keys: written by the server (persona keys create|revoke); digests only.\nkeys:\n"
        for key in keys {
            var members: [(String, JSONValue)] = [
                ("id", .string(key.id)), ("tenant", .string(key.tenant)),
            ]
            if let tier = key.tier { members.append(("tier", .string(tier))) }
            if !key.personalities.isEmpty { members.append(("personalities", .array(key.personalities.map(JSONValue.string)))) }
            if !key.origins.isEmpty { members.append(("origins", .array(key.origins.map(JSONValue.string)))) }
            if let expires = key.expiresAt { members.append(("expires", .integer(expires))) }
            members.append(("created", .integer(key.createdAt)))
            members.append(("secret_sha256", .string(key.secretDigest)))
            if key.revoked { members.append(("revoked", .bool(true))) }
            // JSON is YAML: a flow mapping with quoted keys and values.
            text += "  - " + JSONValue.object(JSONObject(members)).serialized() + "\n"
        }
        return text
    }

    /// Replaces `path` with `keys`, atomically.
    public static func write(_ keys: [APIKey], to path: String) throws(Failure) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot write '\(temporary)': \(String(cString: strerror(errno)))") }
        let bytes = Array(render(keys).utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Failure(description: "cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
    }
}
