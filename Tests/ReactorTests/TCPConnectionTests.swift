import PersonaTestSupport
import Reactor
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Records what a connection reported, and optionally reacts.
final class RecordingHandler: ConnectionHandler {
    var received: [UInt8] = []
    var onRead: ((TCPConnection, [UInt8]) -> Void)?
    var onClose: ((SystemError?) -> Void)?
    var onDrain: (() -> Void)?
    var insideRead = false
    var closedInsideRead = false

    func connectionDidRead(_ connection: TCPConnection, _ bytes: UnsafeRawBufferPointer) {
        insideRead = true
        defer { insideRead = false }
        received.append(contentsOf: bytes)
        onRead?(connection, Array(bytes))
    }

    func connectionDidDrain(_ connection: TCPConnection) { onDrain?() }

    func connectionDidClose(_ connection: TCPConnection, error: SystemError?) {
        if insideRead { closedInsideRead = true }
        onClose?(error)
    }
}

@Suite("TCPConnection")
struct TCPConnectionTests {
    private func server(
        _ group: EventLoopGroup, _ onAccept: @escaping @Sendable (TCPConnection) -> Void
    ) throws -> TCPServer {
        try TCPServer(
            address: try SocketAddress(host: "127.0.0.1", port: 0), group: group, onAccept: onAccept)
    }

    @Test("echoes bytes written by a blocking client")
    func echo() throws {
        let group = try EventLoopGroup(loops: 2)
        defer { group.shutdown() }
        let server = try server(group) { connection in
            let handler = RecordingHandler()
            handler.onRead = { connection, bytes in connection.write(bytes) }
            connection.handler = handler
        }
        defer { server.stopAccepting() }
        let client = BlockingClient(port: server.localAddress.port)
        client.send("hello, reactor")
        #expect(client.receive(exactly: 14) == Array("hello, reactor".utf8))
    }

