/// The Luhn mod-10 check (ISO/IEC 7812-1 Annex B), used by payment card numbers.
package enum Luhn {
    /// Whether the decimal digits (values 0...9, most significant first) pass the check.
    package static func isValid(digits: some Collection<UInt8>) -> Bool {
        var sum = 0
        var double = false
        for digit in digits.reversed() {
            var value = Int(digit)
            if double {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
            double.toggle()
        }
        return !digits.isEmpty && sum % 10 == 0
    }
}
