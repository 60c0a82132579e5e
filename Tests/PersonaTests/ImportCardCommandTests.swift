import Foundation
import PersonaTestSupport
import Testing

@Suite("persona import card: character cards from JSON and PNG files become llm personalities")
struct ImportCardCommandTests {
    static let cards = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Fixtures/cards")

    /// Imports `card` into a fresh folder next to the shipped upstreams.yaml and validates it.
    static func importAndValidate(_ card: String, _ extra: [String] = []) throws -> (ProcessResult, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "persona-card-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: PersonaBinary.packageRoot.appendingPathComponent("Personalities/upstreams.yaml"),
            to: directory.appendingPathComponent("upstreams.yaml"))
        let output = directory.appendingPathComponent("imported.yaml")
        let result = try ProcessResult.persona(
            ["import", "card", cards.appendingPathComponent(card).path, "-o", output.path] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        let validated = try ProcessResult.persona(["validate", directory.path])
        #expect(
            validated.status == 0 && validated.stdout.contains("0 errors"),
            "\(validated.stdout)\(validated.stderr)")
        let tested = try ProcessResult.persona(["test", directory.path])
        #expect(tested.status == 0, "\(tested.stdout)\(tested.stderr)")
        return (result, try String(contentsOf: output, encoding: .utf8))
    }

    @Test("a chara_card_v2 JSON card imports into a personality that validates, reporting what it drops")
    func v2JSON() throws {
        let (result, yaml) = try Self.importAndValidate("seraphina-v2.json")
        #expect(yaml.contains("id: \"seraphina\"") && yaml.contains("upstream: \"local\""))
        #expect(yaml.contains("- \"The glade is quiet today.\""))
        #expect(yaml.contains("assistant: \"I am Seraphina, keeper of this glade.\""))
        #expect(
            result.stderr.contains(
                "seraphina-v2.json: warning: data.character_book (2 entries) was not carried over"))
        #expect(result.stderr.contains("warning: the macro {{random:rain,sun}} is not supported"))
    }

    @Test("a chara_card_v3 JSON card imports with its nickname as the name")
    func v3JSON() throws {
        let (result, yaml) = try Self.importAndValidate(
            "aurelia-v3.json", ["--upstream", "openai", "--id", "captain"])
        #expect(
            yaml.contains("id: \"captain\"") && yaml.contains("name: \"Aurelia\"")
                && yaml.contains("upstream: \"openai\""))
        #expect(result.stderr.contains("data.group_only_greetings (1 item(s)) was not carried over"))
    }

    @Test("PNG cards import like their JSON: tEXt 'chara', and iTXt 'ccv3' preferred over 'chara'")
    func png() throws {
        let (_, fromPNG) = try Self.importAndValidate("seraphina-v2.png")
        let (_, fromJSON) = try Self.importAndValidate("seraphina-v2.json")
        #expect(fromPNG.split(separator: "\n").dropFirst() == fromJSON.split(separator: "\n").dropFirst())
        let (_, v3) = try Self.importAndValidate("aurelia-v3.png")
        #expect(v3.contains("name: \"Aurelia\"") && !v3.contains("Outdated"))
    }

    @Test(
        "broken cards fail with their location and exit 1",
        arguments: [
            ("broken.json", "broken.json: 3:24: trailing comma"),
            ("corrupt-crc.png", "corrupt-crc.png: byte 33: chunk 'tEXt' has a bad CRC"),
        ])
    func broken(file: String, message: String) throws {
        let result = try ProcessResult.persona([
            "import", "card", Self.cards.appendingPathComponent(file).path,
        ])
        #expect(result.status == 1 && result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
