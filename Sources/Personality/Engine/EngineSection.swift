/// An engine's own, already validated configuration, decoded from the personality file's
/// section named after the engine (`script:`, `llm:`, …).
///
/// The core treats it as opaque; only the engine that decoded it looks inside, which lets new
/// engines add sections without touching the personality model.
public protocol EngineSection: Sendable {}
