import Diagnostics
import Personality
import Testing

@Suite("deployments.yaml: widget deployment keys beside the personalities, checked like the other rule files")
struct DeploymentsDecoderTests {
    @Test("decodes widget deployments by key with their personality and tenant")
    func decodes() throws {
        let deployments = """
            widget:
              - { key: acme-help, personality: captain, tenant: acme }
              - { key: demo, personality: captain }
            """
        let snapshot = try #require(
            RegistryBuilder.testing.build([
                SourceFile(name: "p.yaml", text: personalityYAML()),
                SourceFile(name: "deployments.yaml", text: deployments),
            ]).snapshot)
        #expect(snapshot.deployments.keys.sorted() == ["acme-help", "demo"])
        #expect(snapshot.deployments["acme-help"]?.personality == "captain")
        #expect(snapshot.deployments["acme-help"]?.tenant == "acme")
        #expect(snapshot.deployments["demo"]?.tenant == nil)
    }

    @Test("reports an undefined personality, a bad or duplicate key and an unknown field at their locations")
    func refusals() {
        let deployments = """
            widget:
              - { key: a, personality: captian }
              - { key: "has space", personality: captain }
              - { key: a, personality: captain }
              - { key: b, personality: captain, colour: red }
            """
        let result = RegistryBuilder.testing.build([
            SourceFile(name: "p.yaml", text: personalityYAML()),
            SourceFile(name: "deployments.yaml", text: deployments),
        ])
        #expect(result.snapshot == nil)
        let lines = result.diagnostics.map(\.description)
        #expect(lines.contains("deployments.yaml:2:28: error: deployment 'a': personality 'captian' is not defined; did you mean 'captain'?"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("deployments.yaml:3:") && $0.contains("visible ASCII without spaces") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("deployments.yaml:4:") && $0.contains("a second deployment with key 'a'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("deployments.yaml:5:") && $0.contains("colour") }, "\(lines)")
    }

    @Test("accepts a key of exactly 128 bytes and refuses one of 129")
    func keyLength() {
        func build(_ key: String) -> RegistryBuilder.Result {
            RegistryBuilder.testing.build([
                SourceFile(name: "p.yaml", text: personalityYAML()),
                SourceFile(name: "deployments.yaml", text: "widget:\n  - { key: \(key), personality: captain }\n"),
            ])
        }
        #expect(build(String(repeating: "k", count: DeploymentsDecoder.maxKeyBytes)).snapshot != nil)
        #expect(build(String(repeating: "k", count: DeploymentsDecoder.maxKeyBytes + 1)).snapshot == nil)
    }

    @Test("accepts 10,000 deployments and refuses one more")
    func deploymentLimit() {
        func build(_ count: Int) -> RegistryBuilder.Result {
            var text = "widget:\n"
            for index in 0..<count { text += "  - { key: k\(index), personality: captain }\n" }
            return RegistryBuilder.testing.build([
                SourceFile(name: "p.yaml", text: personalityYAML()), SourceFile(name: "deployments.yaml", text: text),
            ])
        }
        #expect(build(DeploymentsDecoder.maxDeployments).snapshot?.deployments.count == DeploymentsDecoder.maxDeployments)
        let over = build(DeploymentsDecoder.maxDeployments + 1)
        #expect(over.snapshot == nil)
        #expect(over.diagnostics.contains { $0.description.contains("at most 10000 widget deployments") })
    }
}
