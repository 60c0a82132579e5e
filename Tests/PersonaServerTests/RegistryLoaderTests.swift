import Diagnostics
import Foundation
import PersonaServer
import PersonaTestSupport
import Personality
import Testing

@Suite("RegistryLoader")
struct RegistryLoaderTests {
    let fixtures = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Fixtures/chat").path

    private func temporaryFile(_ name: String, _ text: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loader-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("loads every personality and the directory's own rule files")
    func loadsDirectory() throws {
        let loaded = try RegistryLoader(personalities: fixtures).load()
        #expect(loaded.snapshot.ids == ["brief", "parrot", "storyteller", "strict"])
        #expect(loaded.snapshot.routing.matchmakingTimeout == .seconds(2))
        #expect(loaded.warnings.isEmpty)
    }

    @Test("a limits override of any file name replaces the directory's limits.yaml")
    func limitsOverride() throws {
        let file = try temporaryFile(
            "bench.yaml",
            """
            default: roomy
            sets:
              roomy: { responses_per_session: 7 }
              tiny: { responses_per_session: 1 }
              strict: { responses_per_session: 2 }
            """)
        let loaded = try RegistryLoader(personalities: fixtures, limitsOverride: file.path).load()
        let parrot = try #require(loaded.snapshot.personality("parrot"))
        #expect(loaded.snapshot.limits(for: parrot).responsesPerSession == 7)
        let brief = try #require(loaded.snapshot.personality("brief"))
        #expect(loaded.snapshot.limits(for: brief).responsesPerSession == 1)
    }

    @Test("problems in an override file are reported under its real path")
    func overrideDiagnostics() throws {
        let file = try temporaryFile("fast.yaml", "matchmaking:\n  timeout: never\n")
        #expect {
            try RegistryLoader(personalities: fixtures, routingOverride: file.path).load()
        } throws: { error in
            guard let error = error as? RegistryLoadError else { return false }
            return error.diagnostics.contains { $0.location?.file == file.path }
                && !error.description.contains("#override")
        }
    }

    @Test("the matchmaking-timeout override replaces routing.yaml's and changes the registry version")
    func matchmakingOverride() throws {
        let plain = try RegistryLoader(personalities: fixtures).load().snapshot
        let short = try RegistryLoader(personalities: fixtures, matchmakingTimeout: .milliseconds(300)).load()
            .snapshot
        #expect(short.routing.matchmakingTimeout == .milliseconds(300))
        #expect(short.routing.fallback == plain.routing.fallback)
        #expect(short.version != plain.version)
    }

    @Test("an empty directory is an error, not an empty server")
    func emptyDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        #expect(throws: RegistryLoadError.self) { try RegistryLoader(personalities: directory.path).load() }
    }
}
