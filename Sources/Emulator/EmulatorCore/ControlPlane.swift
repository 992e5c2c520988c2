import FleetReplay
import Foundation
import ProviderRegistry
import ReleaseCore
package import Reporting

/// The emulator's own API under `/_cloudrelease/` (Docs/Emulator.md, Docs/emulator-control-plane.openapi.json):
/// the virtual clock, account events no cloud API can trigger, the console's restore, a dump, a reset.
enum ControlPlane {
    static let prefix = "/_cloudrelease/"

    /// Every route an emulator serving `frontEnds` has, as Docs/emulator-control-plane.openapi.json documents it
    /// for the registry's (a test holds the two together): the shared ones, and a restore route for each provider
    /// with a recycle bin (``EmulatorFrontEnd/restoresFromRecycleBin``).
    static func routes(serving frontEnds: [any EmulatorFrontEnd.Type]) -> Set<String> {
        let shared: Set<String> = [
            "GET /_cloudrelease/clock", "POST /_cloudrelease/clock",
            "POST /_cloudrelease/accounts/{account}/arrears", "POST /_cloudrelease/accounts/{account}/topup",
            "GET /_cloudrelease/instances", "POST /_cloudrelease/instances", "POST /_cloudrelease/reset",
            "GET /_cloudrelease/faults", "POST /_cloudrelease/faults", "DELETE /_cloudrelease/faults",
            "DELETE /_cloudrelease/faults/{fault}", "GET /_cloudrelease/", "GET /_cloudrelease/changes",
        ]
        return shared.union(
            frontEnds.filter { $0.restoresFromRecycleBin }.map {
                "POST /_cloudrelease/\($0.kind.rawValue)/instances/{instance}/restore"
            }
        )
    }

    /// How many of the journal's last lines `GET /_cloudrelease/changes` (and the live page) shows.
    static let recentChangesKept = 100
}

extension Emulator {
    mutating func handleControl(_ request: RawRequest, requestID: String, wallClock: Instant) -> RawResponse {
        let parts = request.path.dropFirst(ControlPlane.prefix.count).split(separator: "/").map(String.init)
        let method = request.method.uppercased()
        if method == "GET", parts.isEmpty {
            return LivePage.response(
                language: LivePage.language(query: request.rawQuery, default: configuration.language)
            )
        }
        do throws(APIError) {
            let body: JSONValue
            switch (method, parts.first, parts.count) {
            case ("GET", "changes", 1):
                body = .object([("now", .string(now.iso8601)), ("changes", .array(recentChanges.map { .string($0) }))])
            case ("GET", "clock", 1):
                body = clockJSON([])
            case ("POST", "clock", 1):
                body = try moveClock(try Self.controlBody(request))
            case ("POST", "accounts", 3) where parts[2] == "arrears" || parts[2] == "topup":
                guard Journal.isTraceField(parts[1]) else {
                    throw APIError(
                        "InvalidAccount",
                        "an account is 1 to 128 printable ASCII characters without commas."
                    )
                }
                let event: Event = parts[2] == "arrears" ? .arrearsBegan : .balanceRestored
                let before = fleet.timeline?.count ?? 0
                fleet.deliver(event, toAccount: parts[1], at: now)
                journal.record(
                    TraceRecord(
                        time: now,
                        account: parts[1],
                        instance: "",
                        operation: event == .arrearsBegan ? .arrears : .topUp
                    )
                )
                body = .object([
                    ("account", .string(parts[1])), ("event", .string(parts[2])),
                    ("effects", timelineJSON(from: before)),
                ])
            case ("POST", let provider?, 4)
            where parts[1] == "instances" && parts[3] == "restore"
                && configuration.frontEnds.contains(where: { $0.restoresFromRecycleBin && $0.kind.rawValue == provider }
                ):
                let id = parts[2]
                guard let record = records[id], record.kind.rawValue == provider, machine(record).phase != .released
                else {
                    let code =
                        ProviderModel.Kind(rawValue: provider, among: configuration.kinds)?.providerType.notFoundCode
                        .rawValue ?? "NotFound"
                    throw APIError(code, status: 404, "No \(provider) instance \(id.prefix(64)).")
                }
                do {
                    let effects = try perform(.restore, on: id)
                    body = .object([
                        ("instance", .string(id)), ("phase", .string(machine(record).phase.rawValue)),
                        ("rules", .array(effects.citedSources.map { .string($0) })),
                    ])
                } catch {
                    throw APIError(error.code.rawValue, status: 409, error.message, rules: [error.source.code])
                }
            case ("POST", "instances", 1):
                body = try seedInstance(try Self.controlBody(request), requestID: requestID)
            case ("GET", "instances", 1):
                body = .object([("now", .string(now.iso8601)), ("instances", .array(order.compactMap(instanceDump)))])
            case (_, "faults", _):
                body = try handleFaults(method: method, parts: parts, request: request)
            case ("POST", "reset", 1):
                self = Emulator(configuration: configuration, wallClock: wallClock)
                journal.startsOver = true
                body = .object([("now", .string(now.iso8601))])
            default:
                throw APIError("NotFound", status: 404, "No control-plane route \(method) \(request.path.prefix(200)).")
            }
            return Self.json(200, body)
        } catch {
            var response = Self.plainError(error.status, error.code, error.message, requestID)
            if !error.rules.isEmpty {
                response.headers.append(("X-CloudRelease-Rules", error.rules.joined(separator: ",")))
            }
            return response
        }
    }

