/// Why a session ended, as `session_ended`'s `reason`.
public enum EndReason: String, Hashable, Sendable, CaseIterable {
    /// The client sent `end` (or closed the connection).
    case user
    /// The human partner ended the session or disconnected; `next` asks for a new partner.
    case partnerLeft = "partner_left"
    /// `responses_per_session` is used up; the bot's farewell comes with it.
    case limitReached = "limit_reached"
    /// No message for the personality's `idle_timeout`.
    case idle
    /// The session reached the personality's `session_timeout`.
    case sessionTimeout = "session_timeout"
    /// The server is shutting down.
    case shutdown
    /// A reload removed the session's personality.
    case personalityRemoved = "personality_removed"
    /// A random session found nobody and routing names no fallback personality.
    case noPartner = "no_partner"
    /// The client disconnected and did not resume within `resume_window`.
    case disconnected
    /// The engine could not serve the session (for example, it names an unknown engine).
    case error
}
