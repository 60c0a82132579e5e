import Foundation
import PersonaTestSupport
import Testing

/// Runs `socketio_conformance.py` against a fresh `persona serve` with `serverArguments`;
/// returns the `ok NAME` lines and the run's output for failure messages.
func runSocketIOChecks(serverArguments: [String], interval: Int, timeout: Int, checks: [String] = []) throws
    -> (passed: [String], output: String)
{
    let (lines, output) = try runSocketIOClient(
        "socketio_conformance.py", serverArguments: serverArguments, extra: [String(interval), String(timeout)] + checks)
    let passed = lines.filter { $0.hasPrefix("ok ") }.map { String($0.dropFirst(3)) }
    return (passed, output)
}

@Suite(
    "Socket.IO conformance against persona serve --socketio-echo",
    .enabled(if: pythonWebsocketsAvailable, "python3 'websockets' is not installed (pip install websockets)"))
struct SocketIOConformanceTests {
    /// One entry per protocol rule, in the order the script runs them.
    static let rules = [
        "open_packet_polling", "open_packet_websocket", "bad_eio_is_400", "bad_transport_is_400",
        "bad_method_is_400", "unknown_sid_is_400", "polling_payload_framing", "one_get_at_a_time",
        "cancelled_get_closes_session", "heartbeat_polling", "heartbeat_timeout_polling", "heartbeat_websocket",
        "heartbeat_timeout_websocket", "client_close_polling", "client_close_websocket",
        "upgrade_without_loss_or_duplication", "probe_releases_pending_get_with_noop",
        "second_websocket_for_a_session_is_closed", "bad_packet_polling_closes_session",
        "bad_packet_websocket_closes_session", "payload_over_max_is_413", "websocket_message_over_max_closes",
        "cors_headers_and_preflight",
        "sio_connect_main_namespace_with_auth", "sio_auth_leaves_after_the_connect_answer",
        "sio_event_right_after_connect_gets_auth_first", "sio_connect_custom_namespace", "sio_unknown_namespace_refused",
        "sio_invalid_handshake_closes", "sio_no_handshake_closes", "sio_disconnect_custom_keeps_main",
        "sio_event_and_ack", "sio_binary_event_echoed", "sio_binary_ack_echoed",
        "sio_binary_event_echoed_on_polling",
    ]

    @Test("every Engine.IO and Socket.IO rule holds with the test suite's settings (pingInterval 300 ms, pingTimeout 200 ms)")
    func rules() throws {
        let (passed, output) = try runSocketIOChecks(
            serverArguments: [
                "--socketio-echo", "--socketio-ping-interval", "0.3", "--socketio-ping-timeout", "0.2",
                "--socketio-connect-timeout", "1",
            ], interval: 300, timeout: 200)
        #expect(passed == Self.rules, "\(output)")
    }

    @Test("the Engine.IO rules hold on the chat namespace too, and an upgrade in the middle of a streamed reply loses and duplicates no token")
    func chatNamespace() throws {
        let (passed, output) = try runSocketIOChecks(
            serverArguments: [
                "--personalities", chatFixtures, "--store", "memory", "--socketio-ping-interval", "300ms",
                "--socketio-ping-timeout", "200ms", "--socketio-connect-timeout", "1s",
            ], interval: 300, timeout: 200, checks: ["chat"])
        let engineRules = Self.rules.filter { !$0.hasPrefix("sio_") || $0 == "sio_invalid_handshake_closes" || $0 == "sio_no_handshake_closes" }
            .filter { !["polling_payload_framing", "upgrade_without_loss_or_duplication", "probe_releases_pending_get_with_noop", "second_websocket_for_a_session_is_closed", "payload_over_max_is_413", "websocket_message_over_max_closes"].contains($0) }
        #expect(
            passed == engineRules + [
                "chat_connect_and_welcome", "chat_event_ack_on_polling",
                "chat_upgrade_mid_reply_loses_and_duplicates_nothing", "chat_binary_refused_with_clear_error",
            ], "\(output)")
    }

    @Test("--socketio-echo also serves Engine.IO alone at /engine.io/: every message echoed on polling, WebSocket and after an upgrade, with no Socket.IO layer")
    func engineEcho() throws {
        let checks = [
            "engine_echo_polling_payload", "engine_echo_websocket_text_and_binary", "engine_echo_upgrade",
            "engine_echo_has_no_connect_timeout",
        ]
        let (passed, output) = try runSocketIOChecks(
            serverArguments: [
                "--socketio-echo", "--socketio-ping-interval", "0.3", "--socketio-ping-timeout", "0.2",
                "--socketio-connect-timeout", "1",
            ], interval: 300, timeout: 200, checks: checks)
        #expect(passed == checks, "\(output)")
    }

    @Test("sessions per address, the shared connection-rate limit and a CORS allow-list with credentials hold one past their edge")
    func limits() throws {
        let (passed, output) = try runSocketIOChecks(
            serverArguments: [
                "--socketio-echo", "--socketio-sessions-per-ip", "3", "--connection-rate", "1/min",
                "--connection-burst", "6", "--socketio-cors-origins", "https://a.example",
                "--socketio-cors-credentials",
            ], interval: 25_000, timeout: 20_000,
            checks: ["limits_sessions_per_address_and_connection_rate", "limits_cors_allow_list_with_credentials"])
        #expect(
            passed == ["limits_sessions_per_address_and_connection_rate", "limits_cors_allow_list_with_credentials"],
            "\(output)")
    }
}

