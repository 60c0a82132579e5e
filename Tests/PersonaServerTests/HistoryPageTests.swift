import PersonaRuntime
import Testing

@testable import PersonaServer

@Suite("REST history pages cut from a stored transcript")
struct HistoryPageTests {
    /// Turns with the given seqs (stores may have gaps: a refused message leaves none).
    static func turns(_ seqs: [Int]) -> [StoredTurn] {
        seqs.map {
            StoredTurn(
                session: "s0-1-1", seq: $0, role: $0 % 2 == 1 ? .user : .bot, text: "t\($0)",
                atMilliseconds: 0)
        }
    }

    @Test(
        "a page holds the turns after `after`, at most `limit`, and says whether more follow",
        arguments: [
            (after: 0, limit: 3, seqs: [1, 2, 3], more: true),
            (after: 3, limit: 3, seqs: [4, 5, 7], more: true),
            (after: 7, limit: 3, seqs: [8], more: false),
            (after: 8, limit: 3, seqs: [], more: false),
            (after: 100, limit: 3, seqs: [], more: false),
            (after: 5, limit: 1, seqs: [7], more: true),
            (after: 6, limit: 2, seqs: [7, 8], more: false),
            (after: 0, limit: 7, seqs: [1, 2, 3, 4, 5, 7, 8], more: false),
            (after: 0, limit: 6, seqs: [1, 2, 3, 4, 5, 7], more: true),
        ])
    func page(after: Int, limit: Int, seqs: [Int], more: Bool) {
        let page = HistoryPage(Self.turns([1, 2, 3, 4, 5, 7, 8]), after: after, limit: limit)
        #expect(page.turns.map(\.seq) == seqs)
        #expect(page.hasMore == more)
        #expect(page.nextAfter == seqs.last)
    }

    @Test("walking pages with next_after visits every turn once, in order, for every page size")
    func walk() {
        let all = Self.turns(Array(1...23) + [25, 30])
        for limit in 1...26 {
            var after = 0
            var seen: [Int] = []
            var pages = 0
            while true {
                let page = HistoryPage(all, after: after, limit: limit)
                seen += page.turns.map(\.seq)
                pages += 1
                guard page.hasMore, let next = page.nextAfter else { break }
                after = next
            }
            #expect(seen == all.map(\.seq), "limit \(limit)")
            #expect(pages == max(1, (all.count + limit - 1) / limit), "limit \(limit)")
        }
    }

    @Test("an empty transcript is one empty page")
    func empty() {
        let page = HistoryPage([], after: 0, limit: 100)
        #expect(page.turns.isEmpty && !page.hasMore && page.nextAfter == nil)
    }
}
