/// What changed between two ``RegistrySnapshot``s: the answer a reload gives its operator.
///
/// Pure: two snapshots in, a value out. Personalities are compared by id and version (a
/// version is a hash of the file's bytes, so any edit counts); for a changed personality the
/// diff also names which of its settings differ, so "limits: strict → relaxed" is visible
/// without reading both files. Limit sets, limit rules and routing are compared by value;
/// source locations never count as a change (see ``SourceLocationBox``).
public struct RegistryDiff: Hashable, Sendable {
    /// One personality present on one side only.
    public struct Entry: Hashable, Sendable {
        /// The personality id.
        public var id: String
        /// Its version on the side where it exists.
        public var version: PersonalityVersion
    }

    /// One personality present on both sides with different versions.
    public struct Change: Hashable, Sendable {
        /// The personality id.
        public var id: String
        /// The version before the reload.
        public var oldVersion: PersonalityVersion
        /// The version after the reload.
        public var newVersion: PersonalityVersion
        /// Which settings differ (`name`, `limits`, `stream`, …); `content` when only the
        /// engine section, tests or comments changed.
        public var fields: [String]
    }

    /// The snapshot version before.
    public var oldVersion: PersonalityVersion
    /// The snapshot version after.
    public var newVersion: PersonalityVersion
    /// Personalities only in the new snapshot, by id.
    public var added: [Entry]
    /// Personalities only in the old snapshot, by id.
    public var removed: [Entry]
    /// Personalities in both with a different version, by id.
    public var changed: [Change]
    /// Limit sets only in the new `limits.yaml`.
    public var limitSetsAdded: [String]
    /// Limit sets only in the old `limits.yaml`.
    public var limitSetsRemoved: [String]
    /// Limit sets whose values or parent changed.
    public var limitSetsChanged: [String]
    /// Whether the `rules:` list (which set applies to whom) or the default set changed.
    public var limitRulesChanged: Bool
    /// Routing settings that changed: `matchmaking_timeout`, `humans_first`, `fallback`,
    /// `default_personality`.
    public var routingChanges: [String]

    /// Compares `old` with `new`.
    public init(from old: RegistrySnapshot, to new: RegistrySnapshot) {
        oldVersion = old.version
        newVersion = new.version
        var added: [Entry] = []
        var removed: [Entry] = []
        var changed: [Change] = []
        // Both lists are sorted by id: one merge pass.
        var oldIndex = 0
        var newIndex = 0
        let olds = old.personalities
        let news = new.personalities
        while oldIndex < olds.count || newIndex < news.count {
            if newIndex == news.count || (oldIndex < olds.count && olds[oldIndex].id < news[newIndex].id) {
                removed.append(Entry(id: olds[oldIndex].id, version: olds[oldIndex].version))
                oldIndex += 1
            } else if oldIndex == olds.count || news[newIndex].id < olds[oldIndex].id {
                added.append(Entry(id: news[newIndex].id, version: news[newIndex].version))
                newIndex += 1
            } else {
                let before = olds[oldIndex]
                let after = news[newIndex]
                if before.version != after.version {
                    changed.append(
                        Change(
                            id: after.id, oldVersion: before.version, newVersion: after.version,
                            fields: Self.changedFields(before, after)))
                }
                oldIndex += 1
                newIndex += 1
            }
        }
        self.added = added
        self.removed = removed
        self.changed = changed

        let oldSets = old.limits.sets
        let newSets = new.limits.sets
        limitSetsAdded = newSets.keys.filter { oldSets[$0] == nil }.sorted()
        limitSetsRemoved = oldSets.keys.filter { newSets[$0] == nil }.sorted()
        limitSetsChanged = newSets.compactMap { name, set in
            guard let before = oldSets[name], before != set else { return nil }
            return name
        }.sorted()
        limitRulesChanged =
            old.limits.rules != new.limits.rules || old.limits.defaultSet != new.limits.defaultSet

        var routing: [String] = []
        if old.routing.matchmakingTimeout != new.routing.matchmakingTimeout {
            routing.append("matchmaking_timeout")
        }
        if old.routing.humansFirst != new.routing.humansFirst { routing.append("humans_first") }
        if old.routing.fallback != new.routing.fallback { routing.append("fallback") }
        if old.routing.defaultPersonality != new.routing.defaultPersonality {
            routing.append("default_personality")
        }
        routingChanges = routing
    }

    /// True when nothing a client could notice changed.
    public var isEmpty: Bool {
        added.isEmpty && removed.isEmpty && changed.isEmpty && limitSetsAdded.isEmpty
            && limitSetsRemoved.isEmpty && limitSetsChanged.isEmpty && !limitRulesChanged
            && routingChanges.isEmpty
    }

    /// The settings that differ between two versions of one personality, in declaration order.
    private static func changedFields(_ before: Personality, _ after: Personality) -> [String] {
        var fields: [String] = []
        if before.name != after.name { fields.append("name") }
        if before.description != after.description { fields.append("description") }
        if before.tags != after.tags { fields.append("tags") }
        if before.language != after.language { fields.append("language") }
        if before.tenant != after.tenant { fields.append("tenant") }
        if before.engines != after.engines { fields.append("engine") }
        if before.greetings != after.greetings { fields.append("greeting") }
        if before.farewells != after.farewells { fields.append("farewell") }
        if before.limits != after.limits { fields.append("limits") }
        if before.stream != after.stream { fields.append("stream") }
        if before.cache != after.cache { fields.append("cache") }
        if before.pii != after.pii { fields.append("pii") }
        if before.tests.count != after.tests.count { fields.append("tests") }
        if before.source.file != after.source.file { fields.append("file") }
        return fields.isEmpty ? ["content"] : fields
    }
}
