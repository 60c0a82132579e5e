import CLI
import Foundation
import PersonaRuntime
import PersonaServer
import Redis
import Store

/// `persona serve --redis URL[,URL…] --node-id ID`: a node of a service whose sessions live in
/// Redis (README → "Several nodes (Redis)").
extension ServeCommand {
    /// The node flags.
    struct NodeOptions: Sendable {
        /// Seed URLs, in the order they are tried at start; empty: not a node (SQLite or memory).
        var redis: [RedisConfiguration] = []
        /// This node's id; default `<host name>-<pid>`.
        var nodeID = NodeOptions.defaultNodeID

        /// `<host name>-<pid>`.
        static var defaultNodeID: String {
            "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        }
    }

    /// The flags.
    static let nodeOptions: [Option] = [
        .option(
            "redis", type: .string, valueName: "url,...", environment: "PERSONA_REDIS",
            help:
                "Keep sessions and transcripts in Redis (redis:// or rediss://; seeds tried in order) instead of --store, so any node resumes any session."
        ),
        .option(
            "node-id", type: .string, environment: "PERSONA_NODE_ID",
            help: "This node's name among the nodes sharing --redis (default: <host name>-<pid>)."),
    ]

    /// Reads the node flags; a URL that does not parse is a usage error.
    static func nodeOptions(_ values: ParsedValues) throws -> NodeOptions {
        var options = NodeOptions()
        if let list = values.stringIfPresent("redis") {
            let urls = list.split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
            guard !urls.isEmpty else { throw UsageError.invalid("--redis: no URL given") }
            for url in urls {
                do {
                    options.redis.append(try RedisConfiguration(url: url))
                } catch {
                    throw UsageError.invalid("--redis: \(error)")
                }
            }
        }
        if let id = values.stringIfPresent("node-id") {
            guard !id.isEmpty, id.count <= 128, !id.contains(where: { $0.isWhitespace || $0 == "{" || $0 == "}" }) else {
                throw UsageError.invalid("--node-id: 1 to 128 characters without spaces or braces")
            }
            options.nodeID = id
        }
        return options
    }

    /// Opens the Redis store on the first seed that answers, and takes this start's epoch
    /// from it; fails (naming every seed) when none does.
    static func openRedisStore(_ nodes: NodeOptions, retention: Duration) throws -> (RedisSessionStore, epoch: Int) {
        var problems: [String] = []
        for seed in nodes.redis {
            do {
                let store = try RedisSessionStore(redis: seed, node: nodes.nodeID, retention: retention)
                do {
                    return (store, try store.boot())
                } catch {
                    store.close()
                    problems.append(error.message)
                }
            } catch {
                problems.append(error.message)
            }
        }
        throw CommandFailure("cannot reach Redis: \(problems.joined(separator: "; "))")
    }
}

extension ServeCommand {
    /// `configuration` with the shared response cache and rate limit, when this node has them.
    static func sharing(
        _ cache: RedisReplyCache?, _ limiter: RedisSharedRateLimiter?, _ configuration: ChatServerConfiguration
    ) -> ChatServerConfiguration {
        var configuration = configuration
        configuration.replyCache = cache
        configuration.rateLimiter = limiter
        return configuration
    }
}
