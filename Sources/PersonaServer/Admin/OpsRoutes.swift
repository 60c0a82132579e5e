import Dispatch
import HTTP1
import HTTPServer
import Observability

/// `/ready` and `/metrics` for the public listener (`/health` is already there).
///
/// `/ready` answers 200 `{"status":"ready"}` only when the registry is loaded, the listeners
/// are up and the server is not draining — what a load balancer should check before sending
/// traffic; otherwise 503 with the reasons. `/metrics` is the Prometheus text exposition of
/// ``MetricsRenderer``, rendered off the loop (gathering stats waits for every hub).
public enum OpsRoutes {
    /// What `/ready` checks.
    public struct Readiness: Sendable, Hashable {
        /// A registry snapshot is loaded.
        public var registryLoaded: Bool
        /// Every listener is bound and accepting.
        public var listenersUp: Bool
        /// A graceful shutdown has begun.
        public var draining: Bool
        /// The store's last write (or probe) succeeded.
        public var storeWritable: Bool

        /// Creates a readiness report.
        public init(registryLoaded: Bool, listenersUp: Bool, draining: Bool, storeWritable: Bool = true) {
            self.registryLoaded = registryLoaded
            self.listenersUp = listenersUp
            self.draining = draining
            self.storeWritable = storeWritable
        }

        /// Why the server is not ready (empty when it is).
        public var problems: [String] {
            var problems: [String] = []
            if !registryLoaded { problems.append("registry not loaded") }
            if !listenersUp { problems.append("listeners not up") }
            if draining { problems.append("draining") }
            if !storeWritable { problems.append("store cannot write") }
            return problems
        }
    }

    /// Adds `GET /ready` and `GET /metrics` to `router`.
    public static func add(
        to router: inout HTTPRouter, readiness: @escaping @Sendable () -> Readiness,
        stats: @escaping @Sendable () -> AdminStats, renderer: MetricsRenderer
    ) {
        router.get("/ready") { _ in .response(readyResponse(readiness())) }
        router.get("/metrics") { _ in
            .deferred { stream in
                DispatchQueue.global().async {
                    let text = renderer.render(stats())
                    stream.respond(
                        HTTPResponse(
                            status: .ok, headers: ["Content-Type": PrometheusExposition.contentType],
                            body: Array(text.utf8)))
                }
            }
        }
    }

    /// The `/ready` answer for `readiness`.
    public static func readyResponse(_ readiness: Readiness) -> HTTPResponse {
        let problems = readiness.problems
        guard problems.isEmpty else {
            let list = problems.map { "\"\($0)\"" }.joined(separator: ",")
            return .json(#"{"status":"not_ready","problems":[\#(list)]}"#, status: HTTPStatus(code: 503))
        }
        return .json(#"{"status":"ready"}"#)
    }
}
