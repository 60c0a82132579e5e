/// Distinguishes successive registrations of the same file-descriptor number.
///
/// Descriptor numbers are reused by the kernel as soon as they are closed. The epoll user data
/// carries this id beside the fd (fd in the low 32 bits, id in the high 32), and the loop drops
/// an event whose id no longer matches the slot — so a stale event meant for a closed
/// connection can never be delivered to a new one that happens to get the same number.
public struct RegistrationID: Hashable, Sendable {
    /// The raw counter value.
    package let rawValue: UInt32

    package init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Packs the id and `fd` into epoll's 64-bit user data.
    package func userData(fd: Int32) -> UInt64 {
        UInt64(rawValue) << 32 | UInt64(UInt32(bitPattern: fd))
    }

    /// Unpacks epoll user data into the fd and the registration id.
    package static func unpack(_ data: UInt64) -> (fd: Int32, id: RegistrationID) {
        (
            Int32(bitPattern: UInt32(truncatingIfNeeded: data)),
            RegistrationID(rawValue: UInt32(truncatingIfNeeded: data >> 32))
        )
    }
}
