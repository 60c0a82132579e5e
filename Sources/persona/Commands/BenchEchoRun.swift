import CLI
import Dispatch
import Foundation
import HTTPServer
import Reactor
import Synchronization

/// Runs one `persona bench echo`: connect phase, measured exchange, close; always bounded in
/// time (every wait has a deadline) and in count.
enum BenchEchoRun {
    /// Runs the benchmark; `progress` (when given) gets a `\r`-rewritten status line each second.
    static func run(_ options: BenchEchoOptions, progress: TextOutput?) throws -> BenchEchoReport {
        let group = try EventLoopGroup(loops: options.loops)
        defer { group.shutdown() }
        let counters = BenchCounters()
        let workers = group.loops.map { loop in
            LoopBound(BenchEchoWorker(loop: loop, options: options, counters: counters), loop: loop)
        }

        // Sources: 127.0.0.10, .11, ... so each source has its own ephemeral port range.
        let sources: [SocketAddress?] =
            options.sourceAddresses <= 1
            ? [nil] : (0..<options.sourceAddresses).map { .v4(host: "127.0.0.\(10 + $0)", port: 0) }
        var assignments = Array(repeating: [SocketAddress?](), count: workers.count)
        for index in 0..<options.connections {
            assignments[index % workers.count].append(sources[index % sources.count])
        }

        let connectStart = DispatchTime.now()
        let connected = DispatchSemaphore(value: 0)
        for (worker, plan) in zip(workers, assignments) {
            worker.loop.execute { worker.value.connect(sources: plan) { connected.signal() } }
        }
        let connectBudget = DispatchTime.now() + .seconds(30 + options.connections / 500)
        var connectTimedOut = false
        for _ in workers {
            while connected.wait(timeout: .now() + 1) == .timedOut {
                report(progress, counters, options, phase: "connecting")
                if DispatchTime.now() >= connectBudget {
                    connectTimedOut = true
                    break
                }
            }
            if connectTimedOut { break }
        }
        let connectFailed = connectTimedOut
        let connectSeconds =
            Double(DispatchTime.now().uptimeNanoseconds - connectStart.uptimeNanoseconds) / 1e9
        let rssAfterConnect = options.serverPID.flatMap { BenchEchoReport.residentKiB(pid: $0) }

        let finished = DispatchSemaphore(value: 0)
        let cpuBefore = options.serverPID.flatMap { BenchEchoReport.cpuSeconds(pid: $0) }
        let clockStart = MonotonicClock().now()
        let measureDeadline =
            options.messages == nil
            ? clockStart.advanced(by: options.duration) : MonotonicInstant(nanoseconds: .max)
        let total = options.messages ?? Int.max
        for (index, worker) in workers.enumerated() {
            let share =
                total == Int.max ? Int.max : total / workers.count + (index < total % workers.count ? 1 : 0)
            worker.loop.execute {
                if connectFailed {
                    worker.value.stop { finished.signal() }
                } else {
                    worker.value.measure(until: measureDeadline, budget: share) { finished.signal() }
                }
            }
        }
        let hardLimit: Duration = options.messages == nil ? options.duration + .seconds(20) : .seconds(600)
        let giveUp = DispatchTime.now() + .nanoseconds(Int(hardLimit.nanosecondsClamped))
        var finishedCount = 0
        while finishedCount < workers.count {
            if finished.wait(timeout: .now() + 1) == .success {
                finishedCount += 1
                continue
            }
            report(progress, counters, options, phase: "measuring")
            if DispatchTime.now() >= giveUp {
                for worker in workers { worker.loop.execute { worker.value.closeAll() } }
                // Closing is itself bounded by the workers' 5 s abort timer.
                while finishedCount < workers.count, finished.wait(timeout: .now() + 10) == .success {
                    finishedCount += 1
                }
                break
            }
        }
        let cpuAfter = options.serverPID.flatMap { BenchEchoReport.cpuSeconds(pid: $0) }
        if progress != nil { progress?.write("\r\u{1B}[K") }

        // Collect.
        let collected = Mutex(
            (
                rtt: BenchLatencyHistogram(), connect: BenchLatencyHistogram(), received: 0, errors: 0,
                samples: [String](),
                last: UInt64(0), opened: 0
            ))
        let gathered = DispatchSemaphore(value: 0)
        for worker in workers {
            worker.loop.execute {
                let w = worker.value
                collected.withLock {
                    $0.rtt.merge(w.roundTrips)
                    $0.connect.merge(w.connectTimes)
                    $0.received += w.receivedCount
                    $0.errors += w.errorCount
                    $0.samples += w.errorSamples
                    $0.last = max($0.last, w.lastReceive)
                    $0.opened += Int(w.connectTimes.count)
                }
                gathered.signal()
            }
        }
        for _ in workers { _ = gathered.wait(timeout: .now() + 10) }
        let result = collected.withLock { $0 }
        let measured =
            result.last > clockStart.nanoseconds ? Double(result.last - clockStart.nanoseconds) / 1e9 : 0
        var errors = result.errors
        var samples = Array(result.samples.prefix(5))
        if connectTimedOut {
            errors += 1
            samples.insert("connect phase did not finish in time", at: 0)
        }
        return BenchEchoReport(
            connectionsRequested: options.connections, connectionsOpened: result.opened,
            connectPhaseSeconds: connectSeconds, connectTimes: result.connect, messages: result.received,
            measuredSeconds: measured, roundTrips: result.rtt, errors: errors, errorSamples: samples,
            serverRSSAfterConnectKiB: rssAfterConnect,
            serverRSSAtEndKiB: options.serverPID.flatMap { BenchEchoReport.residentKiB(pid: $0) },
            size: options.size, inFlight: options.inFlight,
            serverCPUSeconds: cpuBefore.flatMap { before in cpuAfter.map { $0 - before } })
    }

    private static func report(
        _ progress: TextOutput?, _ counters: BenchCounters, _ options: BenchEchoOptions, phase: String
    ) {
        guard let progress else { return }
        progress.write(
            "\r\u{1B}[K\(phase): \(counters.connected.load(ordering: .relaxed))/\(options.connections) connected, "
                + "\(counters.received.load(ordering: .relaxed)) echoes, \(counters.errors.load(ordering: .relaxed)) errors"
        )
    }
}
