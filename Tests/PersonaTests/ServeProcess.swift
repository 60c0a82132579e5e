import Foundation
import PersonaTestSupport

/// A `persona serve --port 0` child process for live tests: started, its first stdout line
/// read for the bound port, stopped with SIGTERM.
final class ServeProcess {
    let process = Process()
    let port: Int
    /// The data directory (the store and admin token): a fresh temporary one unless the test
    /// named one, so concurrent servers never share a database.
    let dataDirectory: String
    private let ownsDataDirectory: Bool
    private let output = Pipe()
    private let errors = Pipe()

    /// Starts the server with `arguments` after `serve --port 0`, waiting (10 s at most) for
    /// the listening line.
    init(_ arguments: [String] = [], environment: [String: String]? = nil, portFlag: Bool = true) throws {
        process.executableURL = PersonaBinary.url
        process.arguments = ["serve"] + (portFlag ? ["--port", "0"] : []) + arguments
        // The shipped personalities, wherever the test runner's working directory is.
        var chosen = environment ?? ProcessInfo.processInfo.environment
        chosen["PERSONA_PERSONALITIES"] =
            chosen["PERSONA_PERSONALITIES"]
            ?? PersonaBinary.packageRoot.appendingPathComponent("Personalities").path
        if let given = chosen["PERSONA_DATA_DIR"] ?? Self.flag("--data-dir", in: arguments) {
            dataDirectory = given
            ownsDataDirectory = false
        } else {
            dataDirectory = FileManager.default.temporaryDirectory
                .appendingPathComponent("persona-serve-\(UUID().uuidString)").path
            ownsDataDirectory = true
            chosen["PERSONA_DATA_DIR"] = dataDirectory
        }
        process.environment = chosen
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let line = Self.firstLine(of: output.fileHandleForReading)
        guard let line, line.hasPrefix("persona listening on http://"), let colon = line.lastIndex(of: ":"),
            let port = Int(line[line.index(after: colon)...])
        else {
            process.terminate()
            throw ServeProcessError(message: "no listening line, got: \(line ?? "EOF")")
        }
        self.port = port
    }

    private static func flag(_ name: String, in arguments: [String]) -> String? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }

    struct ServeProcessError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The next line the server printed on stdout (nil at EOF).
    func nextLine() -> String? {
        Self.firstLine(of: output.fileHandleForReading)
    }

    /// Reads one line byte by byte (the pipe stays usable; bounded by the child's own exit).
    private static func firstLine(of handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte.first == 0x0A { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte.first!)
        }
    }

    /// Sends SIGTERM and waits for the exit status; after 20 s (a drain that hangs would be a
    /// bug the test should report, not wait out) the process is killed and -1 returned.
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            return -1
        }
        return process.terminationStatus
    }

    /// What the server wrote to stderr (after it exited).
    func standardError() -> String {
        String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    deinit {
        if process.isRunning { _ = stop() }
        if ownsDataDirectory { try? FileManager.default.removeItem(atPath: dataDirectory) }
    }
}
