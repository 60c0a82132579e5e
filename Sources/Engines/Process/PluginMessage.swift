import JSON

/// The `process` engine's wire format: newline-delimited JSON, one object per line (the
/// README's "Process engine protocol" section is the author-facing version).
///
/// Persona → plugin (stdin):
/// ```json
/// {"type":"message","id":7,"session":"s-1","personality":"echo","text":"hi","vars":{},"history":[{"user":"…","reply":"…"}]}
/// {"type":"cancel","id":7}
/// ```
/// Plugin → Persona (stdout), for the request it is working on:
/// ```json
/// {"type":"token","id":7,"text":"Hel"}
/// {"type":"end","id":7,"vars":{"name":"Ann"}}      // vars optional: the session's new variables
/// {"type":"error","id":7,"message":"…"}            // the plugin could not answer
/// {"type":"decline","id":7}                        // nothing to say: the next engine answers
/// ```
public enum PluginMessage {
    /// One request: a user's message with what the plugin needs to answer it.
    public struct Request: Hashable, Sendable {
        /// The request's id; every reply line repeats it.
        public var id: UInt64
        /// The session's id.
        public var session: String
        /// The personality's id.
        public var personality: String
        /// The user's message, scrubbed of PII.
        public var text: String
        /// The session's variables (as the plugin last set them).
        public var variables: [String: String]
        /// Earlier exchanges, oldest first.
        public var history: [Exchange]

        /// Creates a request.
        public init(
            id: UInt64, session: String, personality: String, text: String, variables: [String: String] = [:],
            history: [Exchange] = []
        ) {
            self.id = id
            self.session = session
            self.personality = personality
            self.text = text
            self.variables = variables
            self.history = history
        }

        /// The request line, newline included.
        public func line() -> [UInt8] {
            let value: JSONValue = .object([
                "type": .string("message"), "id": .integer(Int64(id)), "session": .string(session),
                "personality": .string(personality), "text": .string(text),
                "vars": PluginMessage.object(variables),
                "history": .array(
                    history.map { .object(["user": .string($0.user), "reply": .string($0.reply)]) }),
            ])
            return value.serializedBytes() + [0x0A]
        }
    }

    /// One earlier exchange.
    public struct Exchange: Hashable, Sendable {
        /// What the user said.
        public var user: String
        /// What the bot answered.
        public var reply: String
        /// Creates an exchange.
        public init(user: String, reply: String) {
            self.user = user
            self.reply = reply
        }
    }

    /// A string map as a JSON object, keys sorted so lines are reproducible.
    static func object(_ map: [String: String]) -> JSONValue {
        .object(JSONObject(map.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
    }

    /// The line asking the plugin to stop working on request `id`.
    public static func cancelLine(id: UInt64) -> [UInt8] {
        JSONValue.object(["type": .string("cancel"), "id": .integer(Int64(id))]).serializedBytes() + [0x0A]
    }

    /// One line a plugin wrote.
    public enum Reply: Hashable, Sendable {
        /// The next piece of the answer.
        case token(id: UInt64, text: String)
        /// The answer is complete; `variables` (when given) replace the session's.
        case end(id: UInt64, variables: [String: String]?)
        /// The plugin could not answer.
        case error(id: UInt64, message: String)
        /// The plugin has nothing to say.
        case decline(id: UInt64)

        /// The request the line belongs to.
        public var id: UInt64 {
            switch self {
            case .token(let id, _), .end(let id, _), .error(let id, _), .decline(let id): return id
            }
        }

        /// The line's JSON value (what a well-behaved plugin writes), for tests and samples.
        public var json: JSONValue {
            switch self {
            case .token(let id, let text):
                return .object(["type": .string("token"), "id": .integer(Int64(id)), "text": .string(text)])
            case .end(let id, let variables):
                var members: [(String, JSONValue)] = [("type", .string("end")), ("id", .integer(Int64(id)))]
                if let variables { members.append(("vars", PluginMessage.object(variables))) }
                return .object(JSONObject(members))
            case .error(let id, let message):
                return .object([
                    "type": .string("error"), "id": .integer(Int64(id)), "message": .string(message),
                ])
            case .decline(let id):
                return .object(["type": .string("decline"), "id": .integer(Int64(id))])
            }
        }

        /// Reads a decoded line; anything else is a protocol violation.
        public init(_ value: JSONValue) throws(PluginProtocolError) {
            guard let object = value.objectValue else { throw .notAnObject }
            guard let type = object["type"]?.stringValue else { throw .missingField("type") }
            guard let rawID = object["id"]?.int64Value, rawID >= 0 else { throw .missingField("id") }
            let id = UInt64(rawID)
            switch type {
            case "token":
                guard let text = object["text"]?.stringValue else { throw .missingField("text") }
                self = .token(id: id, text: text)
            case "end":
                var variables: [String: String]?
                if let vars = object["vars"], !vars.isNull {
                    guard let members = vars.objectValue else {
                        throw .badField("vars", "an object of strings")
                    }
                    var map: [String: String] = [:]
                    for (key, value) in members {
                        guard let text = value.stringValue else {
                            throw .badField("vars", "an object of strings")
                        }
                        map[key] = text
                    }
                    variables = map
                }
                self = .end(id: id, variables: variables)
            case "error":
                self = .error(id: id, message: object["message"]?.stringValue ?? "no reason given")
            case "decline":
                self = .decline(id: id)
            default:
                throw .unknownType(type)
            }
        }
    }
}

/// Why a plugin's output line was refused.
public enum PluginProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The line is JSON, but not an object.
    case notAnObject
    /// A required field is missing or has the wrong type.
    case missingField(String)
    /// A field has the wrong shape.
    case badField(String, String)
    /// The `type` is not one the protocol knows.
    case unknownType(String)

    /// A sentence for the log.
    public var description: String {
        switch self {
        case .notAnObject: return "the line is not a JSON object"
        case .missingField(let name): return "the line has no valid '\(name)'"
        case .badField(let name, let shape): return "'\(name)' must be \(shape)"
        case .unknownType(let type):
            return "unknown line type '\(type)' (expected token, end, error or decline)"
        }
    }
}
