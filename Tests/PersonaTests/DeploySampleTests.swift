import Foundation
import PersonaTestSupport
import Testing

/// `Samples/deploy` (README "Deploying"): what can be checked without Docker or a running
/// systemd — nginx parses the site with a certificate made here, systemd accepts the unit
/// without a warning, and the Dockerfile builds the way the README says.
@Suite("Deployment samples")
struct DeploySampleTests {
    static let deploy = PersonaBinary.packageRoot.appendingPathComponent("Samples/deploy")
    /// `.ci/run` installs nginx and sets this, so a missing tool fails CI instead of skipping.
    static var required: Bool { ProcessInfo.processInfo.environment["PERSONA_REQUIRE_DEPLOY_TOOLS"] == "1" }

    static func tool(_ name: String) -> URL? {
        for directory in ["/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("persona-deploy-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test(
        "nginx accepts the site with a test certificate; it forwards upgrades and the client's address",
        .enabled(if: tool("nginx") != nil || required, "nginx is not installed"))
    func nginxSite() throws {
        let nginx = try #require(Self.tool("nginx"))
        let openssl = try #require(Self.tool("openssl"))
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let certificate = try ProcessResult.run(
            openssl,
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=chat.example.com",
                "-keyout", dir.appendingPathComponent("key.pem").path,
                "-out", dir.appendingPathComponent("cert.pem").path,
            ])
        try #require(certificate.status == 0, "\(certificate.stderr)")
        let site = try String(
            contentsOf: Self.deploy.appendingPathComponent("nginx-persona.conf"), encoding: .utf8)
        for header in [
            "proxy_set_header Upgrade $http_upgrade", "proxy_set_header Connection $persona_connection",
            "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for", "proxy_set_header Forwarded",
            "proxy_http_version 1.1", "proxy_pass http://persona",
        ] {
            #expect(site.contains(header), "the site lacks \(header)")
        }
        let tested =
            site
            .replacingOccurrences(
                of: "/etc/ssl/persona/fullchain.pem", with: dir.appendingPathComponent("cert.pem").path
            )
            .replacingOccurrences(
                of: "/etc/ssl/persona/privkey.pem", with: dir.appendingPathComponent("key.pem").path)
        try tested.write(to: dir.appendingPathComponent("site.conf"), atomically: true, encoding: .utf8)
        let main = """
            pid \(dir.path)/nginx.pid;
            error_log \(dir.path)/error.log;
            events {}
            http {
                access_log off;
                client_body_temp_path \(dir.path)/tmp;
                proxy_temp_path \(dir.path)/tmp;
                include \(dir.path)/site.conf;
            }
            """
        try main.write(to: dir.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        let result = try ProcessResult.run(
            nginx, ["-t", "-c", dir.appendingPathComponent("nginx.conf").path, "-p", dir.path + "/"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("test is successful"), "\(result.stderr)")
        #expect(!result.stderr.contains("[warn]"), "\(result.stderr)")
    }

    @Test(
        "systemd accepts the unit without a warning, with its hardening options on",
        .enabled(if: tool("systemd-analyze") != nil || required, "systemd-analyze is not installed"))
    func systemdUnit() throws {
        let analyze = try #require(Self.tool("systemd-analyze"))
        let unit = try String(
            contentsOf: Self.deploy.appendingPathComponent("persona.service"), encoding: .utf8)
        for option in [
            "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
            "PrivateDevices=yes",
            "DynamicUser=yes", "CapabilityBoundingSet=", "RestrictAddressFamilies=",
            "SystemCallFilter=@system-service",
            "MemoryDenyWriteExecute=yes", "ExecReload=/bin/kill -HUP $MAINPID",
        ] {
            #expect(unit.contains(option), "the unit lacks \(option)")
        }
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        // verify insists that ExecStart names an executable; use the one just built.
        let file = dir.appendingPathComponent("persona.service")
        try unit.replacingOccurrences(of: "/usr/local/bin/persona", with: PersonaBinary.url.path)
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try ProcessResult.run(analyze, ["verify", "--man=no", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        // Unknown or misspelt keys are only warnings ("ignoring"); none may appear.
        let complaints = (result.stdout + result.stderr).split(separator: "\n").filter {
            $0.contains("persona.service")
        }
        #expect(complaints.isEmpty, "\(complaints)")
        let serve = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        let arguments = serve.dropFirst("ExecStart=/usr/local/bin/persona ".count).split(separator: " ").map(
            String.init)
        let help = try ProcessResult.persona(arguments + ["--help"])
        #expect(help.status == 0, "the unit's command line does not parse: \(help.stderr)")
    }

    @Test("the Dockerfile builds with the README's static command and ships validated personalities")
    func dockerfile() throws {
        let dockerfile = try String(
            contentsOf: Self.deploy.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let readme = try String(
            contentsOf: PersonaBinary.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let command = "swift build -c release --static-swift-stdlib --product persona"
        #expect(readme.contains(command))
        #expect(dockerfile.contains("RUN \(command)"))
        #expect(dockerfile.components(separatedBy: "\nFROM ").count == 3, "two stages")
        // Every COPY source exists, so the build context is the repository as it is.
        for line in dockerfile.split(separator: "\n")
        where line.hasPrefix("COPY ") && !line.contains("--from") {
            let source = String(line.split(separator: " ")[1])
            #expect(
                FileManager.default.fileExists(
                    atPath: PersonaBinary.packageRoot.appendingPathComponent(source).path),
                "COPY \(source)")
        }
        #expect(dockerfile.contains("RUN persona validate /etc/persona/personalities"))
        let validate = try ProcessResult.persona(["validate", "Personalities"])
        #expect(validate.status == 0, "\(validate.stdout)")
    }
}
