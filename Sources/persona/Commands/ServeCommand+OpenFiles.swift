#if canImport(Glibc)
    import Glibc
#endif

extension ServeCommand {
    /// Raises this process's soft open-file limit to its hard limit, as servers that hold many
    /// connections do (nginx's `worker_rlimit_nofile`): many systems start processes at a soft
    /// limit of 1,024, which a chat server with a thousand clients would hit, while the hard
    /// limit the administrator allows is far higher. Returns the limit now in force.
    @discardableResult
    static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }
}
