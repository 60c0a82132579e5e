import ChatProtocol
import PersonaRuntime
import Personality

/// One in-process chaos run from a seed: the model's actions against ``ChaosHubWorld``; on a
/// broken invariant, the actions are shrunk to a minimal failing list and its frames replayed
/// for the report.
public struct ChaosRun: Sendable {
    /// What to run.
    public struct Plan: Sendable {
        /// The model's seed.
        public var seed: UInt64
        /// Model steps to draw (each one or a few actions).
        public var steps: Int
        /// The model (users, personalities, languages, limits, hubs).
        public var model: ChaosModel.Configuration
        /// Snapshots: the first serves, reloads cycle through all.
        public var snapshots: [RegistrySnapshot]
        /// Hub settings (the hub index is set per hub).
        public var hub: ChatHubConfiguration
        /// How the run ends.
        public var ending: ChaosHubWorld.Ending

        /// Creates a plan.
        public init(
            seed: UInt64, steps: Int, model: ChaosModel.Configuration, snapshots: [RegistrySnapshot],
            hub: ChatHubConfiguration = ChatHubConfiguration(), ending: ChaosHubWorld.Ending = .leave
        ) {
            self.seed = seed
            self.steps = steps
            self.model = model
            self.snapshots = snapshots
            self.hub = hub
            self.ending = ending
        }
    }

    /// The plan run.
    public let plan: Plan
    /// What the full run saw.
    public let outcome: ChaosHubWorld.Outcome
    /// On failure: the shrunk actions, and the frames their replay exchanged.
    public let minimal: [ChaosAction]?
    /// The frames of the minimal run, in order (`uN >` sent by user N's connection, `uN <` received).
    public let minimalFrames: [String]

    /// Draws the actions for `plan` from its seed.
    public static func actions(for plan: Plan) -> [ChaosAction] {
        var model = ChaosModel(configuration: plan.model, seed: plan.seed)
        var actions: [ChaosAction] = []
        actions.reserveCapacity(plan.steps * 2)
        for _ in 0..<plan.steps { actions += model.nextActions() }
        return actions
    }

    /// Runs `plan`, shrinking on failure.
    public init(_ plan: Plan) {
        self.plan = plan
        let actions = Self.actions(for: plan)
        outcome = ChaosHubWorld.run(
            actions, snapshots: plan.snapshots, hubs: plan.model.hubs, configuration: plan.hub,
            ending: plan.ending)
        guard let first = outcome.violations.first else {
            minimal = nil
            minimalFrames = []
            return
        }
        let shrunk = ChaosShrinker.shrink(actions) { candidate in
            ChaosHubWorld.run(
                candidate, snapshots: plan.snapshots, hubs: plan.model.hubs, configuration: plan.hub,
                ending: plan.ending
            ).violations.contains { $0.invariant == first.invariant }
        }
        minimal = shrunk
        minimalFrames = Self.frames(of: shrunk, plan: plan)
    }

    /// Replays `actions` and lists every frame exchanged, with the other actions between them.
    static func frames(of actions: [ChaosAction], plan: Plan) -> [String] {
        let checker = ChaosChecker(keepTimeline: true)
        let world = ChaosHubWorld(
            snapshots: plan.snapshots, hubs: plan.model.hubs, configuration: plan.hub, checker: checker)
        for action in actions {
            switch action {
            case .connect(let user, let hub): checker.note("u\(user) connects (hub \(hub % plan.model.hubs))")
            case .drop(let user): checker.note("u\(user) drops its connection")
            case .wait(let ms): checker.note("… \(ms) ms pass")
            case .deliverMail: checker.note("… mail between hubs is delivered")
            case .reload: checker.note("… the registry is reloaded")
            case .send: break
            }
            world.perform(action)
        }
        checker.note(plan.ending == .drain ? "… the server drains" : "… every user pings, then leaves")
        world.end(plan.ending)
        for violation in checker.violations { checker.note("!! \(violation)") }
        return checker.timeline ?? []
    }

    /// The failure report: seed, broken invariants, the minimal actions and their frames.
    public var report: String {
        guard let first = outcome.violations.first else {
            return "seed \(plan.seed): every invariant held"
        }
        var lines = [
            "chaos seed \(plan.seed) (\(plan.steps) steps, \(plan.model.users) users): \(first)",
            "replay: PERSONA_CHAOS_SEED=\(plan.seed) PERSONA_CHAOS_STEPS=\(plan.steps) swift test --filter ChaosTests",
        ]
        if outcome.violations.count > 1 {
            lines.append("(\(outcome.violations.count - 1) more violations)")
        }
        if let minimal {
            lines.append("shrunk to \(minimal.count) actions; the frames they exchanged:")
            lines += minimalFrames.map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
