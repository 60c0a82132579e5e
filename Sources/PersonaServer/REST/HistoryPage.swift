import PersonaRuntime

/// One page of a stored transcript, as `GET /v1/sessions/{id}/messages?after=SEQ&limit=N`
/// returns it: the turns with `seq` greater than `after`, oldest first, at most `limit`, and
/// whether more follow (the client asks again with `after` = the last `seq`). Pure.
struct HistoryPage: Equatable {
    /// The page's turns.
    let turns: [StoredTurn]
    /// Whether turns after the last one exist.
    let hasMore: Bool

    /// Cuts a page out of `turns` (stored in `seq` order).
    init(_ turns: [StoredTurn], after: Int, limit: Int) {
        // Turns are in seq order: find the first one after `after` by bisection.
        var low = 0
        var high = turns.count
        while low < high {
            let middle = (low + high) / 2
            if turns[middle].seq <= after { low = middle + 1 } else { high = middle }
        }
        let end = min(turns.count, low + max(0, limit))
        self.turns = Array(turns[low..<end])
        self.hasMore = end < turns.count
    }

    /// The `after` of the next page, or `nil` when the page is empty.
    var nextAfter: Int? { turns.last?.seq }
}
