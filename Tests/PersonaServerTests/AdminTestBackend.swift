import ChatProtocol
import Diagnostics
import Engines
import Foundation
import PersonaRuntime
import PersonaServer
import Personality
import Synchronization

/// A real backend for the admin tests, without sockets for chat: one real ``ChatHub`` (driven
/// by a manual clock) and a real ``ReloadCoordinator`` whose build reads personality files from
/// memory, which a test edits between reloads.
final class AdminTestBackend: AdminBackend {
    /// The hub and what it sent, behind one lock (the hub is not thread-safe).
    final class HubState: @unchecked Sendable {
        let hub: ChatHub
        var nextConnection: UInt64 = 1
        var sent: [ServerMessage] = []
        init(hub: ChatHub) { self.hub = hub }
    }

    /// The files the next reload builds from; tests edit them.
    final class Files: Sendable {
        private let storage: Mutex<[SourceFile]>
        init(_ files: [SourceFile]) { storage = Mutex(files) }
        func withLock<R>(_ body: (inout [SourceFile]) -> R) -> R { storage.withLock { body(&$0) } }
    }

    /// The hub behind its lock.
    final class LockedHub: Sendable {
        private let storage: Mutex<HubState>
        init(_ state: HubState) { storage = Mutex(state) }
        func withLock<R>(_ body: (HubState) -> R) -> R { storage.withLock { body($0) } }
    }

    let files: Files
    let coordinator: ReloadCoordinator
    private let state: LockedHub

    init(files initial: [SourceFile]) throws {
        let engines = EngineRegistry.builtIn
        let builder = RegistryBuilder(catalog: engines.catalog)
        let files = Files(initial)
        let first = builder.build(initial)
        guard let snapshot = first.snapshot else {
            throw BuildFailure(diagnostics: first.diagnostics.map(\.description))
        }
        let registry = Registry(snapshot)
        let state = LockedHub(
            HubState(hub: ChatHub(snapshot: snapshot, engines: engines, clock: ManualChatClock())))
        self.files = files
        self.state = state
        coordinator = ReloadCoordinator(
            registry: registry, build: { builder.build(files.withLock { $0 }) },
            tests: PersonalityTestRunner(registry: engines)
        ) { snapshot in
            state.withLock { state in
                for action in state.hub.registryReplaced(snapshot) {
                    if case .send(_, let message) = action { state.sent.append(message) }
                }
            }
        }
    }

    struct BuildFailure: Error {
        var diagnostics: [String]
    }

    /// Opens a connection and starts a direct session with `personality`.
    func startSession(with personality: String) {
        state.withLock { state in
            let connection = ConnectionID(state.nextConnection)
            state.nextConnection += 1
            _ = state.hub.connectionOpened(
                connection, client: ClientIdentity(key: "client-\(connection.value)"))
            for action in state.hub.messageReceived(
                connection, .start(StartRequest(mode: .direct(personality: personality))))
            {
                if case .send(_, let message) = action { state.sent.append(message) }
            }
        }
    }

    /// Every frame the hub sent so far.
    var sent: [ServerMessage] { state.withLock { $0.sent } }

    func reload(dryRun: Bool, runTests: Bool) -> ReloadReport {
        coordinator.reload(trigger: .admin, dryRun: dryRun, runTests: runTests)
    }

    func currentSnapshot() -> RegistrySnapshot { coordinator.registry.current }

    func sessions() -> [SessionSummary] { state.withLock { $0.hub.sessionSummaries() } }

    func stats() -> AdminStats {
        state.withLock { state in
            let live = state.hub.liveSessionCounts()
            let snapshot = coordinator.registry.current
            let counts = coordinator.reloadCounts
            return AdminStats(
                hubs: [state.hub.counters], connections: state.hub.connectionCount,
                sessionsByKind: Dictionary(
                    uniqueKeysWithValues: live.byKind.map { ($0.key?.rawValue ?? "matching", $0.value) }),
                sessionsByPersonality: live.byPersonality, registryVersion: snapshot.version.description,
                personalities: snapshot.personalities.count, reloadsOK: counts.ok,
                reloadsFailed: counts.failed)
        }
    }
}

/// Personality files for the admin tests.
enum AdminFixtures {
    static func personality(_ id: String, greeting: String = "Hello!", test: String? = nil) -> SourceFile {
        var text = """
            id: \(id)
            name: \(id.capitalized)
            description: A test personality.
            engine: script
            greeting: "\(greeting)"
            script:
              rules:
                - match: "hello"
                  reply: "Hi there!"
              fallback: ["I see."]

            """
        if let test {
            text += """
                tests:
                  - say: "hello"
                    expect: "\(test)"

                """
        }
        return SourceFile(name: "\(id).yaml", text: text)
    }
}
