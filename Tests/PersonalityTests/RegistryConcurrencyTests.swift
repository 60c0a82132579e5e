import Diagnostics
import Dispatch
import Personality
import Synchronization
import Testing

@Suite("Registry: atomic snapshots under concurrent reloads")
struct RegistryConcurrencyTests {
    /// A snapshot of `count` personalities whose every name carries `generation`, so a reader
    /// can tell whether all it sees belongs to one snapshot.
    static func snapshot(generation: Int, count: Int = 20) -> RegistrySnapshot {
        let files = (0..<count).map { index in
            SourceFile(name: "p\(index).yaml", text: """
                id: p\(index)
                name: "gen \(generation)"
                description: d
                engine: script
                script: { reply: "\(generation)" }
                """)
        }
        return RegistryBuilder.testing.build(files).snapshot!
    }

    /// Counters shared between the writer and the readers.
    final class Tally: Sendable {
        let reads = Atomic<Int>(0)
        let mixedReads = Atomic<Int>(0)
        let readersDone = Atomic<Int>(0)
    }

    @Test("readers on many threads never see a mix of two snapshots while another thread swaps")
    func readersNeverSeeAMix() {
        let generations = (0..<8).map { Self.snapshot(generation: $0) }
        let registry = Registry(generations[0])
        let tally = Tally()
        // Lane 0 swaps snapshots until lanes 1...4 have each read 5,000 times.
        DispatchQueue.concurrentPerform(iterations: 5) { lane in
            if lane == 0 {
                var round = 0
                while tally.readersDone.load(ordering: .acquiring) < 4 {
                    round += 1
                    registry.replace(with: generations[round % generations.count])
                }
                return
            }
            for _ in 0..<5_000 {
                let snapshot = registry.current
                let names = Set(snapshot.personalities.map(\.name))
                if names.count != 1 || snapshot.personalities.count != 20 {
                    tally.mixedReads.add(1, ordering: .relaxed)
                }
                tally.reads.add(1, ordering: .relaxed)
            }
            tally.readersDone.add(1, ordering: .releasing)
        }
        #expect(tally.reads.load(ordering: .relaxed) == 20_000)
        #expect(tally.mixedReads.load(ordering: .relaxed) == 0)
    }

    @Test("a failed build keeps the current snapshot and returns every error")
    func failedBuildKeepsCurrent() {
        let good = Self.snapshot(generation: 1)
        let registry = Registry(good)
        let broken = RegistryBuilder.testing.build([
            SourceFile(name: "a.yaml", text: "id: A\n"), SourceFile(name: "b.yaml", text: "id: b\nname: [\n"),
        ])
        guard case .rejected(let diagnostics) = registry.apply(broken) else {
            Issue.record("a broken build replaced the snapshot")
            return
        }
        #expect(diagnostics.filter { $0.severity == .error }.count >= 2)
        #expect(registry.current === good)
    }

    @Test("a successful build replaces the snapshot and returns the old one")
    func successfulBuildReplaces() {
        let registry = Registry(Self.snapshot(generation: 1))
        let next = RegistryBuilder.testing.build([SourceFile(name: "p.yaml", text: personalityYAML())])
        guard case .replaced(let old, let new, _) = registry.apply(next) else {
            Issue.record("a valid build was rejected")
            return
        }
        #expect(old.personalities.count == 20)
        #expect(new.ids == ["captain"])
        #expect(registry.current === new)
    }
}
