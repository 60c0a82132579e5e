import Diagnostics
import Foundation
import Testing
import YAML

@Suite("Reading files")
struct FileTests {
    /// A fresh scratch directory, removed by the caller.
    private func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "yaml-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("parses a file and names it by the path as given")
    func reads() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("p.yaml").path
        try Data("id: captain\nname: x\n".utf8).write(to: URL(fileURLWithPath: path))
        let node = try YAMLParser().parseFile(atPath: path)
        #expect(node["id"]?.text == "captain")
        #expect(node["name"]?.location == SourceLocation(file: path, line: 2, column: 7))
    }

    @Test("uses the display name in locations and errors")
    func displayName() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("p.yaml").path
        try Data("a: 1\na: 2\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(
            throws: YAMLError(
                .duplicateKey, at: SourceLocation(file: "Personalities/p.yaml", line: 2, column: 1),
                "duplicate key 'a' (first defined at 1:1)")
        ) {
            try YAMLParser().parseFile(atPath: path, displayName: "Personalities/p.yaml")
        }
    }

    @Test("refuses a file one byte over max_document_bytes before reading it, and accepts one at it")
    func size() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.yaml").path
        try Data("a: 12345\n".utf8).write(to: URL(fileURLWithPath: path))
        let limits = YAMLLimits(maxDocumentBytes: 9)
        #expect(
            try YAMLParser(limits: limits).parseFile(atPath: path, displayName: "big.yaml")["a"]?.text
                == "12345")
        #expect(
            throws: YAMLError(
                .limitExceeded(.maxDocumentBytes), at: SourceLocation(file: "big.yaml", line: 1, column: 1),
                "document is larger than 8 bytes (limit max_document_bytes)")
        ) {
            try YAMLParser(limits: YAMLLimits(maxDocumentBytes: 8)).parseFile(
                atPath: path, displayName: "big.yaml")
        }
    }

    @Test("stops reading an endless device one byte past the limit")
    func endless() {
        let error = fileError(atPath: "/dev/zero", limits: YAMLLimits(maxDocumentBytes: 4096))
        #expect(error?.reason == .limitExceeded(.maxDocumentBytes))
    }

    @Test(
        "reports a missing file and a directory as unreadable",
        arguments: [
            ("/nonexistent/persona.yaml", "cannot open the file: No such file or directory"),
            ("/", "cannot read the file: Is a directory"),
        ])
    func unreadable(path: String, message: String) {
        #expect(
            throws: YAMLError(.unreadableFile, at: SourceLocation(file: path, line: 1, column: 1), message)
        ) {
            try YAMLParser().parseFile(atPath: path)
        }
        #expect(fileError(atPath: path)?.diagnostic.code == "yaml-unreadable")
    }
}
