#if canImport(Glibc)
    import Glibc
#endif

/// Which readiness a registered descriptor wants to hear about.
///
/// Level-triggered: a descriptor that stays readable keeps being reported, so a handler may
/// read once per wake-up (fairness between connections) without losing data. Errors and
/// hang-ups are always reported by the kernel whatever the interest.
public struct Interest: OptionSet, Hashable, Sendable {
    /// Raw epoll bits.
    public let rawValue: UInt32
    /// Creates from raw epoll bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `EPOLLIN`: data (or a pending connection, or EOF) to read.
    public static let read = Interest(rawValue: LinuxAPI.in)
    /// `EPOLLOUT`: room in the kernel send buffer, or a non-blocking connect finished.
    public static let write = Interest(rawValue: LinuxAPI.out)
}
