import ChatProtocol
import Engines

/// The seeded random model of virtual users: what each does next. It knows nothing of the
/// server's answers — sessions are named symbolically (``SessionPick``) and resolved when a
/// frame is sent — so a run's actions follow from the seed alone, and a failing run can be
/// replayed and shrunk action by action.
///
/// A user connects, starts direct and random sessions (several per connection, sometimes for a
/// personality that does not exist), sends messages (empty to one past the input limit, emoji,
/// combining marks, right-to-left; sometimes reusing an earlier id, sometimes naming another
/// connection's session or a made-up one), floods typing, cancels, ends (sometimes twice),
/// asks for `next` (also after a direct session), sends invalid frames (about 5%), pings, and
/// drops its connection at random moments. Around the users the world waits, delivers mail
/// between hubs, reloads the registry, and sends bursts of users connecting at once.
public struct ChaosModel: Sendable {
    /// What the model draws from.
    public struct Configuration: Sendable {
        /// Virtual users.
        public var users: Int
        /// Personalities to start direct sessions with (one that does not exist is added).
        public var personalities: [String]
        /// Languages random sessions ask for (`nil`: any).
        public var languages: [String?]
        /// Input limits (`max_input_chars`) in force, for texts at and one past each.
        public var inputLimits: [Int]
        /// Hubs (event loops) a connection may land on (in-process runs).
        public var hubs: Int

        /// Creates a configuration.
        public init(
            users: Int, personalities: [String], languages: [String?] = ["en", "de", nil],
            inputLimits: [Int] = [2_000], hubs: Int = 2
        ) {
            self.users = users
            self.personalities = personalities
            self.languages = languages
            self.inputLimits = inputLimits
            self.hubs = hubs
        }
    }

    struct User: Sendable {
        var connected = false
        var counter = 0
        var recentIDs: [String] = []
    }

    /// The settings.
    public let configuration: Configuration
    private var random: ChaosGenerator
    private var users: [User]
    private var tags = 0

    /// Creates the model for `seed`.
    public init(configuration: Configuration, seed: UInt64) {
        self.configuration = configuration
        random = ChaosGenerator(seed: seed)
        users = Array(repeating: User(), count: max(1, configuration.users))
    }

    static let invalidFrames = [
        "{", "[]", "null", "", #"{"type":"nope"}"#, #"{"type":"message"}"#,
        #"{"type":"start","personality":7}"#,
        #"{"type":"ping","id":"x","extra":1}"#, "\u{FEFF}{}",
        #"{"type":"typing","session":"s0-1","on":"yes"}"#,
        #"{"type":"message","session":"s0-1","text":"hi","id":"bad","id":"worse"}"#,
        String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
        #"{"type":"end","session":""}"#,
        "{\"type\":\"message\",\"session\":\"s0-1\",\"text\":\"\\ud800\",\"id\":\"bad\"}",
    ]

    /// The next steps of the whole world: usually one user's, sometimes time passing, mail
    /// delivered, a reload, or a burst of users connecting.
    public mutating func nextActions() -> [ChaosAction] {
        let roll = Int.random(in: 0..<1_000, using: &random)
        switch roll {
        case 0..<40:
            // Mostly short waits (streaming cadence); now and then past a matchmaking timeout.
            let long = random.chance(10)
            return [
                .wait(
                    milliseconds: long
                        ? Int.random(in: 4_000...12_000, using: &random)
                        : Int.random(in: 1...600, using: &random))
            ]
        case 40..<80:
            return [.deliverMail]
        case 80..<83:
            return [.reload]
        case 83..<86:
            var burst: [ChaosAction] = []
            for user in users.indices.shuffled(using: &random).prefix(8) where !users[user].connected {
                burst += userSteps(user)
            }
            return burst
        default:
            return userSteps(Int.random(in: 0..<users.count, using: &random))
        }
    }

    /// The next steps of user `user` (a live run draws each user's steps from its own model).
    public mutating func userSteps(_ user: Int) -> [ChaosAction] {
        guard users[user].connected else {
            users[user].connected = true
            return [.connect(user: user, hub: Int.random(in: 0..<max(1, configuration.hubs), using: &random))]
        }
        let roll = Int.random(in: 0..<1_000, using: &random)
        let own = SessionPick.own(Int.random(in: 0..<64, using: &random))
        switch roll {
        case 0..<20:
            users[user].connected = false
            return [.drop(user: user)]
        case 20..<100:
            var name = configuration.personalities.randomElement(using: &random) ?? "ghost"
            if random.chance(5) { name = "ghost-\(Int.random(in: 0..<3, using: &random))" }
            return [
                .send(
                    user: user, .start(StartRequest(mode: .direct(personality: name), sessionRef: ref(user))))
            ]
        case 100..<170:
            let filters = RandomFilters(
                language: configuration.languages.randomElement(using: &random) ?? nil,
                tags: random.chance(20) ? ["fun"] : [])
            return [.send(user: user, .start(StartRequest(mode: .random(filters), sessionRef: ref(user))))]
        case 170..<560:
            var pick = own
            if random.chance(6) { pick = .foreign(Int.random(in: 0..<1_000, using: &random)) }
            if random.chance(3) {
                pick = .madeUp(["s0-999999", "s1-0", "x", "s9-1"].randomElement(using: &random)!)
            }
            var id = messageID(user)
            if random.chance(5), let earlier = users[user].recentIDs.randomElement(using: &random) {
                id = earlier
            }
            tags += 1
            let text = ChaosText.random(
                tag: ChaosText.tag(tags), limits: configuration.inputLimits, using: &random)
            return [.send(user: user, .message(pick, text: text, id: id))]
        case 560..<610:
            let count = Int.random(in: 1...20, using: &random)
            return (0..<count).map { index in .send(user: user, .typing(own, on: index % 2 == 0)) }
        case 610..<680:
            return [.send(user: user, .cancel(own))]
        case 680..<750:
            let twice = random.chance(30)
            return Array(repeating: .send(user: user, .end(own)), count: twice ? 2 : 1)
        case 750..<800:
            return [.send(user: user, .next(own, want: Bool.random(using: &random) ? .bot : .partner))]
        case 800..<850:
            return [.send(user: user, .invalid(Self.invalidFrames.randomElement(using: &random)!))]
        case 850..<890:
            return [.send(user: user, .ping(ping(user)))]
        default:
            // More conversation in the sessions the user has.
            tags += 1
            let text = "~\(ChaosText.tag(tags))~ " + ChaosText.words.randomElement(using: &random)!
            return [.send(user: user, .message(own, text: text, id: messageID(user)))]
        }
    }

    /// The user's connection ended without the model asking (refused, or closed by the
    /// server): its next step connects again.
    public mutating func disconnected(_ user: Int) {
        users[user].connected = false
    }

    /// The barrier a user sends before it leaves: a `ping`.
    public mutating func farewellPing(_ user: Int) -> ChaosFrame {
        .ping(ping(user))
    }

    private mutating func messageID(_ user: Int) -> String {
        users[user].counter += 1
        let id = "m\(user).\(users[user].counter)"
        users[user].recentIDs.append(id)
        if users[user].recentIDs.count > 4 { users[user].recentIDs.removeFirst() }
        return id
    }

    private mutating func ref(_ user: Int) -> String {
        users[user].counter += 1
        return "r\(user).\(users[user].counter)"
    }

    private mutating func ping(_ user: Int) -> String {
        users[user].counter += 1
        return "p\(user).\(users[user].counter)"
    }
}
