import Engines
import JSON
import Personality
import Policies

/// JSON Schemas (draft-07, the dialect YAML language servers support best) for personality
/// files, `limits.yaml` and `routing.yaml`, so editors validate and autocomplete while authors
/// type. The loader stays the authority — it also checks what a schema cannot (cross-file
/// references, pattern syntax) — but everything a schema can say, it says.
enum PersonalitySchema {
    /// Which file a schema describes.
    enum Kind: String, CaseIterable {
        case personality, limits, routing, upstreams
    }

    /// The schema for `kind`, with engine names from `engines`.
    static func schema(_ kind: Kind, engines: [String]) -> JSONValue {
        let body: [(String, JSONValue)]
        switch kind {
        case .personality: body = personality(engines: engines)
        case .limits: body = limits
        case .routing: body = routing
        case .upstreams: body = upstreams
        }
        return object(
            [
                ("$schema", "http://json-schema.org/draft-07/schema#"),
                ("$id", .string("https://persona.example/schema/\(kind.rawValue).json")),
                ("title", .string("Persona \(kind.rawValue) file")),
            ] + body + [("definitions", definitions)])
    }

    // MARK: - Files

    private static func personality(engines: [String]) -> [(String, JSONValue)] {
        let engineName: JSONValue = engines.isEmpty ? object([("type", "string")]) : object([("enum", .array(engines.map(JSONValue.string)))])
        return [
            ("type", "object"),
            ("required", ["id", "name", "engine"]),
            ("additionalProperties", false),
            (
                "properties",
                object([
                    ("id", described("Unique id: lowercase letters, digits and '-', starting with a letter.", object([("type", "string"), ("pattern", "^[a-z]([a-z0-9-]{0,62}[a-z0-9])?$")]))),
                    ("name", described("Display name.", object([("type", "string"), ("minLength", 1)]))),
                    ("description", described("One or two sentences for people choosing a personality.", object([("type", "string")]))),
                    ("tags", described("Labels used by routing filters.", object([("type", "array"), ("items", object([("type", "string"), ("pattern", "^\\S+$")])), ("uniqueItems", true)]))),
                    ("language", described("Language tag of the replies, such as en, de or pt-BR.", object([("type", "string"), ("pattern", "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]))),
                    ("tenant", described("The tenant this personality belongs to.", object([("type", "string")]))),
                    ("engine", described("Engine name, or a list tried in order (first that answers wins).", object([("oneOf", [engineName, object([("type", "array"), ("items", engineName), ("minItems", 1), ("uniqueItems", true)])])]))),
                    ("greeting", described("What the bot says when a session starts (one is picked).", ref("stringOrList"))),
                    ("farewell", described("What the bot says when a session ends.", ref("stringOrList"))),
                    ("limits", described("A limit set from limits.yaml, or { use: SET, ...overrides }.", object([("oneOf", [object([("type", "string")]), object([("type", "object"), ("additionalProperties", false), ("properties", object([("use", object([("type", "string")]))] + limitProperties))])])]))),
                    ("stream", described("Streaming cadence.", object([("type", "object"), ("additionalProperties", false), ("properties", object([("tokens_per_second", object([("type", "integer"), ("minimum", 0), ("maximum", .integer(Int64(StreamSettings.maxTokensPerSecond)))]))]))]))),
                    ("cache", described("Response cache.", object([("type", "object"), ("additionalProperties", false), ("properties", object([("mode", object([("enum", .array(CacheSettings.Mode.allCases.map { .string($0.rawValue) }))])), ("ttl", ref("duration")), ("safe", object([("type", "boolean")]))]))]))),
                    ("pii", described("What scrubbed personal data becomes: {type} and {n} placeholders.", object([("type", "object"), ("additionalProperties", false), ("properties", object([("replace", object([("type", "string"), ("minLength", 1)])), ("types", object([("type", "array"), ("items", object([("enum", .array(PIIType.allCases.map { .string($0.rawValue) }))]))]))]))]))),
                    ("tests", described("Conversations the author expects; run by persona test.", object([("type", "array"), ("items", ref("test"))]))),
                    ("script", described("The script engine's rules.", ref("script"))),
                    ("llm", described("The llm engine: an upstream from upstreams.yaml and how to prompt it.", llmSection)),
                    ("process", described("The process engine: a plugin program speaking JSON lines on stdin/stdout.", processSection)),
                ])
            ),
        ]
    }

    private static var llmSection: JSONValue {
        let stringOrList = ref("stringOrList")
        let example = object([
            ("type", "object"), ("required", ["user", "assistant"]), ("additionalProperties", false),
            ("properties", object([("user", object([("type", "string")])), ("assistant", object([("type", "string")]))])),
        ])
        return object([
            ("type", "object"), ("required", ["upstream"]), ("additionalProperties", false),
            (
                "properties",
                object([
                    ("upstream", object([("type", "string"), ("minLength", 1)])),
                    ("system", described("Template: {name} {description} {language} {session_id} {tenant} {date}.", object([("type", "string")]))),
                    ("examples", object([("type", "array"), ("items", example), ("maxItems", 64)])),
                    ("temperature", object([("type", "number"), ("minimum", 0), ("maximum", 2)])),
                    ("top_p", object([("type", "number"), ("minimum", 0), ("maximum", 1)])),
                    ("max_tokens", object([("type", "integer"), ("minimum", 1), ("maximum", 100_000)])),
                    ("stop", stringOrList),
                    ("history_turns", object([("type", "integer"), ("minimum", 0), ("maximum", 200)])),
                    ("fallback", stringOrList),
                ])
            ),
        ])
    }

    private static var processSection: JSONValue {
        let integer = { (low: Int, high: Int) in
            object([("type", "integer"), ("minimum", .integer(Int64(low))), ("maximum", .integer(Int64(high)))])
        }
        return object([
            ("type", "object"), ("required", ["command"]), ("additionalProperties", false),
            (
                "properties",
                object([
                    ("command", described("The program, or the program and its arguments.", ref("stringOrList"))),
                    ("working_directory", described("Relative to the personality file's folder (the default).", object([("type", "string"), ("minLength", 1)]))),
                    ("env", object([("type", "object"), ("additionalProperties", object([("type", "string")]))])),
                    ("workers", integer(1, ProcessSectionDecoder.maxWorkers)),
                    ("timeout", ref("duration")),
                    ("max_queue", integer(0, ProcessSectionDecoder.maxQueueLimit)),
                    ("max_line_bytes", integer(64, ProcessSectionDecoder.maxBytesLimit)),
                    ("max_reply_bytes", integer(1, ProcessSectionDecoder.maxBytesLimit)),
                    ("restart_delay", ref("duration")),
                    ("max_restart_delay", ref("duration")),
                    ("idle_stop", ref("duration")),
                    ("history_turns", integer(0, ProcessSectionDecoder.maxHistoryTurns)),
                    ("fallback", ref("stringOrList")),
                ])
            ),
        ])
    }

    private static let upstreams: [(String, JSONValue)] = [
        ("type", "object"),
        ("additionalProperties", false),
        (
            "properties",
            object([
                (
                    "upstreams",
                    described(
                        "OpenAI-compatible upstreams the llm engine calls.",
                        object([
                            ("type", "array"),
                            (
                                "items",
                                object([
                                    ("type", "object"), ("required", ["name", "base_url", "model"]),
                                    ("additionalProperties", false),
                                    (
                                        "properties",
                                        object([
                                            ("name", object([("type", "string"), ("minLength", 1)])),
                                            ("base_url", object([("type", "string"), ("pattern", "^https?://")])),
                                            ("model", object([("type", "string"), ("minLength", 1)])),
                                            ("api_key_env", described("The name of the environment variable holding the key.", object([("type", "string"), ("pattern", "^[A-Za-z_][A-Za-z0-9_]*$")]))),
                                            ("headers", object([("type", "object"), ("additionalProperties", object([("type", "string")]))])),
                                            ("timeouts", object([("type", "object"), ("additionalProperties", false), ("properties", object([("connect", ref("duration")), ("first_token", ref("duration")), ("between_tokens", ref("duration")), ("total", ref("duration"))]))])),
                                            ("max_concurrent", object([("type", "integer"), ("minimum", 1), ("maximum", 100_000)])),
                                            ("retries", object([("type", "integer"), ("minimum", 0), ("maximum", 10)])),
                                            ("tls", object([("type", "object"), ("additionalProperties", false), ("properties", object([("ca_file", object([("type", "string")]))]))])),
                                            ("circuit_breaker", object([("type", "object"), ("additionalProperties", false), ("properties", object([("failures", object([("type", "integer"), ("minimum", 1), ("maximum", 1000)])), ("cooldown", ref("duration"))]))])),
                                        ])
                                    ),
                                ])
                            ),
                        ])
                    )
                )
            ])
        ),
    ]

    private static let limits: [(String, JSONValue)] = [
        ("type", "object"),
        ("additionalProperties", false),
        (
            "properties",
            object([
                ("default", described("The set used when nothing else picks one.", object([("type", "string")]))),
                ("sets", described("Named rule sets.", object([("type", "object"), ("additionalProperties", object([("type", "object"), ("additionalProperties", false), ("properties", object([("extends", object([("type", "string")]))] + limitProperties))]))]))),
                ("rules", described("Which set applies to which personalities and client tiers; first match wins.", object([("type", "array"), ("items", object([("type", "object"), ("required", ["use"]), ("additionalProperties", false), ("properties", object([("personality", object([("type", "string")])), ("tier", object([("type", "string")])), ("use", object([("type", "string")]))]))]))]))),
            ])
        ),
    ]

    private static let routing: [(String, JSONValue)] = [
        ("type", "object"),
        ("additionalProperties", false),
        (
            "properties",
            object([
                ("matchmaking", object([("type", "object"), ("additionalProperties", false), ("properties", object([("timeout", ref("duration")), ("humans_first", object([("type", "boolean")]))]))])),
                ("fallback", object([("type", "object"), ("additionalProperties", false), ("properties", object([("default", object([("type", "string")])), ("candidates", object([("type", "array"), ("items", object([("type", "object"), ("required", ["personality"]), ("additionalProperties", false), ("properties", object([("personality", object([("type", "string")])), ("weight", object([("type", "integer"), ("minimum", 1), ("maximum", .integer(Int64(RoutingDecoder.maxWeight)))])), ("tenants", object([("type", "array"), ("items", object([("type", "string")]))]))]))]))]))]))])),
            ])
        ),
    ]

    private static var limitProperties: [(String, JSONValue)] {
        let count = object([("type", "integer"), ("minimum", 1), ("maximum", .integer(Int64(LimitValuesDecoder.maxCount)))])
        let burst = object([("type", "integer"), ("minimum", 0), ("maximum", .integer(Int64(LimitValuesDecoder.maxBurst)))])
        return [
            ("responses_per_session", count), ("session_rate", ref("rate")), ("session_burst", burst),
            ("client_rate", ref("rate")), ("client_burst", burst), ("personality_rate", ref("rate")),
            ("personality_burst", burst),
            ("max_input_chars", object([("type", "integer"), ("minimum", 1), ("maximum", 1_000_000)])),
            ("max_reply_tokens", object([("type", "integer"), ("minimum", 1), ("maximum", 100_000)])),
            ("idle_timeout", ref("duration")), ("session_timeout", ref("duration")), ("resume_window", ref("duration")),
            ("daily_messages_per_client", count),
            ("daily_tokens_per_client", object([("type", "integer"), ("minimum", 1), ("maximum", 1_000_000_000)])),
            ("on_limit", object([("enum", .array(LimitAction.allCases.map { .string($0.rawValue) }))])),
        ]
    }

    // MARK: - Shared definitions

    private static var definitions: JSONValue {
        let rule = object([
            ("type", "object"), ("required", ["match"]), ("additionalProperties", false),
            (
                "properties",
                object([
                    ("match", described("Trigger pattern(s): * # _ [optional] (a|b) @array.", ref("stringOrList"))),
                    ("reply", ref("reply")),
                    ("weight", object([("type", "integer")])),
                    ("after", described("Match only when the bot's previous reply matched this pattern.", object([("type", "string")]))),
                    ("conditions", object([("type", "array"), ("items", object([("type", "object"), ("required", ["when", "reply"]), ("additionalProperties", false), ("properties", object([("when", object([("type", "string")])), ("reply", ref("reply"))]))]))])),
                    ("redirect", object([("type", "string")])),
                    ("topic", object([("type", "string")])),
                    ("set", object([("type", "object"), ("additionalProperties", object([("type", ["string", "number", "boolean"])]))])),
                ])
            ),
        ])
        let turnProperties: [(String, JSONValue)] = [
            ("say", object([("type", "string")])), ("expect", object([("type", "string")])),
            ("expect_one_of", ref("stringOrList")), ("expect_match", object([("type", "string")])),
            ("vars", object([("type", "object"), ("additionalProperties", object([("type", ["string", "number", "boolean"])]))])),
            ("topic", described("The topic the session must be in after the turn.", object([("type", "string")]))),
        ]
        let stringMap = object([("type", "object"), ("additionalProperties", object([("type", ["string", "number", "boolean"])]))])
        let given = described(
            "The state the session starts in, before the first turn.",
            object([
                ("type", "object"), ("additionalProperties", false),
                ("properties", object([("vars", stringMap), ("topic", object([("type", "string")])), ("bot", stringMap), ("globals", stringMap)])),
            ]))
        return object([
            ("stringOrList", object([("oneOf", [object([("type", "string")]), object([("type", "array"), ("items", object([("type", "string")])), ("minItems", 1)])])])),
            ("duration", object([("type", "string"), ("pattern", "^([0-9]+(ms|s|m|min|h|d))+$"), ("description", "A duration such as 500ms, 10s, 5m, 1h30m or 2d.")])),
            ("rate", object([("type", "string"), ("pattern", "^\\s*[0-9]+\\s*/\\s*[0-9]*\\s*[A-Za-z]+\\s*$"), ("description", "A rate such as 30/min, 5/s, 100/h, 1000/day or 10/30s.")])),
            ("reply", object([("oneOf", [object([("type", "string")]), object([("type", "array"), ("minItems", 1), ("items", object([("oneOf", [object([("type", "string")]), object([("type", "object"), ("required", ["text"]), ("additionalProperties", false), ("properties", object([("text", object([("type", "string")])), ("weight", object([("type", "integer"), ("minimum", 1)]))]))])])]))])])])),
            ("rule", rule),
            ("test", object([("type", "object"), ("additionalProperties", false), ("properties", object([("name", object([("type", "string")])), ("seed", object([("type", "integer"), ("minimum", 0)])), ("given", given), ("conversation", object([("type", "array"), ("items", object([("type", "object"), ("additionalProperties", false), ("properties", object(turnProperties))]))]))] + turnProperties))])),
            (
                "script",
                object([
                    ("type", "object"), ("additionalProperties", false),
                    (
                        "properties",
                        object([
                            ("substitutions", object([("type", "object"), ("additionalProperties", object([("type", "string")]))])),
                            ("person", object([("type", "object"), ("additionalProperties", object([("type", "string")]))])),
                            ("arrays", object([("type", "object"), ("additionalProperties", object([("type", "array"), ("items", object([("type", ["string", "number"])]))]))])),
                            ("variables", object([("type", "object"), ("additionalProperties", object([("type", ["string", "number", "boolean"])]))])),
                            ("globals", described("Global variables: {env name}.", object([("type", "object"), ("additionalProperties", object([("type", ["string", "number", "boolean"])]))]))),
                            ("compat", described("rivescript: behave as RiveScript where Persona differs by default.", object([("enum", ["persona", "rivescript"])]))),
                            ("begin", described("The request hook: rules matched against 'request' before every message; {ok} is the normal reply.", object([("type", "array"), ("items", ref("rule"))]))),
                            ("rules", object([("type", "array"), ("items", ref("rule"))])),
                            ("topics", object([("type", "object"), ("additionalProperties", object([("type", "object"), ("additionalProperties", false), ("properties", object([("includes", object([("type", "array"), ("items", object([("type", "string")]))])), ("inherits", object([("type", "array"), ("items", object([("type", "string")]))])), ("rules", object([("type", "array"), ("items", ref("rule"))]))]))]))])),
                            ("fallback", ref("reply")),
                            ("max_redirect_depth", object([("type", "integer"), ("minimum", 0), ("maximum", 1_000)])),
                            ("max_match_steps", object([("type", "integer"), ("minimum", 100), ("maximum", 10_000_000)])),
                        ])
                    ),
                ])
            ),
        ])
    }

    // MARK: - Builders

    private static func object(_ members: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(members)) }
    private static func ref(_ name: String) -> JSONValue { object([("$ref", .string("#/definitions/\(name)"))]) }
    private static func described(_ text: String, _ schema: JSONValue) -> JSONValue {
        guard case .object(let members) = schema else { return schema }
        return .object(JSONObject([("description", JSONValue.string(text))] + members.map { ($0.key, $0.value) }))
    }
}
