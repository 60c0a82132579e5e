import CLI
import PersonaTestSupport
import Testing

@Suite("Command-line parsing under random input")
struct CommandParserFuzzTests {
    /// Words a user might type, near misses included, so random lines reach deep into the parser.
    static let vocabulary = [
        "serve", "serv", "copy", "cat", "bench", "echo", "ech", "fail", "help", "hlep", "--", "-", "-h",
        "--help", "--version", "--port", "--port=", "--port=80", "-p", "-p80", "-p=", "-qp", "--prot",
        "--format", "json", "jsno", "--tag", "-t", "--ratio", "0.5", "-0.5", "--offset", "-5", "-v", "-vv",
        "-vvx", "--quiet", "--quiet=1", "--dry-run", "--secret", "-listen", "--listen", "=", "--=", "---",
        "-=", "8080", "0", "65536", "abc", "", " ", "é", "--é", "-é", "x y", "--connections", "-c", "10",
        "ws://x", "failure", "exit",
    ]

    @Test("never crashes on random command lines, and every error renders with usage and exit 64")
    func randomLines() async {
        var generator = SeededGenerator(seed: 0xC11_F022)
        for _ in 0..<1500 {
            let count = Int.random(in: 0...7, using: &generator)
            let argv = (0..<count).map { _ in Self.vocabulary.randomElement(using: &generator)! }
            let environment = Bool.random(using: &generator) ? ["TOOL_PORT": "x"] : [:]
            do {
                let invocation = try SampleTool.parse(argv, environment: environment)
                #expect(!invocation.commands.isEmpty, "seed \(generator.seed) argv \(argv)")
            } catch {
                let rendered = Command.render(error.error, commands: [SampleTool.root])
                #expect(rendered.hasPrefix("Error: "), "seed \(generator.seed) argv \(argv)")
                #expect(!error.commandPath.isEmpty, "seed \(generator.seed) argv \(argv)")
            }
            if argv.first != "fail" {
                let result = await SampleTool.run(argv, environment: environment)
                let fine: Set<Int32> = [0, 64]
                #expect(fine.contains(result.code.rawValue), "seed \(generator.seed) argv \(argv)")
                if result.code == .usageError {
                    #expect(result.stderr.hasPrefix("Error: "), "argv \(argv)")
                    #expect(result.stderr.contains("\nUsage: tool"), "argv \(argv)")
                    #expect(result.stderr.hasSuffix("for more information.\n"), "argv \(argv)")
                }
            }
        }
    }

    @Test("parses every prefix and every one-word deletion of valid lines without crashing")
    func dripFeedsValidLines() {
        for example in CommandParserTests.accepted {
            let argv = example.argv
            var variants: [[String]] = (0...argv.count).map { Array(argv[..<$0]) }
            for index in argv.indices {
                var shorter = argv
                shorter.remove(at: index)
                variants.append(shorter)
            }
            for variant in variants {
                do {
                    _ = try SampleTool.parse(variant, environment: example.environment)
                } catch {
                    #expect(!error.description.isEmpty, "argv \(variant)")
                }
            }
        }
    }
}
