import Foundation
package import ProviderRegistry
import ReleaseCore
package import Reporting

/// A fault injected through the control plane (`/_cloudrelease/faults`, Docs/Emulator.md "Faults on demand"):
/// the next matching requests, or a seeded share of them, fail the way the cloud fails, so a client's retries
/// are exercised. An injected fault changes no state and is journaled.
package struct Fault: Codable, Sendable, Equatable {
    /// How the request fails.
    package enum Kind: String, Codable, Sendable, CaseIterable {
        /// The provider's throttling answer: ECS `Throttling.User`, CVM `RequestLimitExceeded`.
        case throttle
        /// The provider's internal error: ECS `InternalError` (HTTP 500), CVM `InternalError`.
        case internalError
        /// A transient refusal of an instance busy with another operation: ECS `IncorrectInstanceStatus`
        /// (HTTP 403), CVM `OperationDenied.InstanceOperationInProgress`.
        case instanceBusy
        /// The request is served, but its answer leaves after `latencyMilliseconds`.
        case latency
        /// The connection is closed without an answer, and nothing is done.
        case drop
    }

    package var id: String
    package var kind: Kind
    /// Which requests it hits: every given condition must hold.
    var provider: ProviderModel.Kind?
    package var action: String?
    package var account: String?
    var instance: String?
    /// Hit only the next `remaining` matching requests (then the fault is gone)…
    var remaining: Int?
    /// …or this share of them, drawn from `seed` and the number of matching requests seen (reproducible).
    var rate: Double?
    var seed: UInt64?
    package var latencyMilliseconds: Int?
    /// Matching requests seen, and how many of them it failed.
    var matched = 0
    var injected = 0

    /// The JSON the control plane shows.
    package var json: JSONValue {
        var members: [(String, JSONValue)] = [("id", .string(id)), ("fault", .string(kind.rawValue))]
        if let provider { members.append(("provider", .string(provider.rawValue))) }
        if let action { members.append(("action", .string(action))) }
        if let account { members.append(("account", .string(account))) }
        if let instance { members.append(("instance", .string(instance))) }
        if let remaining { members.append(("remaining", .int(Int64(remaining)))) }
        if let rate { members.append(("rate", .double(rate))) }
        if let seed { members.append(("seed", .int(Int64(truncatingIfNeeded: seed)))) }
        if let latencyMilliseconds { members.append(("latencyMilliseconds", .int(Int64(latencyMilliseconds)))) }
        members += [("matched", .int(Int64(matched))), ("injected", .int(Int64(injected)))]
        return .object(members)
    }

    /// Whether the fault fires for this matching request (and counts it).
    mutating func fires() -> Bool {
        matched += 1
        if let remaining {
            guard remaining > 0 else { return false }
            self.remaining = remaining - 1
            injected += 1
            return true
        }
        var random = SplitMix64(seed: (seed ?? 0) &+ UInt64(matched))
        let draw = Double(random.next() >> 11) / Double(1 << 53)
        guard draw < (rate ?? 1) else { return false }
        injected += 1
        return true
    }

    /// Reads `POST /_cloudrelease/faults`'s body.
    init(body: JSONValue, id: String, providers: [ProviderModel.Kind]) throws(APIError) {
        func text(_ name: String) throws(APIError) -> String? {
            guard let value = body[name] else { return nil }
            guard case .string(let text) = value, Journal.isTraceField(text) else {
                throw APIError("InvalidBody", "\(name) must be 1 to 128 printable ASCII characters without commas.")
            }
            return text
        }
        guard let kindName = try text("fault"), let kind = Kind(rawValue: kindName) else {
            throw APIError("InvalidBody", "fault must be one of \(Kind.allCases.map(\.rawValue)).")
        }
        self.id = id
        self.kind = kind
        if let name = try text("provider") {
            guard let provider = ProviderModel.Kind(rawValue: name, among: providers) else {
                throw APIError("InvalidBody", "provider must be one of \(providers.map(\.rawValue)).")
            }
            self.provider = provider
        }
        action = try text("action")
        account = try text("account")
        instance = try text("instance")
        switch (body["count"], body["rate"]) {
        case (.int(let count)?, nil) where (1...1_000_000).contains(count):
            remaining = Int(count)
        case (nil, let value?):
            let share: Double
            switch value {
            case .double(let number): share = number
            case .int(let number): share = Double(number)
            default: throw APIError("InvalidBody", "rate must be a number from 0 to 1.")
            }
            guard share > 0, share <= 1 else { throw APIError("InvalidBody", "rate must be above 0 and at most 1.") }
            rate = share
            guard case .int(let number)? = body["seed"], number >= 0 else {
                throw APIError("InvalidBody", "a rate needs a seed (a whole number from 0), so a run can be repeated.")
            }
            seed = UInt64(number)
        default:
            throw APIError("InvalidBody", "give exactly one of count (1 to 1000000 requests) or rate with seed.")
        }
        if kind == .latency {
            guard case .int(let milliseconds)? = body["latencyMilliseconds"], (1...60_000).contains(milliseconds) else {
                throw APIError("InvalidBody", "a latency fault needs latencyMilliseconds from 1 to 60000.")
            }
            latencyMilliseconds = Int(milliseconds)
        } else if body["latencyMilliseconds"] != nil {
            throw APIError("InvalidBody", "latencyMilliseconds goes with a latency fault only.")
        }
    }
}

