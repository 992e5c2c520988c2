import EmulatorFrontEnds
import Foundation
import Reporting
import Testing

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

/// Docs/emulator-control-plane.openapi.json describes exactly the routes the control plane serves.
@Suite("Control plane OpenAPI")
struct ControlPlaneDocTests {
    static let documentedRoutes: Set<String> = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/emulator-control-plane.openapi.json")
        let data = try! Data(contentsOf: url)
        let document = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        let paths = document["paths"] as! [String: [String: Any]]
        return Set(paths.flatMap { path, methods in methods.keys.map { "\($0.uppercased()) \(path)" } })
    }()

    @Test("the OpenAPI paths are the served routes")
    func sameRoutes() {
        #expect(Self.documentedRoutes == ControlPlane.routes(serving: EmulatorFrontEnds.registered))
    }

    @Test(
        "every documented route is served (not the unknown-route 404)",
        arguments: ControlPlane.routes(serving: EmulatorFrontEnds.registered).sorted()
    )
    func served(_ route: String) {
        let client = TestClient()
        let id = client.runTencent()
        let parts = route.split(separator: " ")
        let path = String(parts[1]).replacingOccurrences(of: "{account}", with: "alice")
            .replacingOccurrences(of: "{instance}", with: id)
        let answer = client.send(
            RawRequest(method: String(parts[0]), target: path, headers: [], body: Array("{}".utf8))
        )
        #expect(answer.json["Code"]?.text != "NotFound", "\(route): \(answer.response.bodyText)")
    }

    @Test("an undocumented route is a 404")
    func unknown() {
        let client = TestClient()
        #expect(client.control("DELETE", "clock").status == 404)
        #expect(client.control("GET", "nothing").status == 404)
    }
}
