import CLI
import Foundation
import PersonaRuntime
import PersonaServer
import Reactor
import Redis
import Store

/// `persona serve --redis URL[,URL…] --node-id ID`: a node of a service whose sessions,
/// matchmaking and human pairs are shared through Redis (README → "Several nodes (Redis)").
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
                "Join a service of several nodes over Redis (redis://[user:pass@]host:port[/db] or rediss://; seeds tried in order; a Redis Cluster's nodes are found from any one): sessions and transcripts live there instead of --store, so any node resumes any session, and matchmaking and human pairs span the nodes."
        ),
        .option(
            "node-id", type: .string, valueName: "id", environment: "PERSONA_NODE_ID",
            help: "This node's id among the nodes sharing --redis, unique in the service (default: <host name>-<pid>)."),
    ]

    /// Reads the node flags; a URL that does not parse, or `--node-id` without `--redis`, is a
    /// usage error.
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
            guard !options.redis.isEmpty else {
                throw UsageError.invalid("--node-id names this node among several; it needs --redis")
            }
            // Ids are parts of Redis keys: no spaces, no ':' (the key separator), no braces (hash tags).
            guard !id.isEmpty, id.utf8.count <= 128,
                !id.contains(where: { $0.isWhitespace || $0 == ":" || $0 == "{" || $0 == "}" })
            else {
                throw UsageError.invalid("--node-id: 1 to 128 characters without spaces, ':' or braces")
            }
            options.nodeID = id
        }
        return options
    }

    /// Opens the Redis store on the seeds (the first that answers; every one of a cluster's
    /// nodes is reachable from it), and takes this start's epoch from it; fails (naming every
    /// seed) when none answers.
    static func openRedisStore(_ nodes: NodeOptions, retention: Duration) throws -> (RedisSessionStore, epoch: Int) {
        do throws(StoreFailure) {
            let store = try RedisSessionStore(seeds: nodes.redis, node: nodes.nodeID, retention: retention)
            do {
                return (store, try store.boot())
            } catch {
                store.close()
                throw error
            }
        } catch {
            throw CommandFailure("cannot reach Redis: \(error.message)")
        }
    }

    /// The link to the other nodes (matchmaking and relay), on the first loop, through the
    /// Redis the store opened on.
    static func makeNodeLink(seeds: [RedisConfiguration], nodeID: String, group: EventLoopGroup) throws -> NodeLink {
        var configuration = NodeConfiguration(redis: seeds[0], nodeID: nodeID)
        configuration.seeds = seeds
        do {
            return try NodeLink(configuration: configuration, loop: group.loops[0], hubCount: group.loops.count)
        } catch {
            throw CommandFailure("cannot use Redis at \(configuration.redis.redactedURL): \(error)")
        }
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
