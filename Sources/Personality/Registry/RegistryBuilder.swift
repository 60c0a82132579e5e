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

    /// Creates a builder.
    public init(catalog: EngineCatalog, yamlLimits: YAMLLimits = .default) {
        self.catalog = catalog
        self.yamlLimits = yamlLimits
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

    /// Builds from files already read.
    public func build(_ files: [SourceFile], readDiagnostics: [Diagnostic] = []) -> Result {
        var diagnostics = readDiagnostics
        var personalities: [Personality] = []
        var limits: LimitsConfiguration?
        var routing: RoutingRules?
        var routingFile: SourceFile?
        var ruleBytes: [UInt8] = []
        var firstRuleFile: [SourceFile.Role: String] = [:]
        // Ids of files that failed to decode: references to them are not reported again, so
        // one broken personality gives one error, not a cascade through routing.
        var declaredIDs: Set<String> = []
        let parser = YAMLParser(limits: yamlLimits)
        let decoder = PersonalityDecoder(catalog: catalog)

        for file in files {
            let root: YAMLNode
            do {
                root = try parser.parse(file.bytes, file: file.name)
            } catch {
                diagnostics.append(error.diagnostic)
                continue
            }
            var context = DecodingContext(file: file.name)
            let role = file.role
            if role != .personality {
                if let first = firstRuleFile[role] {
                    diagnostics.append(.error("duplicate-rule-file", at: root.location, "a second \(file.baseName) (the first is \(first)); keep one per registry"))
                    continue
                }
                firstRuleFile[role] = file.name
                ruleBytes.append(contentsOf: file.bytes)
            }
            switch role {
            case .personality:
                if let personality = decoder.decode(root, version: PersonalityVersion(of: file.bytes), context: &context) {
                    personalities.append(personality)
                } else if let id = root.mapping?.first(where: { $0.key.scalar?.text == "id" })?.value.scalar?.text {
                    declaredIDs.insert(id)
                }
            case .limits:
                limits = LimitsDecoder.decode(root, context: &context)
            case .routing:
                routing = RoutingDecoder.decode(root, context: &context)
                routingFile = file
            }
            diagnostics.append(contentsOf: context.diagnostics)
        }

        let unique = checkUniqueIDs(personalities, diagnostics: &diagnostics)
        let limitsConfiguration = limits ?? .unlimited
        checkLimitReferences(unique, limits: limitsConfiguration, hasLimitsFile: limits != nil, diagnostics: &diagnostics)
        let routingRules = routing ?? RoutingRules()
        checkRouting(routingRules, file: routingFile, personalities: unique, declaredIDs: declaredIDs, diagnostics: &diagnostics)

        diagnostics.sort()
        let snapshot =
            diagnostics.containsErrors
            ? nil
            : RegistrySnapshot(
                personalities: unique, limits: limitsConfiguration, routing: routingRules,
                ruleFilesVersion: PersonalityVersion(of: ruleBytes))
        return Result(snapshot: snapshot, diagnostics: diagnostics, personalities: unique)
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
            undefined(name, at: file.map { SourceLocation(file: $0.name, line: 1, column: 1) }, "default fallback personality")
        }
        if let file, routing.fallback.isEmpty, routing.defaultPersonality == nil {
            diagnostics.append(
                .warning("no-fallback", at: SourceLocation(file: file.name, line: 1, column: 1), "routing names no fallback personality; random sessions nobody matches will end with 'no_partner'"))
        }
    }
}