    /// `POST /_cloudrelease/instances` `{"provider", "account", "region", "id", "expires"?, "protected"?,
    /// "address"?: "none" | "fixed" | "eip", "dataDisks"?: [{"deleteWithInstance": Bool}], "snapshots"?:
    /// ["automatic" | "manual"]}`: an instance with a known id, as if created earlier (to run scripts written
    /// against existing ids, such as seed 004's `i-1111`), with the resources whose fates a release decides.
    mutating func seedInstance(_ body: JSONValue, requestID: String) throws(APIError) -> JSONValue {
        func text(_ name: String) throws(APIError) -> String {
            guard case .string(let value)? = body[name], Journal.isTraceField(value) else {
                throw APIError("InvalidBody", "\(name) must be 1 to 128 printable ASCII characters without commas.")
            }
            return value
        }
        guard let kind = ProviderModel.Kind(rawValue: try text("provider"), among: configuration.kinds) else {
            throw APIError(
                "InvalidBody",
                "provider must be one of \(configuration.frontEnds.map { $0.kind.rawValue })."
            )
        }
        var charge = ChargeType.payAsYouGo
        if body["expires"] != nil {
            guard let expiry = Instant(iso8601: try text("expires")), expiry > now else {
                throw APIError("InvalidBody", "expires must be a YYYY-MM-DDTHH:MM:SSZ instant after the clock's now.")
            }
            charge = .subscription(expiresAt: expiry)
        }
        var order = LaunchOrder(
            kind: kind,
            account: try text("account"),
            region: try text("region"),
            charge: charge,
            phase: .running
        )
        order.ids = [try text("id")]
        if case .bool(let flag)? = body["protected"] { order.isProtected = flag }
        switch body["address"] {
        case nil, .string("none")?: break
        case .string("fixed")?: order.hasPublicIP = true
        case .string("eip")?: order.isElasticIP = true
        default: throw APIError("InvalidBody", "address must be none, fixed or eip.")
        }
        if let disks = body["dataDisks"] {
            guard case .array(let list) = disks, list.count <= 16 else {
                throw APIError("InvalidBody", "dataDisks must be a list of at most 16 {\"deleteWithInstance\": Bool}.")
            }
            for disk in list {
                guard case .bool(let flag)? = disk["deleteWithInstance"] else {
                    throw APIError("InvalidBody", "each of dataDisks needs \"deleteWithInstance\": true or false.")
                }
                order.dataDisks.append((flag, false))
            }
        }
        if let snapshots = body["snapshots"] {
            guard case .array(let list) = snapshots, list.count <= 16 else {
                throw APIError("InvalidBody", "snapshots must be a list of at most 16 of automatic and manual.")
            }
            for snapshot in list {
                guard case .string(let word) = snapshot, let kind = SnapshotKind(rawValue: word) else {
                    throw APIError("InvalidBody", "each of snapshots must be automatic or manual.")
                }
                order.snapshots.append(kind)
            }
        }
        order.requestID = requestID
        let (ids, rules) = try launch(order)
        return .object([("instances", .array(ids)), ("rules", .array(rules.map { .string($0) }))])
    }

