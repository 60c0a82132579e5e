extension PIIScanner {
    /// `0x` + exactly 40 hex digits; mixed case must match the EIP-55 checksum.
    mutating func detectEthereum(_ i: Int, _ wordEnd: Int) -> Int? {
        guard wordEnd - i == 42, isHexRun(i + 2, wordEnd), tokenBoundaryAfter(wordEnd),
            EIP55.isAcceptable(UnsafeBufferPointer(rebasing: b[(i + 2)..<wordEnd]))
        else { return nil }
        return record(i, wordEnd, .cryptoWallet)
    }

    /// A legacy Bitcoin address (`1…` P2PKH, `3…` P2SH) whose base58check checksum holds.
    mutating func detectBase58(_ i: Int, _ wordEnd: Int) -> Int? {
        guard tokenBoundaryAfter(wordEnd),
            Base58Check.isValidAddress(UnsafeBufferPointer(rebasing: b[i..<wordEnd]))
        else { return nil }
        return record(i, wordEnd, .cryptoWallet)
    }

    /// An IBAN, compact or in groups of four separated by single spaces, whose length matches
    /// its country (ISO 13616 registry) and whose mod-97 check is 1.
    mutating func detectIBAN(_ i: Int) -> Int? {
        guard let length = IBANChecksum.length(country: b[i] & ~0x20, b[i + 1] & ~0x20) else { return nil }
        var characters = [UInt8]()
        characters.reserveCapacity(length)
        var cursor = i
        while characters.count < length && cursor < n {
            let c = b[cursor]
            if c == 0x20 && characters.count % 4 == 0 && characters.count > 0 && isAlnum(at(cursor + 1)) {
                cursor += 1
                continue
            }
            guard isAlnum(c) else { break }
            characters.append(isLower(c) ? c & ~0x20 : c)
            cursor += 1
        }
        guard characters.count == length, !isWordByte(at(cursor)), IBANChecksum.isValid(characters) else {
            return nil
        }
        return record(i, cursor, .iban)
    }
}
