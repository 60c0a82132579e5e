import Foundation
import PersonaTestSupport
import Testing

/// The README's first command, run in a shell whose `id`, `sudo` and `apt-get` are stand-ins
/// that record what they were asked, so the install half is checked as root and as a user.
@Suite("README run command")
struct ReadmeCommandTests {
    /// The install part of the README's run command: everything before `swift build`.
    static func installCommand() throws -> String {
        let readme = try String(
            contentsOf: PersonaBinary.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## The two commands"))
        let rest = readme[section.upperBound...]
        let fence = try #require(rest.range(of: "```sh\n"))
        let line = rest[fence.upperBound...].prefix { $0 != "\n" }
        let install = try #require(line.range(of: " && swift build"))
        return String(line[..<install.lowerBound])
    }

    /// Runs the install part with `id -u` answering `uid`; returns the recorded calls.
    static func run(asUID uid: Int, withSudo: Bool) throws -> (status: Int32, calls: [String]) {
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("persona-readme-\(UUID())")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: bin) }
        let log = bin.appendingPathComponent("calls.log").path
        var fakes = [
            "id": "#!/bin/sh\n[ \"$1\" = -u ] && echo \(uid)\n",
            "apt-get": "#!/bin/sh\necho \"apt-get $*\" >> \(log)\n",
        ]
        if withSudo { fakes["sudo"] = "#!/bin/sh\necho \"sudo $1\" >> \(log)\nexec \"$@\"\n" }
        for (name, script) in fakes {
            let path = bin.appendingPathComponent(name).path
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", try installCommand()],
            environment: ["PATH": bin.path])
        let calls =
            (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
        return (result.status, calls)
    }

    @Test("as root in a container without sudo, the install runs apt-get directly")
    func rootWithoutSudo() throws {
        let (status, calls) = try Self.run(asUID: 0, withSudo: false)
        #expect(status == 0)
        #expect(
            calls == [
                "apt-get update", "apt-get install -y libyaml-dev libsqlite3-dev libssl-dev pkg-config",
            ])
    }

    @Test("as a user, the install runs apt-get through sudo")
    func userWithSudo() throws {
        let (status, calls) = try Self.run(asUID: 1000, withSudo: true)
        #expect(status == 0)
        #expect(
            calls == [
                "sudo apt-get", "apt-get update", "sudo apt-get",
                "apt-get install -y libyaml-dev libsqlite3-dev libssl-dev pkg-config",
            ])
    }

    @Test("the README does not offer file:// for the browser page while the page loads an ES module")
    func browserPageOrigin() throws {
        let root = PersonaBinary.packageRoot
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let page = try String(
            contentsOf: root.appendingPathComponent("Samples/browser/chat.html"), encoding: .utf8)
        let paragraph = try #require(
            readme.components(separatedBy: "\n\n").first { $0.contains("Samples/browser/chat.html") })
        // Browsers give file:// pages an opaque origin and refuse module scripts from it.
        if page.contains("type=\"module\"") {
            #expect(paragraph.contains("refuse") || !paragraph.contains("file://"), "\(paragraph)")
            #expect(paragraph.contains("http.server"), "\(paragraph)")
        }
    }
}
