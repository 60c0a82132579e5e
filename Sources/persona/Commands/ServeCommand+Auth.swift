import CLI
import Glibc
import PersonaServer

extension ServeCommand {
    /// `--auth`, `--i-know` and `--keys`.
    static let authOptions: [Option] = [
        .option(
            "auth", type: .choice(["off", "keys"]), environment: "PERSONA_AUTH",
            help: "off: anyone who reaches the port may chat; keys: REST, OpenAI and /v1/ws need an API key "
                + "(default: off, allowed only on loopback; elsewhere say --auth keys, or --auth off --i-know)."),
        .flag(
            "i-know", help: "Allow --auth off on a non-loopback address (anyone who reaches the port may chat)."),
        .option(
            "keys", type: .string, environment: "PERSONA_KEYS",
            help: "The API keys file (default: <data-dir>/keys.yaml; written by 'persona keys')."),
    ]

    /// Whether `host` is a loopback address.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1"
    }

    /// The mode for `requested` on `host`: keys are required off loopback unless the operator
    /// said `--auth off --i-know`.
    static func authMode(requested: String?, iKnow: Bool, host: String) throws -> AuthMode {
        let mode = requested.flatMap(AuthMode.init(rawValue:)) ?? .off
        if mode == .off, !isLoopback(host), requested == nil || !iKnow {
            throw CommandFailure(
                "refusing to listen on \(host) without API keys: anyone who reaches the port could chat. "
                    + "Use --auth keys (create keys with 'persona keys create'), or --auth off --i-know",
                exitCode: .usageError)
        }
        return mode
    }

    /// The key gate for `mode`, reading `path`.
    static func keyGate(mode: AuthMode, path: String) throws -> KeyGate {
        let ring: KeyRing
        do {
            ring = try KeyRing(file: path)
        } catch {
            throw CommandFailure("cannot read the API keys: \(error)")
        }
        return KeyGate(mode: mode, ring: ring, clock: { Int64(time(nil)) })
    }
}
