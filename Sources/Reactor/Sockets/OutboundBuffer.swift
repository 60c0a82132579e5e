/// Bytes accepted by ``TCPConnection/write(_:)`` that the kernel has not taken yet.
///
/// One contiguous array with a read index: appends copy once, a flush is one `send(2)` of
/// everything pending (so several small responses produced by one read leave in one segment),
/// and consumed space is reclaimed by compaction when it dominates the array.
struct OutboundBuffer {
    private var storage: [UInt8] = []
    private var head = 0

    var count: Int { storage.count - head }
    var isEmpty: Bool { head == storage.count }

    /// Lets `body` append bytes in place — a copy of the caller's bytes, or an encoder writing
    /// its output with no intermediate array. `body` may only append: the bytes before the end
    /// are pending output.
    mutating func append(encodedBy body: (inout [UInt8]) -> Void) {
        if head == storage.count, head > 0 {
            storage.removeAll(keepingCapacity: storage.capacity <= 1 << 20)
            head = 0
        }
        body(&storage)
    }

    mutating func consume(_ n: Int) {
        head += n
        if head == storage.count {
            // Keep a modest buffer for the next response; release a huge one (a 16 MiB echo).
            storage.removeAll(keepingCapacity: storage.capacity <= 1 << 20)
            head = 0
        } else if head > 64 * 1024, head > storage.count / 2 {
            storage.removeSubrange(0..<head)
            head = 0
        }
    }

    func withReadable<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[head...])) }
    }

    mutating func removeAll() {
        storage = []
        head = 0
    }
}
