import Personality
import Synchronization

/// The `process` engine: answers with an author's program, in any language, run as a pool of
/// long-lived workers speaking newline-delimited JSON on stdin/stdout (see ``PluginMessage``).
///
/// One ``ProcessPool`` per distinct `process:` configuration, shared by every loop and made on
/// first use. Without a host (authoring tools: `persona test`, `validate`, `chat` offline) the
/// engine declines, so a personality's next engine answers.
public final class ProcessEngine: Engine {
    /// `process`.
    public var name: String { "process" }
    /// The section decoder.
    public var sectionDecoder: any EngineSectionDecoder { ProcessSectionDecoder() }

    let host: (any PluginHost)?
    private let pools = Mutex<[ProcessPoolConfiguration: ProcessPool]>([:])

    /// Creates the engine; `host` is `nil` for tools that never start plugins.
    public init(host: (any PluginHost)? = nil) {
        self.host = host
    }

    /// Remembers the session's context.
    public func makeState(for personality: Personality, session: EngineSessionContext)
        -> any EngineSessionState
    {
        ProcessSessionState(context: session)
    }

    /// Streams the plugin's answer (or declines when there is no host or no section).
    public func respond(to request: EngineRequest, state: any EngineSessionState) -> EngineResponse {
        guard let host, let state = state as? ProcessSessionState,
            let section = request.personality.section(for: name, as: ProcessSection.self)
        else { return .declined }
        return .stream(
            ProcessReply(
                pool: pool(for: section.pool, host: host), executor: host.currentLoopExecutor(),
                section: section,
                personality: request.personality, state: state, message: request.message,
                log: { host.log($0) }))
    }

    /// The pool for `configuration`, made on first use.
    public func pool(for configuration: ProcessPoolConfiguration) -> ProcessPool? {
        guard let host else { return nil }
        return pool(for: configuration, host: host)
    }

    private func pool(for configuration: ProcessPoolConfiguration, host: any PluginHost) -> ProcessPool {
        pools.withLock { pools in
            if let pool = pools[configuration] { return pool }
            let pool = ProcessPool(configuration: configuration, host: host)
            pools[configuration] = pool
            return pool
        }
    }

    /// Kills every plugin process (server shutdown).
    public func shutdown() {
        let all = pools.withLock { Array($0.values) }
        for pool in all { pool.shutdown() }
    }
}
