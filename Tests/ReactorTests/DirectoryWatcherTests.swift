import Foundation
import PersonaTestSupport
import Reactor
import Testing

/// Holds the watcher for the test; touched only on the loop's thread.
private final class WatcherSlot: @unchecked Sendable {
    var watcher: DirectoryWatcher?
}

@Suite("Directory watcher: inotify on the loop, debounced with a manual clock")
struct DirectoryWatcherTests {
    /// A fresh directory under the temporary directory.
    private func makeDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "persona-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Waits (with a deadline) until the loop has read the kernel's events for what the test did.
    private func waitForPending(_ slot: WatcherSlot, on loop: EventLoop, expected: Bool = true) -> Bool {
        for _ in 0..<2_000 {
            let probe = Waiter()
            let pending = Shared(false)
            loop.execute {
                pending.update { $0 = slot.watcher?.hasPendingChange ?? false }
                probe.signal()
            }
            guard probe.wait() else { return false }
            if pending.value == expected { return true }
            usleep(1_000)
        }
        return false
    }

    @Test("an editor's save-rename dance in a subdirectory gives one change; swap files give none")
    func editorDance() throws {
        let root = try makeDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let sub = root.appendingPathComponent("team")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let file = sub.appendingPathComponent("captain.yaml")
        try Data("id: captain\n".utf8).write(to: file)

        let clock = ManualClock()
        let group = try EventLoopGroup(loops: 1, clock: clock)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let changes = Shared(0)
        let changed = Waiter()
        let watcher = WatcherSlot()
        let created = Shared(false)
        let started = Waiter()
        loop.execute {
            let made = try? DirectoryWatcher(root: root.path, loop: loop) {
                changes.update { $0 += 1 }
                changed.signal()
            }
            watcher.watcher = made
            created.update { $0 = made != nil }
            started.signal()
        }
        #expect(started.wait())
        #expect(created.value)

        // Swap and backup files alone are not changes.
        try Data("swap".utf8).write(to: sub.appendingPathComponent(".captain.yaml.swp"))
        try Data("tilde".utf8).write(to: sub.appendingPathComponent("captain.yaml~"))

        // vim's dance: rename the original away, write the new file, delete the backup.
        let backup = sub.appendingPathComponent("captain.yaml~~")
        try FileManager.default.moveItem(at: file, to: backup)
        try Data("id: captain\nname: New\n".utf8).write(to: file)
        try FileManager.default.removeItem(at: backup)
        #expect(waitForPending(watcher, on: loop))

        clock.advance(by: .milliseconds(250))
        loop.execute {}  // wake the loop so it re-reads the clock
        #expect(changed.wait())
        #expect(waitForPending(watcher, on: loop, expected: false))
        #expect(changes.value == 1)

        // A new subdirectory is watched too: a file written in it is a second change.
        let fresh = root.appendingPathComponent("new")
        try FileManager.default.createDirectory(at: fresh, withIntermediateDirectories: true)
        #expect(waitForPending(watcher, on: loop))
        clock.advance(by: .milliseconds(250))
        loop.execute {}
        #expect(changed.wait())
        try Data("id: x\n".utf8).write(to: fresh.appendingPathComponent("x.yaml"))
        #expect(waitForPending(watcher, on: loop))
        clock.advance(by: .milliseconds(250))
        loop.execute {}
        #expect(changed.wait())
        #expect(changes.value == 3)
        let closed = Waiter()
        loop.execute {
            watcher.watcher?.close()
            closed.signal()
        }
        #expect(closed.wait())
    }

    @Test("watches at most maxWatches directories and reports the limit once", arguments: [3, 2])
    func watchLimit(limit: Int) throws {
        let root = try makeDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["a", "b"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let watched = Shared(0)
        let problems = Shared<[String]>([])
        let done = Waiter()
        loop.execute {
            let watcher = try? DirectoryWatcher(
                root: root.path, loop: loop, configuration: .init(maxWatches: limit),
                onError: { message in problems.update { $0.append(message) } }
            ) {}
            watched.update { $0 = watcher?.watchedDirectoryCount ?? -1 }
            watcher?.close()
            done.signal()
        }
        #expect(done.wait())
        // Three directories (root, a, b): a limit of 3 watches all; 2 (one under) watches two
        // and says so once.
        #expect(watched.value == min(limit, 3))
        #expect(problems.value.count == (limit < 3 ? 1 : 0), "\(problems.value)")
    }

    @Test("a missing root is an error naming inotify_add_watch")
    func missingRoot() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let failure = Shared<String?>(nil)
        let done = Waiter()
        loop.execute {
            do {
                _ = try DirectoryWatcher(root: "/nonexistent/persona-\(UUID().uuidString)", loop: loop) {}
            } catch {
                failure.update { $0 = "\(error)" }
            }
            done.signal()
        }
        #expect(done.wait())
        #expect(failure.value?.contains("inotify_add_watch") == true)
    }

    @Test("decodes inotify records, ignoring a truncated tail")
    func decode() {
        var bytes: [UInt8] = []
        func append(_ watch: Int32, _ mask: UInt32, _ name: String, padTo: Int) {
            withUnsafeBytes(of: watch) { bytes += $0 }
            withUnsafeBytes(of: mask) { bytes += $0 }
            withUnsafeBytes(of: UInt32(7)) { bytes += $0 }
            withUnsafeBytes(of: UInt32(padTo)) { bytes += $0 }
            bytes += Array(name.utf8) + Array(repeating: 0, count: padTo - name.utf8.count)
        }
        append(1, 0x100, "a.yaml", padTo: 16)
        append(2, 0x200, "", padTo: 0)
        let whole = bytes
        bytes += [1, 2, 3]
        let events = bytes.withUnsafeBytes { InotifyEvent.decode($0) }
        #expect(
            events == [
                InotifyEvent(watch: 1, mask: 0x100, cookie: 7, name: "a.yaml"),
                InotifyEvent(watch: 2, mask: 0x200, cookie: 7, name: ""),
            ])
        #expect(whole.withUnsafeBytes { InotifyEvent.decode($0) } == events)
    }
}
