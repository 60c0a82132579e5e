import Diagnostics
import Dispatch
import Reactor
import Redis
import Synchronization

/// Reload propagation: a reload applied on one node (admin API, SIGHUP, `--watch`) is
/// announced on `persona:reload`; every other node then rebuilds from its own personality
/// tree and validates it itself (``ReloadTrigger/node``). A node where that fails keeps its
/// old snapshot, like any rejected reload. Every node records its last outcome in the hash
/// `persona:reload:last` (field: node id; value: `applied VERSION` or `rejected VERSION: first
/// error`), so an operator sees at once which node did not follow.
extension NodeLink {
    /// The channel reloads are announced on.
    var reloadChannel: String { configuration.keyPrefix + "reload" }

    /// Hooks the node into `coordinator`'s reports and answers other nodes' announcements.
    package func propagateReloads(_ coordinator: ReloadCoordinator) {
        reloads.withLock { $0 = coordinator }
        coordinator.onReport.withLock {
            $0 = { [self] report in reported(report) }
        }
        loop.execute { [self] in core.value.subscriber.subscribe([reloadChannel]) }
    }

    /// A local reload finished: recorded, and announced unless it was itself a follower's.
    func reported(_ report: ReloadReport) {
        let outcome =
            report.outcome == .applied
            ? "applied \(report.servingVersion)"
            : "rejected \(report.servingVersion): \(report.errors.first?.description ?? "")"
        let announce = report.outcome == .applied && report.trigger != .node
        loop.execute { [self] in
            let client = core.value.client
            client.send(["HSET", configuration.keyPrefix + "reload:last", nodeID, outcome]) { _ in }
            if announce { client.send(["PUBLISH", reloadChannel, nodeID]) { _ in } }
        }
    }

    /// Another node announced a reload: rebuild here, off the loops (a reload blocks).
    func announced(by node: String) {
        guard node != nodeID, let coordinator = reloads.withLock({ $0 }) else { return }
        DispatchQueue.global().async { _ = coordinator.reload(trigger: .node) }
    }
}
