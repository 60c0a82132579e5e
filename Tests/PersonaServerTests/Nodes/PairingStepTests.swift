import PersonaRuntime
import Testing

@testable import PersonaServer

@Suite("Pairing steps of the claiming node")
struct PairingStepTests {
    static let me = PeerAddress(hub: 1, session: "s-me")

    @Test("a partner on another node hears paired first; the claiming session is told only once Redis answered the publish")
    func remotePartnerFirst() {
        let partner = NodeAddress(node: "b", hub: 0, session: "s-partner")
        let index = PeerAddress(hub: 7, session: "s-partner")
        let steps = PairingStep.pairing(me: Self.me, partner: partner, partnerIndex: index, nodeID: "a")
        #expect(
            steps == [
                .publish(
                    NodeMail(hub: 0, .paired(session: "s-partner", partner: NodeAddress(node: "a", hub: 1, session: "s-me"))),
                    to: partner,
                    then: [.deliver(.paired(session: "s-me", partner: index), hub: 1)])
            ])
    }

    @Test("a partner on this node: both hubs are told at once, the partner's first")
    func localPartnerAtOnce() {
        let partner = NodeAddress(node: "a", hub: 0, session: "s-partner")
        let index = PeerAddress(hub: 0, session: "s-partner")
        let steps = PairingStep.pairing(me: Self.me, partner: partner, partnerIndex: index, nodeID: "a")
        #expect(
            steps == [
                .deliver(.paired(session: "s-partner", partner: Self.me), hub: 0),
                .deliver(.paired(session: "s-me", partner: index), hub: 1),
            ])
    }
}
