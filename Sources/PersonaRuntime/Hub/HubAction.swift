import ChatProtocol
import Policies

/// What the hub asks the shell to do. The shell carries actions out in order, and never calls
/// back into the hub while doing so (a close it performs is reported later as
/// ``ChatHub/connectionClosed(_:)``).
public enum HubAction: Sendable {
    /// Encode and send the frame on the connection (as a WebSocket text frame).
    case send(ConnectionID, ServerMessage)
    /// Close the connection with this WebSocket close code (RFC 6455 §7.4.1) and reason.
    case close(ConnectionID, code: UInt16, reason: String)
    /// Call ``ChatHub/timerFired(_:)`` with the token at `at` (or as soon after as possible).
    case scheduleTimer(TimerToken, at: PolicyInstant)
    /// The timer is no longer needed (firing it anyway is harmless).
    case cancelTimer(TimerToken)
    /// Deliver the mail to hub number `hub` (on that hub's loop, via its `execute`), by calling
    /// ``ChatHub/mailReceived(_:)``. Only used when several hubs share a ``MatchQueue``.
    case mail(hub: Int, HubMail)
    /// The hub is draining and has no session left: the shell may stop it.
    case drained
}
