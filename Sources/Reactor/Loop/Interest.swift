#if canImport(Glibc)
    import Glibc
#endif

/// Which readiness a registered descriptor wants to hear about.
///
/// Level-triggered by default: a descriptor that stays readable keeps being reported (listeners
/// use this). With ``edgeTriggered`` a descriptor is reported once per change — new bytes, room
/// to write, a hang-up — which spares the kernel re-polling every reported descriptor on the
/// next wait; the owner must then read until a short read or `EAGAIN`, or re-arm (see
/// `EventLoop.rearm`). Errors and hang-ups are always reported whatever the interest.
public struct Interest: OptionSet, Hashable, Sendable {
    /// Raw epoll bits.
    public let rawValue: UInt32
    /// Creates from raw epoll bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `EPOLLIN`: data (or a pending connection, or EOF) to read.
    public static let read = Interest(rawValue: LinuxAPI.in)
    /// `EPOLLOUT`: room in the kernel send buffer, or a non-blocking connect finished.
    public static let write = Interest(rawValue: LinuxAPI.out)
    /// `EPOLLET`: report changes, not states.
    public static let edgeTriggered = Interest(rawValue: LinuxAPI.edgeTriggered)
}
