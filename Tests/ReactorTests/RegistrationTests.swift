import PersonaTestSupport
import Testing

@testable import Reactor

#if canImport(Glibc)
    import Glibc
#endif

/// Counts readiness callbacks.
final class CountingSelectable: Selectable {
    var readyCount = 0
    func ready(readable: Bool, writable: Bool, failed: Bool) { readyCount += 1 }
    func closeForShutdown() {}
}

@Suite("Registrations")
struct RegistrationTests {
    @Test("packs fd and registration id into epoll user data and back", arguments: [0, 1, 19_999, Int32.max])
    func packing(fd: Int32) {
        let id = RegistrationID(rawValue: 0xDEAD_BEEF)
        let (unpackedFD, unpackedID) = RegistrationID.unpack(id.userData(fd: fd))
        #expect(unpackedFD == fd)
        #expect(unpackedID == id)
    }

    @Test(
        "a re-registered fd number gets a new id: stale user data no longer resolves, and only the new owner hears events"
    )
    func fdReuse() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let outcome = Shared<[String: Bool]>([:])
        let done = Waiter()
        loop.execute {
            var fds: [Int32] = [0, 0]
            precondition(pipe(&fds) == 0)
            let old = CountingSelectable()
            let new = CountingSelectable()
            // The same descriptor number, registered, dropped, and registered again — what
            // happens when the kernel hands a closed connection's number to a new one.
            let first = try! loop.register(fd: fds[0], interest: .read, old)
            let staleData = first.userData(fd: fds[0])
            loop.deregister(fd: fds[0], id: first)
            let second = try! loop.register(fd: fds[0], interest: .read, new)
            var byte: UInt8 = 1
            _ = write(fds[1], &byte, 1)
            loop.afterThisIteration {
                outcome.update {
                    $0["staleResolves"] = loop.isCurrent(userData: staleData)
                    $0["freshResolves"] = loop.isCurrent(userData: second.userData(fd: fds[0]))
                    $0["oldHeard"] = old.readyCount > 0
                    $0["newHeard"] = new.readyCount > 0
                }
                loop.deregister(fd: fds[0], id: second)
                close(fds[0])
                close(fds[1])
                done.signal()
            }
        }
        #expect(done.wait())
        #expect(
            outcome.value == [
                "staleResolves": false, "freshResolves": true, "oldHeard": false, "newHeard": true,
            ])
    }
}
