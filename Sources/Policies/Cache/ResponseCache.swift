/// An exact-match reply cache: LRU with per-entry TTL, an entry-count bound and a byte bound.
///
/// The stored value is the reply's token list, so a hit is replayed through the same cadence
/// as a fresh reply (the caller paces the tokens; the cache never hands out one lump).
///
/// Byte accounting is honest about what the entry pins in memory: UTF-8 bytes of every key
/// string + 8 for the state digest + UTF-8 bytes of every token + ``perTokenOverhead`` per
/// token (a `String` slot in the array) + ``perEntryOverhead`` (slot, list links, dictionary
/// bucket, expiry). Small strings stored inline are still counted at their UTF-8 length, so
/// the count errs on the high side.
///
/// A value type for one event loop: every operation is synchronous and O(1) except
/// ``invalidate(personality:)`` and ``removeExpired(now:)``, which scan (they run on reload
/// and from a timer, not per message).
public struct ResponseCache: Sendable {
    /// Bytes charged per entry for its bookkeeping.
    public static let perEntryOverhead = 96
    /// Bytes charged per token for its array slot.
    public static let perTokenOverhead = 16

    private struct Slot: Sendable {
        var key: ResponseCacheKey
        var tokens: [String]
        var bytes: Int
        var expires: PolicyInstant
        var previous: Int
        var next: Int
    }

    /// The bounds in force.
    public let configuration: ResponseCacheConfiguration
    /// What the cache has done so far.
    public private(set) var counters = ResponseCacheCounters()
    /// Bytes currently held, by the accounting above.
    public private(set) var byteCount = 0

    private var index: [ResponseCacheKey: Int] = [:]
    private var slots: [Slot?] = []
    private var freeSlots: [Int] = []
    private var head = -1  // most recently used
    private var tail = -1  // least recently used

    /// Creates an empty cache.
    public init(configuration: ResponseCacheConfiguration = ResponseCacheConfiguration()) {
        self.configuration = configuration
    }

    /// Entries currently held.
    public var count: Int { index.count }

    /// The bytes an entry with this key and these tokens is charged.
    public static func entryBytes(key: ResponseCacheKey, tokens: [String]) -> Int {
        var bytes = perEntryOverhead + key.byteCount
        for token in tokens { bytes += token.utf8.count + perTokenOverhead }
        return bytes
    }

    /// The tokens of a live entry for `key`, marking it most recently used; nil on a miss.
    /// With the policy's mode `off` this returns nil without counting anything.
    public mutating func lookup(_ key: ResponseCacheKey, policy: ResponseCachePolicy, now: PolicyInstant)
        -> [String]?
    {
        guard policy.mode == .exact else { return nil }
        guard let slotIndex = index[key], let slot = slots[slotIndex] else {
            counters.misses += 1
            return nil
        }
        if slot.expires <= now {
            remove(slotIndex)
            counters.evictedExpired += 1
            counters.misses += 1
            return nil
        }
        moveToFront(slotIndex)
        counters.hits += 1
        return slot.tokens
    }

    /// Offers a finished reply. Refused (and counted) when the policy is off, when the reply
    /// used randomness or changed session state without the personality declaring that
    /// cache-safe, or when it is too large; otherwise stored (replacing any entry for the key)
    /// with expiry `now + policy.ttl`, evicting least recently used entries to stay in bounds.
    @discardableResult
    public mutating func store(
        _ key: ResponseCacheKey, tokens: [String], traits: ReplyTraits,
        policy: ResponseCachePolicy, now: PolicyInstant
    ) -> ResponseCacheStoreOutcome {
        guard policy.mode == .exact else {
            counters.refusedCachingOff += 1
            return .refusedCachingOff
        }
        if traits.usedRandomness && !policy.randomRepliesAreCacheSafe {
            counters.refusedRandom += 1
            return .refusedRandom
        }
        if traits.changedSessionState && !policy.stateChangingRepliesAreCacheSafe {
            counters.refusedStateChange += 1
            return .refusedStateChange
        }
        let bytes = ResponseCache.entryBytes(key: key, tokens: tokens)
        guard bytes <= policy.maxEntryBytes, bytes <= configuration.maxBytes, configuration.maxEntries > 0
        else {
            counters.refusedTooLarge += 1
            return .refusedTooLarge
        }
        if let existing = index[key] { remove(existing) }
        let slot = Slot(
            key: key, tokens: tokens, bytes: bytes, expires: now.advanced(by: policy.ttl),
            previous: -1, next: -1)
        let slotIndex: Int
        if let free = freeSlots.popLast() {
            slots[free] = slot
            slotIndex = free
        } else {
            slots.append(slot)
            slotIndex = slots.count - 1
        }
        index[key] = slotIndex
        byteCount += bytes
        linkAtFront(slotIndex)
        counters.stores += 1
        while index.count > configuration.maxEntries { evictTail(now: now, reason: \.evictedCount) }
        while byteCount > configuration.maxBytes { evictTail(now: now, reason: \.evictedBytes) }
        return .stored
    }

    /// Removes every entry of `personality` (all versions, all scopes); returns how many.
    /// Version keys already make stale entries unreachable after a reload; this frees their
    /// memory at once.
    @discardableResult
    public mutating func invalidate(personality: String) -> Int {
        var removed = 0
        for (slotIndex, slot) in slots.enumerated() where slot?.key.personality == personality {
            remove(slotIndex)
            removed += 1
        }
        counters.evictedInvalidated += removed
        return removed
    }

    /// Removes every expired entry; returns how many. Call from a timer.
    @discardableResult
    public mutating func removeExpired(now: PolicyInstant) -> Int {
        var removed = 0
        for (slotIndex, slot) in slots.enumerated() {
            if let slot, slot.expires <= now {
                remove(slotIndex)
                removed += 1
            }
        }
        counters.evictedExpired += removed
        return removed
    }

    /// Keys from most to least recently used (for tests and the admin API).
    public var keysByRecency: [ResponseCacheKey] {
        var keys: [ResponseCacheKey] = []
        var cursor = head
        while cursor >= 0, let slot = slots[cursor] {
            keys.append(slot.key)
            cursor = slot.next
        }
        return keys
    }

    private mutating func evictTail(now: PolicyInstant, reason: WritableKeyPath<ResponseCacheCounters, Int>) {
        guard tail >= 0, let slot = slots[tail] else { return }
        if slot.expires <= now { counters.evictedExpired += 1 } else { counters[keyPath: reason] += 1 }
        remove(tail)
    }

    private mutating func remove(_ slotIndex: Int) {
        guard let slot = slots[slotIndex] else { return }
        unlink(slotIndex)
        index[slot.key] = nil
        byteCount -= slot.bytes
        slots[slotIndex] = nil
        freeSlots.append(slotIndex)
    }

    private mutating func unlink(_ slotIndex: Int) {
        guard let slot = slots[slotIndex] else { return }
        if slot.previous >= 0 { slots[slot.previous]!.next = slot.next } else { head = slot.next }
        if slot.next >= 0 { slots[slot.next]!.previous = slot.previous } else { tail = slot.previous }
        slots[slotIndex]!.previous = -1
        slots[slotIndex]!.next = -1
    }

    private mutating func linkAtFront(_ slotIndex: Int) {
        slots[slotIndex]!.previous = -1
        slots[slotIndex]!.next = head
        if head >= 0 { slots[head]!.previous = slotIndex }
        head = slotIndex
        if tail < 0 { tail = slotIndex }
    }

    private mutating func moveToFront(_ slotIndex: Int) {
        guard head != slotIndex else { return }
        unlink(slotIndex)
        linkAtFront(slotIndex)
    }
}
