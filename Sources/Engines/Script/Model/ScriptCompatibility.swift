/// Where the script engine deliberately differs from RiveScript, and the switch that makes it
/// behave as RiveScript does (`compat: rivescript`, written by `persona import rivescript`).
public enum ScriptCompatibility: String, Hashable, Sendable, CaseIterable {
    /// Persona's own behaviour (the default): captures and `{input}` keep the user's casing and
    /// punctuation; a message nothing answers goes to the fallback or is declined; the variable
    /// `topic` is an ordinary variable.
    case persona
    /// RiveScript's behaviour: captures (`{star}`, `{botstar}`) and `{input1}`… are the
    /// normalised, lowercased words; `{get topic}` / `{set topic=…}` read and switch the topic;
    /// with no fallback, nothing matching answers `ERR: No Reply Matched`, a matched rule
    /// without a usable reply `ERR: No Reply Found`, and a redirect deeper than
    /// `max_redirect_depth` `ERR: Deep Recursion Detected` (the texts RiveScript answers).
    case rivescript

    /// RiveScript's answer when no trigger matches.
    static let noReplyMatched = "ERR: No Reply Matched"
    /// RiveScript's answer when a trigger matched but none of its replies could be given.
    static let noReplyFound = "ERR: No Reply Found"
    /// RiveScript's answer when redirects nest deeper than the limit.
    static let deepRecursion = "ERR: Deep Recursion Detected"
}
