/// The script engine's limits. Each has a name authors can set in the `script:` section.
public struct ScriptConfiguration: Hashable, Sendable {
    /// Most redirects (`redirect:` and `{@ …}`) followed while answering one message
    /// (`max_redirect_depth`). Default 16. One more and the reply falls back, so a redirect
    /// loop costs at most this many lookups.
    public var maxRedirectDepth: Int
    /// Most matcher steps spent on one trigger against one input (`max_match_steps`).
    /// Default 10,000. Bounds backtracking on patterns with many wildcards; a trigger that needs
    /// more simply does not match.
    public var maxMatchSteps: Int

    /// Creates a configuration with the documented defaults.
    public init(maxRedirectDepth: Int = 16, maxMatchSteps: Int = 10_000) {
        self.maxRedirectDepth = maxRedirectDepth
        self.maxMatchSteps = maxMatchSteps
    }
}
