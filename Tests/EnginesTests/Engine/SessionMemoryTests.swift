@testable import Engines
import Testing

@Suite("An engine's session memory")
struct SessionMemoryTests {
    @Test("keeps exactly its capacity of exchanges, forgetting the oldest one past it")
    func capacity() {
        var memory = SessionMemory<Int>(seed: 7, capacity: 3)
        for exchange in 1...3 { memory.remember(exchange) }
        #expect(memory.history == [1, 2, 3])
        memory.remember(4)
        #expect(memory.history == [2, 3, 4])
    }

    @Test("picks indexes in range, the same ones for the same seed and different ones for another")
    func picks() {
        var first = SessionMemory<Int>(seed: 42, capacity: 1)
        var second = SessionMemory<Int>(seed: 42, capacity: 1)
        var other = SessionMemory<Int>(seed: 44, capacity: 1)
        let a = (0..<64).map { _ in first.pick(5) }
        let b = (0..<64).map { _ in second.pick(5) }
        let c = (0..<64).map { _ in other.pick(5) }
        #expect(a == b)
        #expect(a != c)
        #expect(a.allSatisfy { (0..<5).contains($0) })
        #expect(Set(a).count == 5, "every line gets picked over 64 draws")
        #expect(first.pick(0) == 0 && first.pick(1) == 0)
    }
}
