#if canImport(Glibc)
    import Glibc
#endif

/// CPU time this process has used (user + system, all threads), for benchmarks that must stay
/// meaningful while other work shares the machine: wall time grows with contention, CPU time
/// does not.
enum ProcessCPUTime {
    /// Milliseconds of CPU used so far.
    static func milliseconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let user = Double(usage.ru_utime.tv_sec) * 1_000 + Double(usage.ru_utime.tv_usec) / 1_000
        let system = Double(usage.ru_stime.tv_sec) * 1_000 + Double(usage.ru_stime.tv_usec) / 1_000
        return user + system
    }
}
