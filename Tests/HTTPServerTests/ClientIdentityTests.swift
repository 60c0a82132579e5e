import HTTP1
import HTTPServer
import PersonaTestSupport
import Reactor
import Testing

@Suite("Client identity behind trusted proxies")
struct ClientIdentityTests {
    let proxies = TrustedProxies([IPNetwork("10.0.0.0/8")!, IPNetwork("fd00::/8")!, IPNetwork("127.0.0.1")!])
    let fromProxy = try! SocketAddress(host: "10.1.2.3", port: 40_000)
    let fromStranger = try! SocketAddress(host: "198.51.100.9", port: 40_000)

    func client(_ peer: SocketAddress, _ fields: [(String, String)]) -> String? {
        var headers = HTTPHeaders()
        for (name, value) in fields { headers.add(name: name, value: value) }
        return proxies.client(peer: peer, headers: headers)?.host
    }

    @Test("parses CIDR networks and matches addresses by prefix, IPv4-mapped IPv6 included")
    func networks() throws {
        let network = try #require(IPNetwork("192.168.4.0/22"))
        #expect(network.contains(IPNetwork.addressBytes("192.168.7.255")!))
        #expect(!network.contains(IPNetwork.addressBytes("192.168.8.0")!))
        #expect(network.contains(IPNetwork.addressBytes("::ffff:192.168.5.1")!))
        #expect(IPNetwork("fd00::/8")!.contains(IPNetwork.addressBytes("fd12::1")!))
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(IPNetwork("10.0.0/8") == nil)
        #expect(IPNetwork("::1/129") == nil)
        #expect(IPNetwork("0.0.0.0/0")!.contains(IPNetwork.addressBytes("8.8.8.8")!))
        if case .failure(let error) = TrustedProxies.parse("10.0.0.0/8, nonsense") {
            #expect(error.text == "nonsense")
        } else {
            Issue.record("a bad CIDR was accepted")
        }
        #expect((try? TrustedProxies.parse(" 10.0.0.0/8 ,::1 ").get())?.networks.count == 2)
    }

    @Test("takes the rightmost untrusted hop of X-Forwarded-For from a trusted peer")
    func xForwardedFor() {
        #expect(client(fromProxy, [("X-Forwarded-For", "203.0.113.5")]) == "203.0.113.5")
        // The client prepended a forged hop; the proxies appended the real one and themselves.
        #expect(client(fromProxy, [("X-Forwarded-For", "6.6.6.6, 203.0.113.5, 10.9.9.9")]) == "203.0.113.5")
        #expect(client(fromProxy, [("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", "203.0.113.5")]) == "203.0.113.5")
        // Every hop trusted: the leftmost is the client.
        #expect(client(fromProxy, [("X-Forwarded-For", "10.0.0.7, 10.0.0.8")]) == "10.0.0.7")
        // Garbage ends the walk at the last trusted hop, never at something the sender chose.
        #expect(client(fromProxy, [("X-Forwarded-For", "203.0.113.5, garbage")]) == "10.1.2.3")
        #expect(client(fromProxy, [("X-Forwarded-For", "2001:db8::7")]) == "2001:db8::7")
        #expect(client(fromProxy, []) == "10.1.2.3")
    }

    @Test("prefers Forwarded (RFC 7239) with quoted IPv6 and ports")
    func forwarded() {
        #expect(
            client(fromProxy, [("Forwarded", #"for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https"#)])
                == "2001:db8:cafe::17")
        #expect(
            client(fromProxy, [("Forwarded", "for=192.0.2.60:8080;by=10.0.0.1"), ("X-Forwarded-For", "6.6.6.6")])
                == "192.0.2.60")
        #expect(client(fromProxy, [("Forwarded", "for=unknown")]) == "10.1.2.3")
        #expect(client(fromProxy, [("Forwarded", "for=_hidden, for=203.0.113.1")]) == "203.0.113.1")
    }

    @Test("ignores forwarded headers from a peer that is not a trusted proxy")
    func untrustedPeerIgnored() {
        #expect(client(fromStranger, [("X-Forwarded-For", "203.0.113.5")]) == "198.51.100.9")
        #expect(client(fromStranger, [("Forwarded", "for=203.0.113.5")]) == "198.51.100.9")
        #expect(TrustedProxies().client(peer: fromProxy, headers: ["X-Forwarded-For": "1.2.3.4"])?.host == "10.1.2.3")
    }

    @Test("a live server honours X-Forwarded-For from a trusted loopback proxy")
    func liveTrusted() throws {
        let server = try TestServer { $0.trustedProxies = TrustedProxies([IPNetwork("127.0.0.0/8")!]) }
        let client = server.client()
        let reader = ResponseReader(client)
        client.send("GET /whoami HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 6.6.6.6, 203.0.113.9\r\n\r\n")
        #expect(reader.next()?.bodyText == "203.0.113.9")
        client.send("GET /whoami HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(reader.next()?.bodyText == "127.0.0.1")
    }

    @Test("a live server ignores a spoofed X-Forwarded-For when its peer is not trusted")
    func liveSpoofIgnored() throws {
        let server = try TestServer { $0.trustedProxies = TrustedProxies([IPNetwork("10.0.0.0/8")!]) }
        let client = server.client()
        let reader = ResponseReader(client)
        client.send("GET /whoami HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n")
        #expect(reader.next()?.bodyText == "127.0.0.1")
    }

    @Test("a PROXY-protocol listener takes the client from a trusted peer's v1 and v2 headers")
    func liveProxyProtocol() throws {
        let server = try TestServer(proxyProtocol: true) {
            $0.trustedProxies = TrustedProxies([IPNetwork("127.0.0.1")!])
        }
        let v1 = server.client()
        v1.send("PROXY TCP4 203.0.113.44 10.0.0.1 51000 443\r\nGET /whoami HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(ResponseReader(v1).next()?.bodyText == "203.0.113.44")

        let v2 = server.client()
        v2.send(ProxyProtocolParserTests.v2IPv6Header + Array("GET /whoami HTTP/1.1\r\nHost: t\r\n\r\n".utf8))
        #expect(ResponseReader(v2).next()?.bodyText == "2001:db8::1")

        let missing = server.client()
        missing.send("GET /whoami HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(ResponseReader(missing).next() == nil)
    }

    @Test("a PROXY header from an untrusted peer is consumed but its address ignored")
    func liveProxyProtocolUntrusted() throws {
        let server = try TestServer(proxyProtocol: true) { $0.trustedProxies = TrustedProxies([IPNetwork("10.0.0.0/8")!]) }
        let client = server.client()
        client.send("PROXY TCP4 203.0.113.44 10.0.0.1 51000 443\r\nGET /whoami HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(ResponseReader(client).next()?.bodyText == "127.0.0.1")
    }
}
