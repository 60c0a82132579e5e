import ChatProtocol
import Engines
import Personality
import Policies

extension ChatHub {
    /// Starts the reply to an accepted message: `reply_start`, then the cache or the engine
    /// chain, then paced tokens.
    ///
    /// Queueing rule: a session streams one reply at a time. A message accepted while a reply
    /// streams is acked at once (its `seq` fixes its place) and answered after the current
    /// reply ends, in order; at most ``ChatHubConfiguration/maxQueuedMessages`` wait, one more
    /// is refused with `busy`. `cancel` stops the current reply only; queued messages then get
    /// their replies.
    func startReply(
        _ session: ChatSession, text: String, id: String, acceptedAt: PolicyInstant, now: PolicyInstant
    ) {
        guard let bot = session.bot else { return }
        session.replyCount += 1
        session.seq += 1
        let reply = ReplyInProgress(
            number: session.replyCount, seq: session.seq, ref: id, acceptedAt: acceptedAt, now: now)
        session.reply = reply
        send(
            session.connection, .replyStart(session: session.id, reply: reply.number, seq: reply.seq, ref: id)
        )
        let personality = bot.personality
        // Script state, when the personality runs on the script engine alone: it lets the
        // cache key on the state a reply depends on, and tell whether the reply was random or
        // changed variables. Any other engine's replies are treated as neither safe nor keyed.
        let scriptState = bot.chain.links.count == 1 ? bot.chain.links[0].state as? ScriptSessionState : nil
        let policy = Self.cachePolicy(personality.cache)
        if policy.mode == .exact {
            let key = ResponseCacheKey(
                personality: personality.id, version: personality.version.description,
                scope: session.client.tenant ?? session.client.key, input: text,
                stateDigest: Self.stateDigest(scriptState))
            if let tokens = cache.lookup(key, policy: policy, now: now) {
                counters.cacheHits += 1
                reply.tokens = tokens
                reply.sourceDone = true
                reply.fromCache = true
                return pump(session, now: now)
            }
            counters.cacheMisses += 1
            reply.cacheKey = key
            // Another node may have the reply: the engine waits for the shared cache's answer.
            if askSharedCache(session, reply, key: key, state: scriptState, text: text) { return }
        }
        produceReply(session, reply, text: text, now: now)
    }

    /// The engine half of ``startReply(_:text:id:acceptedAt:now:)``: asks the personality's
    /// engine chain for the reply and starts pacing it.
    func produceReply(_ session: ChatSession, _ reply: ReplyInProgress, text: String, now: PolicyInstant) {
        guard let bot = session.bot else { return }
        let personality = bot.personality
        let scriptState = bot.chain.links.count == 1 ? bot.chain.links[0].state as? ScriptSessionState : nil
        let before = scriptState.map { (random: $0.random, variables: $0.variables, topic: $0.topic) }
        switch bot.chain.respond(to: text) {
        case .reply(let answer):
            if let scrubbed = scrubOutbound(session, answer, pii: personality.pii) {
                reply.tokens = ReplyTokenizer.tokens(of: scrubbed)
            } else {
                reply.finish = .error
            }
            reply.sourceDone = true
            if let before, let after = scriptState {
                reply.cacheTraits = ReplyTraits(
                    usedRandomness: before.random != after.random,
                    changedSessionState: before.variables != after.variables || before.topic != after.topic)
            } else {
                reply.cacheTraits = ReplyTraits(usedRandomness: true, changedSessionState: true)
            }
        case .declined:
            reply.sourceDone = true
            reply.finish = .error
        case .stream(let stream):
            reply.cacheTraits = ReplyTraits(usedRandomness: true, changedSessionState: true)
            reply.streamingScrubber = StreamingScrubber(
                configuration: Self.scrubberConfiguration(personality.pii))
            reply.engineStream = stream
            reply.starved = true
            let sessionID = session.id
            let number = reply.number
            stream.start { [weak self] event in self?.streamEvent(sessionID, reply: number, event) }
            // The stream may have delivered everything (and the reply ended) inside `start`.
            guard session.reply === reply else { return }
        }
        pump(session, now: now)
    }

