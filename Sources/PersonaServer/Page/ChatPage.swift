import HTTP1
import HTTPServer
import Policies

/// The chat page at `/`: plain HTML, CSS and JavaScript compiled into the binary (no build
/// step, no CDN, works offline). A reference client of the `/v1/ws` protocol and the REST
/// personality list.
///
/// Every asset is answered with its type, `Cache-Control: no-cache` (browsers keep it and
/// revalidate), a strong `ETag` (a conditional request gets `304`), and a
/// Content-Security-Policy that allows only the server itself: no inline script or style, no
/// other origin, no framing.
enum ChatPage {
    /// One embedded file.
    struct Asset: Sendable {
        let path: String
        let contentType: String
        let body: [UInt8]
        let etag: String

        init(_ path: String, _ contentType: String, _ text: String) {
            self.path = path
            self.contentType = contentType
            self.body = Array(text.utf8)
            self.etag = "\"" + String(KeySecret.digest(text).prefix(20)) + "\""
        }
    }

    /// The policy: scripts, styles, images and connections (including `ws:`/`wss:` to the same
    /// host, CSP Level 3 §6.7.2.8) from this origin only.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    static let assets: [Asset] = [
        Asset("/", "text/html; charset=utf-8", PageHTML.text),
        Asset("/app.js", "text/javascript; charset=utf-8", PageScript.text),
        Asset("/app.css", "text/css; charset=utf-8", PageStyle.text),
        Asset("/icon.svg", "image/svg+xml", PageIcon.text),
    ]

    /// Adds a `GET` route per asset.
    static func addRoutes(to router: inout HTTPRouter) {
        for asset in assets {
            router.get(asset.path) { request in .response(response(for: asset, request: request)) }
        }
    }

    /// The asset, or `304` when the request's `If-None-Match` names its ETag.
    static func response(for asset: Asset, request: HTTPRequest) -> HTTPResponse {
        var headers: HTTPHeaders = [
            "Content-Type": asset.contentType,
            "Cache-Control": "no-cache",
            "ETag": asset.etag,
            "Content-Security-Policy": contentSecurityPolicy,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        ]
        let tags = request.headers.listElements(for: "If-None-Match")
        if tags.contains(asset.etag) || tags.contains("*") {
            return HTTPResponse(status: HTTPStatus(code: 304), headers: headers)
        }
        headers.add(name: "X-Frame-Options", value: "DENY")
        return HTTPResponse(status: .ok, headers: headers, body: asset.body)
    }
}
