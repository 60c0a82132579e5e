/// A vendor key recognised by a fixed prefix and a body of one alphabet, as the public
/// secret-scanner rule sets (gitleaks, GitHub secret scanning, trufflehog) describe them.
struct VendorKeyFormat: Sendable {
    /// The literal prefix, case-sensitive.
    var prefix: [UInt8]
    /// The alphabet of the body after the prefix.
    var body: RunClass
    /// Body length bounds.
    var lengths: ClosedRange<Int>
    /// Whether a `-<digit>` suffix may follow (Databricks `dapi…-2`).
    var dashDigitSuffix = false

    init(_ prefix: String, _ body: RunClass, _ lengths: ClosedRange<Int>, dashDigitSuffix: Bool = false) {
        self.prefix = Array(prefix.utf8)
        self.body = body
        self.lengths = lengths
        self.dashDigitSuffix = dashDigitSuffix
    }

    /// The formats, beyond the ones ``PIIScanner/prefixedKeyEnd(_:)`` checks by hand.
    static let all: [VendorKeyFormat] = [
        VendorKeyFormat("SK", .hex, 32...32),  // Twilio API key
        VendorKeyFormat("key-", .hex, 32...32),  // Mailgun (legacy)
        VendorKeyFormat("dop_v1_", .hex, 64...64),  // DigitalOcean personal access token
        VendorKeyFormat("doo_v1_", .hex, 64...64),  // DigitalOcean OAuth token
        VendorKeyFormat("dor_v1_", .hex, 64...64),  // DigitalOcean refresh token
        VendorKeyFormat("dapi", .hex, 32...32, dashDigitSuffix: true),  // Databricks
        VendorKeyFormat("dp.pt.", .alnum, 40...64),  // Doppler personal token
        VendorKeyFormat("dp.st.", .secretValue, 40...80),  // Doppler service token (dp.st.<env>.<key>)
        VendorKeyFormat("dp.sa.", .alnum, 40...64),  // Doppler service account
        VendorKeyFormat("dp.ct.", .alnum, 40...64),  // Doppler CLI token
        VendorKeyFormat("pypi-AgEIcHlwaS5vcmc", .base64URL, 50...400),  // PyPI upload token
        VendorKeyFormat("PMAK-", .alnumOrDash, 59...59),  // Postman (24 hex, "-", 34 hex)
        VendorKeyFormat("NRAK-", .upperOrDigit, 27...27),  // New Relic user key
        VendorKeyFormat("NRII-", .alnumOrDash, 32...32),  // New Relic insights key
        VendorKeyFormat("sq0atp-", .base64URL, 22...22),  // Square access token
        VendorKeyFormat("sq0csp-", .base64URL, 43...43),  // Square OAuth secret
        VendorKeyFormat("EAAA", .base64URL, 60...60),  // Square production access token
        VendorKeyFormat("lin_api_", .alnum, 40...40),  // Linear
        VendorKeyFormat("hvs.", .base64URL, 24...200),  // HashiCorp Vault service token
        VendorKeyFormat("hvb.", .base64URL, 24...200),  // HashiCorp Vault batch token
        VendorKeyFormat("glsa_", .alnumOrUnderscore, 41...41),  // Grafana service account (32 + "_" + 8 hex)
        VendorKeyFormat("glc_", .base64, 32...400),  // Grafana Cloud token
        VendorKeyFormat("glptt-", .hex, 40...40),  // GitLab pipeline trigger token
        VendorKeyFormat("AGE-SECRET-KEY-1", .upperOrDigit, 58...58),  // age secret key (bech32, upper)
        VendorKeyFormat("ATATT3", .secretValue, 180...200),  // Atlassian API token
        VendorKeyFormat("figd_", .base64URL, 40...60),  // Figma personal access token
        VendorKeyFormat("ntn_", .alnum, 46...46),  // Notion integration token
        VendorKeyFormat("secret_", .alnum, 43...43),  // Notion (legacy)
        VendorKeyFormat("dckr_pat_", .base64URL, 27...27),  // Docker Hub personal access token
        VendorKeyFormat("rubygems_", .hex, 48...48),  // RubyGems
        VendorKeyFormat("pscale_tkn_", .base64URL, 32...64),  // PlanetScale
        VendorKeyFormat("fo1_", .base64URL, 43...43),  // Fly.io
        VendorKeyFormat("GOCSPX-", .base64URL, 28...28),  // Google OAuth client secret
        VendorKeyFormat("ya29.", .base64URL, 30...400),  // Google OAuth access token
        VendorKeyFormat("xapp-", .alnumOrDash, 20...200),  // Slack app-level token
        VendorKeyFormat("xoxe.xoxp-", .alnumOrDash, 20...200),  // Slack refresh-rotated token
        VendorKeyFormat("sl.", .base64URL, 130...200),  // Dropbox short-lived token
    ]

    /// The formats by first byte, so a word start only compares the prefixes that can match.
    static let byFirstByte: [[VendorKeyFormat]] = {
        var table = [[VendorKeyFormat]](repeating: [], count: 128)
        for format in all { table[Int(format.prefix[0])].append(format) }
        return table
    }()
}
