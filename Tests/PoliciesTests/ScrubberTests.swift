import Policies
import Testing

@Suite("Scrubber detectors, replacement and limits")
struct ScrubberTests {
    /// The type found for the whole of `value` when embedded in `sentence` at `{}`.
    static func check(_ sentence: String, _ value: String, _ type: PIIType?) throws {
        let text = sentence.replacing("{}", with: value)
        let found = try Scrubber().scan(text)
        guard let type else {
            #expect(found.isEmpty, "expected nothing in: \(text), found \(found)")
            return
        }
        let start = sentence.split(separator: "{}", omittingEmptySubsequences: false)[0].unicodeScalars.count
        let expected = PIIEntity(type: type, start: start, end: start + value.unicodeScalars.count)
        #expect(found == [expected], "in: \(text)")
    }

    @Test(
        "finds phone numbers in E.164 and national formats",
        arguments: [
            "+1 415 555 2671", "(415) 555-2671", "415-555-2671", "1-800-555-0199", "415.555.2671",
            "+44 20 7946 0958", "020 7946 0958", "07700 900123", "+49 30 12345678", "030 12345678",
            "089/1234567",
            "+33 6 12 34 56 78", "01 23 45 67 89", "06.12.34.56.78", "+34 612 345 678", "91 123 45 67",
            "+39 312 345 6789", "02 1234 5678", "+91 98765 43210", "98765 43210", "0412 345 678",
            "(02) 9876 5432",
            "(11) 91234-5678", "+55 11 91234-5678", "090-1234-5678", "03-1234-5678", "+52 55 1234 5678",
            "55 1234 5678",
            "0044 20 7946 0958", "089 / 12 34 56 78", "+49 (0)30 2345 6789",
        ])
    func phones(number: String) throws {
        try Self.check("call me at {} please", number, .phone)
    }

    @Test(
        "ignores phone-like numbers that are something else",
        arguments: [
            "order 415-555-2671 shipped", "555-0123", "+0 123 456 789", "ISBN 978-3-16-148410-0",
            "2024-03-15",
            "15/03/2024", "12:45:30", "$1,299.99", "tracking 9400 1000 0000 0000 0000 00",
            "2^32 = 4294967296",
            "invoice #415-555-2671", "build 2023.11.04", "v1.2.3.4", "version 10.0.1.15",
        ])
    func phoneNegatives(text: String) throws {
        try Self.check("{}", text, nil)
    }

    @Test("unformatted numbers count as phones only after a word like 'call' or 'number'")
    func compactPhones() throws {
        try Self.check("my number is {}", "4155552671", .phone)
        try Self.check("it took {} ms", "4155552671", nil)
        try Self.check("my ssn is {}", "123456789", .ssn)
    }

    @Test(
        "finds the other types",
        arguments: [
            ("anna.smith+shop@mail.example.co.uk", PIIType.email), ("DE89 3704 0044 0532 0130 00", .iban),
            ("GB82WEST12345698765432", .iban), ("8.8.4.4", .ipAddress),
            ("2001:db8:85a3::8a2e:370:7334", .ipAddress),
            ("fe80::1ff:fe23:4567:890a", .ipAddress), ("00:1A:2B:3C:4D:5E", .macAddress),
            ("a4-5e-60-d2-1f-9b", .macAddress),
            ("https://bob:hunter22@db.example.com/x", .credentialURL),
            ("https://api.example.com/v1?access_token=abc123XYZ", .credentialURL),
            ("https://maps.example.com/api?q=x&key=AIzaXYZ", .credentialURL),
            ("AKIAIOSFODNN7EXAMPLE", .apiKey),
            ("ghp_0123456789abcdefghijABCDEFGHIJ012345", .apiKey), ("xoxb-1234567890-abcdefghij", .apiKey),
            ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", .apiKey),
            ("sk-proj-abcdefghijklmnopqrstuvwxyz012345", .apiKey),
            ("AIzaSyA1234567890abcdefghijklmnopqrstuv", .apiKey), ("glpat-abcdefghij0123456789", .apiKey),
            ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", .cryptoWallet),
            ("0x52908400098527886e0f7030069857d2e4169ee7", .cryptoWallet),
        ])
    func otherTypes(value: String, type: PIIType) throws {
        try Self.check("here: {} ok", value, type)
    }

    @Test(
        "ignores look-alikes",
        arguments: [
            "127.0.0.1", "0.0.0.0", "999.1.1.1", "192.168.001.1", "::1", "12:30", "ab:cd:ef",
            "user@localhost",
            "foo@bar", "0x1F", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "AKIA", "sk-learn", "main.py",
            "https://example.com/page?id=42", "DE89 3704 0044 0532 0130 01", "00:00:00:00:00:00",
        ])
    func lookAlikes(value: String) throws {
        try Self.check("value {} here", value, nil)
    }

    @Test("JWTs need a JSON header with alg")
    func jwt() throws {
        let header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"  // {"alg":"HS256","typ":"JWT"}
        let token = header + ".eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl"
        try Self.check("bearer {}", token, .jwt)
        let noAlg = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl"  // {"typ":"JWT"}
        try Self.check("see {}", noAlg, nil)
        // After "bearer" it is still a credential, found by its context.
        try Self.check("bearer {}", noAlg, .secret)
    }

    @Test("PEM private keys run to their END line, or to the end of the text")
    func pem() throws {
        let block = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----"
        try Self.check("key:\n{}\nthanks", block, .privateKey)
        try Self.check("key: {}", "-----BEGIN PRIVATE KEY-----\nMIIEow", .privateKey)
        try Self.check("{}", "-----BEGIN PUBLIC KEY-----\nMIIBIj\n-----END PUBLIC KEY-----", nil)
    }

