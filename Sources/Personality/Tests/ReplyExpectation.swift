/// What an author test accepts as the bot's reply.
public enum ReplyExpectation: Hashable, Sendable {
    /// Exactly this text (`expect:`).
    case exact(String)
    /// Any one of these texts (`expect_one_of:`).
    case oneOf([String])
    /// Text matching this regular expression anywhere (`expect_match:`); anchor it with `^…$`
    /// to match the whole reply.
    case matches(String)
}
