import Dispatch
import Reactor

#if canImport(Glibc)
    import Glibc
#endif

/// Turns an upstream host into an address without blocking a loop: IP literals and
/// `localhost` directly, names with `getaddrinfo(3)` on a background queue (it blocks), the
/// answer delivered back on the loop. The Redis client uses it too.
package enum HostResolver {
    /// Resolves `host` for `port`; `completion` runs on `loop`, never synchronously.
    package static func resolve(
        _ host: String, port: Int, on loop: EventLoop,
        _ completion: @escaping (Result<SocketAddress, UpstreamError>) -> Void
    ) {
        if let address = try? SocketAddress(host: host == "localhost" ? "127.0.0.1" : host, port: port) {
            loop.executeOnLoop { completion(.success(address)) }
            return
        }
        let bound = LoopBound(completion, loop: loop)
        DispatchQueue.global().async {
            let result = lookUp(host, port: port)
            loop.execute { bound.value(result) }
        }
    }

    private static func lookUp(_ host: String, port: Int) -> Result<SocketAddress, UpstreamError> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            return .failure(.resolve("'\(host)': \(String(cString: gai_strerror(status)))"))
        }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let address = current.pointee.ai_addr {
                var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
                let family = current.pointee.ai_family
                let pointer: UnsafeRawPointer? =
                    family == AF_INET
                    ? UnsafeRawPointer(address).assumingMemoryBound(to: sockaddr_in.self).pointer(
                        to: \.sin_addr).map(UnsafeRawPointer.init)
                    : family == AF_INET6
                        ? UnsafeRawPointer(address).assumingMemoryBound(to: sockaddr_in6.self).pointer(
                            to: \.sin6_addr).map(UnsafeRawPointer.init) : nil
                if let pointer, inet_ntop(family, pointer, &text, socklen_t(text.count)) != nil {
                    let numeric = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    if let resolved = try? SocketAddress(host: numeric, port: port) { return .success(resolved) }
                }
            }
            entry = current.pointee.ai_next
        }
        return .failure(.resolve("'\(host)': no usable address"))
    }
}
