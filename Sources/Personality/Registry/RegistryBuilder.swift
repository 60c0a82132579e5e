import Diagnostics
import YAML

/// Builds a ``RegistrySnapshot`` from source files: parses each, decodes it, then checks what
/// only the whole set can tell — duplicate ids, undefined limit sets, routing references.
///
/// Pure: files in, snapshot and diagnostics out. Every problem in every file is reported in
/// one run; a snapshot is returned only when there is no error (warnings are fine).
public struct RegistryBuilder: Sendable {
    /// The engines whose sections can be decoded.
    public var catalog: EngineCatalog
    /// Limits on each YAML document.
    public var yamlLimits: YAMLLimits
    /// The process environment, when the caller wants upstreams whose `api_key_env` variable is
    /// unset reported (as warnings); `nil` skips that check and keeps the build pure.
    public var environment: [String: String]?

    /// Creates a builder.
    public init(catalog: EngineCatalog, yamlLimits: YAMLLimits = .default, environment: [String: String]? = nil) {
        self.catalog = catalog
        self.yamlLimits = yamlLimits
        self.environment = environment
    }

    /// The outcome of a build: a snapshot when there were no errors, and every diagnostic.
    public struct Result: Sendable {
        /// The new snapshot, or `nil` when any error was found.
        public var snapshot: RegistrySnapshot?
        /// Everything found, sorted by location.
        public var diagnostics: [Diagnostic]
        /// The personalities that decoded cleanly (even when other files failed) — `persona
        /// list` and `persona test` still show what they can.
        public var personalities: [Personality]
    }

    /// What decoding one file produced, before the checks that need every file.
    private enum FileOutcome: Sendable {
        case unreadable(Diagnostic)
        case personality(Personality?, declaredID: String?, diagnostics: [Diagnostic])
        case limits(LimitsConfiguration?, root: YAMLNode, diagnostics: [Diagnostic])
        case routing(RoutingRules?, root: YAMLNode, diagnostics: [Diagnostic])
        case upstreams(UpstreamsConfiguration?, root: YAMLNode, diagnostics: [Diagnostic])
        case deployments([String: WidgetDeployment]?, root: YAMLNode, diagnostics: [Diagnostic])
    }