    @Test("closes a connection after the callback that asked, never inside it")
    func deferredClose() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let closed = Waiter()
        let insideFlag = Shared<Bool?>(nil)
        let server = try server(group) { connection in
            let handler = RecordingHandler()
            handler.onRead = { connection, _ in
                connection.write("bye")
                connection.close()
            }
            handler.onClose = { _ in
                insideFlag.update { $0 = handler.closedInsideRead }
                closed.signal()
            }
            connection.handler = handler
        }
        defer { server.stopAccepting() }
        let client = BlockingClient(port: server.localAddress.port)
        client.send("x")
        #expect(closed.wait())
        #expect(insideFlag.value == false)
        // close() discards pending output: the client sees EOF without "bye".
        #expect(client.receiveUntilClose().isEmpty)
    }

    @Test("is registered edge-triggered, so a ready socket is reported once per change")
    func edgeTriggeredRegistration() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let interest = Shared<Interest?>(nil)
        let seen = Waiter()
        let server = try server(group) { connection in
            let handler = RecordingHandler()
            handler.onRead = { connection, _ in
                interest.update { $0 = connection.loop.registeredInterest(fd: connection.descriptor) }
                seen.signal()
            }
            connection.handler = handler
        }
        defer { server.stopAccepting() }
        let client = BlockingClient(port: server.localAddress.port)
        client.send("x")
        #expect(seen.wait())
        #expect(interest.value == [.read, .edgeTriggered])
    }

    @Test("delivers every queued byte when a wake-up's reads stop at the cap and nothing new arrives")
    func readCapRearms() throws {
        // 16-byte reads, at most 4 per wake-up: 1,000 bytes sent at once need 16 wake-ups, and
        // after the first no new byte arrives to make the kernel report the socket again.
        let group = try EventLoopGroup(loops: 1, readBufferSize: 16)
        defer { group.shutdown() }
        let payload = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let received = Shared<[UInt8]>([])
        let complete = Waiter()
        let server = try server(group) { connection in
            let handler = RecordingHandler()
            handler.onRead = { _, _ in
                guard handler.received.count == payload.count else { return }
                received.update { $0 = handler.received }
                complete.signal()
            }
            connection.handler = handler
        }
        defer { server.stopAccepting() }
        let client = BlockingClient(port: server.localAddress.port)
        client.send(payload)
        #expect(complete.wait())
        #expect(received.value == payload)
    }

    @Test("delivers the bytes that arrived while reading was paused as soon as it resumes")
    func resumeDeliversQueuedBytes() throws {
        let group = try EventLoopGroup(loops: 1, readBufferSize: 16)
        defer { group.shutdown() }
        let payload = Array(repeating: UInt8(ascii: "p"), count: 100)
        let received = Shared<[UInt8]>([])
        let complete = Waiter()
        let server = try server(group) { connection in
            let handler = RecordingHandler()
            handler.onRead = { connection, _ in
                if handler.received.count == 16 {
                    // Pause after the first read; the rest stays queued in the kernel, and the
                    // client sends nothing more that could wake the socket.
                    connection.isReadingEnabled = false
                    connection.loop.scheduleTimer(after: .milliseconds(50)) {
                        connection.isReadingEnabled = true
                    }
                }
                guard handler.received.count == payload.count else { return }
                received.update { $0 = handler.received }
                complete.signal()
            }
            connection.handler = handler
        }
        defer { server.stopAccepting() }
        let client = BlockingClient(port: server.localAddress.port)
        client.send(payload)
        #expect(complete.wait())
        #expect(received.value == payload)
    }

    @Test("queues what a read callback wrote for the loop's flush, to leave with what tasks of the wake-up add")
    func writesDuringReadsWaitForTheFlush() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let pendingAfterReads = Shared<Int?>(nil)
        let server = try server(group) { connection in
            let handler = RecordingHandler()
            handler.onRead = { connection, bytes in
                connection.write(bytes)
                // Tasks queued here run after this event's dispatch but before the loop's
                // end-of-iteration flush.
                connection.loop.executeOnLoop {
                    pendingAfterReads.update { $0 = connection.bufferedByteCount }
                    connection.write(Array("pong".utf8))
                }
            }
            connection.handler = handler
        }
        defer { server.stopAccepting() }
        let client = BlockingClient(port: server.localAddress.port)
        client.send("ping")
        #expect(client.receive(exactly: 8) == Array("pingpong".utf8))
        #expect(pendingAfterReads.value == 4)
    }

    @Test("flushes the connections written to every flushBatch of them within one wake-up's events")
    func flushesInBoundedBatches() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let count = EventLoop.flushBatch + 1
        let accepted = Shared(0)
        let everyoneAccepted = Waiter()
        let order = Shared<[LoopBound<TCPConnection>]>([])
        let firstPendingAtLast = Shared<Int?>(nil)
        let server = try server(group) { connection in
            let handler = RecordingHandler()
            handler.onRead = { connection, bytes in
                connection.write(bytes)
                order.update { $0.append(LoopBound(connection, loop: connection.loop)) }
                let seen = order.value
                if seen.count == count { firstPendingAtLast.update { $0 = seen[0].value.bufferedByteCount } }
            }
            connection.handler = handler
            accepted.update { $0 += 1 }
            if accepted.value == count { everyoneAccepted.signal() }
        }
        defer { server.stopAccepting() }
        let clients = (0..<count).map { _ in BlockingClient(port: server.localAddress.port) }
        #expect(everyoneAccepted.wait())
        // Hold the loop while every client sends, so one wake-up reports them all.
        let held = Waiter()
        group.loops[0].execute {
            held.signal()
            usleep(200_000)
        }
        #expect(held.wait())
        for client in clients { client.send("x") }
        for client in clients { #expect(client.receive(exactly: 1) == Array("x".utf8)) }
        // The first connection's echo left with the first batch, before the last read.
        #expect(firstPendingAtLast.value == 0)
        order.update { $0 = [] }
    }

    @Test("sends what an encoder appended in place after queued bytes; asks no encoder once closing")
    func writeEncodedInPlace() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let askedAfterClose = Shared(false)
        let pendingSeenByEncoder = Shared<[UInt8]>([])
        let server = try server(group) { connection in
            let handler = RecordingHandler()
            handler.onRead = { connection, _ in
                connection.write(Array("ab".utf8))
                connection.write(encodedBy: { bytes in
                    let pending = bytes
                    pendingSeenByEncoder.update { $0 = pending }
                    bytes.append(contentsOf: "cd".utf8)
                })
                connection.closeAfterFlush()
                connection.write(encodedBy: { _ in askedAfterClose.update { $0 = true } })
            }
            connection.handler = handler
        }
        defer { server.stopAccepting() }
        let client = BlockingClient(port: server.localAddress.port)
        client.send("go")
        #expect(client.receive(exactly: 4) == Array("abcd".utf8))
        #expect(client.receive(exactly: 1) == [])
        #expect(pendingSeenByEncoder.value == Array("ab".utf8))
        #expect(!askedAfterClose.value)
    }

    @Test("closeAfterFlush delivers the last bytes, then EOF")
    func closeAfterFlush() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let server = try server(group) { connection in
            let handler = RecordingHandler()
            handler.onRead = { connection, _ in
                connection.write("last words")
                connection.closeAfterFlush()
            }
            connection.handler = handler
        }
        defer { server.stopAccepting() }
        let client = BlockingClient(port: server.localAddress.port)
        client.send("x")
        #expect(client.receiveUntilClose() == Array("last words".utf8))
    }

    @Test("registers for writability only when the peer stops reading, and drains when it resumes")
    func writePendingPath() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let total = 8 * 1024 * 1024
        let payload = (0..<total).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let blocked = Waiter()
        let drained = Waiter()
        let observedPending = Shared(false)
        let server = try server(group) { connection in
            let handler = RecordingHandler()
            handler.onRead = { connection, _ in
                connection.write(payload)
                // The flush happens at the end of the iteration; look in the next one.
                connection.loop.afterThisIteration {
                    observedPending.update {
                        $0 = connection.isWritePending && connection.bufferedByteCount > 0
                    }
                    blocked.signal()
                }
            }
            handler.onDrain = { drained.signal() }
            connection.handler = handler
        }
        defer { server.stopAccepting() }
        let client = BlockingClient(port: server.localAddress.port, receiveBuffer: 4096)
        client.send("go")
        #expect(blocked.wait())
        #expect(observedPending.value)
        let received = client.receive(exactly: total)
        #expect(drained.wait())
        #expect(received.count == total)
        #expect(received == payload)
    }

    @Test("hands at most 256 KiB to send(2) per wake-up and sends the rest on the next ones")
    func sendQuantum() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let total = 1 << 20
        let payload = (0..<total).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let pendingAfterTwoFlushes = Shared<Int?>(nil)
        let observed = Waiter()
        let drained = Waiter()
        let server = try server(group) { connection in
            // A send buffer that takes more than the quantum at once (without the quantum,
            // one `send(2)` would take more than 256 KiB).
            var size: Int32 = 4 << 20
            setsockopt(connection.descriptor, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            let handler = RecordingHandler()
            handler.onRead = { connection, _ in
                connection.write(payload)
                // The first task runs before this wake-up's flush; the one it queues runs on
                // the next wake-up, after that flush and after the one its writability event
                // (reported at once, the socket being writable) triggered.
                connection.loop.executeOnLoop {
                    connection.loop.executeOnLoop {
                        pendingAfterTwoFlushes.update { $0 = connection.bufferedByteCount }
                        observed.signal()
                    }
                }
            }
            handler.onDrain = { drained.signal() }
            connection.handler = handler
        }
        defer { server.stopAccepting() }
        let client = BlockingClient(port: server.localAddress.port)
        client.send("go")
        #expect(observed.wait())
        #expect(pendingAfterTwoFlushes.value == total - 2 * 256 * 1024)
        #expect(client.receive(exactly: total) == payload)
        #expect(drained.wait())
    }

    @Test("sends an adopted array in order between copied writes, also when it is the first thing queued")
    func adoptedWrites() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let large = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let server = try server(group) { connection in
            let handler = RecordingHandler()
            handler.onRead = { connection, bytes in
                if bytes.first == UInt8(ascii: "a") {
                    connection.write(adopting: large)
                    connection.write("|")
                } else {
                    connection.write("<")
                    connection.write(adopting: large)
                    connection.write(encodedBy: { $0.append(contentsOf: ">".utf8) })
                    connection.write(adopting: [1, 2, 3])
                }
            }
            connection.handler = handler
        }
        defer { server.stopAccepting() }
        let client = BlockingClient(port: server.localAddress.port)
        client.send("a")
        #expect(client.receive(exactly: large.count + 1) == large + Array("|".utf8))
        client.send("b")
        #expect(client.receive(exactly: large.count + 5) == Array("<".utf8) + large + Array(">".utf8) + [1, 2, 3])
    }

    @Test("connects out from a chosen 127.0.0.x source address")
    func connectFromSourceAddress() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let seenPeer = Shared<SocketAddress?>(nil)
        let accepted = Waiter()
        let server = try server(group) { connection in
            seenPeer.update { $0 = connection.remoteAddress }
            connection.handler = RecordingHandler()
            accepted.signal()
        }
        defer { server.stopAccepting() }
        let connected = Waiter()
        let outcome = Shared<String>("")
        let loop = group.loops[0]
        let target = server.localAddress
        loop.execute {
            TCPConnection.connect(to: target, from: try! SocketAddress(host: "127.0.0.9", port: 0), on: loop)
            { result in
                switch result {
                case .success(let connection):
                    outcome.update { $0 = connection.localAddress?.host ?? "?" }
                    connection.handler = RecordingHandler()
                    connection.close()
                case .failure(let error):
                    outcome.update { $0 = "\(error)" }
                }
                connected.signal()
            }
        }
        #expect(connected.wait())
        #expect(accepted.wait())
        #expect(outcome.value == "127.0.0.9")
        #expect(seenPeer.value?.host == "127.0.0.9")
    }

    @Test("reports a refused connect as a typed error naming connect")
    func connectRefused() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        // Bind and close to find a port nobody listens on.
        let probe = try TCPServer(address: try SocketAddress(host: "127.0.0.1", port: 0), group: group) { _ in
        }
        let port = probe.localAddress.port
        probe.stopAccepting()
        let quiet = Waiter()
        group.loops[0].execute { quiet.signal() }
        #expect(quiet.wait())
        let done = Waiter()
        let failure = Shared<SystemError?>(nil)
        let loop = group.loops[0]
        loop.execute {
            TCPConnection.connect(to: .v4(host: "127.0.0.1", port: port), on: loop) { result in
                if case .failure(let error) = result { failure.update { $0 = error } }
                done.signal()
            }
        }
        #expect(done.wait())
        #expect(failure.value?.errno == ECONNREFUSED)
        #expect(failure.value?.call.hasPrefix("connect") == true)
    }

    @Test("owns every descriptor it opens: none left open after close")
    func descriptorLedger() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let closed = Waiter()
        let server = try server(group) { connection in
            let handler = RecordingHandler()
            handler.onClose = { _ in closed.signal() }
            handler.onRead = { connection, _ in connection.close() }
            connection.handler = handler
        }
        let client = BlockingClient(port: server.localAddress.port)
        client.send("x")
        #expect(closed.wait())
        server.stopAccepting()
        let count = Shared(-1)
        let checked = Waiter()
        loop.execute {
            loop.afterThisIteration {
                count.update { $0 = loop.openDescriptorCount }
                checked.signal()
            }
        }
        #expect(checked.wait())
        #expect(count.value == 0)
    }
}

extension EventLoop {
    /// Runs `body` in the next loop iteration, i.e. after this one's flush and deferred closes
    /// (a task queued from a task runs in the following iteration).
    func afterThisIteration(_ body: @escaping () -> Void) {
        executeOnLoop { self.executeOnLoop(body) }
    }
}

@Suite("TCPServer binding")
struct TCPServerBindingTests {
    @Test(
        "refuses a port another server already listens on, for one loop and for several", arguments: [1, 2])
    func portInUse(loops: Int) throws {
        let group = try EventLoopGroup(loops: 2)
        defer { group.shutdown() }
        let first = try TCPServer(address: try SocketAddress(host: "127.0.0.1", port: 0), group: group) { _ in
        }
        defer { first.stopAccepting() }
        let other = try EventLoopGroup(loops: loops)
        defer { other.shutdown() }
        #expect(throws: SystemError.self) {
            _ = try TCPServer(address: first.localAddress, group: other) { _ in }
        }
    }
}
