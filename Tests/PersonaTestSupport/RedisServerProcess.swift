import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real `redis-server` (Debian's package, installed by `.ci/run`) on a free loopback port with
/// its own temporary directory, no persistence, stopped by ``stop()`` or ``kill()``; it can be
/// started again on the same port to show reconnects.
public final class RedisServerProcess: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    public let extraArguments: [String]
    /// Whether the port given is the plain or the TLS one.
    public let tlsFiles: (certificate: String, key: String)?
    private var process: Process?

    /// Starts a server (waiting up to 5 s for it to accept connections).
    public init(arguments: [String] = [], tls: (certificate: String, key: String)? = nil) throws {
        port = try Self.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("persona-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        extraArguments = arguments
        tlsFiles = tls
        try start()
    }

    /// The `redis-server` executable.
    public static var executable: String {
        ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "/usr/bin/redis-server"
    }

    /// Starts (or restarts) the server on ``port``.
    public func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        var arguments = [
            "--bind", "127.0.0.1", "--dir", directory.path, "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--loglevel", "warning", "--logfile", directory.appendingPathComponent("redis.log").path,
        ]
        if let tlsFiles {
            arguments += [
                "--port", "0", "--tls-port", String(port), "--tls-cert-file", tlsFiles.certificate,
                "--tls-key-file", tlsFiles.key, "--tls-ca-cert-file", tlsFiles.certificate, "--tls-auth-clients", "no",
            ]
        } else {
            arguments += ["--port", String(port)]
        }
        process.arguments = arguments + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(5)
        var elsewhere: Int32?
        while Date() < deadline {
            if Self.accepts(port: port) {
                // Someone accepts: make sure it is this server, not another holding the port.
                let serving = tlsFiles == nil ? Self.processID(servingPort: port) : nil
                if process.isRunning, serving == nil || serving == process.processIdentifier { return }
                elsewhere = serving
                break
            }
            guard process.isRunning else { break }
            usleep(10_000)
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("redis.log"), encoding: .utf8)) ?? ""
        stop()
        let holder = elsewhere.map { " (process \($0) holds the port)" } ?? ""
        throw RedisServerError(message: "redis-server did not start on \(port)\(holder): \(log)")
    }

    /// The running server's process id (nil when stopped).
    public var pid: Int32? { process?.isRunning == true ? process?.processIdentifier : nil }

    /// SIGKILL: the server vanishes without closing anything gracefully.
    public func kill() {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Stops the server. SIGKILL, because a child started from a test thread inherits that
    /// thread's blocked signals (the reactor blocks SIGTERM for its signalfd), and the server
    /// keeps nothing on disk that a graceful stop would save.
    public func stop() {
        kill()
    }

    /// Stops the server and removes its directory.
    public func remove() {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { remove() }

    public struct RedisServerError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// A loopback port nothing listens on, for a server that may be restarted on it (see
    /// ``LoopbackPort``).
    public static func freePort() throws -> Int {
        try LoopbackPort.reserve()
    }

    /// The process id a plain Redis server on `port` reports in `INFO server` (nil if none
    /// answers within a second).
    public static func processID(servingPort port: Int) -> Int32? {
        guard let fd = LoopbackPort.connect(port) else { return nil }
        defer { close(fd) }
        var limit = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let request = Array("*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { return nil }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while reply.count < 65_536 {
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            reply += chunk[0..<count]
            let text = String(decoding: reply, as: UTF8.self)
            guard let field = text.range(of: "process_id:") else { continue }
            let digits = text[field.upperBound...].prefix { $0.isNumber }
            guard text[field.upperBound...].dropFirst(digits.count).first?.isNewline == true else { continue }
            return Int32(digits)
        }
        return nil
    }

    /// Whether something accepts TCP connections on the loopback port.
    public static func accepts(port: Int) -> Bool {
        guard let fd = LoopbackPort.connect(port) else { return false }
        close(fd)
        return true
    }
}
