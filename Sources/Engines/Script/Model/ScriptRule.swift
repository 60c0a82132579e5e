import Personality

/// One rule: triggers, what it answers, and what it changes afterwards.
public struct ScriptRule: Hashable, Sendable {
    /// The rule's position in the file (all topics counted), used for the sort's last tie-break.
    public var order: Int
    /// The topic the rule belongs to.
    public var topic: String
    /// Triggers that share the rule (`match:`).
    public var triggers: [ScriptTrigger]
    /// `%previous`: the bot's previous reply must match this (`after:`).
    public var after: ScriptTrigger?
    /// Candidate replies (a random pick by weight).
    public var replies: [WeightedTemplate]
    /// Conditions, tried in order; the first that holds answers.
    public var conditions: [ScriptCondition]
    /// A whole-reply redirect (`redirect:`).
    public var redirect: Template?
    /// Session variables set after replying (`set:`), in the order written.
    public var assignments: [ScriptAssignment]
    /// The topic switched to after replying (`topic:`).
    public var nextTopic: String?
    /// The trigger weight: higher sorts first.
    public var weight: Int
    /// Where the rule is written.
    public var location: SourceLocationBox
    /// Where the `topic:` value is written, for lint.
    public var nextTopicLocation: SourceLocationBox?
    /// Where the `redirect:` value is written, for lint.
    public var redirectLocation: SourceLocationBox?

    /// Every template of the rule (replies, conditions, redirect, assignment values).
    public var templates: [Template] {
        var all = replies.map(\.template)
        for condition in conditions {
            all.append(condition.left)
            all.append(condition.right)
            all.append(contentsOf: condition.replies.map(\.template))
        }
        if let redirect { all.append(redirect) }
        all.append(contentsOf: assignments.map(\.value))
        return all
    }
}

/// `name: value` under a rule's `set:`.
public struct ScriptAssignment: Hashable, Sendable {
    /// The variable.
    public var name: String
    /// The value template.
    public var value: Template
}