    static func controlBody(_ request: RawRequest) throws(APIError) -> JSONValue {
        guard !request.body.isEmpty else { return .object([]) }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(request.body)), case .object = value
        else {
            throw APIError("InvalidBody", "The body must be a JSON object.")
        }
        return value
    }

    /// `{"advance": seconds | "PT2H"-style duration}` or `{"set": ISO-8601}`: fires every due deadline in
    /// order; time never goes backwards.
    mutating func moveClock(_ body: JSONValue) throws(APIError) -> JSONValue {
        let target: Instant
        switch (body["advance"], body["set"]) {
        case (let advance?, nil):
            let seconds: Seconds
            switch advance {
            case .int(let count): seconds = Seconds(count)
            case .string(let text):
                guard let parsed = TimeText.duration(text) else {
                    throw APIError(
                        "InvalidBody",
                        "advance: \(text.prefix(40)) is not a number of seconds or a duration such as 2h or 26h."
                    )
                }
                seconds = parsed
            default: throw APIError("InvalidBody", "advance must be a number of seconds or a duration string.")
            }
            guard seconds.count >= 0 else {
                throw APIError("InvalidBody", "advance must not be negative: time never goes backwards.")
            }
            guard let moved = now.checkedAdding(seconds) else {
                throw APIError("InvalidBody", "advance would leave the supported range (years 1970 to 9999).")
            }
            target = moved
        case (nil, .string(let text)?):
            guard let instant = Instant(iso8601: text) else {
                throw APIError("InvalidBody", "set: \(text.prefix(40)) is not YYYY-MM-DDTHH:MM:SSZ.")
            }
            guard instant >= now else {
                throw APIError(
                    "InvalidBody",
                    "set: \(text) is before the clock's \(now.iso8601): time never goes backwards."
                )
            }
            target = instant
        default:
            throw APIError("InvalidBody", "give exactly one of advance (seconds) or set (an ISO-8601 instant).")
        }
        let before = fleet.timeline?.count ?? 0
        let startedAt = now
        fleet.advance(to: target)
        journal.directive("clock", target.iso8601)
        clockLead = clockLead + (target - startedAt)
        return clockJSON(timelineJSONEntries(from: before))
    }

    func clockJSON(_ fired: [JSONValue]) -> JSONValue {
        .object([
            ("now", .string(now.iso8601)), ("mode", .string(configuration.clockRuns ? "running" : "frozen")),
            ("fired", .array(fired)),
        ])
    }

    func timelineJSON(from start: Int) -> JSONValue { .array(timelineJSONEntries(from: start)) }

    /// The timeline entries since `start`: what fired, when, to which instance, with the rules it cited.
    func timelineJSONEntries(from start: Int) -> [JSONValue] {
        guard let timeline = fleet.timeline, start < timeline.count else { return [] }
        return timeline[start...].map { entry in
            let machine = fleet[entry.instance]
            let cause: String
            switch entry.cause {
            case .launch: cause = "launch"
            case .command(let command): cause = CommandWord(command).rawValue
            case .event(.deadlineReached(let deadline)): cause = deadline.kind.rawValue
            case .event(let event): cause = event.name ?? "event"
            }
            var phaseAfter = machine.phase.rawValue
            for case .phaseChanged(_, let to) in entry.effects { phaseAfter = to.rawValue }
            return .object([
                ("at", .string(entry.at.iso8601)), ("instance", .string(machine.instance.id)),
                ("account", .string(fleet.account(of: entry.instance))),
                ("provider", .string(machine.provider.rawValue)),
                ("cause", .string(cause)), ("phaseAfter", .string(phaseAfter)),
                ("rules", .array(entry.effects.citedSources.map { .string($0) })),
            ])
        }
    }

    /// One instance as `GET /_cloudrelease/instances` lists it: every field a client can read through either API
    /// (name, zone, type, image, spot, disks, public address, times, the latest operation, the timer) beside the
    /// model's phase, protection and deadlines.
    func instanceDump(_ id: String) -> JSONValue? {
        guard let record = records[id] else { return nil }
        let machine = machine(record)
        let description = machine.instance
        return .object([
            ("instance", .string(id)), ("provider", .string(machine.provider.rawValue)),
            ("account", .string(record.account)),
            ("region", .string(record.region)), ("phase", .string(machine.phase.rawValue)),
            ("apiStatus", .string(machine.apiStatus)), ("protected", .bool(machine.isProtected)),
            (
                "deadlines",
                .array(
                    machine.pendingDeadlines.map {
                        .object([("kind", .string($0.kind.rawValue)), ("at", .string($0.at.iso8601))])
                    }
                )
            ),
            ("name", .string(record.name)), ("zone", .string(record.zone)),
            ("instanceType", .string(record.instanceType)), ("imageId", .string(record.imageID)),
            ("spot", .bool(record.isSpot)), ("publicAddress", .string(description.publicAddress.rawValue)),
            (
                "disks",
                .array(
                    description.disks.map {
                        .object([
                            ("id", .string($0.id)), ("role", .string($0.role.rawValue)),
                            ("deleteWithInstance", .bool($0.deleteWithInstance)),
                        ])
                    }
                )
            ),
            ("created", .string(record.createdAt.iso8601)),
            ("started", record.startedAt.map { .string($0.iso8601) } ?? .null),
            ("latestOperation", record.latestOperation.map { .string($0.name) } ?? .null),
            ("actionTimer", record.actionTimerID.map { .string($0) } ?? .null),
            ("meters", .array(machine.runningMeters.all.map { .string(Self.meterName($0, of: description)) })),
        ])
    }

    /// A meter as the live page and the listing name it: `compute`, `elasticIP`, `disk:<id>`, `snapshot:<id>`.
    static func meterName(_ meter: Meter, of instance: InstanceDescription) -> String {
        switch meter {
        case .compute: return "compute"
        case .elasticIP: return "elasticIP"
        case .disk(let index):
            return "disk:" + (instance.disks.indices.contains(index) ? instance.disks[index].id : String(index))
        case .snapshot(let index):
            return "snapshot:"
                + (instance.snapshots.indices.contains(index) ? instance.snapshots[index].id : String(index))
        }
    }

    /// Everything a client can observe, for comparing two emulators: the control plane's listing, each instance as
    /// its provider's DescribeInstances shows it, the ClientToken answers, the accounts in arrears and the clock.
    /// A refused request leaves it unchanged; a restart from the journal rebuilds it exactly.
    package func snapshot() -> JSONValue {
        .object([
            ("now", .string(now.iso8601)),
            ("instances", .array(order.compactMap(instanceDump))),
            (
                "described",
                .array(
                    order.compactMap { id -> JSONValue? in
                        guard let record = records[id] else { return nil }
                        return configuration.frontEnd(record.kind).describedInstance(record, in: self)
                    }
                )
            ),
            (
                "clientTokens",
                .object(clientTokens.keys.sorted().map { ($0, clientTokens[$0]?.journalForm ?? .null) })
            ),
            ("faults", .array(faults.map(\.json))),
            // The counters decide the ids of the next instances and timers, so a restart must keep them too.
            (
                "counters",
                .object([
                    ("instances", .int(Int64(instanceCounter))), ("timers", .int(Int64(timerCounter))),
                    ("faults", .int(Int64(faultCounter))),
                ])
            ),
            (
                "accountsInArrears",
                .array(fleet.accounts.filter { fleet.standing(of: $0) == .inArrears }.map { .string($0) })
            ),
        ])
    }
}
