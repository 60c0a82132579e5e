import ChatProtocol
import PersonaRuntime
import Reactor
import Redis
import Synchronization

/// The shared waiting queue: one Redis list per tenant for every node, pairing decided by one Lua
/// script run atomically by Redis, so two nodes never take the same waiting human.
///
/// The queue decides later (see ``MatchQueueing``): `claimOrEnqueue` returns nil and runs
/// the claim-or-wait script. When it takes a partner's ticket, the claiming node publishes
/// `paired` to the partner's node (or hands it to its own hub) and pairs its own session;
/// otherwise the ticket waits. On timeout the hub's withdraw runs the withdraw script: it
/// removed the ticket → `unmatched` (the hub falls back, once); the ticket was gone → it was
/// claimed, the pairing mail is on its way (and if none arrives within
/// ``NodeConfiguration/claimGrace``, `unmatched` after all — a hub falls back only from
/// `matching`, so a late answer never makes a second fallback).
///
/// Redis unreachable: the script fails with a typed error and the session gets `unmatched`
/// at once — it falls back to a personality on this node instead of waiting for a human.
extension NodeLink: MatchQueueing {
    package func claimOrEnqueue(_ ticket: MatchTicket) -> MatchTicket? {
        enqueue(ticket)
        return nil
    }

    /// Runs the claim-or-wait script for `ticket` on the link's loop; the answer comes as mail.
    func enqueue(_ ticket: MatchTicket) {
        let fields = MatchTicketFields.encode(node: nodeID, ticket)
        let me = ticket.address
        let queue = configuration.queueKey(tenant: ticket.filters.tenant)
        loop.execute { [self] in
            counters.withLock { $0.claims += 1 }
            core.value.queues[me] = queue
            core.value.client.send([
                "EVAL", MatchTicketFields.claimOrWait, "1", queue, fields,
                String(NodeConfiguration.milliseconds(configuration.ticketLifetime)), String(configuration.maxWaiting),
            ]) { [self] result in
                switch result {
                case .success(let reply):
                    guard let raw = reply.string else { return }  // nil: the ticket waits
                    guard let partner = MatchTicketFields.owner(raw) else {
                        counters.withLock { $0.matchFailures += 1 }
                        return deliver(.unmatched(session: me.session), hub: me.hub)
                    }
                    paired(me, with: partner)
                case .failure:
                    counters.withLock { $0.matchFailures += 1 }
                    deliver(.unmatched(session: me.session), hub: me.hub)
                }
            }
        }
    }

    package func withdraw(_ address: PeerAddress) -> Bool {
        loop.execute { [self] in
            let queue = core.value.queues.removeValue(forKey: address) ?? configuration.queueKey(tenant: nil)
            core.value.client.send([
                "EVAL", MatchTicketFields.withdraw, "1", queue, nodeID, String(address.hub),
                address.session,
            ]) { [self] result in
                switch result {
                case .success(let reply) where reply.int == 1:
                    counters.withLock { $0.unmatched += 1 }
                    deliver(.unmatched(session: address.session), hub: address.hub)
                case .success:
                    // Claimed: the pairing mail is coming; if it never does, fall back after all.
                    let core = core.value
                    core.graceTimers[address.session] = loop.scheduleTimer(after: configuration.claimGrace) { [self] in
                        core.graceTimers[address.session] = nil
                        deliver(.unmatched(session: address.session), hub: address.hub)
                    }
                case .failure:
                    counters.withLock { $0.matchFailures += 1 }
                    deliver(.unmatched(session: address.session), hub: address.hub)
                }
            }
        }
        return false
    }

    /// This node's waiting-to-be session `me` took `partner`'s ticket: both sides are told,
    /// in the order ``PairingStep`` gives.
    func paired(_ me: PeerAddress, with partner: NodeAddress) {
        counters.withLock { $0.pairsMade += 1 }
        core.value.queues[me] = nil
        if partner.node == nodeID {
            core.value.queues[PeerAddress(hub: partner.hub, session: partner.session)] = nil
        } else {
            core.value.remember(remote: partner, local: me, configuration: configuration)
        }
        let steps = PairingStep.pairing(me: me, partner: partner, partnerIndex: peerAddress(partner), nodeID: nodeID)
        run(steps)
    }

    private func run(_ steps: [PairingStep]) {
        for step in steps {
            switch step {
            case .deliver(let mail, let hub):
                deliver(mail, hub: hub)
            case .publish(let mail, let target, let then):
                publish(mail, to: target) { [self] in run(then) }
            }
        }
    }
}
