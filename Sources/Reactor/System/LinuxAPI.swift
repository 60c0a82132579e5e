#if canImport(Glibc)
    import Glibc
#endif

/// Linux calls the toolchain's Glibc module does not import: its umbrella header leaves out
/// `<sys/epoll.h>` and `<sys/eventfd.h>`, and is compiled without `_GNU_SOURCE`, which hides
/// `accept4`, `sched_getaffinity`, `pthread_setname_np`, `pipe2` and
/// `posix_spawn_file_actions_addchdir_np`.
///
/// Rather than add a C shim target, the functions are resolved once with `dlsym` and called
/// through `@convention(c)` pointers — the C calling convention is then guaranteed, unlike with
/// `@_silgen_name`. The constants are the Linux UAPI values, which are ABI and never change.
package enum LinuxAPI {
    package static let `in`: UInt32 = 0x001
    package static let out: UInt32 = 0x004
    package static let err: UInt32 = 0x008
    package static let hup: UInt32 = 0x010
    package static let rdhup: UInt32 = 0x2000
    package static let edgeTriggered: UInt32 = 1 << 31

    package static let ctlAdd: Int32 = 1
    package static let ctlDel: Int32 = 2
    package static let ctlMod: Int32 = 3

    /// `EPOLL_CLOEXEC` and `EFD_CLOEXEC` (both `O_CLOEXEC`).
    package static let cloexec: Int32 = 0o2_000_000
    /// `EFD_NONBLOCK` (`O_NONBLOCK`).
    package static let nonblock: Int32 = 0o4_000

    /// Size of `struct epoll_event`: packed (12 bytes) on x86-64, naturally aligned elsewhere.
    #if arch(x86_64)
        package static let eventStride = 12
        package static let dataOffset = 4
    #else
        package static let eventStride = 16
        package static let dataOffset = 8
    #endif

    package typealias CreateFunction = @convention(c) (Int32) -> Int32
    package typealias ControlFunction =
        @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    package typealias WaitFunction = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    package typealias EventFDFunction = @convention(c) (UInt32, Int32) -> Int32
    package typealias Accept4Function =
        @convention(c) (Int32, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int32) -> Int32
    package typealias AffinityFunction = @convention(c) (Int32, Int, UnsafeMutableRawPointer?) -> Int32
    package typealias SetNameFunction = @convention(c) (UInt, UnsafePointer<CChar>?) -> Int32

    package static let create1: CreateFunction = resolve("epoll_create1")
    package static let control: ControlFunction = resolve("epoll_ctl")
    package static let wait: WaitFunction = resolve("epoll_wait")
    package static let eventfd: EventFDFunction = resolve("eventfd")
    package static let accept4: Accept4Function = resolve("accept4")
    package static let schedGetAffinity: AffinityFunction = resolve("sched_getaffinity")
    package static let setThreadName: SetNameFunction = resolve("pthread_setname_np")

    package typealias Pipe2Function = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    package typealias AddChdirFunction =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
    /// `pipe2` (hidden without `_GNU_SOURCE`), for child processes' pipes.
    package static let pipe2: Pipe2Function = resolve("pipe2")
    /// `posix_spawn_file_actions_addchdir_np` (glibc ≥ 2.29), so a child starts in its folder.
    package static let spawnAddChdir: AddChdirFunction = resolve("posix_spawn_file_actions_addchdir_np")

    private static func resolve<F>(_ name: String) -> F {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            // RTLD_DEFAULT is the null handle on glibc.
            fatalError("persona reactor: libc does not export \(name)")
        }
        return unsafeBitCast(symbol, to: F.self)
    }

    /// `epoll_ctl` with an event built from `events` and `data`.
    package static func ctl(_ epfd: Int32, _ op: Int32, _ fd: Int32, events: UInt32, data: UInt64) -> Int32 {
        var raw = (UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &raw) { bytes in
            bytes.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            bytes.storeBytes(of: data, toByteOffset: dataOffset, as: UInt64.self)
            return control(epfd, op, fd, bytes.baseAddress)
        }
    }

    /// Reads entry `index` of an events array filled by `epoll_wait`.
    @inline(__always)
    package static func event(in buffer: UnsafeMutableRawPointer, at index: Int) -> (
        events: UInt32, data: UInt64
    ) {
        let base = buffer + index * eventStride
        return (base.loadUnaligned(as: UInt32.self), (base + dataOffset).loadUnaligned(as: UInt64.self))
    }
}
