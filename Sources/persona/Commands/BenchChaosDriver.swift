import ChatChaos
import ChatProtocol
import Engines
import HTTPServer
import Reactor
import WebSocket

/// The virtual users of `persona bench chaos` on one client loop: each takes a step of the
/// ``ChaosModel`` every few milliseconds (a random think time), over real WebSockets, while a
/// ``ChaosChecker`` watches every frame. Loop-confined.
final class BenchChaosDriver: WebSocketClientDelegate {
    struct User {
        var link: Int?
        var client: WebSocketClient?
        var open = false
        var timer: TimerID?
    }

    let loop: EventLoop
    let target: WebSocketTarget
    // A live server may acknowledge through its durable store, so acks can trail other answers.
    let checker = ChaosChecker(durableStore: true)
    private var model: ChaosModel
    private var random: ChaosGenerator
    private let thinkMilliseconds: Int
    private var users: [User]
    private var userOfLink: [Int: Int] = [:]
    private var nextLink = 0
    private var running = false
    private var awaitedPongs: Set<String> = []
    private var onSettled: (() -> Void)?
    private enum Waiting { case nothing, pongs, closes }
    private var waiting = Waiting.nothing
    /// Connections that never opened (refused upgrades, connect failures).
    private(set) var refused = 0

    init(loop: EventLoop, target: WebSocketTarget, model: ChaosModel, seed: UInt64, thinkMilliseconds: Int) {
        self.loop = loop
        self.target = target
        self.model = model
        random = ChaosGenerator(seed: seed ^ 0xC4A0_5EED)
        self.thinkMilliseconds = max(1, thinkMilliseconds)
        users = Array(repeating: User(), count: model.configuration.users)
    }

    /// Starts every user walking.
    func start() {
        running = true
        for user in users.indices { scheduleStep(user) }
    }

    /// A burst: up to `count` users who are not connected connect at once.
    func burst(_ count: Int) {
        guard running else { return }
        for user in users.indices.shuffled(using: &random).prefix(count) where users[user].client == nil {
            for action in model.userSteps(user) { perform(action) }
        }
    }

    /// Stops the walk; every open user pings (a barrier) and `done` runs once every pong came
    /// back (or the connections that owed one are gone).
    func settle(then done: @escaping () -> Void) {
        running = false
        for index in users.indices {
            if let timer = users[index].timer { _ = loop.cancelTimer(timer) }
            users[index].timer = nil
        }
        for user in users.indices where users[user].open {
            let ping = model.farewellPing(user)
            if case .ping(let id) = ping { awaitedPongs.insert(id) }
            perform(.send(user: user, ping))
        }
        onSettled = done
        waiting = .pongs
        checkSettled()
    }

    /// Closes every connection (politely) and runs `done` once all have ended.
    func leave(then done: @escaping () -> Void) {
        onSettled = done
        waiting = .closes
        for user in users.indices where users[user].client != nil { users[user].client?.close() }
        checkSettled()
    }

    /// The server is draining: nobody sends any more; `done` runs once every connection ended.
    func awaitDrain(then done: @escaping () -> Void) {
        running = false
        checker.drainBegan()
        for index in users.indices {
            if let timer = users[index].timer { _ = loop.cancelTimer(timer) }
        }
        onSettled = done
        waiting = .closes
        checkSettled()
    }

    private func checkSettled() {
        let settled: Bool
        switch waiting {
        case .nothing: return
        case .pongs: settled = awaitedPongs.isEmpty
        case .closes: settled = !users.contains { $0.client != nil }
        }
        guard settled, let done = onSettled else { return }
        onSettled = nil
        waiting = .nothing
        done()
    }

    private func scheduleStep(_ user: Int) {
        let delay = Int.random(in: 1...thinkMilliseconds, using: &random)
        users[user].timer = loop.scheduleTimer(after: .milliseconds(Int64(delay))) { [unowned self] in
            users[user].timer = nil
            guard running else { return }
            for action in model.userSteps(user) { perform(action) }
            scheduleStep(user)
        }
    }

    private func perform(_ action: ChaosAction) {
        switch action {
        case .connect(let user, _):
            guard users[user].client == nil else { return }
            let link = nextLink
            nextLink += 1
            checker.opened(link, user: user)
            userOfLink[link] = user
            users[user].link = link
            let client = WebSocketClient(
                to: target.address, host: target.host, path: target.path, on: loop, delegate: self)
            client.tag = link
            users[user].client = client
        case .drop(let user):
            guard let client = users[user].client, let link = users[user].link else { return }
            checker.closed(link)
            userOfLink[link] = nil
            users[user] = User(timer: users[user].timer)
            if Bool.random(using: &random) { client.abort() } else { client.close() }
        case .send(let user, let frame):
            guard users[user].open, let client = users[user].client, let link = users[user].link else {
                return
            }
            client.send(.text(checker.send(frame, link: link)))
        case .wait, .deliverMail, .reload:
            break
        }
    }

    // MARK: WebSocketClientDelegate

    func webSocketClientDidConnect(_ client: WebSocketClient) {
        guard let user = userOfLink[client.tag] else { return }
        users[user].open = true
    }

    func webSocketClient(_ client: WebSocketClient, didReceive message: WebSocketMessage) {
        guard userOfLink[client.tag] != nil, case .text(let text) = message else { return }
        guard let frame = try? ServerMessage(decoding: text) else {
            return checker.fail(
                .wireFormat, "connection #\(client.tag) got a frame that does not decode: \(text)")
        }
        checker.received(frame, link: client.tag)
        if case .pong(let id?) = frame, awaitedPongs.remove(id) != nil { checkSettled() }
    }

    func webSocketClient(
        _ client: WebSocketClient, didEnd closure: WebSocketClosure?, failure: WebSocketClientError?
    ) {
        guard let user = userOfLink.removeValue(forKey: client.tag) else { return }
        if !users[user].open { refused += 1 }
        checker.closed(client.tag, code: closure?.code.rawValue ?? (users[user].open ? 1006 : nil))
        users[user] = User(timer: users[user].timer)
        model.disconnected(user)
        for id in awaitedPongs where id.hasPrefix("p\(user).") { awaitedPongs.remove(id) }
        checkSettled()
    }
}