/// Whether the official Python Socket.IO client is installed (CI installs the pinned version).
let pythonSocketIOAvailable: Bool = {
    guard
        let result = try? ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import socketio, websocket, requests"])
    else { return false }
    return result.status == 0
}()

/// Runs `Python/SCRIPT PORT extra…` against a fresh `persona serve` with `serverArguments`;
/// returns its stdout lines and a failure description.
func runSocketIOClient(_ script: String, serverArguments: [String], extra: [String] = []) throws
    -> (lines: [Substring], output: String)
{
    let server = try ServeProcess(serverArguments)
    defer { _ = server.stop() }
    let path = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Python/\(script)").path
    let result = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", path, String(server.port)] + extra)
    return (
        result.stdout.split(separator: "\n"),
        "status \(result.status)\nstdout: \(result.stdout)\nstderr: \(result.stderr)"
    )
}

@Suite(
    "python-socketio against persona serve --socketio-echo",
    .enabled(if: pythonSocketIOAvailable, "python-socketio[client] is not installed (pip install -r Tests/requirements.txt)"))
struct SocketIOEchoClientTests {
    @Test("the official client connects with its default transports (polling, then upgrade) and with websocket only; auth, events, acks and a refused namespace arrive as sent")
    func officialClient() throws {
        let (lines, output) = try runSocketIOClient("socketio_client_echo.py", serverArguments: ["--socketio-echo"])
        #expect(
            lines == [
                "ok default transports", "ok default transports refused namespace", "ok websocket only",
                "ok websocket only refused namespace",
            ], "\(output)")
    }
}

@Suite(
    "python-socketio chatting through persona serve",
    .enabled(if: pythonSocketIOAvailable, "python-socketio[client] is not installed (pip install -r Tests/requirements.txt)"))
struct SocketIOChatClientTests {
    @Test(
        "direct chat with streamed tokens, acks carrying ack/error payloads, two clients matched with typing, a random chat falling back to a bot, reconnect and resume, resume on /v1/ws and back, and a match with a /v1/ws client",
        arguments: ["default", "websocket"])
    func chat(transport: String) throws {
        let (lines, output) = try runSocketIOClient(
            "socketio_client_chat.py",
            serverArguments: ["--personalities", chatFixtures, "--matchmaking-timeout", "0.3", "--store", "memory"],
            extra: [transport])
        #expect(
            lines == [
                "ok direct: acked m1 and 3 tokens joined to 'hello alice'",
                "ok errors arrive as the ack's payload: unknown_session unknown_personality missing_field",
                "ok end acked with session_ended",
                "ok two clients matched; typing and messages relayed",
                "ok random chat fell back to parrot",
                "ok reconnected, resumed and got the missed reply replayed; a wrong token is refused",
                "ok a session started over Socket.IO resumed on /v1/ws and back, each door replaying what it missed",
                "ok a Socket.IO client and a /v1/ws client were matched and talked",
            ], "\(output)")
    }
}

@Suite(
    "python-socketio against the compatibility profiles",
    .enabled(if: pythonSocketIOAvailable, "python-socketio[client] is not installed (pip install -r Tests/requirements.txt)"))
struct SocketIOProfileClientTests {
    @Test("a scripted random-chat conversation (bot fallback, streamed partials, two humans) and a widget conversation (deployment key, echo, partials, typing, presence online and offline with the farewell, refused key) show every event of the README's tables", arguments: ["default", "websocket"])
    func profiles(transport: String) throws {
        let (lines, output) = try runSocketIOClient(
            "socketio_client_profiles.py",
            serverArguments: [
                "--personalities", chatFixtures, "--matchmaking-timeout", "0.3", "--store", "memory",
                "--socketio-deployment", "demo-key=parrot",
            ], extra: [transport])
        #expect(
            lines == [
                "ok random-chat: no human in time, bot session created and greeted",
                "ok random-chat: reply streamed as 3 partials and one final",
                "ok random-chat: ended with ai_chatbot_session_ended",
                "ok random-chat: two humans matched, typing and messages relayed, partner left",
                "ok widget: connected with the deployment's personality, assistant online, greeting",
                "ok widget: message echoed, answer streamed as 3 partials, typing shown",
                "ok widget: at the limit the farewell arrives, then the assistant goes offline",
                "ok widget: an unknown deployment key gets the error and a disconnect",
            ], "\(output)")
    }
}
