import Foundation
import PersonaServer
import Testing

@Suite("Admin token: constant-time match, bearer header, 0600 file in the data directory")
struct AdminTokenTests {
    @Test(
        "matches only the exact token",
        arguments: [
            ("abc123", true), ("abc124", false), ("abc12", false), ("abc1234", false), ("", false),
            ("ABC123", false),
        ])
    func matches(presented: String, expected: Bool) {
        #expect(AdminToken("abc123").matches(presented) == expected)
    }

    @Test("an empty token matches nothing, not even an empty string")
    func emptyToken() {
        #expect(!AdminToken("").matches(""))
    }

    @Test(
        "reads the token from a Bearer header, scheme case-insensitive",
        arguments: [
            ("Bearer abc123", true), ("bearer abc123", true), ("Bearer  abc123 ", true),
            ("Basic abc123", false),
            ("Bearer", false), ("abc123", false), ("Bearer abc1234", false),
        ])
    func header(value: String, expected: Bool) {
        #expect(AdminToken("abc123").authorizes(header: value) == expected)
        #expect(!AdminToken("abc123").authorizes(header: nil))
    }

    @Test("generates distinct 64-hex-digit tokens")
    func generate() {
        let tokens = (0..<20).map { _ in AdminToken.generate().value }
        #expect(Set(tokens).count == 20)
        #expect(tokens.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test("creates the token file with mode 0600 on first start, then reuses it; a given token wins")
    func tokenFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "persona-admin-\(UUID().uuidString)/data")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let (created, source) = try AdminTokenFile.resolve(given: nil, dataDirectory: directory.path)
        let path = AdminTokenFile.path(in: directory.path)
        #expect(source == .created(path))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == created.value + "\n")
        let (again, againSource) = try AdminTokenFile.resolve(given: nil, dataDirectory: directory.path)
        #expect(again == created && againSource == .file(path))
        let (given, givenSource) = try AdminTokenFile.resolve(
            given: "from-env", dataDirectory: directory.path)
        #expect(given == AdminToken("from-env") && givenSource == .given)
        let (emptyGiven, _) = try AdminTokenFile.resolve(given: "", dataDirectory: directory.path)
        #expect(emptyGiven == created)
    }

    @Test("a data directory that cannot be created is an error naming it")
    func unwritable() {
        #expect(throws: AdminTokenFile.Failure.self) {
            try AdminTokenFile.resolve(given: nil, dataDirectory: "/proc/persona-cannot-exist/data")
        }
    }
}
