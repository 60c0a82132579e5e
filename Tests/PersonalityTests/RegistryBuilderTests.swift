import Diagnostics
import Foundation
import Personality
import Testing

@Suite("Registry builder: checks that need every file")
struct RegistryBuilderTests {
    @Test("reports a duplicate id at the second file, naming the first")
    func duplicateIDs() {
        let result = RegistryBuilder.testing.build([
            SourceFile(name: "a.yaml", text: personalityYAML(id: "twin")),
            SourceFile(name: "sub/b.yaml", text: personalityYAML(id: "twin")),
        ])
        #expect(result.snapshot == nil)
        #expect(result.diagnostics.map(\.description) == ["sub/b.yaml:1:5: error: duplicate personality id 'twin' (first defined at a.yaml:1:5)"])
    }

    @Test("reports a reference to an undefined limit set with a suggestion")
    func undefinedLimitSet() {
        let result = RegistryBuilder.testing.build([
            SourceFile(name: "p.yaml", text: personalityYAML(extra: "limits: strcit")),
            SourceFile(name: "limits.yaml", text: "sets:\n  strict: { responses_per_session: 5 }\n"),
        ])
        #expect(result.diagnostics.map(\.description) == ["p.yaml:7:9: error: limit set 'strcit' is not defined in limits.yaml; did you mean 'strict'?"])
    }

    @Test("reports routing references to undefined personalities")
    func undefinedFallbackPersonality() {
        let routing = """
            matchmaking: { timeout: 5s }
            fallback:
              candidates:
                - { personality: captian, weight: 2 }
            """
        let result = RegistryBuilder.testing.build([
            SourceFile(name: "p.yaml", text: personalityYAML()), SourceFile(name: "routing.yaml", text: routing),
        ])
        #expect(result.diagnostics.map(\.description) == ["routing.yaml:4:22: error: fallback personality 'captian' is not defined; did you mean 'captain'?"])
    }

