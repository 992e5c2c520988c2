package import EmulatorCore
import Foundation
package import ProviderRegistry
package import ReleaseCore
package import Reporting

/// What the generator knows of the emulator it drives: the instances it can name, read from the control
/// plane's snapshot (so the generator needs no access to the emulator's insides).
package struct KnownState {
    /// Instance ids by their provider's id (`aliyun`).
    package var ids: [String: [String]] = [:]
    package var now: Instant

    package init(snapshot: JSONValue) {
        now = snapshot["now"]?.text.flatMap { Instant(iso8601: $0) } ?? Instant(secondsSince1970: 0)
        guard case .array(let instances)? = snapshot["instances"] else { return }
        for instance in instances {
            guard let id = instance["instance"]?.text, let provider = instance["provider"]?.text else { continue }
            ids[provider, default: []].append(id)
        }
    }

    /// The ids of `kind`'s instances.
    package func ids(of kind: ProviderModel.Kind) -> [String] { ids[kind.rawValue] ?? [] }
}

/// Seeded requests for every action the front ends serve (each front end writes its own:
/// ``EmulatorFrontEnd/fuzzRequest(ids:now:keys:wallClock:choices:)``) and for the control plane: mostly valid,
/// with the extreme values each parameter allows, and a share mutated in the ways a careless or hostile client
/// sends (wrong types, huge or empty values, names repeated or nested thousands deep, other methods, broken
/// encodings). The same seed gives the same requests against the same states.
package struct RequestGenerator {
    private var choices: FuzzChoices
    /// The front ends requests are written for, each with the keys its requests are signed with.
    package let frontEnds: [(frontEnd: any EmulatorFrontEnd.Type, keys: [SigningKey])]

    package init(seed: UInt64, frontEnds: [(frontEnd: any EmulatorFrontEnd.Type, keys: [SigningKey])]) {
        choices = FuzzChoices(seed: seed)
        self.frontEnds = frontEnds
    }

    private mutating func below(_ bound: Int) -> Int { choices.below(bound) }
    private mutating func chance(_ percent: Int) -> Bool { choices.chance(percent) }
    private mutating func pick<T>(_ values: [T]) -> T { choices.pick(values) }
    private mutating func id(_ known: [String], prefix: String) -> String { choices.id(known, prefix: prefix) }

    // MARK: Requests

    /// The next request against `known`, signed at `wallClock`; with `mutate`, a share of them changed after
    /// signing (for an emulator that accepts any key, so the changed request still reaches its action).
    package mutating func next(_ known: KnownState, wallClock: Instant, mutate: Bool) -> RawRequest {
        var request: RawRequest
        if below(10) < 8, !frontEnds.isEmpty {
            let (frontEnd, keys) = pick(frontEnds)
            request = frontEnd.fuzzRequest(
                ids: known.ids(of: frontEnd.kind),
                now: known.now,
                keys: keys,
                wallClock: wallClock,
                choices: &choices
            )
        } else {
            request = control(known)
        }
        if mutate, chance(35) { request = mutated(request) }
        return request
    }

    private mutating func control(_ known: KnownState) -> RawRequest {
        let accounts = ["alice", "bob"]
        let (method, path, body): (String, String, JSONValue?)
        switch below(10) {
        case 0...4:
            let seconds = pick([0, 1, 59, 60, 1_800, 3_600, 7_200, 86_400, 93_600, 86_400 * 16, 86_400 * 400])
            (method, path, body) = ("POST", "clock", .object([("advance", .int(Int64(seconds)))]))
        case 5:
            (method, path, body) = ("POST", "accounts/\(pick(accounts))/arrears", nil)
        case 6:
            (method, path, body) = ("POST", "accounts/\(pick(accounts))/topup", nil)
        case 7:
            // A restore, from a front end with a recycle bin, else a path no front end serves.
            let binned = frontEnds.map(\.frontEnd).filter { $0.restoresFromRecycleBin }
            let frontEnd = binned.isEmpty ? nil : pick(binned)
            let kind = frontEnd?.kind.rawValue ?? "nobody"
            let prefix = frontEnd?.instanceIDShape.prefix ?? ""
            (method, path, body) = (
                "POST", "\(kind)/instances/\(id(known.ids[kind] ?? [], prefix: prefix))/restore", nil
            )
        case 8:
            (method, path, body) = ("GET", "instances", nil)
        default:
            let frontEnd = frontEnds.isEmpty ? nil : pick(frontEnds).frontEnd
            (method, path, body) = (
                "POST", "instances",
                .object([
                    ("provider", .string(frontEnd?.kind.rawValue ?? "nobody")), ("account", .string(pick(accounts))),
                    ("region", .string(frontEnd?.exampleRegion ?? "nowhere")),
                    ("id", .string("seeded-\(below(8))")),
                ])
            )
        }
        return RawRequest(
            method: method,
            target: "/_cloudrelease/" + path,
            headers: [("Content-Type", "application/json")],
            body: body.map { Array($0.serialized.utf8) } ?? []
        )
    }

    // MARK: Mutations

    /// The request changed in one of the ways the emulator must survive.
    package mutating func mutated(_ original: RawRequest) -> RawRequest {
        var request = original
        switch below(12) {
        case 0:
            request.method = pick(["HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "get"])
        case 1:
            // A flat name nested deeper than any API, or thousands deep.
            let parts = pick([9, 64, 5_500])
            request.target += "&" + Array(repeating: "A", count: parts).joined(separator: ".") + "=1"
        case 2:
            // Many names in one request.
            let count = pick([999, 1_001, 4_000])
            request.target += (0..<count).map { "&F\($0 % 97).\($0 / 97).Name=v" }.joined()
        case 3:
            request.target += pick(["&%zz=1", "&=", "&&&", "&Action=", "&A=1&A.0=2", "&Key.100000=x"])
        case 4:
            // A value far larger than any parameter takes.
            request.target += "&ImageId=" + String(repeating: "i", count: pick([65, 100_000]))
        case 5:
            request.body = Array(request.body.prefix(below(max(request.body.count, 1))))
        case 6:
            request.body = Array(pick(["{", "[]", "null", "{\"InstanceIds\": {}}", "{\"InstanceIds\": [1, 2]}"]).utf8)
        case 7:
            request.headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            request.body = Array("RegionId=cn-hangzhou&Amount=3".utf8)
        case 8, 9, 10:
            // A change in one front end's own wire terms (a nonce too long, its action header gone, a version it
            // does not have); a request of another front end's goes through unchanged.
            for (frontEnd, _) in frontEnds { request = frontEnd.fuzzMutation(of: request, choices: &choices) }
        default:
            request.target = "/" + String(repeating: "a", count: pick([1, 4_096]))
        }
        return request
    }
}
