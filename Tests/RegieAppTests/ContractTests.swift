import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RegieDomain
import Testing

@testable import RegieApp

@Suite("The OpenAPI contract")
struct ContractTests {
    /// Route paths in OpenAPI form.
    static func openAPIPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }

    @Test("the document is published without a token, as OpenAPI 3.1 with contact and the API-Version as its version")
    func published() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            try await client.execute(uri: "/v1/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(document["openapi"] as? String == "3.1.0")
                let info = try #require(document["info"] as? [String: Any])
                #expect(info["version"] as? String == response.headers[.apiVersion])
                #expect(info["contact"] != nil)
                let paths = try #require(document["paths"] as? [String: Any])
                #expect(paths["/v1/gemeenten/{gemeentecode}/toestemmingen"] != nil)
            }
        }
        await app.pool.close()
    }

    @Test("every route is documented and every documented operation is a route, with the same roles")
    func documentMatchesRouter() async throws {
        let app = try await TestApp.make()
        let routes = buildRoutes(app.dependencies).routes
        let routed = Set(routes.map { "\($0.method.rawValue.lowercased()) \(Self.openAPIPath($0.path))" })
        let documented = Set(OpenAPIDocument.operations.map { "\($0.method) \($0.path)" })
        #expect(routed.subtracting(documented).isEmpty, "undocumented: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "not routed: \(documented.subtracting(routed).sorted())")
        for route in routes {
            let operation = OpenAPIDocument.operations.first {
                $0.method == route.method.rawValue.lowercased() && $0.path == Self.openAPIPath(route.path)
            }
            #expect(operation?.roles == route.roles, "\(route.method) \(route.path)")
            if route.roles != nil {
                #expect(operation?.responses.contains(401) == true, "\(route.method) \(route.path) documents no 401")
                #expect(operation?.responses.contains(403) == true, "\(route.method) \(route.path) documents no 403")
            }
        }
        await app.pool.close()
    }
}
