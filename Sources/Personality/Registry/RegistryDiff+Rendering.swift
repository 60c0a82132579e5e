extension RegistryDiff {
    /// The diff as one JSON object (the admin API's reload answer embeds it):
    ///
    /// ```json
    /// {"old_version":"…","new_version":"…","added":[{"id":"…","version":"…"}],
    ///  "removed":[…],"changed":[{"id":"…","old_version":"…","new_version":"…","fields":["limits"]}],
    ///  "limits":{"sets_added":[],"sets_removed":[],"sets_changed":[],"rules_changed":false},
    ///  "routing":["fallback"]}
    /// ```
    ///
    /// Written by hand because this module sits below `JSON`; every string goes through
    /// ``jsonString(_:)`` (RFC 8259 §7 escaping).
    public var json: String {
        func entries(_ list: [Entry]) -> String {
            "["
                + list.map { #"{"id":\#(Self.jsonString($0.id)),"version":"\#($0.version)"}"# }.joined(
                    separator: ",") + "]"
        }
        func strings(_ list: [String]) -> String {
            "[" + list.map(Self.jsonString).joined(separator: ",") + "]"
        }
        let changes = changed.map { change in
            #"{"id":\#(Self.jsonString(change.id)),"old_version":"\#(change.oldVersion)","new_version":"\#(change.newVersion)","fields":\#(strings(change.fields))}"#
        }
        return
            #"{"old_version":"\#(oldVersion)","new_version":"\#(newVersion)","added":\#(entries(added)),"removed":\#(entries(removed)),"changed":[\#(changes.joined(separator: ","))],"limits":{"sets_added":\#(strings(limitSetsAdded)),"sets_removed":\#(strings(limitSetsRemoved)),"sets_changed":\#(strings(limitSetsChanged)),"rules_changed":\#(limitRulesChanged)},"routing":\#(strings(routingChanges))}"#
    }

    /// The diff for a person, one line per change, e.g.
    ///
    /// ```
    /// + pirate 1a2b…
    /// - robot 3c4d…
    /// ~ captain 5e6f… -> 7a8b… (limits, greeting)
    /// limits: set strict changed; rules changed
    /// routing: fallback changed
    /// ```
    ///
    /// or `no changes` when ``isEmpty``.
    public var summary: [String] {
        guard !isEmpty else { return ["no changes"] }
        var lines: [String] = []
        lines += added.map { "+ \($0.id) \($0.version)" }
        lines += removed.map { "- \($0.id) \($0.version)" }
        lines += changed.map {
            "~ \($0.id) \($0.oldVersion) -> \($0.newVersion) (\($0.fields.joined(separator: ", ")))"
        }
        var limitParts: [String] = []
        limitParts += limitSetsAdded.map { "set \($0) added" }
        limitParts += limitSetsRemoved.map { "set \($0) removed" }
        limitParts += limitSetsChanged.map { "set \($0) changed" }
        if limitRulesChanged { limitParts.append("rules changed") }
        if !limitParts.isEmpty { lines.append("limits: " + limitParts.joined(separator: "; ")) }
        if !routingChanges.isEmpty {
            lines.append("routing: " + routingChanges.joined(separator: ", ") + " changed")
        }
        return lines
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
    package static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
