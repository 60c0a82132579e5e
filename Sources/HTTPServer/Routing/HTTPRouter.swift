import HTTP1

/// Method + path → handler. The application layer builds one and hands it to ``HTTPServer``;
/// the server core knows nothing about the routes themselves.
///
/// Patterns are `/`-separated segments: a literal, `:name` (one segment, captured into
/// ``HTTPRequest/pathParameters``) or a final `*` (the rest of the path). Routes are tried in
/// registration order; the first match wins. A path that matches only under other methods
/// gets 405 with `Allow`; no match at all gets 404.
public struct HTTPRouter: Sendable {
    struct Route: Sendable {
        var method: HTTPMethod
        var segments: [Segment]
        var handler: HTTPHandler
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case rest
    }

    /// A routing decision.
    public enum Match: Sendable {
        /// A handler, with captured path parameters.
        case handler(HTTPHandler, parameters: [String: String])
        /// The path exists under these other methods.
        case methodNotAllowed(allowed: [HTTPMethod])
        /// Nothing matches the path.
        case notFound
    }

    private var routes: [Route] = []
    /// For each first literal segment, the routes a path starting with it can match (those
    /// starting with that literal and those starting with a parameter or `*`), in registration
    /// order — so a request is tried against its own few routes, not every route of the server.
    private var byFirstSegment: [Substring: [Int]] = [:]
    /// The routes that start with a parameter or `*` (the candidates of any other first segment).
    private var wildcardFirst: [Int] = []

    /// An empty router (every request gets 404).
    public init() {}

    /// Adds a route for `method` and `pattern`.
    public mutating func on(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        add(Route(method: method, segments: Self.segments(of: pattern), handler: handler))
    }

    private mutating func add(_ route: Route) {
        let index = routes.count
        routes.append(route)
        switch route.segments.first {
        case .literal(let first):
            byFirstSegment[Substring(first), default: wildcardFirst].append(index)
        case .parameter, .rest:
            wildcardFirst.append(index)
            for key in byFirstSegment.keys { byFirstSegment[key]?.append(index) }
        case nil:
            break
        }
    }

    /// Adds every route of `other`, in its order, each handler passed through `wrap` with its
    /// method (a gate in front of a group of routes costs no second router match).
    public mutating func add(
        _ other: HTTPRouter, wrapping wrap: (HTTPMethod, @escaping HTTPHandler) -> HTTPHandler
    ) {
        for route in other.routes {
            add(Route(method: route.method, segments: route.segments, handler: wrap(route.method, route.handler)))
        }
    }

    /// Adds a `GET` route (HEAD requests are answered by it too, without the body).
    public mutating func get(_ pattern: String, _ handler: @escaping HTTPHandler) {
        on(.get, pattern, handler)
    }

    /// Adds a `POST` route.
    public mutating func post(_ pattern: String, _ handler: @escaping HTTPHandler) {
        on(.post, pattern, handler)
    }

    /// Adds a WebSocket endpoint: a `GET` route that accepts the upgrade with a fresh handler
    /// from `makeHandler` (called on the connection's loop, once per connection). The endpoint
    /// may lower the server's message size and slow-reader bound (see ``WebSocketUpgrade``).
    public mutating func webSocket(
        _ pattern: String, maxMessageSize: Int? = nil, maxOutboundBytes: Int? = nil,
        _ makeHandler: @escaping @Sendable (HTTPRequest) -> any WebSocketHandler
    ) {
        on(.get, pattern) { request in
            .webSocket(
                WebSocketUpgrade(
                    maxMessageSize: maxMessageSize, maxOutboundBytes: maxOutboundBytes,
                    makeHandler: { makeHandler(request) }))
        }
    }

    /// Finds the route for `method` and `path`.
    public func match(method: HTTPMethod, path: Substring) -> Match {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [HTTPMethod] = []
        // The empty path is tried against every route (only `/` and `*` can match it).
        let candidates = parts.first.map { byFirstSegment[$0] ?? wildcardFirst } ?? Array(routes.indices)
        for index in candidates {
            let route = routes[index]
            guard let parameters = Self.match(route.segments, parts, in: path) else { continue }
            if route.method == method || (method == .head && route.method == .get) {
                return .handler(route.handler, parameters: parameters)
            }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }

    private static func segments(of pattern: String) -> [Segment] {
        pattern.split(separator: "/", omittingEmptySubsequences: true).map { part in
            if part == "*" { return .rest }
            if part.hasPrefix(":") { return .parameter(String(part.dropFirst())) }
            return .literal(String(part))
        }
    }

    private static func match(_ segments: [Segment], _ parts: [Substring], in path: Substring) -> [String: String]? {
        var parameters: [String: String] = [:]
        var index = 0
        for segment in segments {
            switch segment {
            case .rest:
                // The rest of the path as sent, from its first remaining segment to its last.
                parameters["*"] =
                    index < parts.count ? String(path[parts[index].startIndex..<parts[parts.count - 1].endIndex]) : ""
                return parameters
            case .literal(let literal):
                guard index < parts.count, parts[index] == literal else { return nil }
            case .parameter(let name):
                guard index < parts.count else { return nil }
                parameters[name] = String(parts[index])
            }
            index += 1
        }
        return index == parts.count ? parameters : nil
    }
}
