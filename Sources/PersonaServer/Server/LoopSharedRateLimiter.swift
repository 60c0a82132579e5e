import PersonaRuntime
import Policies
import Reactor

/// One hub's view of the process's shared rate limiter: checks go to the backend, and every
/// decision comes back on the hub's loop as `sharedRateAnswered`. The hub never waits.
final class LoopSharedRateLimiter: SharedRateLimiter {
    let backend: any SharedRateLimiterBackend
    let shell: LoopBound<HubShell>

    init(backend: any SharedRateLimiterBackend, shell: LoopBound<HubShell>) {
        self.backend = backend
        self.shell = shell
    }

    func check(_ request: SharedLimitRequest, ticket: StoreTicket) {
        let shell = shell
        backend.check(request) { verdict in
            shell.loop.execute { shell.value.perform(shell.value.hub.sharedRateAnswered(ticket, verdict)) }
        }
    }
}
