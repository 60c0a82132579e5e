// swift-tools-version:6.1
import PackageDescription

/// Swift settings shared by every target: Swift 6 language mode plus the upcoming
/// features that keep existential and import use explicit.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
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

        // building blocks
        .target(name: "Diagnostics", swiftSettings: strictSettings),
        .target(name: "YAML", dependencies: ["CYAML", "Diagnostics"], swiftSettings: strictSettings),
        .target(name: "CLI", dependencies: ["Diagnostics"], swiftSettings: strictSettings),
        .target(name: "Reactor", swiftSettings: strictSettings),
        .target(name: "JSON", swiftSettings: strictSettings),

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

        // domain
        .target(name: "Personality", dependencies: ["YAML", "Diagnostics", "Policies"], swiftSettings: strictSettings),
        .target(name: "Engines", dependencies: ["Personality", "YAML", "Diagnostics"], swiftSettings: strictSettings),
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
                "SocketIO", "Personality", "Engines", "Policies", "Diagnostics", "Observability",
            ],
            swiftSettings: strictSettings
        ),

        // executable
        .executableTarget(
            name: "persona",
            dependencies: [
                "CLI", "Diagnostics", "JSON", "YAML", "Personality", "Engines", "Policies",
                "Reactor", "HTTP1", "WebSocket", "HTTPServer", "ChatProtocol", "PersonaRuntime", "PersonaServer",
                "Observability", "SocketIO",
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
            dependencies: ["Engines", "Personality", "YAML", "Diagnostics", "PersonaTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "PoliciesTests", dependencies: ["Policies", "PersonaTestSupport"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(name: "ReactorTests", dependencies: ["Reactor", "PersonaTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1", "PersonaTestSupport"], swiftSettings: strictSettings),
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
            dependencies: ["PersonaRuntime", "ChatProtocol", "Personality", "Engines", "Policies", "PersonaTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PersonaServerTests",
            dependencies: ["PersonaServer", "PersonaRuntime", "ChatProtocol", "HTTPServer", "Reactor", "PersonaTestSupport"],
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
