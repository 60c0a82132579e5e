/// Shrinks a failing action list to a small one that still fails (delta debugging: remove
/// chunks, halving their size until single actions are tried), within a budget of reruns.
public enum ChaosShrinker {
    /// The smallest sub-list of `actions` found for which `fails` holds (`fails(actions)` must).
    public static func shrink<Action>(
        _ actions: [Action], budget: Int = 400, fails: ([Action]) -> Bool
    ) -> [Action] {
        var current = actions
        var chunks = 2
        var runs = 0
        while current.count > 1, runs < budget {
            let size = (current.count + chunks - 1) / chunks
            var reduced = false
            var start = 0
            while start < current.count, runs < budget {
                var candidate = current
                candidate.removeSubrange(start..<min(start + size, current.count))
                runs += 1
                if fails(candidate) {
                    current = candidate
                    reduced = true
                } else {
                    start += size
                }
            }
            if reduced {
                chunks = max(2, chunks - 1)
            } else if size == 1 {
                break
            } else {
                chunks = min(current.count, chunks * 2)
            }
        }
        return current
    }
}
