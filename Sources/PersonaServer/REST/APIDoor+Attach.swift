import ChatProtocol
import HTTPServer
import PersonaRuntime
import Reactor

extension APIDoor {
    /// What a call that needs the session on the REST door found: the session held on one of
    /// the door's virtual connections, or what stays of it after it ended.
    enum Attachment {
        case held(RESTSession)
        case ended(EndedRESTSession)
    }

    /// Holds `session` in `table`: frames the hub sends to its connection go through the table,
    /// and the connection is closed once it holds nothing more (the session ended, or a
    /// `/v1/ws` client resumed it).
    func hold(_ session: RESTSession, in table: RESTSessionTable, shell: HubShell) {
        table.add(session)
        let connection = session.connection
        connection.receive = { [unowned table] message in
            guard table.route(message, for: session) else { return }
            // Nothing more for it: drop the closure (it holds the session) and close after this batch.
            connection.receive = { _ in }
            shell.loop.executeOnLoop { shell.closeVirtual(connection.id) }
        }
    }

    /// Finds session `id` for a call with `token`, on the hub's loop (`shell`), attached to the
    /// REST door: the session the door already holds, or — when it does not (created or last
    /// resumed over `/v1/ws`, or held before a restart) — the session resumed onto a new
    /// virtual connection with `resume`, exactly as a `/v1/ws` client resumes it. The hub checks
    /// the token against the hash it and the store keep; a session held by a WebSocket gets
    /// `session_detached` there. No turns are replayed (`last_seq` is past every turn): a REST
    /// client reads them with `GET …/messages`.
    ///
    /// Answers `found` (on the hub's loop) or `refuse` (any thread; the door renders it in its
    /// own shape): unknown id or wrong token 404, the hub's other refusals (shutting down,
    /// moving between hubs) with their status.
    func attach(
        _ id: String, token: String, client: ClientIdentity, hub index: Int,
        refuse: @escaping @Sendable (APIError) -> Void, found: @escaping (Attachment) -> Void
    ) {
        let shell = shells[index].value
        let table = restTables[index].value
        // The hub refuses another tenant's resume; what this door holds is checked by the table.
        switch table.lookup(id, token: token, tenant: client.tenant) {
        case .live(let session)?:
            return found(.held(session))
        case .ended(let ended)?: return found(.ended(ended))
        case nil: break
        }
        guard table.hasRoom else {
            return refuse(
                APIError(
                    status: 429, code: ErrorCode.tooManySessions.rawValue,
                    "this server holds \(configuration.maxRESTSessions) REST sessions per loop"))
        }
        var connection: VirtualConnection?
        connection = shell.openVirtual(client: client) { message in
            guard let current = connection else { return }
            switch message {
            case .sessionResumed(let start, _) where start.session == id:
                connection = nil
                let session = RESTSession(
                    id: id, personality: start.personality?.id ?? "", connection: current,
                    tokenHash: ChatHub.tokenHash(token))
                session.tenant = client.tenant
                session.withHuman = start.kind == .human
                self.hold(session, in: table, shell: shell)
                found(.held(session))
            case .error(let report):
                connection = nil
                shell.loop.executeOnLoop { shell.closeVirtual(current.id) }
                switch report.code {
                case .invalidResumeToken, .unknownSession:
                    refuse(Self.unknownSession(id))
                case .sessionExpired:
                    self.endedInStore(
                        id, token: token, tenant: client.tenant, hub: index, refuse: refuse, found: found)
                default:
                    refuse(APIError(report))
                }
            default:
                break
            }
        }
        if let current = connection {
            shell.deliver(.resume(session: id, token: token, lastSeq: Int(Int32.max)), on: current.id)
        }
    }

    /// A session the hub refused to resume because it ended: its end as the store has it,
    /// remembered in the table (back on the hub's loop).
    /// Another tenant's session is unknown, as for a wrong token.
    private func endedInStore(
        _ id: String, token: String, tenant: String?, hub index: Int,
        refuse: @escaping @Sendable (APIError) -> Void, found: @escaping (Attachment) -> Void
    ) {
        let bound = LoopBound(found, loop: shells[index].loop)
        let table = restTables[index]
        stores[index].load(id) { result in
            guard case .success(let stored?) = result, let reason = stored.endReason,
                KeySecret.digestsEqual(stored.header.resumeTokenHash, ChatHub.tokenHash(token)),
                stored.header.tenant == tenant
            else { return refuse(Self.unknownSession(id)) }
            let ended = EndedRESTSession(
                id: id, personality: stored.header.personalityID ?? "",
                tokenHash: stored.header.resumeTokenHash, tenant: stored.header.tenant,
                reason: reason, farewell: nil)
            bound.loop.execute {
                table.value.remember(ended)
                bound.value(.ended(ended))
            }
        }
    }
}
