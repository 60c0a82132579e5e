import Testing

@testable import Policies

@Suite("Validation rules of the detectors")
struct ChecksumTests {
    static func digits(_ text: String) -> [UInt8] { text.utf8.map { $0 - 0x30 } }

    @Test("Luhn accepts valid card numbers and rejects a changed check digit")
    func luhn() {
        for number in [
            "4111111111111111", "5500000000000004", "378282246310005", "6011111111111117", "3530111333300000",
        ] {
            #expect(Luhn.isValid(digits: Self.digits(number)), "\(number)")
            var altered = Self.digits(number)
            altered[altered.count - 1] = (altered[altered.count - 1] + 1) % 10
            #expect(!Luhn.isValid(digits: altered), "\(number) altered")
        }
    }

    @Test("the scanner applies IIN ranges and lengths, including Mastercard 2221-2720")
    func cardRanges() throws {
        let scrubber = Scrubber()
        func isCard(_ number: String) throws -> Bool {
            try scrubber.scan("card \(number) ok").map(\.type) == [.creditCard]
        }
        #expect(try isCard("2221000000000009"))
        #expect(try isCard("2720990000000007"))
        #expect(try !isCard("2721000000000004"), "just past the 2-series range")
        #expect(try isCard("4111 1111 1111 1111"))
        #expect(try isCard("3782-822463-10005"))
        #expect(try !isCard("4111 1111 1111 1112"), "Luhn fails")
        #expect(try !isCard("9111111111111111"), "no scheme starts with 9")
    }

    @Test("IBAN mod-97 and country lengths")
    func iban() {
        #expect(IBANChecksum.isValid(Array("DE89370400440532013000".utf8)))
        #expect(IBANChecksum.isValid(Array("GB82WEST12345698765432".utf8)))
        #expect(!IBANChecksum.isValid(Array("DE89370400440532013001".utf8)), "check fails")
        #expect(!IBANChecksum.isValid(Array("DE8937040044053201300".utf8)), "one short of the German length")
        #expect(!IBANChecksum.isValid(Array("XX89370400440532013000".utf8)), "unknown country")
        #expect(IBANChecksum.length(country: UInt8(ascii: "N"), UInt8(ascii: "O")) == 15)
    }

    @Test(
        "SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000",
        arguments: [
            ("123-45-6789", true), ("000-12-3456", false), ("666-12-3456", false), ("900-12-3456", false),
            ("999-12-3456", false), ("899-12-3456", true), ("123-00-6789", false), ("123-45-0000", false),
            ("001-01-0001", true),
        ])
    func ssn(text: String, valid: Bool) throws {
        let found = try Scrubber().scan("ssn \(text)")
        #expect(found.map(\.type) == (valid ? [.ssn] : []), "\(text)")
    }

    @Test("Keccak-256 and EIP-55 checksums")
    func eip55() {
        let empty = Keccak256.hash([]).map {
            String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
        }.joined()
        #expect(empty == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        let address = Array("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".utf8)
        #expect(EIP55.isAcceptable(address))
        #expect(EIP55.checksummed(address.map { $0 | 0x20 }) == address)
        var wrong = address
        wrong[1] ^= 0x20  // flip the case of one letter
        #expect(!EIP55.isAcceptable(wrong))
        #expect(
            EIP55.isAcceptable(address.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }),
            "all lowercase claims no checksum")
    }

    @Test("SHA-256 and base58check addresses")
    func base58check() {
        let abc = SHA256.hash(Array("abc".utf8)).prefix(4)
        #expect(Array(abc) == [0xba, 0x78, 0x16, 0xbf])
        var payload: [UInt8] = [0x00] + (0..<20).map { UInt8($0 * 7 & 0xFF) }
        let address = Base58Check.encode(payload + Base58Check.checksum(payload))
        #expect(address.hasPrefix("1"))
        #expect(Base58Check.isValidAddress(Array(address.utf8)))
        var corrupted = Array(address.utf8)
        corrupted[corrupted.count - 1] = corrupted[corrupted.count - 1] == 0x32 ? 0x33 : 0x32
        #expect(!Base58Check.isValidAddress(corrupted))
        payload[0] = 0x05
        let script = Base58Check.encode(payload + Base58Check.checksum(payload))
        #expect(script.hasPrefix("3"))
        #expect(Base58Check.isValidAddress(Array(script.utf8)))
        payload[0] = 0x6F  // testnet version: not reported
        #expect(
            !Base58Check.isValidAddress(
                Array(Base58Check.encode(payload + Base58Check.checksum(payload)).utf8)))
    }

    @Test("bech32 for witness v0 and bech32m for v1, with the wrong constant refused")
    func bech32() {
        let program = (0..<20).map { UInt8($0 * 13 & 0xFF) }
        let v0 = Bech32.encode(
            hrp: "bc", data: [0] + Bech32.convertBits(program, from: 8, to: 5), encoding: .bech32)
        #expect(Bech32.isValidAddress(Array(v0.utf8)))
        #expect(Bech32.isValidAddress(Array(v0.uppercased().utf8)))
        let v0m = Bech32.encode(
            hrp: "bc", data: [0] + Bech32.convertBits(program, from: 8, to: 5), encoding: .bech32m)
        #expect(!Bech32.isValidAddress(Array(v0m.utf8)), "v0 must use bech32")
        let taproot = (0..<32).map { UInt8($0 * 29 & 0xFF) }
        let v1 = Bech32.encode(
            hrp: "bc", data: [1] + Bech32.convertBits(taproot, from: 8, to: 5), encoding: .bech32m)
        #expect(Bech32.isValidAddress(Array(v1.utf8)))
        var flipped = Array(v0.utf8)
        flipped[10] = flipped[10] == UInt8(ascii: "q") ? UInt8(ascii: "p") : UInt8(ascii: "q")
        #expect(!Bech32.isValidAddress(flipped))
        var mixed = Array(v0.utf8)
        mixed[5] = mixed[5] >= 0x61 ? mixed[5] - 0x20 : mixed[5]
        if mixed != Array(v0.utf8) { #expect(!Bech32.isValidAddress(mixed), "mixed case") }
    }
}
