import CLI
import HTTP1
import HTTPServer
import JSON
import PersonaServer

/// Where the admin commands (`reload`, `show`, `sessions`, `stats`) find the running server's
/// admin API and its token: flags first, then the environment, then the defaults — the
/// admin listener's default address and the token file `persona serve` wrote into its data
/// directory.
struct AdminEndpoint {
    /// The admin listener's default URL (`persona serve --admin-port` defaults to 8081).
    static let defaultURL = "http://127.0.0.1:8081"

    /// The options every admin command takes.
    static let options: [Option] = [
        .option(
            "admin-url", type: .string, default: defaultURL, environment: "PERSONA_ADMIN_URL",
            help: "The admin API of the running server (loopback only)."),
        .option(
            "token", type: .string, environment: "PERSONA_ADMIN_TOKEN",
            help: "The admin bearer token (default: read from <data-dir>/admin-token)."),
        .option(
            "data-dir", type: .string, default: "persona-data", environment: "PERSONA_DATA_DIR",
            help: "The server's data directory, where it wrote admin-token."),
        .format(help: "Plain tables for people, or the server's JSON for scripts."),
    ]

    /// `text` percent-encoded for one path segment (RFC 3986 §3.3: unreserved characters stay).
    static func pathSegment(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80, character.isLetter || character.isNumber || "-._~".contains(character) {
                encoded.append(character)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return encoded
    }

    /// The admin API's URL.
    var url: HTTPClientURL
    /// The bearer token.
    var token: String

    /// Resolves the URL and token from parsed values.
    init(_ values: ParsedValues) throws {
        let text = try values.string("admin-url")
        do {
            url = try HTTPClientURL(parsing: text)
        } catch {
            throw CommandFailure("--admin-url: \(error)", exitCode: .usageError)
        }
        if let given = values.stringIfPresent("token"), !given.isEmpty {
            token = given
        } else {
            let dataDirectory = try values.string("data-dir")
            guard let stored = AdminTokenFile.read(AdminTokenFile.path(in: dataDirectory)) else {
                throw CommandFailure(
                    "no admin token: pass --token, set PERSONA_ADMIN_TOKEN, or point --data-dir at the directory where "
                        + "'persona serve' wrote admin-token (looked in '\(AdminTokenFile.path(in: dataDirectory))')"
                )
            }
            token = stored
        }
    }

    /// Calls the admin API and returns the status and the parsed JSON body. A refused token
    /// or an unreachable server is a `CommandFailure` (exit 1) with what to do about it.
    func call(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) throws -> (status: Int, body: JSONValue) {
        let response: HTTPClient.Response
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        do {
            response = try HTTPClient.perform(
                method: method, url: url, path: path, headers: headers, body: body?.serializedBytes() ?? [],
                configuration: HTTPClient.Configuration(timeout: .seconds(300)))
        } catch {
            throw CommandFailure(
                "cannot reach the admin API at \(url): \(error) (is 'persona serve' running?)")
        }
        let body = (try? JSONValue(parsing: response.text)) ?? .null
        if response.status.code == 401 {
            throw CommandFailure(
                "the server refused the admin token (\(body["error"]?["message"]?.stringValue ?? "401"))")
        }
        return (response.status.code, body)
    }

    /// The server's error message in `body`, or the status.
    static func errorMessage(_ body: JSONValue, status: Int) -> String {
        body["error"]?["message"]?.stringValue ?? "the admin API answered \(status)"
    }
}
