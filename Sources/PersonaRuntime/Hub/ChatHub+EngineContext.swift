import Engines
import Personality

extension ChatHub {
    /// What the engines of `session` learn when it starts on `personality`: its id and seed, its
    /// client and tenant (per-client budgets, usage), the limits in force and the snapshot's
    /// upstreams.
    func engineContext(for session: ChatSession, personality: Personality) -> EngineSessionContext {
        EngineSessionContext(
            sessionID: session.id, seed: random.next(), client: session.client.key, tenant: session.client.tenant,
            limits: snapshot.limits(for: personality, tier: session.client.tier), upstreams: snapshot.upstreams)
    }
}
