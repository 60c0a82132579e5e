/// One record from an inotify descriptor (`struct inotify_event`, inotify(7)): the watch it
/// belongs to, what happened, and the name within the watched directory.
public struct InotifyEvent: Hashable, Sendable {
    /// The watch descriptor.
    public var watch: Int32
    /// The event mask (`IN_CREATE`, `IN_MOVED_TO`, …).
    public var mask: UInt32
    /// Pairs the two halves of a rename.
    public var cookie: UInt32
    /// The entry's name within the watched directory (empty for events on the directory itself).
    public var name: String

    /// Creates an event.
    public init(watch: Int32, mask: UInt32, cookie: UInt32 = 0, name: String) {
        self.watch = watch
        self.mask = mask
        self.cookie = cookie
        self.name = name
    }

    /// Decodes every whole record in `bytes` (what one `read(2)` returned). A record is
    /// `int wd; uint32 mask; uint32 cookie; uint32 len; char name[len]` in native byte order,
    /// the name NUL-padded. The kernel never splits a record across reads; a truncated tail
    /// is ignored rather than trusted.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var offset = 0
        while bytes.count - offset >= 16 {
            let watch = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let cookie = bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            guard bytes.count - offset - 16 >= length else { break }
            let nameBytes = bytes[(offset + 16)..<(offset + 16 + length)]
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            events.append(InotifyEvent(watch: watch, mask: mask, cookie: cookie, name: name))
            offset += 16 + length
        }
        return events
    }
}
