/// The IBAN check (ISO 13616-1 §7 / ISO 7064 MOD 97-10) and the per-country lengths.
package enum IBANChecksum {
    /// Whether `characters` (ASCII, uppercase letters and digits, no spaces) is a valid IBAN:
    /// known country, that country's length, and `mod 97 == 1` after moving the first four
    /// characters to the end and writing letters as 10...35.
    package static func isValid(_ characters: some Collection<UInt8>) -> Bool {
        let chars = Array(characters)
        guard chars.count >= 15, let expected = length(country: chars[0], chars[1]),
            expected == chars.count
        else { return false }
        var remainder = 0
        for index in 0..<chars.count {
            let char = chars[(index + 4) % chars.count]
            switch char {
            case 0x30...0x39: remainder = (remainder * 10 + Int(char - 0x30)) % 97
            case 0x41...0x5A: remainder = (remainder * 100 + Int(char - 0x41 + 10)) % 97
            default: return false
            }
        }
        return remainder == 1
    }

    /// The IBAN length of a country (two uppercase ASCII letters), from the SWIFT IBAN
    /// registry; nil for countries without IBANs.
    package static func length(country first: UInt8, _ second: UInt8) -> Int? {
        let code = UInt16(first) << 8 | UInt16(second)
        return lengths[code]
    }

    private static let lengths: [UInt16: Int] = {
        let table: [(String, Int)] = [
            ("AD", 24), ("AE", 23), ("AL", 28), ("AT", 20), ("AZ", 28), ("BA", 20), ("BE", 16),
            ("BG", 22), ("BH", 22), ("BI", 27), ("BR", 29), ("BY", 28), ("CH", 21), ("CR", 22),
            ("CY", 28), ("CZ", 24), ("DE", 22), ("DJ", 27), ("DK", 18), ("DO", 28), ("EE", 20),
            ("EG", 29), ("ES", 24), ("FI", 18), ("FK", 18), ("FO", 18), ("FR", 27), ("GB", 22),
            ("GE", 22), ("GI", 23), ("GL", 18), ("GR", 27), ("GT", 28), ("HR", 21), ("HU", 28),
            ("IE", 22), ("IL", 23), ("IQ", 23), ("IS", 26), ("IT", 27), ("JO", 30), ("KW", 30),
            ("KZ", 20), ("LB", 28), ("LC", 32), ("LI", 21), ("LT", 20), ("LU", 20), ("LV", 21),
            ("LY", 25), ("MC", 27), ("MD", 24), ("ME", 22), ("MK", 19), ("MN", 20), ("MR", 27),
            ("MT", 31), ("MU", 30), ("NI", 28), ("NL", 18), ("NO", 15), ("OM", 23), ("PK", 24),
            ("PL", 28), ("PS", 29), ("PT", 25), ("QA", 29), ("RO", 24), ("RS", 22), ("RU", 33),
            ("SA", 24), ("SC", 31), ("SD", 18), ("SE", 24), ("SI", 19), ("SK", 24), ("SM", 27),
            ("SO", 23), ("ST", 25), ("SV", 28), ("TL", 23), ("TN", 24), ("TR", 26), ("UA", 29),
            ("VA", 22), ("VG", 24), ("XK", 20), ("YE", 30),
        ]
        var lengths: [UInt16: Int] = [:]
        for (code, length) in table {
            let bytes = Array(code.utf8)
            lengths[UInt16(bytes[0]) << 8 | UInt16(bytes[1])] = length
        }
        return lengths
    }()
}
