import CLI
import PersonaRuntime
import Personality
import Policies

extension ServeCommand {
    /// `serve`'s limits for human-to-human sessions (which have no personality, so no
    /// limits.yaml set applies to them).
    static let humanLimitOptions: [Option] = [
        .option(
            "human-rate", type: .string, default: "30/min", environment: "PERSONA_HUMAN_RATE",
            help: "Messages per human-to-human session, e.g. 30/min or 50/s (rate_limited beyond the burst)."),
        .option(
            "human-burst", type: .int(1...1_000_000), default: "10", environment: "PERSONA_HUMAN_BURST",
            help: "Messages a human session may send back to back before --human-rate applies."),
    ]

    /// The hub's human limits with `--human-rate` and `--human-burst` applied.
    static func humanLimits(_ values: ParsedValues) throws -> LimitValues {
        var limits = ChatHubConfiguration.defaultHumanLimits
        do {
            limits.sessionRate = try Rate(parsing: try values.string("human-rate"))
        } catch {
            throw UsageError.invalid("--human-rate: \(error)")
        }
        limits.sessionBurst = try values.int("human-burst")
        return limits
    }
}