    /// Builds from files already read.
    ///
    /// Files are parsed and decoded in parallel (each is independent); the checks across files
    /// then run in file order, so the result and its diagnostics do not depend on scheduling.
    public func build(_ files: [SourceFile], readDiagnostics: [Diagnostic] = []) -> Result {
        let outcomes = ParallelMap.map(files) { decodeFile($0) }
        var diagnostics = readDiagnostics
        var personalities: [Personality] = []
        var limits: LimitsConfiguration?
        var routing: RoutingRules?
        var routingFile: SourceFile?
        var upstreams: UpstreamsConfiguration?
        var deployments: [String: WidgetDeployment] = [:]
        var ruleBytes: [UInt8] = []
        var firstRuleFile: [SourceFile.Role: String] = [:]
        // Ids of files that failed to decode: references to them are not reported again, so
        // one broken personality gives one error, not a cascade through routing.
        var declaredIDs: Set<String> = []
        // A limits file that failed to decode: undefined-set errors would only repeat its error.
        var limitsFileBroken = false

        for (file, outcome) in zip(files, outcomes) {
            switch outcome {
            case .unreadable(let diagnostic):
                diagnostics.append(diagnostic)
                switch file.role {
                case .personality: declaredIDs.insert(file.stem)
                case .limits: limitsFileBroken = true
                case .routing, .upstreams, .deployments: break
                }
            case .personality(let personality, let declaredID, let found):
                if let personality { personalities.append(personality) }
                // A broken file whose id cannot be read is taken to declare its file name's id
                // (`pirate.yaml` declares `pirate`), the convention every shipped file follows.
                if personality == nil { declaredIDs.insert(declaredID ?? file.stem) }
                diagnostics.append(contentsOf: found)
            case .limits(_, let root, _), .routing(_, let root, _), .upstreams(_, let root, _),
                .deployments(_, let root, _):
                let role = file.role
                if let first = firstRuleFile[role] {
                    diagnostics.append(.error("duplicate-rule-file", at: root.location, "a second \(file.baseName) (the first is \(first)); keep one per registry"))
                    continue
                }
                firstRuleFile[role] = file.name
                ruleBytes.append(contentsOf: file.bytes)
                if case .limits(let decoded, _, let found) = outcome {
                    limits = decoded
                    if decoded == nil { limitsFileBroken = true }
                    diagnostics.append(contentsOf: found)
                } else if case .routing(let decoded, _, let found) = outcome {
                    routing = decoded
                    routingFile = file
                    diagnostics.append(contentsOf: found)
                } else if case .upstreams(let decoded, _, let found) = outcome {
                    upstreams = decoded
                    diagnostics.append(contentsOf: found)
                } else if case .deployments(let decoded, _, let found) = outcome {
                    deployments = decoded ?? [:]
                    diagnostics.append(contentsOf: found)
                }
            }
        }

        let unique = checkUniqueIDs(personalities, diagnostics: &diagnostics)
        let limitsConfiguration = limits ?? .unlimited
        if !limitsFileBroken {
            checkLimitReferences(unique, limits: limitsConfiguration, hasLimitsFile: limits != nil, diagnostics: &diagnostics)
        }
        let routingRules = routing ?? RoutingRules()
        checkRouting(routingRules, file: routingFile, personalities: unique, declaredIDs: declaredIDs, diagnostics: &diagnostics)
        checkDeployments(deployments, personalities: unique, declaredIDs: declaredIDs, diagnostics: &diagnostics)

        let upstreamsConfiguration = upstreams ?? .none
        checkUpstreamReferences(unique, upstreams: upstreamsConfiguration, diagnostics: &diagnostics)

        diagnostics.sort()
        let snapshot =
            diagnostics.containsErrors
            ? nil
            : RegistrySnapshot(
                personalities: unique, limits: limitsConfiguration, routing: routingRules,
                ruleFilesVersion: PersonalityVersion(of: ruleBytes), upstreams: upstreamsConfiguration,
                deployments: deployments)
        return Result(snapshot: snapshot, diagnostics: diagnostics, personalities: unique)
    }

    /// Parses and decodes one file on its own.
    private func decodeFile(_ file: SourceFile) -> FileOutcome {
        let root: YAMLNode
        do {
            root = try YAMLParser(limits: yamlLimits).parse(file.bytes, file: file.name)
        } catch {
            return .unreadable(error.diagnostic)
        }
        var context = DecodingContext(file: file.name)
        switch file.role {
        case .personality:
            let personality = PersonalityDecoder(catalog: catalog).decode(
                root, version: PersonalityVersion(of: file.bytes), context: &context)
            let declaredID =
                personality == nil
                ? root.mapping?.first(where: { $0.key.scalar?.text == "id" })?.value.scalar?.text : nil
            return .personality(personality, declaredID: declaredID, diagnostics: context.diagnostics)
        case .limits:
            let limits = LimitsDecoder.decode(root, context: &context)
            return .limits(limits, root: root, diagnostics: context.diagnostics)
        case .routing:
            let routing = RoutingDecoder.decode(root, context: &context)
            return .routing(routing, root: root, diagnostics: context.diagnostics)
        case .upstreams:
            let upstreams = UpstreamsDecoder.decode(root, context: &context)
            return .upstreams(upstreams, root: root, diagnostics: context.diagnostics)
        case .deployments:
            let deployments = DeploymentsDecoder.decode(root, context: &context)
            return .deployments(deployments, root: root, diagnostics: context.diagnostics)
        }
    }

    /// Every upstream a personality names must exist; with an ``environment``, an upstream in use
    /// whose key variable is unset gets a warning (the server would send no key).
    private func checkUpstreamReferences(
        _ personalities: [Personality], upstreams: UpstreamsConfiguration, diagnostics: inout [Diagnostic]
    ) {
        var used: Set<String> = []
        for personality in personalities {
            for section in personality.engineSections.values {
                guard let reference = section as? any UpstreamReferencing else { continue }
                if upstreams[reference.upstreamName] == nil {
                    var message = "unknown upstream '\(reference.upstreamName)'"
                    if let near = Suggestion.closest(to: reference.upstreamName, among: upstreams.names) {
                        message += "; did you mean '\(near)'?"
                    } else if upstreams.byName.isEmpty {
                        message += "; define it in upstreams.yaml"
                    }
                    diagnostics.append(.error("unknown-upstream", at: reference.upstreamNameLocation.location, message))
                } else {
                    used.insert(reference.upstreamName)
                }
            }
        }
        guard let environment else { return }
        for name in used.sorted() {
            guard let upstream = upstreams[name], let variable = upstream.apiKeyEnvironmentVariable else { continue }
            if (environment[variable] ?? "").isEmpty {
                diagnostics.append(
                    .warning(
                        "unset-api-key", at: upstream.location?.location,
                        "upstream '\(name)' takes its key from $\(variable), which is not set"))
            }
        }
    }

