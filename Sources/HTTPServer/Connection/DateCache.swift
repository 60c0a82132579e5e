import HTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// The `Date` header value, formatted once per second per loop rather than per response.
/// Loop-confined (one per loop), so it needs no lock.
final class DateCache {
    private var second: Int = -1
    private var formatted = ""

    /// The current IMF-fixdate.
    var current: String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let now = Int(spec.tv_sec)
        if now != second {
            second = now
            formatted = HTTPDate.imfFixdate(secondsSince1970: Int64(now))
        }
        return formatted
    }
}
