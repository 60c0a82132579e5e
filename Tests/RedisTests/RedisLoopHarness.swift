import Foundation
import PersonaTestSupport
import Reactor
import Redis
import Synchronization

/// One event loop for client tests, and a way to run something on it and wait (with a
/// deadline, never a sleep) for the answer it calls back with.
final class RedisLoopHarness: Sendable {
    let group: EventLoopGroup
    var loop: EventLoop { group.loops[0] }

    init() throws {
        group = try EventLoopGroup(loops: 1)
    }

    deinit { group.shutdown() }

    struct TimedOut: Error, CustomStringConvertible {
        var what: String
        var description: String { "no answer within the deadline: \(what)" }
    }

    /// How long a step may take before it counts as a hang. Generous on purpose: in the full
    /// suite dozens of servers, clients and browsers share two cores, and a loaded machine has
    /// delayed a loop's answer by several seconds; a step that works answers at once anyway.
    static let deadline: Double = 30

    /// Runs `body` on the loop and waits up to `seconds` for the value it reports.
    func run<T: Sendable>(
        _ what: String = "", seconds: Double = RedisLoopHarness.deadline, _ body: @escaping @Sendable (@escaping @Sendable (T) -> Void) -> Void
    ) throws -> T {
        let box = Mutex<T?>(nil)
        let waiter = Waiter()
        loop.execute {
            body { value in
                let first = box.withLock { stored -> Bool in
                    guard stored == nil else { return false }
                    stored = value
                    return true
                }
                if first { waiter.signal() }
            }
        }
        guard waiter.wait(seconds: seconds), let value = box.withLock({ $0 }) else { throw TimedOut(what: what) }
        return value
    }

    /// Makes and starts a client on the loop.
    func client(_ configuration: RedisConfiguration) throws -> LoopBound<RedisClient> {
        let loop = self.loop
        return try run("client") { (done: @escaping @Sendable (Result<LoopBound<RedisClient>, RedisError>) -> Void) in
            do throws(RedisError) {
                let client = try RedisClient(configuration: configuration, loop: loop)
                client.start()
                done(.success(LoopBound(client, loop: loop)))
            } catch {
                done(.failure(error))
            }
        }.get()
    }

    /// Sends one command and waits for its outcome.
    func send(_ client: LoopBound<RedisClient>, _ arguments: [String], seconds: Double = RedisLoopHarness.deadline) throws -> Result<RESPValue, RedisError> {
        try run("\(arguments)", seconds: seconds) { done in client.value.send(arguments) { done($0) } }
    }

    /// Waits until `condition` holds on the loop (polled each millisecond, up to `seconds`).
    func wait(seconds: Double = RedisLoopHarness.deadline, _ what: String, _ condition: @escaping @Sendable () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let holds: Bool = try run(what) { done in done(condition()) }
            if holds { return }
            usleep(1000)
        }
        throw TimedOut(what: what)
    }

    /// Closes a client on its loop.
    func close(_ client: LoopBound<RedisClient>) {
        _ = try? run("close") { (done: @escaping @Sendable (Bool) -> Void) in
            client.value.close()
            done(true)
        }
    }
}


extension RedisLoopHarness {
    /// Starts a subscriber on `channels`, returning once the server confirmed all of them.
    func subscribe(_ configuration: RedisConfiguration, to channels: [String], inbox: Locked<[String]>) throws
        -> LoopBound<RedisSubscriber>
    {
        let confirmed = Locked<Set<String>>([])
        let loop = self.loop
        let subscriber: LoopBound<RedisSubscriber> = try run { done in
            let subscriber = try! RedisSubscriber(configuration: configuration, loop: loop)
            subscriber.onMessage = { channel, payload in
                inbox.withLock { $0.append("\(channel) \(String(decoding: payload, as: UTF8.self))") }
            }
            subscriber.onSubscribed = { channel in confirmed.withLock { _ = $0.insert(channel) } }
            subscriber.subscribe(channels)
            subscriber.start()
            done(LoopBound(subscriber, loop: loop))
        }
        try wait("subscribed") { confirmed.withLock { $0 } == Set(channels) }
        return subscriber
    }
}

/// A value shared between the test thread and the loop.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<R>(_ body: (inout Value) -> R) -> R {
        mutex.withLock { body(&$0) }
    }

    var value: Value { withLock { $0 } }
}