    @Test("stated passwords and high-entropy secrets, but not ordinary words")
    func passwordsAndSecrets() throws {
        try Self.check("my password is {}", "Tr0ub4dor&3", .password)
        try Self.check("pw: {}", "hunter22", .password)
        try Self.check("the passcode for the door is {}", "7719", .password)
        try Self.check("my pin is {}", "4821", .password)
        try Self.check("DB_PASSWORD={}", "pa55w0rd!", .password)
        try Self.check("user: bob pass: {}", "x7Kp2q", .password)
        try Self.check("your boarding pass is {}", "ready", nil)
        try Self.check("author: {}", "JohnSmithTheGreat123", nil)
        try Self.check("keyboard: {}", "LogitechMXKeys2024z", nil)
        try Self.check("AWS_SECRET_ACCESS_KEY={}", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", .secret)
        try Self.check("see {}", "icon@2x.png", nil)
        try Self.check("{\"password\": \"{}\"}", "hunter22", .password)
        try Self.check("携帯は{}です", "090-3456-7812", .phone)
        try Self.check("my password is {}", "wrong", nil)
        try Self.check("my pin is {}", "secret", nil)
        try Self.check("password reset link {}", "expired", nil)
        try Self.check("api_key = {}", "q8Zr3LxT9vWm2KpB7nY4", .secret)
        try Self.check("client_secret: \"{}\"", "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c", .secret)
        try Self.check("api_key = {}", "YOUR_API_KEY_HERE", nil)
        try Self.check("token: {}", "expired", nil)
        try Self.check("key = {}", "aaaaaaaaaaaaaaaa1", nil)
    }

    @Test("full-width digits, NBSP and zero-width characters cannot hide a number; offsets stay original")
    func normalisation() throws {
        try Self.check("card {} ok", "４１１１ １１１１ １１１１ １１１１", .creditCard)
        try Self.check("call {} ok", "(415)\u{00A0}555\u{2011}2671", .phone)
        try Self.check("card {} ok", "4111\u{200B}1111\u{200B}1111\u{200B}1111", .creditCard)
        try Self.check("😀😀 mail {} 😀", "ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", .email)
    }

    @Test("labels use the template; placeholders are stable per session and per value")
    func replacement() throws {
        var labels = Scrubber()
        #expect(try labels.scrub("mail a@example.com now") == "mail [EMAIL] now")
        var custom = Scrubber(
            configuration: ScrubberConfiguration(replacement: .label(template: "<redacted {type}>")))
        #expect(try custom.scrub("mail a@example.com") == "mail <redacted EMAIL>")
        var placeholders = Scrubber(configuration: ScrubberConfiguration(replacement: .placeholder))
        var session = ScrubSession()
        let first = try placeholders.scrub("a@example.com, b@example.com, A@EXAMPLE.COM", session: &session)
        #expect(first == "<EMAIL_1>, <EMAIL_2>, <EMAIL_1>")
        let later = try placeholders.scrub(
            "again b@example.com and +1 415 555 2671 / +1 (415) 555-2671", session: &session)
        #expect(later == "again <EMAIL_2> and <PHONE_1> / <PHONE_1>")
        var other = ScrubSession()
        #expect(
            try placeholders.scrub("b@example.com", session: &other) == "<EMAIL_1>",
            "sessions do not share numbers")
    }

    @Test("scrubbing twice changes nothing more", arguments: [PIIReplacement.defaultLabel, .placeholder])
    func idempotent(replacement: PIIReplacement) throws {
        var scrubber = Scrubber(configuration: ScrubberConfiguration(replacement: replacement))
        for message in LabelledMessage.all {
            var session = ScrubSession()
            let once = try scrubber.scrub(message.text, session: &session)
            let twice = try scrubber.scrub(once, session: &session)
            #expect(once == twice, "#\(message.id): \(message.text)")
        }
    }

    @Test("refuses input over the size limit by exactly one byte")
    func sizeLimit() throws {
        var scrubber = Scrubber(configuration: ScrubberConfiguration(maxInputBytes: 32))
        let fits = String(repeating: "a", count: 32)
        #expect(try scrubber.scrub(fits) == fits)
        #expect(throws: ScrubError.inputTooLarge(bytes: 33, limit: 32)) { try scrubber.scrub(fits + "a") }
        #expect(throws: ScrubError.inputTooLarge(bytes: 33, limit: 32)) { try scrubber.scan(fits + "a") }
    }

    @Test("counts redactions by type and honours the enabled types")
    func counters() throws {
        var scrubber = Scrubber()
        _ = try scrubber.scrub("a@example.com b@example.com 8.8.8.8")
        #expect(scrubber.counters[.email] == 2)
        #expect(scrubber.counters[.ipAddress] == 1)
        #expect(scrubber.counters.total == 3)
        var onlyEmail = Scrubber(configuration: ScrubberConfiguration(types: [.email]))
        #expect(try onlyEmail.scrub("a@example.com 8.8.8.8") == "[EMAIL] 8.8.8.8")
    }

    @Test("a keyword flags a value at most 64 bytes after it, not 65")
    func keywordPrefixLimit() throws {
        let scrubber = Scrubber()
        let within = "password:" + String(repeating: " ", count: 63) + "hunter22"
        let beyond = "password:" + String(repeating: " ", count: 64) + "hunter22"
        #expect(try scrubber.scan(within).map(\.type) == [.password])
        #expect(try scrubber.scan(beyond).isEmpty)
    }
}
