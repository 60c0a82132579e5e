import JSON
import PersonaRuntime
import Reactor
import SocketIO

/// One loop's Engine.IO sessions by sid. Confined to its loop.
final class SocketIOSessionTable {
    let loop: EventLoop
    let configuration: SocketIOServerConfiguration
    private let addresses: SocketIOAddressCounter
    private let makeEndpoint: (EventLoop) -> any SocketIOEndpoint
    private var sessions: [String: SocketIOSocket] = [:]
    private var random = SystemRandomNumberGenerator()

    init(
        loop: EventLoop, configuration: SocketIOServerConfiguration, addresses: SocketIOAddressCounter,
        makeEndpoint: @escaping (EventLoop) -> any SocketIOEndpoint
    ) {
        self.loop = loop
        // A message as large as maxPayload must parse: the JSON limits follow it.
        var configuration = configuration
        let json = configuration.socket.limits.json
        configuration.socket.limits.json.maxInputBytes = max(json.maxInputBytes, configuration.engine.maxPayload)
        configuration.socket.limits.json.maxStringBytes = max(json.maxStringBytes, configuration.engine.maxPayload)
        self.configuration = configuration
        self.addresses = addresses
        self.makeEndpoint = makeEndpoint
    }

    /// Live sessions on this loop.
    var count: Int { sessions.count }

    /// The session `sid`, if it lives here.
    func session(_ sid: String) -> SocketIOSocket? { sessions[sid] }

    /// Opens a session for `address` (already admitted by ``SocketIOAddressCounter``), used with
    /// the API key that identified `client` at the handshake (nil: no key).
    func open(address: String, client: ClientIdentity?, transport: EngineIOSession.Transport) -> SocketIOSocket {
        let sid = newSID()
        let socket = SocketIOSocket(
            sid: sid, address: address, client: client, transport: transport, table: self,
            endpoint: makeEndpoint(loop))
        sessions[sid] = socket
        return socket
    }

    /// Forgets a session that ended.
    func remove(_ socket: SocketIOSocket) {
        guard sessions.removeValue(forKey: socket.sid) != nil else { return }
        addresses.release(socket.address)
    }

    /// Ends every session (server shutdown).
    func closeAll() {
        for socket in Array(sessions.values) { socket.shutdown() }
    }

    /// 20 URL-safe characters: the loop's index, then 114 random bits. The first character
    /// lets any loop find the session's owner without a shared table.
    private func newSID() -> String {
        var characters: [UInt8] = [SocketIOServer.sidAlphabet[loop.index % 64]]
        for _ in 0..<19 { characters.append(SocketIOServer.sidAlphabet[Int(random.next() % 64)]) }
        return String(decoding: characters, as: UTF8.self)
    }
}
