/// Bytes accepted by ``TCPConnection/write(_:)`` that the kernel has not taken yet.
///
/// One contiguous array with a read index: appends copy once, a flush is one `send(2)` of
/// everything pending (so several small responses produced by one read leave in one segment),
/// and consumed space is reclaimed by compaction when it dominates the array. A large array
/// the caller hands over (``adopt(_:)``) is queued as it is, behind the pending bytes, instead
/// of being copied: an echoed 16 MiB message costs no second 16 MiB and no pass over it.
struct OutboundBuffer {
    private var storage: [UInt8] = []
    private var head = 0
    /// Arrays queued after `storage`, in order; sent once `storage` is.
    private var queued: [[UInt8]] = []
    private var queuedCount = 0
    /// Whether the last queued array may be appended to (it is ours, not an adopted one).
    private var lastQueuedIsOpen = false

    var count: Int { storage.count - head + queuedCount }
    var isEmpty: Bool { count == 0 }

    /// Lets `body` append bytes in place — a copy of the caller's bytes, or an encoder writing
    /// its output with no intermediate array. `body` may only append: the bytes before the end
    /// are pending output.
    mutating func append(encodedBy body: (inout [UInt8]) -> Void) {
        if queued.isEmpty {
            if head == storage.count, head > 0 {
                storage.removeAll(keepingCapacity: storage.capacity <= 1 << 20)
                head = 0
            }
            body(&storage)
            return
        }
        // Behind an adopted array: append to a small array of our own after it.
        if !lastQueuedIsOpen {
            queued.append([])
            lastQueuedIsOpen = true
        }
        let before = queued[queued.count - 1].count
        body(&queued[queued.count - 1])
        queuedCount += queued[queued.count - 1].count - before
    }

    /// Queues `bytes` without copying them.
    mutating func adopt(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if head == storage.count, queued.isEmpty {
            storage = bytes
            head = 0
            return
        }
        queued.append(bytes)
        queuedCount += bytes.count
        lastQueuedIsOpen = false
    }

    mutating func consume(_ n: Int) {
        head += n
        if head == storage.count {
            if !queued.isEmpty {
                storage = queued.removeFirst()
                queuedCount -= storage.count
                if queued.isEmpty { lastQueuedIsOpen = false }
                head = 0
                return
            }
            // Keep a modest buffer for the next response; release a huge one (a 16 MiB echo).
            storage.removeAll(keepingCapacity: storage.capacity <= 1 << 20)
            head = 0
        } else if head > 64 * 1024, head > storage.count / 2 {
            storage.removeSubrange(0..<head)
            head = 0
        }
    }

    /// The bytes the next `send(2)` should offer (the first pending array's rest).
    func withReadable<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[head...])) }
    }

    mutating func removeAll() {
        storage = []
        head = 0
        queued = []
        queuedCount = 0
        lastQueuedIsOpen = false
    }
}
