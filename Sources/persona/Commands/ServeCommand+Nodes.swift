import CLI
import Foundation
import PersonaServer
import Reactor
import Redis

extension ServeCommand {
    /// `serve`'s options for running as one node of several over Redis.
    static let nodeOptions: [Option] = [
        .option(
            "redis", type: .string, valueName: "url", environment: "PERSONA_REDIS",
            help:
                "Join a service of several nodes over this Redis (redis://[user:pass@]host:port[/db] or rediss://): shared matchmaking and the relay of human pairs between nodes."
        ),
        .option(
            "node-id", type: .string, valueName: "id", environment: "PERSONA_NODE_ID",
            help: "This node's id in the service, unique among the nodes (default: HOST-PID)."),
    ]

    /// The node settings from `--redis` and `--node-id`; nil without `--redis`.
    static func nodeConfiguration(_ values: ParsedValues) throws -> NodeConfiguration? {
        guard let url = values.stringIfPresent("redis") else {
            if values.stringIfPresent("node-id") != nil {
                throw UsageError.invalid("--node-id names this node among several; it needs --redis")
            }
            return nil
        }
        let redis: RedisConfiguration
        do {
            redis = try RedisConfiguration(url: url)
        } catch {
            throw UsageError.invalid("--redis: \(error)")
        }
        let id = values.stringIfPresent("node-id") ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        guard !id.isEmpty, id.utf8.count <= 200, !id.contains(where: { $0.isWhitespace || $0 == ":" }) else {
            throw UsageError.invalid("--node-id: 1 to 200 characters, without spaces or ':'")
        }
        return NodeConfiguration(redis: redis, nodeID: id)
    }

    /// The link to the other nodes, on the first loop; nil without `--redis`.
    static func makeNodeLink(_ configuration: NodeConfiguration?, group: EventLoopGroup) throws -> NodeLink? {
        guard let configuration else { return nil }
        do {
            return try NodeLink(configuration: configuration, loop: group.loops[0], hubCount: group.loops.count)
        } catch {
            throw CommandFailure("cannot use Redis at \(configuration.redis.redactedURL): \(error)")
        }
    }
}
