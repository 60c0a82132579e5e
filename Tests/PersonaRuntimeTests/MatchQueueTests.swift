import ChatProtocol
import Foundation
import PersonaRuntime
import Synchronization
import Testing

@Suite("The in-process match queue")
struct MatchQueueTests {
    func ticket(hub: Int, _ n: Int, filters: RandomFilters = RandomFilters()) -> MatchTicket {
        MatchTicket(
            address: PeerAddress(hub: hub, session: "s\(hub)-\(n)"), connection: ConnectionID(UInt64(n)),
            filters: filters)
    }

    @Test("a newcomer waits when nobody fits, and the next compatible newcomer takes its ticket")
    func waitsThenIsTaken() {
        let queue = MatchQueue()
        #expect(queue.claimOrEnqueue(ticket(hub: 0, 1)) == nil)
        #expect(queue.count == 1)
        #expect(queue.claimOrEnqueue(ticket(hub: 1, 2)) == ticket(hub: 0, 1))
        #expect(queue.count == 0)
    }

    @Test("an incompatible newcomer waits beside the first instead of taking it")
    func incompatibleWaits() {
        let queue = MatchQueue()
        var german = RandomFilters()
        german.language = "de"
        var english = RandomFilters()
        english.language = "en"
        #expect(queue.claimOrEnqueue(ticket(hub: 0, 1, filters: german)) == nil)
        #expect(queue.claimOrEnqueue(ticket(hub: 0, 2, filters: english)) == nil)
        #expect(queue.count == 2)
    }

    @Test("two newcomers arriving together on two threads always meet; neither is left waiting")
    func racingNewcomersMeet() {
        let queue = MatchQueue()
        var leftWaiting = 0
        for round in 0..<5_000 {
            DispatchQueue.concurrentPerform(iterations: 2) { hub in
                _ = queue.claimOrEnqueue(ticket(hub: hub, 2 * round + hub))
            }
            if queue.count != 0 {
                leftWaiting += 1
                for hub in 0..<2 { _ = queue.withdraw(PeerAddress(hub: hub, session: "s\(hub)-\(2 * round + hub)")) }
            }
        }
        #expect(leftWaiting == 0)
    }
}
