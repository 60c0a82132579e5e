/// One support-widget deployment of `deployments.yaml`: the key a widget sends in its Socket.IO
/// CONNECT `auth` (`deploymentKey`) and what it stands for.
///
/// A deployment key is not a secret (it ships in a web page); it selects a personality and the
/// tenant the conversations count against. API keys are what authenticate.
public struct WidgetDeployment: Hashable, Sendable {
    /// The key a widget sends.
    public var key: String
    /// The personality the widget talks to.
    public var personality: String
    /// The tenant its conversations belong to, if any.
    public var tenant: String?
    /// Where it was defined (for diagnostics).
    public var location: SourceLocationBox

    /// Creates a deployment.
    public init(key: String, personality: String, tenant: String? = nil, location: SourceLocationBox) {
        self.key = key
        self.personality = personality
        self.tenant = tenant
        self.location = location
    }
}
