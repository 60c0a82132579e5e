import Diagnostics
import Engines
import Observability
import PersonaServer
import Personality
import Reactor
import Synchronization
import Testing

/// Counts publishes from the coordinator's closure.
private final class Publishes: Sendable {
    let versions = Mutex<[PersonalityVersion]>([])
}

@Suite("Reload coordinator: build aside, swap whole, time with the injected clock, one log line")
struct AdminReloadCoordinatorTests {
    private let builder = RegistryBuilder(catalog: EngineRegistry.builtIn.catalog)

    private func snapshot(_ files: [SourceFile]) throws -> RegistrySnapshot {
        let result = builder.build(files)
        return try #require(result.snapshot, "\(result.diagnostics)")
    }

    @Test("times the build and the swap with the injected clock, and publishes only applied snapshots")
    func timings() throws {
        let clock = ManualClock()
        let publishes = Publishes()
        let next = AdminTestBackend.Files([
            AdminFixtures.personality("alpha"), AdminFixtures.personality("beta"),
        ])
        let builder = self.builder
        let coordinator = ReloadCoordinator(
            registry: Registry(try snapshot([AdminFixtures.personality("alpha")])),
            build: {
                clock.advance(by: .milliseconds(40))
                return builder.build(next.withLock { $0 })
            }, clock: clock
        ) { snapshot in
            clock.advance(by: .milliseconds(3))
            publishes.versions.withLock { $0.append(snapshot.version) }
        }
        let dry = coordinator.reload(trigger: .admin, dryRun: true)
        #expect(dry.outcome == .dryRun && dry.buildDuration == .milliseconds(40) && dry.swapDuration == .zero)
        #expect(publishes.versions.withLock { $0.isEmpty })
        let applied = coordinator.reload(trigger: .sighup)
        #expect(applied.outcome == .applied && applied.trigger == .sighup)
        #expect(applied.buildDuration == .milliseconds(40) && applied.swapDuration == .milliseconds(3))
        #expect(publishes.versions.withLock { $0 } == [coordinator.registry.current.version])
        #expect(applied.diff?.added.map(\.id) == ["beta"])
        #expect(coordinator.reloadCounts == (1, 0))
    }

    @Test("a rejected dry run is not counted as a failed reload; a rejected reload is, and logs a warning")
    func counting() throws {
        let sink = MemoryLogSink()
        let files = AdminTestBackend.Files([
            AdminFixtures.personality("alpha"), SourceFile(name: "bad.yaml", text: "id: bad\n"),
        ])
        let builder = self.builder
        let coordinator = ReloadCoordinator(
            registry: Registry(try snapshot([AdminFixtures.personality("alpha")])),
            build: { builder.build(files.withLock { $0 }) },
            logger: Logger(label: "persona.reload", sink: sink, clock: FixedLogClock())
        ) { _ in Issue.record("a rejected reload must not publish") }
        let before = coordinator.registry.current
        #expect(coordinator.reload(trigger: .watch, dryRun: true).outcome == .rejected)
        #expect(coordinator.reloadCounts == (0, 0))
        let rejected = coordinator.reload(trigger: .watch)
        #expect(rejected.outcome == .rejected && rejected.diff == nil)
        #expect(rejected.errors.allSatisfy { $0.location?.file == "bad.yaml" })
        #expect(rejected.servingVersion == before.version)
        #expect(coordinator.registry.current === before)
        #expect(coordinator.reloadCounts == (0, 1))
        #expect(sink.records.map(\.level) == [.warning, .warning])
        #expect(sink.records.last?["trigger"] == "watch" && sink.records.last?["result"] == "rejected")
        #expect(sink.records.last?["first_error"]?.description.hasPrefix("bad.yaml:") == true)
        #expect(rejected.summary.first?.hasPrefix("reload rejected: ") == true)
    }
}
