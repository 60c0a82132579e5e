import Glibc
import HTTP1
import HTTPServer
import JSON

/// The admin API's key routes (behind the admin token, on the admin listener only):
///
/// | route | answer |
/// |---|---|
/// | `POST /admin/keys` `{"tenant", "tier"?, "personalities"?, "origins"?, "expires_in"?}` | 201 with the key's text (`key`, shown this once) and its record |
/// | `GET /admin/keys` | every key's record (never a secret or digest) |
/// | `DELETE /admin/keys/:id` | 200 with the revoked record; 404 if there is no such key |
public enum KeyAdminRoutes {
    /// Adds the routes to the admin `router`.
    public static func add(
        to router: inout HTTPRouter, ring: KeyRing, token: AdminToken,
        clock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }
    ) {
        router.post(
            "/admin/keys",
            AdminRoutes.guarded(token) { request in
                let now = clock()
                let object: JSONObject
                do {
                    guard case .object(let parsed) = try JSONValue(parsing: String(decoding: request.body, as: UTF8.self)) else {
                        return .response(invalid("the body must be a JSON object"))
                    }
                    object = parsed
                } catch {
                    return .response(invalid("the body is not JSON"))
                }
                for name in object.keys where !["tenant", "tier", "personalities", "origins", "expires_in"].contains(name) {
                    return .response(invalid("unknown member '\(name)'"))
                }
                guard let tenant = object["tenant"]?.stringValue else { return .response(invalid("'tenant' is required")) }
                let expiresIn = object["expires_in"]?.int64Value
                if object["expires_in"] != nil, (expiresIn ?? 0) <= 0 {
                    return .response(invalid("'expires_in' must be a positive number of seconds"))
                }
                let request = KeyRing.Request(
                    tenant: tenant, tier: object["tier"]?.stringValue,
                    personalities: object["personalities"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    origins: object["origins"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    expiresAt: expiresIn.map { now + $0 })
                do throws(KeyRing.Refusal) {
                    let (key, text) = try ring.create(request, now: now)
                    var body = record(key, now: now)
                    body["key"] = .string(text)
                    return .response(.json(JSONValue.object(body).serialized(), status: HTTPStatus(code: 201)))
                } catch {
                    return .response(refusal(error))
                }
            })
        router.get(
            "/admin/keys",
            AdminRoutes.guarded(token) { _ in
                let now = clock()
                let list = JSONValue.array(ring.list().map { .object(record($0, now: now)) })
                return .response(.json(JSONValue.object(["keys": list]).serialized()))
            })
        router.on(
            .delete, "/admin/keys/:id",
            AdminRoutes.guarded(token) { request in
                let id = request.pathParameters["id"] ?? ""
                do throws(KeyRing.Refusal) {
                    guard let key = try ring.revoke(id) else {
                        return .response(.error(.notFound, code: "unknown_key", message: "no key '\(id.prefix(64))'"))
                    }
                    return .response(.json(JSONValue.object(record(key, now: clock())).serialized()))
                } catch {
                    return .response(refusal(error))
                }
            })
    }

    /// A key's public record: everything but the digest.
    static func record(_ key: APIKey, now: Int64) -> JSONObject {
        let status = key.revoked ? "revoked" : (key.isUsable(at: now) ? "active" : "expired")
        return JSONObject([
            ("id", .string(key.id)), ("tenant", .string(key.tenant)),
            ("tier", key.tier.map(JSONValue.string) ?? .null),
            ("personalities", .array(key.personalities.map(JSONValue.string))),
            ("origins", .array(key.origins.map(JSONValue.string))),
            ("created_at", .integer(key.createdAt)),
            ("expires_at", key.expiresAt.map(JSONValue.integer) ?? .null),
            ("status", .string(status)),
        ])
    }

    private static func invalid(_ message: String) -> HTTPResponse {
        .error(HTTPStatus(code: 400), code: "invalid_field", message: message)
    }

    private static func refusal(_ error: KeyRing.Refusal) -> HTTPResponse {
        switch error {
        case .invalid(let message): return invalid(message)
        case .full(let count): return .error(HTTPStatus(code: 409), code: "too_many_keys", message: "the server holds \(count) keys")
        case .unwritable(let message): return .error(HTTPStatus(code: 500), code: "keys_unwritable", message: message)
        }
    }
}
