import CLI
import Dispatch
import Foundation
import HTTPServer
import Reactor
import Synchronization

/// Runs one `persona bench chat`: connect and start every session, send for the measured
/// period, close. Every phase waits with a deadline, so the run always ends by itself.
enum BenchChatRun {
    static func run(_ options: BenchChatOptions, progress: TextOutput?) throws -> BenchChatReport {
        let group = try EventLoopGroup(loops: options.loops)
        defer { group.shutdown() }
        let counters = BenchChatCounters()
        let workers = group.loops.map {
            LoopBound(BenchChatWorker(loop: $0, options: options, counters: counters), loop: $0)
        }
        let sources: [SocketAddress?] =
            options.sourceAddresses <= 1
            ? [nil] : (0..<options.sourceAddresses).map { .v4(host: "127.0.0.\(10 + $0)", port: 0) }
        var plans = Array(repeating: [SocketAddress?](), count: workers.count)
        var firstIndex = Array(repeating: 0, count: workers.count)
        let perWorker = (options.sessions + workers.count - 1) / workers.count
        for index in 0..<options.sessions {
            let worker = index / perWorker
            if plans[worker].isEmpty { firstIndex[worker] = index }
            plans[worker].append(sources[index % sources.count])
        }

        // Connect and start sessions. Random sessions may wait out the matchmaking timeout.
        let started = DispatchTime.now()
        let ready = DispatchSemaphore(value: 0)
        for (offset, worker) in workers.enumerated() {
            let plan = plans[offset]
            let first = firstIndex[offset]
            worker.loop.execute { worker.value.connect(sources: plan, firstIndex: first) { ready.signal() } }
        }
        let connectBudget = DispatchTime.now() + .seconds(60 + options.sessions / 200)
        var connectTimedOut = false
        for _ in workers {
            while ready.wait(timeout: .now() + 1) == .timedOut {
                show(progress, counters, options, "starting sessions")
                if DispatchTime.now() >= connectBudget { connectTimedOut = true }
                if connectTimedOut { break }
            }
            if connectTimedOut { break }
        }
        let startSeconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        let rssAfterStart = options.serverPID.flatMap { BenchEchoReport.residentKiB(pid: $0) }

        // Measure.
        let cpuBefore = options.serverPID.flatMap { BenchEchoReport.cpuSeconds(pid: $0) }
        let clockStart = MonotonicClock().now()
        let deadline =
            options.messages == nil ? clockStart.advanced(by: options.duration).nanoseconds : UInt64.max
        let total = options.messages ?? Int.max
        let finished = DispatchSemaphore(value: 0)
        for (index, worker) in workers.enumerated() {
            let share =
                total == Int.max ? Int.max : total / workers.count + (index < total % workers.count ? 1 : 0)
            worker.loop.execute { worker.value.measure(until: deadline, budget: share) { finished.signal() } }
        }
        let hardLimit: Duration = options.messages == nil ? options.duration + .seconds(30) : .seconds(600)
        let giveUp =
            DispatchTime.now() + .nanoseconds(Int(clamping: hardLimit.components.seconds * 1_000_000_000))
        var done = 0
        var measureTimedOut = false
        while done < workers.count {
            if finished.wait(timeout: .now() + 1) == .success {
                done += 1
                continue
            }
            show(progress, counters, options, "chatting")
            if DispatchTime.now() >= giveUp {
                measureTimedOut = true
                break
            }
        }
        let cpuAfter = options.serverPID.flatMap { BenchEchoReport.cpuSeconds(pid: $0) }
        let rssAtEnd = options.serverPID.flatMap { BenchEchoReport.residentKiB(pid: $0) }

        // Close.
        let closed = DispatchSemaphore(value: 0)
        for worker in workers { worker.loop.execute { worker.value.closeAll { closed.signal() } } }
        for _ in workers { _ = closed.wait(timeout: .now() + 10) }
        if progress != nil { progress?.write("\r\u{1B}[K") }

        // Collect on each loop.
        var report = BenchChatReport(options: options)
        report.startSeconds = startSeconds
        report.serverRSSAfterStartKiB = rssAfterStart
        report.serverRSSAtEndKiB = rssAtEnd
        report.serverCPUSeconds = cpuBefore.flatMap { before in cpuAfter.map { $0 - before } }
        let collected = Mutex(report)
        let gathered = DispatchSemaphore(value: 0)
        for worker in workers {
            worker.loop.execute {
                let w = worker.value
                collected.withLock { r in
                    r.connectionsOpened += w.connectionsOpened
                    r.sessionsStarted += w.sessionsStarted
                    r.humanSessions += w.humanSessions
                    r.sent += w.sent
                    r.replies += w.replies
                    r.tokens += w.tokens
                    r.relayed += w.relayed
                    r.firstToken.merge(w.firstToken)
                    r.fullReply.merge(w.fullReply)
                    r.sessionStart.merge(w.sessionStart)
                    for (code, count) in w.errorsByCode { r.errorsByCode[code, default: 0] += count }
                    if w.lastReply > clockStart.nanoseconds {
                        r.measuredSeconds = max(
                            r.measuredSeconds, Double(w.lastReply - clockStart.nanoseconds) / 1e9)
                    }
                }
                gathered.signal()
            }
        }
        for _ in workers { _ = gathered.wait(timeout: .now() + 10) }
        report = collected.withLock { $0 }
        if connectTimedOut { report.errorsByCode["start_phase_timeout", default: 0] += 1 }
        if measureTimedOut { report.errorsByCode["measure_phase_timeout", default: 0] += 1 }
        if options.messages == nil {
            report.measuredSeconds =
                Double(options.duration.components.seconds)
                + Double(options.duration.components.attoseconds) / 1e18
        }
        return report
    }

    private static func show(
        _ progress: TextOutput?, _ counters: BenchChatCounters, _ options: BenchChatOptions, _ phase: String
    ) {
        guard let progress else { return }
        progress.write(
            "\r\u{1B}[K\(phase): \(counters.sessions.load(ordering: .relaxed))/\(options.sessions) sessions, "
                + "\(counters.replies.load(ordering: .relaxed)) replies, \(counters.tokens.load(ordering: .relaxed)) tokens, "
                + "\(counters.errors.load(ordering: .relaxed)) errors")
    }
}
