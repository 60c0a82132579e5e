/// One piece of a compiled reply template.
public indirect enum TemplateNode: Hashable, Sendable {
    /// Literal text.
    case text(String)
    /// `{star}` / `{starN}`: a capture of the trigger (1-based).
    case star(Int)
    /// `{botstar}` / `{botstarN}`: a capture of the rule's `after:` pattern.
    case botstar(Int)
    /// `{input}` / `{inputN}`: an earlier user message, 1 = the one before this.
    case input(Int)
    /// `{reply}` / `{replyN}`: an earlier bot reply, 1 = the latest.
    case reply(Int)
    /// `{get var}` / `{get var|default}`: a session variable.
    case get(String, default: [TemplateNode]?)
    /// `{bot var}`: a bot variable.
    case bot(String)
    /// `{bot var=value}`: sets a bot variable for the rest of the session; outputs nothing.
    case setBot(String, [TemplateNode])
    /// `{env var}`: a global variable.
    case env(String)
    /// `{env var=value}`: sets a global variable for the rest of the session; outputs nothing.
    case setEnv(String, [TemplateNode])
    /// `{random @name}`: one item of an array, at random.
    case arrayItem(String)
    /// `{ok}` (in `begin:` rules): the reply the message gets without the hook.
    case ok
    /// `{set var=value}`: sets a session variable; outputs nothing.
    case set(String, [TemplateNode])
    /// `{add var=N}` and friends: arithmetic on a session variable; outputs nothing.
    case math(MathOperation, String, [TemplateNode])
    /// `{topic name}`: switches topic; outputs nothing.
    case topic(String)
    /// `{@ text}`: replaced by the reply to `text`.
    case redirect([TemplateNode])
    /// `{random a|b|c}`: one of the alternatives.
    case random([[TemplateNode]])
    /// `{uppercase …}` and the other transforms.
    case transform(TextTransform, [TemplateNode])
    /// `{id}`: the session id.
    case id
}

/// The arithmetic tags.
public enum MathOperation: String, Hashable, Sendable, CaseIterable {
    case add, sub, mult, div
}

/// The text transforms.
public enum TextTransform: String, Hashable, Sendable, CaseIterable {
    case uppercase, lowercase, sentence, formal, person
}