    @Test("decodes routing: timeout, human-first and weighted candidates")
    func decodesRouting() throws {
        let routing = """
            matchmaking: { timeout: 2500ms, humans_first: false }
            fallback:
              default: captain
              candidates:
                - { personality: captain, weight: 3, tenants: [acme] }
            """
        let snapshot = try #require(
            RegistryBuilder.testing.build([
                SourceFile(name: "p.yaml", text: personalityYAML()), SourceFile(name: "routing.yaml", text: routing),
            ]).snapshot)
        #expect(snapshot.routing.matchmakingTimeout == .milliseconds(2500))
        #expect(snapshot.routing.humansFirst == false)
        #expect(snapshot.routing.defaultPersonality == "captain")
        #expect(snapshot.routing.fallback.map(\.weight) == [3])
        #expect(snapshot.routing.fallback.first?.tenants == ["acme"])
    }

    @Test("defaults the matchmaking timeout to 10 seconds and refuses one past 5 minutes")
    func matchmakingTimeoutLimit() {
        let snapshot = RegistryBuilder.testing.build([SourceFile(name: "p.yaml", text: personalityYAML())]).snapshot
        #expect(snapshot?.routing.matchmakingTimeout == .seconds(10))
        let atLimit = RegistryBuilder.testing.build([
            SourceFile(name: "p.yaml", text: personalityYAML()),
            SourceFile(name: "routing.yaml", text: "matchmaking: { timeout: 5m }\nfallback: { default: captain }"),
        ])
        #expect(atLimit.diagnostics.isEmpty)
        let past = RegistryBuilder.testing.build([
            SourceFile(name: "p.yaml", text: personalityYAML()),
            SourceFile(name: "routing.yaml", text: "matchmaking: { timeout: 5m1s }\nfallback: { default: captain }"),
        ])
        #expect(past.diagnostics.map(\.description) == ["routing.yaml:1:25: error: 'timeout' must be between 0s and 5m, found '5m1s'"])
    }

    @Test("refuses a second limits file")
    func secondLimitsFile() {
        let result = RegistryBuilder.testing.build([
            SourceFile(name: "a/limits.yaml", text: "sets: {}"), SourceFile(name: "b/limits.yml", text: "sets: {}"),
        ])
        #expect(result.diagnostics.map(\.description) == ["b/limits.yml:1:1: error: a second limits.yml (the first is a/limits.yaml); keep one per registry"])
    }

    @Test("gives each personality a version that changes with its file's content")
    func versionsFollowContent() throws {
        let first = try #require(RegistryBuilder.testing.build([SourceFile(name: "p.yaml", text: personalityYAML())]).snapshot)
        let same = try #require(RegistryBuilder.testing.build([SourceFile(name: "p.yaml", text: personalityYAML())]).snapshot)
        let edited = try #require(
            RegistryBuilder.testing.build([SourceFile(name: "p.yaml", text: personalityYAML(extra: "# a comment"))]).snapshot)
        #expect(first.personality("captain")?.version == same.personality("captain")?.version)
        #expect(first.personality("captain")?.version != edited.personality("captain")?.version)
        #expect(first.version == same.version)
        #expect(first.version != edited.version)
        #expect(first.personality("captain")?.version.description.count == 16)
    }

    @Test("reports every error of every file in a directory in one run")
    func directoryReportsEverything() {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/broken-directory").path
        let result = RegistryBuilder.testing.build(paths: [directory])
        let relative = result.diagnostics.map { $0.description.replacingOccurrences(of: directory + "/", with: "") }
        #expect(result.snapshot == nil)
        #expect(
            relative == [
                "bad-id.yaml:1:5: error: invalid id 'Bad Id': ids use lowercase letters a-z, digits and '-', start with a letter, do not end with '-', and are at most 64 characters; try 'bad-id'",
                "limits.yaml:3:3: error: limit set 'standard' extends 'basic' is not defined in 'sets'; did you mean 'basics'?",
                "nested/duplicate.yaml:1:5: error: duplicate personality id 'good' (first defined at good.yaml:1:5)",
                "nested/typo.yaml:4:1: error: unknown key 'greting' in personality; did you mean 'greeting'?",
                "syntax.yaml:3:18: error: mapping values are not allowed in this context; a value that contains ': ' must be quoted",
            ], "\(relative)")
    }

    @Test("stops reading at max_files and says so")
    func maxFilesLimit() {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/broken-directory").path
        let (all, _) = SourceTree().read([directory])
        let (files, diagnostics) = SourceTree(configuration: .init(maxFiles: all.count - 1)).read([directory])
        #expect(files.count == all.count - 1)
        #expect(diagnostics.map(\.description) == ["error: found \(all.count) files, more than the limit of \(all.count - 1) (max_files); only the first \(all.count - 1) were read"])
        let (exact, none) = SourceTree(configuration: .init(maxFiles: all.count)).read([directory])
        #expect(exact.count == all.count && none.isEmpty)
    }

    @Test("reads a file exactly at max_document_bytes and refuses one a byte larger, before reading it")
    func maxFileBytesLimit() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/broken-directory/good.yaml").path
        let size = try #require(FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        let (read, none) = SourceTree(configuration: .init(maxFileBytes: size)).read([file])
        #expect(read.count == 1 && none.isEmpty)
        let (refused, problems) = SourceTree(configuration: .init(maxFileBytes: size - 1)).read([file])
        #expect(refused.isEmpty)
        #expect(problems.map(\.description) == [
            "\(file):1:1: error: file is larger than \(size - 1) bytes (limit max_document_bytes)"
        ])
    }

    @Test("reports a path that does not exist")
    func missingPath() {
        let result = RegistryBuilder.testing.build(paths: ["/no/such/place"])
        #expect(result.diagnostics.map(\.description) == ["error: /no/such/place: no such file or directory"])
    }
}

@Suite("Registry builder: one broken file gives one error, not a cascade")
struct RegistryCascadeTests {
    @Test("a routing reference to a personality whose file failed is not reported again")
    func noCascadeThroughRouting() {
        let result = RegistryBuilder.testing.build([
            SourceFile(name: "p.yaml", text: "id: broken\nname: B\ndescription: d\nengine: nope\n"),
            SourceFile(name: "routing.yaml", text: "fallback: { default: broken }"),
        ])
        #expect(result.diagnostics.map(\.code) == ["unknown-engine"])
    }
}