    /// Sends every token that is due, schedules the next cadence tick, or ends the reply.
    ///
    /// Cadence: token `k` (from 0) of a reply is due at `paceStart + k × 1 s / tokens_per_second`
    /// (integer nanoseconds, computed from the anchor so rounding never drifts); the first is
    /// due when the reply starts, and `reply_end` follows the last token at once. At 0 tokens
    /// per second every available token goes out now, each in its own frame. After waiting for
    /// a streaming engine or a paused connection, the anchor moves so the next token is due now.
    func pump(_ session: ChatSession, now: PolicyInstant) {
        guard let reply = session.reply, session.cadenceTimer == nil else { return }
        let releasing = session.releaseTo != nil
        if !releasing, connections[session.connection]?.paused == true { return }
        // A session being handed to another hub has no reader here: no pacing.
        let rate = releasing ? 0 : Int64(session.bot?.personality.stream.tokensPerSecond ?? 0)
        if rate > 0, reply.starved {
            reply.paceStart = PolicyInstant(
                nanoseconds: now.nanoseconds - Int64(reply.sent) * 1_000_000_000 / rate)
            reply.starved = false
        }
        var maximum = session.limits.maxReplyTokens
        if let cap = session.replyTokenCap { maximum = min(maximum ?? cap, cap) }
        while true {
            if let maximum, reply.sent >= maximum, reply.sent < reply.tokens.count || !reply.sourceDone {
                return finishReply(session, reply, finish: .length, now: now)
            }
            guard reply.sent < reply.tokens.count else { break }
            if rate > 0 {
                let due = PolicyInstant(
                    nanoseconds: reply.paceStart.nanoseconds + Int64(reply.sent) * 1_000_000_000 / rate)
                if due > now {
                    session.cadenceTimer = schedule(.cadence(session.id), at: due)
                    return
                }
            }
            if reply.firstTokenAt == nil {
                // The clock is read again here: `now` is the instant this input arrived, so a
                // reply produced within one input (the script engine) would always measure 0,
                // while its client waited for decoding, the pipeline and the engine.
                let sentAt = clock.now()
                reply.firstTokenAt = sentAt
                counters.timeToFirstToken.record(sentAt.nanoseconds - reply.acceptedAt.nanoseconds)
            }
            send(
                session.connection,
                .token(session: session.id, reply: reply.number, delta: reply.tokens[reply.sent]))
            reply.sent += 1
            counters.tokensOut += 1
        }
        if reply.sourceDone {
            finishReply(session, reply, finish: reply.finish, now: now)
        } else {
            reply.starved = true
        }
    }

    /// Ends the reply in flight with `reply_end`, records it, and moves on (queued message,
    /// pending reload, ending session, drain).
    func finishReply(
        _ session: ChatSession, _ reply: ReplyInProgress, finish: FinishReason, now: PolicyInstant
    ) {
        closeReply(session, reply, finish: finish, now: now, notify: true)
        afterReply(session, now: now)
    }

    /// Ends the reply without moving on (used when the session itself is ending).
    func closeReply(
        _ session: ChatSession, _ reply: ReplyInProgress, finish: FinishReason, now: PolicyInstant,
        notify: Bool
    ) {
        guard session.reply === reply else { return }
        if !reply.sourceDone {
            reply.sourceDone = true
            reply.engineStream?.cancel()
        }
        reply.engineStream = nil
        cancel(session.cadenceTimer)
        session.cadenceTimer = nil
        session.reply = nil
        if notify {
            send(
                session.connection,
                .replyEnd(
                    session: session.id, reply: reply.number, seq: reply.seq, tokens: reply.sent,
                    finish: finish))
        }
        counters.replies[finish, default: 0] += 1
        counters.messagesOut += 1
        // Read afresh for the same reason as the first token's time (see `pump`).
        counters.replyLatency.record(clock.now().nanoseconds - reply.acceptedAt.nanoseconds)
        let sentTokens = reply.tokens.prefix(reply.sent)
        // A one-shot session leaves no transcript (its client holds the conversation).
        if !session.oneShot {
            var records: [StoreRecord] = [
                .turn(
                    StoredTurn(
                        session: session.id, seq: reply.seq, role: .bot, text: sentTokens.joined(), ref: reply.ref,
                        reply: reply.number, finish: finish, atMilliseconds: wallNow))
            ]
            // Only when it changed: recent inputs and replies are rebuilt from the turns on a
            // restart, so a reply that set no variable, changed no topic and drew no random number
            // costs no engine write.
            if let snapshot = engineSnapshot(session), snapshot != session.storedSnapshot {
                session.storedSnapshot = snapshot
                records.append(.engineState(session: session.id, snapshot, replies: session.replyCount))
            }
            store(records, .record, now: now)
        }
        if finish == .stop, !reply.fromCache, let key = reply.cacheKey, let bot = session.bot {
            let outcome = cache.store(
                key, tokens: Array(sentTokens), traits: reply.cacheTraits,
                policy: Self.cachePolicy(bot.personality.cache), now: now)
            if outcome == .stored {
                counters.cacheStores += 1
                if let shared = sharedCache, let sharedKey = reply.sharedCacheKey {
                    shared.store(sharedKey, tokens: Array(sentTokens), ttl: Self.cachePolicy(bot.personality.cache).ttl)
                }
            }
        }
    }

