import Foundation
import PersonaTestSupport

/// A `persona serve --port 0 --admin-port 0` child process for the operations live tests: reads
/// the listening line and the admin line for both ports; stopped with SIGTERM.
final class OpsServeProcess {
    let process = Process()
    let port: Int
    let adminPort: Int
    let token = "ops-live-token"
    private let output = Pipe()
    private let errors = Pipe()

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts the server on `personalities` with `arguments` added.
    init(personalities: String, arguments: [String] = []) throws {
        process.executableURL = PersonaBinary.url
        process.arguments =
            [
                "serve", "--port", "0", "--admin-port", "0", "--personalities", personalities, "--log-format",
                "logfmt",
            ]
            + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PERSONA_ADMIN_TOKEN"] = token
        process.environment = environment
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let handle = output.fileHandleForReading
        var ports: [Int] = []
        while ports.count < 2 {
            guard let line = Self.line(of: handle) else {
                process.terminate()
                throw Failure(description: "server exited before listening: \(ports)")
            }
            if line.hasPrefix("persona listening on http://") || line.hasPrefix("admin API on http://") {
                let address = line.split(separator: " ").first { $0.hasPrefix("http://") } ?? ""
                guard let port = address.split(separator: ":").last.flatMap({ Int($0) }) else {
                    throw Failure(description: "no port in \(line)")
                }
                ports.append(port)
            }
        }
        port = ports[0]
        adminPort = ports[1]
    }

    private static func line(of handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte.first == 0x0A { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte.first!)
        }
    }

    /// Sends `signal` to the server.
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// SIGTERM, then the exit status (killed after 20 s).
    @discardableResult
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

    /// Everything written to stderr (after the process exited).
    func standardError() -> String {
        String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    deinit {
        if process.isRunning { stop() }
    }
}
