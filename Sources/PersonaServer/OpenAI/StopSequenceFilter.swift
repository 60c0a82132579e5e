/// Applies OpenAI's `stop` to a stream of text deltas: text is released as it arrives except a
/// tail that could still become a stop sequence, which is held back until it either completes
/// one (then everything from the stop sequence on is dropped and ``isStopped`` turns true) or
/// can no longer (then it is released with the next delta). So a stop sequence split across
/// tokens is still caught, and none of it reaches the client.
///
/// Works on UTF-8 bytes; stop sequences are whole strings, so held-back tails start on a
/// character boundary and every released piece is valid UTF-8.
struct StopSequenceFilter: Sendable {
    private let stops: [[UInt8]]
    private var pending: [UInt8] = []
    /// A stop sequence was found; the reply should end here.
    private(set) var isStopped = false

    /// A filter for `stops` (empty strings are ignored).
    init(stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    /// Whether any stop sequence is set (without one, deltas pass straight through).
    var isActive: Bool { !stops.isEmpty }

    /// Takes the next delta; returns the text that may be sent now (possibly empty).
    mutating func feed(_ delta: String) -> String {
        guard !isStopped else { return "" }
        guard isActive else { return delta }
        pending.append(contentsOf: delta.utf8)
        if let cut = earliestStop() {
            isStopped = true
            let released = String(decoding: pending[..<cut], as: UTF8.self)
            pending.removeAll()
            return released
        }
        let keep = longestPartialStop()
        let releasedCount = pending.count - keep
        let released = String(decoding: pending[..<releasedCount], as: UTF8.self)
        pending.removeFirst(releasedCount)
        return released
    }

    /// The stream ended without a stop sequence: the held-back tail is ordinary text.
    mutating func finish() -> String {
        defer { pending.removeAll() }
        return isStopped ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// Offset of the first stop sequence in `pending`, if any.
    private func earliestStop() -> Int? {
        var best: Int?
        for stop in stops where stop.count <= pending.count {
            var start = 0
            while start + stop.count <= pending.count, start < (best ?? .max) {
                if pending[start..<(start + stop.count)].elementsEqual(stop) {
                    best = start
                    break
                }
                start += 1
            }
        }
        return best
    }

    /// Length of the longest tail of `pending` that is a proper prefix of some stop sequence.
    private func longestPartialStop() -> Int {
        var longest = 0
        for stop in stops {
            var length = min(stop.count - 1, pending.count)
            while length > longest {
                if pending[(pending.count - length)...].elementsEqual(stop[..<length]) {
                    longest = length
                    break
                }
                length -= 1
            }
        }
        return longest
    }
}
