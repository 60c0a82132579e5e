/// The kinds of personal or secret data the scrubber finds.
public enum PIIType: String, CaseIterable, Hashable, Sendable, Codable {
    /// An e-mail address.
    case email
    /// A phone number (E.164 or a national format of US/CA, UK, DE, FR, ES, IT, IN, AU, BR, JP, MX).
    case phone
    /// A Luhn-valid payment card number in a known IIN range.
    case creditCard = "credit_card"
    /// An IBAN with the right country length and mod-97 check.
    case iban
    /// A US Social Security number passing the SSA structure rules.
    case ssn
    /// A public-looking IPv4 or IPv6 address (loopback and unspecified are not reported).
    case ipAddress = "ip_address"
    /// A URL carrying credentials (`user:pass@`) or a secret query/fragment parameter.
    case credentialURL = "credential_url"
    /// A vendor API key recognised by its prefix (AWS, GitHub, Slack, Stripe, Google, OpenAI, ...).
    case apiKey = "api_key"
    /// A JSON Web Token whose header decodes to JSON with `"alg"`.
    case jwt
    /// A PEM private-key block.
    case privateKey = "private_key"
    /// A high-entropy value assigned to a key/secret/token-like name (`api_key = …`).
    case secret
    /// A password stated in chat ("my password is …", "pw: …").
    case password
    /// A MAC address.
    case macAddress = "mac_address"
    /// A Bitcoin (base58check or bech32) or Ethereum (EIP-55) address.
    case cryptoWallet = "crypto_wallet"
    /// Any other URL with a `scheme://`. Off by default (``defaultTypes``): links are usually
    /// what a chat is about; a URL that carries a credential is ``credentialURL`` and is on.
    case url

    /// The types a scrubber reports unless configured otherwise: every type except ``url``.
    public static let defaultTypes: Set<PIIType> = Set(allCases.filter { $0 != .url })

    /// The uppercase name used by labels and placeholders, e.g. `CREDIT_CARD`.
    public var label: String { rawValue.uppercased() }

    /// Dense index for counters.
    var ordinal: Int {
        switch self {
        case .email: 0
        case .phone: 1
        case .creditCard: 2
        case .iban: 3
        case .ssn: 4
        case .ipAddress: 5
        case .credentialURL: 6
        case .apiKey: 7
        case .jwt: 8
        case .privateKey: 9
        case .secret: 10
        case .password: 11
        case .macAddress: 12
        case .cryptoWallet: 13
        case .url: 14
        }
    }
}
