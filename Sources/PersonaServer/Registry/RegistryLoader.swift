import Diagnostics
import Engines
import Personality

/// Reads the personalities directory (plus optional `limits`/`routing` overrides) into a
/// validated ``RegistrySnapshot`` for `persona serve`.
///
/// Overrides let an operator (or a test, or a benchmark) swap the rule files without copying
/// the personalities: the override file replaces the directory's `limits.yaml` /
/// `routing.yaml`, whatever its own name. The registry builder recognises a rule file by its
/// base name, so an override is fed to it under a synthetic name ending in the expected one;
/// diagnostics are rewritten back to the real path, so authors see where to look.
public struct RegistryLoader: Sendable {
    /// The personalities directory (or file list root). Default `Personalities`.
    public var personalities: String
    /// A file read as `limits.yaml` instead of the directory's own.
    public var limitsOverride: String?
    /// A file read as `routing.yaml` instead of the directory's own.
    public var routingOverride: String?
    /// Replaces `routing.yaml`'s `matchmaking.timeout` (tests use a short one).
    public var matchmakingTimeout: Duration?
    /// The engines whose sections decode.
    public var catalog: EngineCatalog
    /// The environment, to warn about upstream key variables that are unset (`nil`: no check).
    public var environment: [String: String]?

    /// Creates a loader for `personalities` with the built-in engines.
    public init(
        personalities: String = "Personalities", limitsOverride: String? = nil,
        routingOverride: String? = nil,
        matchmakingTimeout: Duration? = nil, catalog: EngineCatalog = EngineRegistry.builtIn.catalog,
        environment: [String: String]? = nil
    ) {
        self.environment = environment
        self.personalities = personalities
        self.limitsOverride = limitsOverride
        self.routingOverride = routingOverride
        self.matchmakingTimeout = matchmakingTimeout
        self.catalog = catalog
    }

    /// What a successful load produced: the snapshot and any warnings.
    public struct Loaded: Sendable {
        /// The validated snapshot.
        public var snapshot: RegistrySnapshot
        /// Warnings (a load with errors throws instead).
        public var warnings: [Diagnostic]
    }

    /// Reads and validates; throws every diagnostic when anything is an error.
    public func load() throws(RegistryLoadError) -> Loaded {
        var paths = [personalities]
        let overrides: [(path: String, role: SourceFile.Role, baseName: String)] =
            [
                limitsOverride.map { ($0, SourceFile.Role.limits, "limits.yaml") },
                routingOverride.map { ($0, SourceFile.Role.routing, "routing.yaml") },
            ].compactMap { $0 }
        paths.append(contentsOf: overrides.map(\.path))
        var (files, readProblems) = SourceTree().read(paths)
        var renamed: [String: String] = [:]
        for override in overrides {
            // Drop the directory's own rule file of that role, then re-badge the override.
            files.removeAll { $0.role == override.role && $0.name != override.path }
            guard let index = files.firstIndex(where: { $0.name == override.path }) else { continue }
            let synthetic = "\(override.path)#override/\(override.baseName)"
            renamed[synthetic] = override.path
            files[index].name = synthetic
        }
        if files.isEmpty, readProblems.isEmpty {
            throw RegistryLoadError(diagnostics: [
                .error("no-personalities", at: nil, "no personality files found under '\(personalities)'")
            ])
        }
        for index in readProblems.indices {
            if let file = readProblems[index].location?.file, let real = renamed[file] {
                readProblems[index].location?.file = real
            }
        }
        let result = RegistryBuilder(catalog: catalog, environment: environment).build(files, readDiagnostics: readProblems)
        let diagnostics = result.diagnostics.map { diagnostic in
            var diagnostic = diagnostic
            if let file = diagnostic.location?.file, let real = renamed[file] {
                diagnostic.location?.file = real
            }
            return diagnostic
        }
        guard var snapshot = result.snapshot, !diagnostics.containsErrors else {
            throw RegistryLoadError(diagnostics: diagnostics)
        }
        if let matchmakingTimeout {
            var routing = snapshot.routing
            routing.matchmakingTimeout = matchmakingTimeout
            // The rule files' hash is not exposed; fold the files' bytes and the override into
            // a fresh one so the version still changes exactly when the served rules change.
            var ruleBytes: [UInt8] = []
            for file in files where file.role != .personality { ruleBytes.append(contentsOf: file.bytes) }
            ruleBytes.append(contentsOf: "matchmaking.timeout=\(matchmakingTimeout)".utf8)
            snapshot = RegistrySnapshot(
                personalities: snapshot.personalities, limits: snapshot.limits, routing: routing,
                ruleFilesVersion: PersonalityVersion(of: ruleBytes), upstreams: snapshot.upstreams,
                deployments: snapshot.deployments)
        }
        return Loaded(snapshot: snapshot, warnings: diagnostics.filter { $0.severity != .error })
    }
}
