import PersonaTestSupport
import Policies
import Testing

/// The classes added so the scrubber holds on data it was not tuned on: each with
/// positives, look-alike negatives, and every split of every positive across two tokens.
@Suite("Scrubber classes beyond the first labelled set")
struct GeneralisedDetectorTests {
    /// (sentence with `{}`, value, type) — the value is the whole expected finding.
    static let positives: [(String, String, PIIType)] = [
        // Obfuscated e-mail addresses.
        ("write to {} today", "nora dot lind at gmail dot com", .email),
        ("mail {} please", "pablo [at] huerta-verde [dot] es", .email),
        ("it's {}", "k.otieno(at)uonbi(dot)ac(dot)ke", .email),
        ("contact {} now", "ops {at} fieldnotes {dot} io", .email),
        ("use {} instead", "mila.novak at seznam.cz", .email),
        ("reach {} anytime", "sales AT ziegler-bau DOT de", .email),
        // Internationalised local parts and domains.
        ("Kontakt: {}", "björn.åberg@telia.se", .email),
        ("почта {} ок", "ольга.смирнова@mail.ru", .email),
        ("連絡は{}まで", "佐藤花子@example.jp", .email),
        ("mail {}", "info@müller-bäckerei.de", .email),
        // Passwords: natural language, connection strings, KEY=value, pairs.
        ("my password is {} ok", "Velvet#Otter4", .password),
        ("the passphrase was {}", "quiet-lantern-river", .password),
        ("login: ines / pass {}", "Ma7!rose", .password),
        ("creds are tomas / {} for now", "Harbor_Light9", .password),
        ("Server=sql;User Id=app;Password={};Database=crm", "Qp4$zv!2", .password),
        ("DB_PASSWORD={}", "n0t-s0-s3cret", .password),
        ("SMTP_PASS={}", "relay_Pw_771", .password),
        ("die VPN: Passwort lautet {}", "Fjord!2025", .password),
        ("la contraseña es {}", "Lince_Azul8", .password),
        ("ssh in with password {} then sudo", "Kestrel#42x", .password),
        ("PIN {}", "4821", .password),
        // Context-backed secrets and vendor formats.
        ("aws secret {}", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", .secret),
        ("the api key is {}", "9f2a61c4e07b4d3aa5c8e1f0b2d94c17", .secret),
        ("access token {} expires", "3c1e9b7a0f5d42c8b6e4a2d1f0c9b8a7", .secret),
        ("twilio {}", "SK2b7f4e9c1d0a8b6e5f3c2d1a0b9e8f7c", .apiKey),
        ("mailgun {}", "key-3f1e2d4c5b6a79880f1e2d3c4b5a6978", .apiKey),
        ("token {}", "dop_v1_" + String(repeating: "a1b2c3d4", count: 8), .apiKey),
        ("bot {}", "1234567890:AAF3kq9Zr_xYt-UvW2pLm8NbCd4EfGhIjKl", .apiKey),
        ("vault {}", "hvs.CAESIJx3k9QvZpL2mN8tR4wYbA7c", .apiKey),
        // Dotted three-group MAC.
        ("port gi0/3 learned {} yesterday", "0050.56a1.b2c3", .macAddress),
        // 7-digit local numbers with phone context.
        ("call me at {} tonight", "555-0147", .phone),
        ("my landline is {}", "867 5309", .phone),
        ("phone: {}", "4960173", .phone),
        // URLs whose credential is a key in the user position.
        ("dsn {}", "https://0f1e2d3c4b5a69788796a5b4c3d2e1f0@o42.ingest.sentry.io/7", .credentialURL),
        ("db {}", "mongodb+srv://etl:Zx81mLq0@cluster9.example.net/dw", .credentialURL),
    ]

    /// Look-alikes of the classes above that must not be found.
    static let negatives: [String] = [
        "meet me at Google dot com headquarters",
        "look at the dot on the map",
        "she is at home, dot the i's",
        "the at sign and the dot are on the same key",
        "price 3 @ 4.99 each",
        "forgot password? reset it here",
        "the password must be at least 12 characters",
        "pass the salt please",
        "PASSWORD_MIN_LENGTH=12 and PASSWORD_RESET_TIMEOUT=3600",
        "the pin on the map is wrong",
        "login: ines / and then nothing",
        "the secret ingredient is love",
        "token ring networks are old",
        "commit 3f786850e387550fdab836ed7e6dc881de23001b broke it",
        "the md5 is 9e107d9d372bb6826bd81d3542a419d6",
        "api request id 4bf92f3577b34da6a3ce929d0e0e4736 failed",
        "TWILIO_ACCOUNT_SID=AC0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "version 2021.0412.1000 is out",
        "order 555-0147 shipped",
        "it took 4960173 ms",
        "see 4.3.2.1 for details",
        "build 3.5.2.2 is on beta",
        "per clause 7.2.1.4 the deposit is refundable",
        "upgrade to 4.3.2.1 fixed it",
        "docs at https://example.com/guide are fine",
    ]

    static func check(_ sentence: String, _ value: String, _ type: PIIType) throws {
        let text = sentence.replacing("{}", with: value)
        let found = try Scrubber().scan(text)
        let start = sentence.split(separator: "{}", omittingEmptySubsequences: false)[0].unicodeScalars.count
        let expected = PIIEntity(type: type, start: start, end: start + value.unicodeScalars.count)
        #expect(found == [expected], "in: \(text)")
    }

    @Test("finds each new class whole, with its type", arguments: positives.indices)
    func positive(index: Int) throws {
        let (sentence, value, type) = Self.positives[index]
        try Self.check(sentence, value, type)
    }

    @Test("finds nothing in the look-alikes", arguments: negatives)
    func negative(text: String) throws {
        #expect(try Scrubber().scan(text).isEmpty, "in: \(text)")
    }

    @Test("dotted version and section numbers are not addresses, a bare dotted quad still is")
    func versionsAreNotAddresses() throws {
        #expect(try Scrubber().scan("see section 4.3.2.1").isEmpty)
        try Self.check("the resolver is {} now", "9.9.9.9", .ipAddress)
    }

    @Test("plain URLs are found only when the url type is enabled")
    func urlsAreConfigurable() throws {
        let text = "docs at https://example.com/guide?lang=en, ok"
        #expect(try Scrubber().scan(text).isEmpty)
        var configuration = ScrubberConfiguration()
        configuration.types.insert(.url)
        let found = try Scrubber(configuration: configuration).scan(text)
        #expect(found == [PIIEntity(type: .url, start: 8, end: 41)])
        // An address inside a link is still found when links are not reported.
        let inner = try Scrubber().scan("see http://crm.example/?to=anna@example.com now")
        #expect(inner.map(\.type) == [.email])
    }

    static let filler = String(repeating: "and then the weather turned grey again over the hills ", count: 3)

    @Test("every new entity split at every position across two streamed tokens is still caught")
    func everySplit() throws {
        var batch = Scrubber()
        var runs = 0
        for (sentence, value, type) in Self.positives {
            let text = Self.filler + sentence.replacing("{}", with: value) + " " + Self.filler
            let expected = try batch.scrub(text)
            #expect(expected.contains("[\(type.label)]") && !expected.contains(value), "batch misses: \(value)")
            let scalars = Array(text.unicodeScalars)
            let start = (Self.filler + sentence.split(separator: "{}", omittingEmptySubsequences: false)[0])
                .unicodeScalars.count
            for split in start...(start + value.unicodeScalars.count) {
                var first = String.UnicodeScalarView()
                first.append(contentsOf: scalars[..<split])
                var second = String.UnicodeScalarView()
                second.append(contentsOf: scalars[split...])
                var stream = StreamingScrubber()
                let output = try stream.feed(String(first)) + stream.feed(String(second)) + stream.finish()
                #expect(output == expected, "split at \(split): \(value)")
                runs += 1
            }
        }
        #expect(runs > 500)
    }

    @Test("the new classes add no hold-back: clean text trails the input by the window plus at most one token")
    func holdBackLatency() throws {
        let configuration = ScrubberConfiguration()
        var tokens: [String] = []
        for text in Self.negatives + [Self.filler, Self.filler] {
            for word in text.split(separator: " ") { tokens.append(" " + word) }
        }
        let longestToken = tokens.map(\.utf8.count).max() ?? 0
        var stream = StreamingScrubber(configuration: configuration)
        var released = ""
        var worstBeyondWindow = 0
        for token in tokens {
            released += try stream.feed(token)
            worstBeyondWindow = max(worstBeyondWindow, stream.heldBytes - configuration.holdBackBytes)
        }
        released += stream.finish()
        #expect(released == tokens.joined(), "clean text passes unchanged")
        // The cut waits for the whitespace before the token that straddles the window's
        // edge, so at most one token more than the window is ever held.
        #expect(worstBeyondWindow <= longestToken, "held \(worstBeyondWindow) bytes beyond the window")
        #expect(worstBeyondWindow > 0, "the measurement saw a token straddle the window")
    }
}
