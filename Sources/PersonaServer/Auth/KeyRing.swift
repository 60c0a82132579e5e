import Synchronization

/// The server's API keys: read from ``KeyFile`` at start, changed by the admin API (each change
/// is written through before it is answered), checked on every request by ``KeyGate``. Shared
/// by every loop behind one mutex, held for a dictionary lookup per check.
public final class KeyRing: Sendable {
    /// Most keys one server holds (create answers 409 beyond). Default 10,000.
    public static let defaultMaxKeys = 10_000

    /// What a create may set.
    public struct Request: Sendable, Hashable {
        /// The tenant (required, `[A-Za-z0-9._-]`, at most 64 characters).
        public var tenant: String
        /// The tier, or nil.
        public var tier: String?
        /// Allowed personalities; empty = all.
        public var personalities: [String]
        /// Allowed browser origins; empty = any.
        public var origins: [String]
        /// Unix seconds after which the key is refused, or nil.
        public var expiresAt: Int64?

        /// Creates a request.
        public init(
            tenant: String, tier: String? = nil, personalities: [String] = [], origins: [String] = [],
            expiresAt: Int64? = nil
        ) {
            self.tenant = tenant
            self.tier = tier
            self.personalities = personalities
            self.origins = origins
            self.expiresAt = expiresAt
        }
    }

    /// Why a change was refused.
    public enum Refusal: Error, Sendable, Equatable {
        /// A field is malformed (the message says which).
        case invalid(String)
        /// ``maxKeys`` reached.
        case full(Int)
        /// The file could not be written; nothing changed.
        case unwritable(String)
    }

    private let keys: Mutex<[String: APIKey]>
    /// Where changes are written; nil keeps keys in memory only (tests).
    public let path: String?
    /// Most keys held.
    public let maxKeys: Int

    /// A ring over `keys`, writing changes to `path`.
    public init(keys: [APIKey] = [], path: String? = nil, maxKeys: Int = KeyRing.defaultMaxKeys) {
        self.keys = Mutex(Dictionary(keys.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last }))
        self.path = path
        self.maxKeys = maxKeys
    }

    /// Reads `path` (absent = empty) and writes there from now on.
    public convenience init(file path: String) throws(KeyFile.Failure) {
        self.init(keys: try KeyFile.read(path), path: path)
    }

    /// The usable key whose full text is `text` at `now` (unix seconds), or nil for a malformed,
    /// unknown, wrong, revoked or expired key — deliberately one answer for all of them.
    public func verify(_ text: String, now: Int64) -> APIKey? {
        guard let id = KeySecret.id(of: text) else { return nil }
        let digest = KeySecret.digest(text)
        guard let key = keys.withLock({ $0[id] }), KeySecret.digestsEqual(key.secretDigest, digest),
            key.isUsable(at: now)
        else { return nil }
        return key
    }

    /// Every key, oldest first.
    public func list() -> [APIKey] {
        keys.withLock { Array($0.values) }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// Whether any usable key names `origin` (CORS preflights carry no key).
    public func anyKeyAllows(origin: String, now: Int64) -> Bool {
        keys.withLock { $0.values.contains { $0.isUsable(at: now) && $0.origins.contains(origin) } }
    }

    /// Creates a key; returns its record and its text (the only time the text exists).
    public func create(_ request: Request, now: Int64) throws(Refusal) -> (key: APIKey, text: String) {
        try Self.validate(request)
        let result = keys.withLock { keys -> Result<(APIKey, String), Refusal> in
            guard keys.count < maxKeys else { return .failure(.full(maxKeys)) }
            var minted = KeySecret.mint()
            while keys[minted.id] != nil { minted = KeySecret.mint() }
            let key = APIKey(
                id: minted.id, tenant: request.tenant, tier: request.tier, personalities: request.personalities,
                origins: request.origins, expiresAt: request.expiresAt, createdAt: now,
                secretDigest: KeySecret.digest(minted.text))
            var next = keys
            next[key.id] = key
            if let failure = persist(next) { return .failure(failure) }
            keys = next
            return .success((key, minted.text))
        }
        return try result.get()
    }

    /// Revokes key `id`; returns the record, or nil when there is no such key.
    public func revoke(_ id: String) throws(Refusal) -> APIKey? {
        let result = keys.withLock { keys -> Result<APIKey?, Refusal> in
            guard var key = keys[id] else { return .success(nil) }
            key.revoked = true
            var next = keys
            next[id] = key
            if let failure = persist(next) { return .failure(failure) }
            keys = next
            return .success(key)
        }
        return try result.get()
    }

    private func persist(_ keys: [String: APIKey]) -> Refusal? {
        guard let path else { return nil }
        let ordered = keys.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        do {
            try KeyFile.write(ordered, to: path)
            return nil
        } catch {
            return .unwritable(error.description)
        }
    }

    private static func validate(_ request: Request) throws(Refusal) {
        func isName(_ text: String) -> Bool {
            !text.isEmpty && text.count <= 64
                && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
        }
        guard isName(request.tenant) else { throw .invalid("'tenant' must be 1-64 of [A-Za-z0-9._-]") }
        if let tier = request.tier, !isName(tier) { throw .invalid("'tier' must be 1-64 of [A-Za-z0-9._-]") }
        for id in request.personalities where !isName(id) { throw .invalid("'personalities' holds a malformed id") }
        for origin in request.origins where !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) {
            throw .invalid("'origins' must be like https://example.com")
        }
        guard request.personalities.count <= 1_000, request.origins.count <= 100 else {
            throw .invalid("at most 1000 personalities and 100 origins")
        }
    }
}
