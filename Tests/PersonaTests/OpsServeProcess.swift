import Foundation
import PersonaTestSupport

/// A `persona serve --port 0 --admin-port 0` child process for the operations live tests: a
/// ``ServeProcess`` that also reads the admin line for the admin port and sets a known token.
final class OpsServeProcess {
    /// The server process itself.
    let server: ServeProcess
    /// The admin listener's port.
    let adminPort: Int
    /// The admin bearer token the server was started with.
    let token = "ops-live-token"

    /// The public listener's port.
    var port: Int { server.port }

    /// Starts the server on `personalities` with `arguments` added.
    init(personalities: String, arguments: [String] = []) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["PERSONA_ADMIN_TOKEN"] = token
        server = try ServeProcess(
            ["--admin-port", "0", "--personalities", personalities, "--log-format", "logfmt"] + arguments,
            environment: environment)
        while true {
            guard let line = server.nextLine() else {
                throw ServeProcess.ServeProcessError(message: "server exited before its admin line")
            }
            guard line.hasPrefix("admin API on http://") else { continue }
            let address = line.split(separator: " ").first { $0.hasPrefix("http://") } ?? ""
            guard let port = address.split(separator: ":").last.flatMap({ Int($0) }) else {
                throw ServeProcess.ServeProcessError(message: "no port in \(line)")
            }
            adminPort = port
            return
        }
    }

    /// Sends `signal` to the server.
    func send(_ signal: Int32) { kill(server.process.processIdentifier, signal) }

    /// SIGTERM, then the exit status (killed after 20 s).
    @discardableResult
    func stop() -> Int32 { server.stop() }

    /// Everything written to stderr (after the process exited).
    func standardError() -> String { server.standardError() }
}