    /// What happens once a reply is over: a reload waiting for it, the queue, or the end.
    func afterReply(_ session: ChatSession, now: PolicyInstant) {
        guard sessions[session.id] === session else { return }
        if let bot = session.bot, bot.pendingUpdate {
            bot.pendingUpdate = false
            applySnapshot(to: session, now: now)
            guard sessions[session.id] === session else { return }
        }
        if session.releaseTo != nil { return finishRelease(session) }
        let answersQueue = session.state == .active || session.state == .ending(.limitReached)
        if !draining, answersQueue, !session.queue.isEmpty {
            let next = session.queue.removeFirst()
            return startReply(session, text: next.text, id: next.id, acceptedAt: next.acceptedAt, now: now)
        }
        if case .ending(let reason) = session.state {
            endSession(session, reason: reason, now: now)
        } else if draining {
            endSession(session, reason: .shutdown, now: now)
        }
    }

    /// An event from a streaming engine, on the loop thread, possibly outside any input.
    func streamEvent(_ sessionID: String, reply number: Int, _ event: TokenStreamEvent) {
        guard let session = sessions[sessionID], let reply = session.reply, reply.number == number,
            !reply.sourceDone,
            var scrubber = reply.streamingScrubber
        else { return }
        let now = clock.now()
        let before = scrubber.counters
        var released = ""
        switch event {
        case .token(let token):
            do {
                released = try scrubber.feed(token, session: &session.scrubSession)
            } catch {
                // Nothing unscrubbed is ever released: the reply ends here.
                reply.sourceDone = true
                reply.finish = .error
                reply.engineStream?.cancel()
            }
        case .finished:
            released = scrubber.finish(session: &session.scrubSession)
            reply.sourceDone = true
        case .declined, .failed:
            released = scrubber.finish(session: &session.scrubSession)
            reply.sourceDone = true
            reply.finish = .error
        }
        Self.addDifference(scrubber.counters, since: before, to: &counters.redactionsOutbound)
        reply.streamingScrubber = scrubber
        if !released.isEmpty { reply.tokens.append(contentsOf: ReplyTokenizer.tokens(of: released)) }
        pump(session, now: now)
        flushAsync()
    }

    /// A whole reply with PII replaced, or `nil` if the scrubber refused it.
    func scrubOutbound(_ session: ChatSession, _ text: String, pii: PIISettings) -> String? {
        var scrubber =
            outboundScrubbers.removeValue(forKey: pii)
            ?? Scrubber(configuration: Self.scrubberConfiguration(pii))
        defer { outboundScrubbers[pii] = scrubber }
        let before = scrubber.counters
        guard let scrubbed = try? scrubber.scrub(text, session: &session.scrubSession) else { return nil }
        Self.addDifference(scrubber.counters, since: before, to: &counters.redactionsOutbound)
        return scrubbed
    }

    /// The cache policy of a personality's `cache:` settings.
    static func cachePolicy(_ settings: CacheSettings) -> ResponseCachePolicy {
        ResponseCachePolicy(
            mode: settings.mode == .exact ? .exact : .off, ttl: settings.ttl,
            randomRepliesAreCacheSafe: settings.cacheUnsafeReplies,
            stateChangingRepliesAreCacheSafe: settings.cacheUnsafeReplies)
    }

    /// A digest of everything a script reply can depend on besides the input: variables, topic,
    /// and the remembered inputs and replies (`%previous`, `{input1}`…). Hasher is seeded per
    /// process, which is fine for an in-process cache.
    static func stateDigest(_ state: ScriptSessionState?) -> UInt64 {
        guard let state else { return 0 }
        var hasher = Hasher()
        for key in state.variables.keys.sorted() {
            hasher.combine(key)
            hasher.combine(state.variables[key])
        }
        hasher.combine(state.topic)
        hasher.combine(state.inputs)
        hasher.combine(state.replies)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }
}
