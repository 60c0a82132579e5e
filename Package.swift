// swift-tools-version:6.1
import PackageDescription

/// Swift settings shared by every target: Swift 6 language mode plus the upcoming
/// features that keep existential and import use explicit. Release builds leave out the
/// runtime's dynamic exclusivity checks (a thread-local lookup on most accesses to a class's
/// stored properties, about 6% of the Socket.IO echo's CPU); debug builds, which every test
/// runs, keep them, so an overlapping access still traps under `swift test`.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// Layers, bottom-up (see DESIGN.md §3). A module imports only from rows below it.
let package = Package(
    name: "Persona",
    products: [
        .executable(name: "persona", targets: ["persona"])
    ],
    targets: [
        // C
        .systemLibrary(
            name: "CYAML",
            path: "Sources/CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            path: "Sources/COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),

        // building blocks
        .target(name: "Diagnostics", swiftSettings: strictSettings),
        .target(name: "YAML", dependencies: ["CYAML", "Diagnostics"], swiftSettings: strictSettings),
        .target(name: "CLI", dependencies: ["Diagnostics"], swiftSettings: strictSettings),
        .target(name: "Reactor", swiftSettings: strictSettings),
        .target(name: "JSON", swiftSettings: strictSettings),
        .target(name: "TLS", dependencies: ["COpenSSL"], swiftSettings: strictSettings),

        // codecs
        .target(name: "HTTP1", swiftSettings: strictSettings),
        .target(name: "WebSocket", dependencies: ["HTTP1", "Reactor"], swiftSettings: strictSettings),
        .target(name: "SocketIO", dependencies: ["JSON", "WebSocket", "Reactor"], swiftSettings: strictSettings),

        // server core
        .target(
            name: "HTTPServer",
            dependencies: ["Reactor", "HTTP1", "WebSocket"],
            swiftSettings: strictSettings
        ),

        // upstream HTTP/1.1 client (LLM APIs): keep-alive pools, TLS, streamed bodies
        .target(
            name: "Upstream",
            dependencies: ["Reactor", "HTTP1", "TLS"],
            swiftSettings: strictSettings
        ),

        // Redis client (RESP2/RESP3 codec, reconnecting client, pub/sub, cluster slots): the
        // shared state of several nodes
        .target(
            name: "Redis",
            dependencies: ["Reactor", "TLS", "Upstream", "Policies"],
            swiftSettings: strictSettings
        ),

        // domain
        .target(name: "Personality", dependencies: ["YAML", "Diagnostics", "Policies"], swiftSettings: strictSettings),
        .target(
            name: "Engines", dependencies: ["Personality", "YAML", "Diagnostics", "JSON", "Policies"],
            swiftSettings: strictSettings),
        .target(name: "Policies", swiftSettings: strictSettings),

        // operations: structured logs and metrics exposition
        .target(name: "Observability", dependencies: ["Policies", "JSON"], swiftSettings: strictSettings),

        // runtime and application
        .target(name: "ChatProtocol", dependencies: ["JSON"], swiftSettings: strictSettings),
        .target(
            name: "PersonaRuntime",
            dependencies: ["ChatProtocol", "Personality", "Engines", "Policies", "Diagnostics", "JSON"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PersonaServer",
            dependencies: [
                "PersonaRuntime", "ChatProtocol", "HTTPServer", "Reactor", "HTTP1", "WebSocket", "JSON",
                "SocketIO", "Personality", "Engines", "Policies", "Diagnostics", "Observability", "Upstream", "TLS", "YAML",
                "Redis",
            ],
            swiftSettings: strictSettings
        ),

        // the protocol chaos model: seeded virtual users, invariant checker, shrinker, in-process hubs
        .target(
            name: "ChatChaos",
            dependencies: ["ChatProtocol", "PersonaRuntime", "Personality", "Engines", "Policies"],
            swiftSettings: strictSettings
        ),

        // cluster: the embedded store (the only code touching SQLite)
        .target(
            name: "Store", dependencies: ["CSQLite", "PersonaRuntime", "ChatProtocol", "JSON", "Observability", "Redis", "Reactor"],
            swiftSettings: strictSettings
        ),

        // executable
        .executableTarget(
            name: "persona",
            dependencies: [
                "CLI", "Diagnostics", "JSON", "YAML", "Personality", "Engines", "Policies",
                "Reactor", "HTTP1", "WebSocket", "HTTPServer", "ChatProtocol", "PersonaRuntime", "PersonaServer",
                "Observability", "SocketIO", "ChatChaos", "Store", "Upstream", "Redis",
            ],
            swiftSettings: strictSettings
        ),

        // tests
        .target(name: "PersonaTestSupport", path: "Tests/PersonaTestSupport", swiftSettings: strictSettings),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"], swiftSettings: strictSettings),
        .testTarget(name: "YAMLTests", dependencies: ["YAML", "Diagnostics", "PersonaTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "JSONTests", dependencies: ["JSON", "PersonaTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "CLITests", dependencies: ["CLI", "Diagnostics", "PersonaTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "PersonalityTests",
            dependencies: ["Personality", "YAML", "Diagnostics", "PersonaTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EnginesTests",
            dependencies: ["Engines", "Personality", "YAML", "Diagnostics", "JSON", "PersonaTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "PoliciesTests", dependencies: ["Policies", "PersonaTestSupport"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(name: "ReactorTests", dependencies: ["Reactor", "PersonaTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1", "PersonaTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "UpstreamTests", dependencies: ["Upstream", "TLS", "Reactor", "HTTP1", "PersonaTestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "RedisTests", dependencies: ["Redis", "Reactor", "TLS", "Policies", "PersonaTestSupport", "Store", "PersonaRuntime", "ChatProtocol"],
            swiftSettings: strictSettings),
        .testTarget(name: "WebSocketTests", dependencies: ["WebSocket", "HTTP1", "Reactor", "PersonaTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "HTTPServerTests",
            dependencies: ["HTTPServer", "Reactor", "HTTP1", "WebSocket", "PersonaTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ObservabilityTests", dependencies: ["Observability", "Policies", "JSON", "PersonaTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SocketIOTests", dependencies: ["SocketIO", "JSON", "Reactor", "PersonaTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChatProtocolTests", dependencies: ["ChatProtocol", "JSON", "PersonaTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PersonaRuntimeTests",
            dependencies: [
                "PersonaRuntime", "ChatProtocol", "Personality", "Engines", "Policies", "PersonaTestSupport", "ChatChaos",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: ["Store", "PersonaRuntime", "ChatProtocol", "PersonaTestSupport", "Observability", "Redis"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PersonaServerTests",
            dependencies: [
                "PersonaServer", "PersonaRuntime", "ChatProtocol", "HTTPServer", "HTTP1", "JSON", "Reactor",
                "PersonaTestSupport", "Redis",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PersonaTests",
            dependencies: ["persona", "PersonaTestSupport", "JSON"],
            exclude: ["Fixtures", "Python"],
            swiftSettings: strictSettings
        ),
    ]
)

// Fuzz targets (Tests/Fuzz, README "Fuzzing"): one libFuzzer executable per parser. They exist
// only when PERSONA_FUZZ=1, because `-sanitize=fuzzer` must instrument every module they use
// and libFuzzer supplies `main`; a normal build never sees them. Build them all with
// `PERSONA_FUZZ=1 swift build --scratch-path .build-fuzz` (Tests/Fuzz/fuzz.sh does that).
if Context.environment["PERSONA_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("HTTPRequestFuzz", ["HTTP1"]),
        ("HTTPResponseFuzz", ["HTTP1"]),
        ("WebSocketFrameFuzz", ["WebSocket"]),
        ("UTF8Fuzz", ["WebSocket"]),
        ("JSONFuzz", ["JSON"]),
        ("ChatProtocolFuzz", ["ChatProtocol"]),
        ("PersonalityYAMLFuzz", ["Personality", "Engines", "Diagnostics"]),
        ("TriggerFuzz", ["Engines"]),
        ("TemplateFuzz", ["Engines"]),
        ("ProxyProtocolFuzz", ["HTTPServer"]),
        ("RESPFuzz", ["Redis"]),
    ]
    // Only the modules the fuzzers reach are built (and instrumented).
    let fuzzedModules: Set<String> = [
        "CYAML", "Diagnostics", "YAML", "JSON", "HTTP1", "Reactor", "WebSocket", "Policies",
        "Personality", "Engines", "ChatProtocol", "HTTPServer", "COpenSSL", "TLS", "Upstream", "Redis",
    ]
    package.products = []
    package.targets.removeAll { !fuzzedModules.contains($0.name) }
    for target in package.targets where target.type == .regular {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-sanitize=fuzzer"])]
    }
    package.targets.append(.target(name: "CFuzzDriver", path: "Tests/Fuzz/CFuzzDriver"))
    package.targets.append(
        .target(
            name: "FuzzSupport", dependencies: ["CFuzzDriver"], path: "Tests/Fuzz/FuzzSupport",
            swiftSettings: strictSettings + [.unsafeFlags(["-sanitize=fuzzer"])]))
    for fuzzTarget in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: fuzzTarget.name, dependencies: fuzzTarget.dependencies + ["FuzzSupport"],
                path: "Tests/Fuzz/\(fuzzTarget.name)",
                swiftSettings: strictSettings + [.unsafeFlags(["-sanitize=fuzzer"])],
                // libFuzzer's archive brings its own `main` beside the one SwiftPM derives from
                // `@main`; either runs the same target (see FuzzDriver.swift).
                linkerSettings: [.unsafeFlags(["-sanitize=fuzzer", "-Xlinker", "--allow-multiple-definition"])]))
    }
}