extension Emulator {
    /// The request a fault looks at: its provider, action, account and the instances it names.
    package struct FaultTarget {
        var provider: ProviderModel.Kind
        package var action: String
        package var account: String
        var instances: [String]

        /// Every stored property, as the memberwise initialiser takes them (package: front ends build it).
        package init(
            provider: ProviderModel.Kind,
            action: String,
            account: String,
            instances: [String],
        ) {
            self.provider = provider
            self.action = action
            self.account = account
            self.instances = instances
        }
    }

    /// The first fault that fires for a request, counted and journaled; nil when none does.
    package mutating func injectedFault(for target: FaultTarget, requestID: String) -> Fault? {
        guard !faults.isEmpty else { return nil }
        // A matching fault counts the request even when it does not fire (a rate's next draw depends on it), so
        // the counts are journaled whenever one matched.
        var counted = false
        defer { if counted { journalFaults() } }
        for index in faults.indices {
            let fault = faults[index]
            guard fault.provider.map({ $0 == target.provider }) ?? true,
                fault.action.map({ $0 == target.action }) ?? true,
                fault.account.map({ $0 == target.account }) ?? true,
                fault.instance.map({ target.instances.contains($0) }) ?? true
            else { continue }
            counted = true
            guard faults[index].fires() else { continue }
            let fired = faults[index]
            if fired.remaining == 0 { faults.remove(at: index) }
            let entry = JSONValue.object([
                ("fault", .string(fired.id)), ("kind", .string(fired.kind.rawValue)),
                ("action", .string(target.action)), ("account", .string(target.account)),
                ("requestId", .string(requestID)),
            ])
            journal.directive("faulted", entry.serialized)
            return fired
        }
        return nil
    }

    /// The most faults at once: each API request looks at every one.
    static let maximumFaults = 100

    /// Journals every fault as it stands (a restart continues their counts and draws).
    mutating func journalFaults() {
        guard let data = try? Journal.encoder.encode(faults) else { return }
        journal.directive("faults", String(decoding: data, as: UTF8.self))
    }

    /// `/_cloudrelease/faults`: list, add, clear all or one.
    mutating func handleFaults(method: String, parts: [String], request: RawRequest) throws(APIError) -> JSONValue {
        switch (method, parts.count) {
        case ("GET", 1):
            return .object([("faults", .array(faults.map(\.json)))])
        case ("POST", 1):
            guard faults.count < Self.maximumFaults else {
                throw APIError("InvalidBody", "At most \(Self.maximumFaults) faults at once: clear some first.")
            }
            let fault = try Fault(
                body: try Self.controlBody(request),
                id: "fault-\(faultCounter + 1)",
                providers: configuration.kinds
            )
            faultCounter += 1
            faults.append(fault)
            journalFaults()
            return fault.json
        case ("DELETE", 1):
            let cleared = faults.count
            faults.removeAll()
            journalFaults()
            return .object([("cleared", .int(Int64(cleared)))])
        case ("DELETE", 2):
            guard let index = faults.firstIndex(where: { $0.id == parts[1] }) else {
                throw APIError("InvalidFault.NotFound", status: 404, "No fault \(parts[1].prefix(64)).")
            }
            faults.remove(at: index)
            journalFaults()
            return .object([("cleared", .int(1))])
        default:
            throw APIError("NotFound", status: 404, "No control-plane route \(method) \(request.path.prefix(200)).")
        }
    }
}