    /// Reads `paths` with `tree`, then builds.
    public func build(paths: [String], tree: SourceTree = SourceTree()) -> Result {
        let (files, readDiagnostics) = tree.read(paths)
        return build(files, readDiagnostics: readDiagnostics)
    }

    private func checkUniqueIDs(_ personalities: [Personality], diagnostics: inout [Diagnostic]) -> [Personality] {
        var first: [String: Personality] = [:]
        var unique: [Personality] = []
        for personality in personalities {
            if let original = first[personality.id] {
                diagnostics.append(
                    .error("duplicate-id", at: personality.source.location, "duplicate personality id '\(personality.id)' (first defined at \(original.source.location))"))
            } else {
                first[personality.id] = personality
                unique.append(personality)
            }
        }
        return unique
    }

    private func checkLimitReferences(
        _ personalities: [Personality], limits: LimitsConfiguration, hasLimitsFile: Bool, diagnostics: inout [Diagnostic]
    ) {
        let names = limits.sets.keys.sorted()
        for personality in personalities {
            guard let name = personality.limits.setName, limits.sets[name] == nil else { continue }
            let location = personality.limits.location?.location ?? personality.source.location
            var message = "limit set '\(name)' is not defined"
            if hasLimitsFile {
                message += " in limits.yaml"
                if let near = Suggestion.closest(to: name, among: names) { message += "; did you mean '\(near)'?" }
            } else {
                message += ": there is no limits.yaml beside the personalities"
            }
            diagnostics.append(.error("undefined-limit-set", at: location, message))
        }
    }

    private func checkRouting(
        _ routing: RoutingRules, file: SourceFile?, personalities: [Personality], declaredIDs: Set<String>,
        diagnostics: inout [Diagnostic]
    ) {
        let ids = personalities.map(\.id)
        let known = Set(ids).union(declaredIDs)
        func undefined(_ id: String, at location: SourceLocation?, _ what: String) {
            var message = "\(what) '\(id)' is not defined"
            if let near = Suggestion.closest(to: id, among: ids) { message += "; did you mean '\(near)'?" }
            diagnostics.append(.error("undefined-personality", at: location, message))
        }
        for candidate in routing.fallback where !known.contains(candidate.personality) {
            undefined(candidate.personality, at: candidate.location.location, "fallback personality")
        }
        if let name = routing.defaultPersonality, !known.contains(name) {
            undefined(
                name, at: routing.defaultPersonalityLocation?.location ?? file.map { SourceLocation(file: $0.name, line: 1, column: 1) },
                "default fallback personality")
        }
        if let file, routing.fallback.isEmpty, routing.defaultPersonality == nil {
            diagnostics.append(
                .warning("no-fallback", at: SourceLocation(file: file.name, line: 1, column: 1), "routing names no fallback personality; random sessions nobody matches will end with 'no_partner'"))
        }
    }

    /// Every widget deployment must name a defined personality.
    private func checkDeployments(
        _ deployments: [String: WidgetDeployment], personalities: [Personality], declaredIDs: Set<String>,
        diagnostics: inout [Diagnostic]
    ) {
        let ids = personalities.map(\.id)
        let known = Set(ids).union(declaredIDs)
        for deployment in deployments.values where !known.contains(deployment.personality) {
            var message = "deployment '\(deployment.key)': personality '\(deployment.personality)' is not defined"
            if let near = Suggestion.closest(to: deployment.personality, among: ids) {
                message += "; did you mean '\(near)'?"
            }
            diagnostics.append(.error("undefined-personality", at: deployment.location.location, message))
        }
    }
}
