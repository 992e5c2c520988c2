import AliyunECS
import Foundation
import Inventory
import ReleaseCore
import TencentCVM
import Testing

/// Every state a DescribeInstances answer can show is read to the right phase and forecast (issue 24 §5): each
/// CVM `InstanceState` × `IsolatedSource` and each ECS `Status` × financial lock, taken from the vocabularies'
/// `allCases` (a new value is a new row, and a compile error in the expectations below until it is decided),
/// under each kind of billing. The expectations are stated from the documents, not from the reader.
@Suite("Every documented state is read to the right phase and forecast")
struct StateReadingTests {
    static let now = Instant(iso8601: "2026-11-24T23:00:00Z")!
    static let expiryAhead = Instant(iso8601: "2027-05-01T00:00:00Z")!
    static let expiryPast = Instant(iso8601: "2026-11-20T00:00:00Z")!
    /// A subscription is expired from the second of its expiry on (AD7/AD8, TD6): days ago, and exactly now.
    static let pastExpiries = [expiryPast, now]

    /// How the answer bills the instance, against `now`.
    enum Billing: CaseIterable, CustomStringConvertible {
        case payAsYouGo, subscriptionAhead, subscriptionPast
        var description: String {
            switch self {
            case .payAsYouGo: return "pay-as-you-go"
            case .subscriptionAhead: return "subscription expiring 2027-05-01"
            case .subscriptionPast: return "subscription expired 2026-11-20"
            }
        }
    }

    /// What the reader and the forecast should make of one answer.
    enum Expected: Equatable {
        /// Read as `observed`; the forecast's automatic events as `kind@time`, `~` after an upper bound.
        case read(InventoryInstance.Observed, events: [String])
        /// Not forecast: a problem at this field.
        case problem(field: String)
    }

    static func event(_ kind: DeadlineKind, _ at: Instant, atTheLatest: Bool = false) -> String {
        "\(kind)@\(at.iso8601)\(atTheLatest ? "~" : "")"
    }

    /// The launch phase an API state names (TD9; AD4's five states are the same words).
    static func phase(_ state: CVMInstanceAttributes.InstanceState) -> LaunchPhase? {
        switch state {
        case .pending: return .pending
        case .running: return .running
        case .starting: return .starting
        case .stopping: return .stopping
        case .stopped: return .stopped
        case .shutdown: return nil
        }
    }

    /// The launch phase an ECS Status names (AD4).
    static func phase(_ status: ECSInstanceAttributes.Status) -> LaunchPhase {
        switch status {
        case .pending: return .pending
        case .starting: return .starting
        case .running: return .running
        case .stopping: return .stopping
        case .stopped: return .stopped
        }
    }

    /// A live instance as read: a stopped one in KeepCharging, both providers' default stop mode (TD8, AD4).
    static func live(_ phase: LaunchPhase) -> InventoryInstance.Observed {
        .live(phase, phase == .stopped ? .keepCharging : nil)
    }

    /// CVM, from TD9/Q20 (SHUTDOWN with its IsolatedSource is isolation; a live instance is NOTISOLATED), T2 (a
    /// destroyed pay-as-you-go instance: 2 h in the bin; arrears: shut down at 2 h, released at 26 h), TD6 (an
    /// expired subscription: 7 days in the bin), TD1/TM6 (a returned subscription: 7 days in the bin).
    static func expectedCVM(
        _ state: CVMInstanceAttributes.InstanceState,
        _ source: CVMInstanceAttributes.IsolatedSource,
        _ billing: Billing,
        past: Instant = expiryPast
    ) -> Expected {
        switch (state, source) {
        case (.pending, .notIsolated), (.running, .notIsolated), (.starting, .notIsolated), (.stopping, .notIsolated),
            (.stopped, .notIsolated):
            switch billing {
            case .payAsYouGo: return .read(live(phase(state)!), events: [])
            case .subscriptionAhead:
                return .read(live(phase(state)!), events: [event(.subscriptionExpiry, expiryAhead)])
            // TD6: past its expiry a subscription is SHUTDOWN (EXPIRE): a live state says the answer is stale.
            case .subscriptionPast: return .problem(field: "ExpiredTime")
            }
        case (.pending, .arrear), (.pending, .expire), (.pending, .manmade), (.running, .arrear), (.running, .expire),
            (.running, .manmade), (.starting, .arrear), (.starting, .expire), (.starting, .manmade),
            (.stopping, .arrear), (.stopping, .expire), (.stopping, .manmade), (.stopped, .arrear),
            (.stopped, .expire), (.stopped, .manmade):
            return .problem(field: "IsolatedSource")
        case (.shutdown, .notIsolated):
            return .problem(field: "IsolatedSource")
        case (.shutdown, .manmade):
            switch billing {
            case .payAsYouGo:
                return .read(.recycleBin, events: [event(.recycleBinExpiry, now + .hours(2), atTheLatest: true)])
            case .subscriptionAhead:
                return .read(
                    .recycleBin,
                    events: [
                        event(.recycleBinExpiry, now + .days(7), atTheLatest: true),
                        event(.subscriptionExpiry, expiryAhead),
                    ]
                )
            case .subscriptionPast:
                // Returned before its expiry (TM6), so in the bin since a second before it at the latest.
                return .read(
                    .recycleBin,
                    events: [event(.recycleBinExpiry, past + .days(7) + Seconds(-1), atTheLatest: true)]
                )
            }
        case (.shutdown, .arrear):
            switch billing {
            case .payAsYouGo:
                return .read(
                    .arrears,
                    events: [
                        event(.arrearsShutdown, now + .hours(2), atTheLatest: true),
                        event(.arrearsRelease, now + .hours(26), atTheLatest: true),
                    ]
                )
            case .subscriptionAhead: return .read(.arrears, events: [event(.subscriptionExpiry, expiryAhead)])
            case .subscriptionPast: return .read(.arrears, events: [event(.recycleBinExpiry, past + .days(7))])
            }
        case (.shutdown, .expire):
            switch billing {
            case .payAsYouGo, .subscriptionAhead: return .problem(field: "IsolatedSource")
            case .subscriptionPast: return .read(.expired, events: [event(.recycleBinExpiry, past + .days(7))])
            }
        }
    }

    /// ECS, from AD4/AD8 (the five API states; an expired subscription is Stopped), AD6/A3 (LockReason financial:
    /// stopped for an overdue payment, released 15 days later), AD7 (an expired subscription is released 15 days
    /// after its expiry).
    static func expectedECS(
        _ status: ECSInstanceAttributes.Status,
        financial: Bool,
        _ billing: Billing,
        past: Instant = expiryPast
    ) -> Expected {
        let phase = Self.phase(status)
        switch (financial, billing) {
        case (true, .payAsYouGo):
            return .read(.arrears, events: [event(.arrearsRelease, now + .days(15), atTheLatest: true)])
        case (true, .subscriptionAhead): return .read(.arrears, events: [event(.subscriptionExpiry, expiryAhead)])
        case (true, .subscriptionPast): return .read(.arrears, events: [event(.expiredRelease, past + .days(15))])
        case (false, .payAsYouGo): return .read(live(phase), events: [])
        case (false, .subscriptionAhead): return .read(live(phase), events: [event(.subscriptionExpiry, expiryAhead)])
        case (false, .subscriptionPast):
            guard status == .stopped else { return .problem(field: "ExpiredTime") }
            return .read(.expired, events: [event(.expiredRelease, past + .days(15))])
        }
    }

    /// What the reader and the forecast make of one answer.
    static func actual(_ json: String) -> Expected? {
        let read = InventoryReader.read(Data(json.utf8), file: "answer.json", at: now)
        let forecast = Forecast.run(read.instances, timers: read.timers, problems: read.problems, at: now)
        if let problem = forecast.problems.first, forecast.instances.isEmpty {
            // `file: path.Field: why`: the field is the last path component before the reason.
            let located = problem.split(separator: ": ", maxSplits: 2).dropFirst().first ?? ""
            return .problem(field: String(located.split(separator: ".").last ?? ""))
        }
        guard read.instances.count == 1, let instance = read.instances.first, let forecast = forecast.instances.first
        else { return nil }
        return .read(
            instance.observed,
            events: forecast.events.map { "\($0.kind)@\($0.at.iso8601)\($0.atTheLatest ? "~" : "")" }
        )
    }

    @Test(
        "CVM: every InstanceState × IsolatedSource, under each billing",
        arguments: CVMInstanceAttributes.InstanceState.allCases,
        CVMInstanceAttributes.IsolatedSource.allCases
    )
    func cvm(state: CVMInstanceAttributes.InstanceState, source: CVMInstanceAttributes.IsolatedSource) {
        for billing in Billing.allCases {
            for past in Self.pastExpiries {
                let charge: String
                switch billing {
                case .payAsYouGo: charge = #""InstanceChargeType": "POSTPAID_BY_HOUR", "ExpiredTime": null"#
                case .subscriptionAhead:
                    charge = #""InstanceChargeType": "PREPAID", "ExpiredTime": "\#(Self.expiryAhead.iso8601)""#
                case .subscriptionPast:
                    charge = #""InstanceChargeType": "PREPAID", "ExpiredTime": "\#(past.iso8601)""#
                }
                let json = #"""
                    {"Response": {"InstanceSet": [{"InstanceId": "ins-1", "InstanceState": "\#(state.rawValue)", \#
                    "IsolatedSource": "\#(source.rawValue)", \#(charge)}]}}
                    """#
                #expect(
                    Self.actual(json) == Self.expectedCVM(state, source, billing, past: past),
                    "\(billing), \(past)"
                )
            }
        }
    }

    @Test(
        "ECS: every Status, with and without a financial lock, under each billing",
        arguments: ECSInstanceAttributes.Status.allCases,
        [false, true]
    )
    func ecs(status: ECSInstanceAttributes.Status, financial: Bool) {
        for billing in Billing.allCases {
            for past in Self.pastExpiries {
                let charge: String
                switch billing {
                case .payAsYouGo: charge = #""InstanceChargeType": "PostPaid", "ExpiredTime": "2099-12-31T15:59Z""#
                case .subscriptionAhead:
                    charge =
                        #""InstanceChargeType": "PrePaid", "ExpiredTime": "\#(ECSInstanceAttributes.timeText(Self.expiryAhead))""#
                case .subscriptionPast:
                    charge =
                        #""InstanceChargeType": "PrePaid", "ExpiredTime": "\#(ECSInstanceAttributes.timeText(past))""#
                }
                let lock = financial ? #", "OperationLocks": {"LockReason": [{"LockReason": "financial"}]}"# : ""
                let json = #"""
                    {"Instances": {"Instance": [{"InstanceId": "i-1", "Status": "\#(status.rawValue)", \#(charge)\#(lock)}]}}
                    """#
                #expect(
                    Self.actual(json) == Self.expectedECS(status, financial: financial, billing, past: past),
                    "\(billing), \(past)"
                )
            }
        }
    }

    /// AD4 (ECS `StoppedMode`) and TD8/TD9 (CVM `StopChargingMode`): a stopped instance is read in the mode its
    /// answer shows, StopCharging as stopped without charging and every other value (or none) as KeepCharging,
    /// both providers' default; an instance that is not stopped has no stop mode.
    @Test(
        "Both providers: every stop mode of every live state is read as the answer shows it",
        arguments: ECSInstanceAttributes.StoppedMode.allCases.map(Optional.some) + [nil]
    )
    func stopModes(mode: ECSInstanceAttributes.StoppedMode?) {
        for status in ECSInstanceAttributes.Status.allCases {
            let field = mode.map { #", "StoppedMode": "\#($0.rawValue)""# } ?? ""
            let json = #"""
                {"Instances": {"Instance": [{"InstanceId": "i-1", "Status": "\#(status.rawValue)", \#
                "InstanceChargeType": "PostPaid"\#(field)}]}}
                """#
            let phase = Self.phase(status)
            let stopped: StopChargingMode? =
                phase == .stopped ? (mode == .stopCharging ? .stopCharging : .keepCharging) : nil
            #expect(Self.actual(json) == .read(.live(phase, stopped), events: []), "ECS \(status)")
        }
        // The same three values in CVM's words.
        let cvmMode: CVMInstanceAttributes.StopChargingMode?
        switch mode {
        case .keepCharging?: cvmMode = .keepCharging
        case .stopCharging?: cvmMode = .stopCharging
        case .notApplicable?: cvmMode = .notApplicable
        case nil: cvmMode = nil
        }
        for state in CVMInstanceAttributes.InstanceState.allCases {
            guard let phase = Self.phase(state) else { continue }
            let field = cvmMode.map { #", "StopChargingMode": "\#($0.rawValue)""# } ?? ""
            let json = #"""
                {"Response": {"InstanceSet": [{"InstanceId": "ins-1", "InstanceState": "\#(state.rawValue)", \#
                "IsolatedSource": "NOTISOLATED", "InstanceChargeType": "POSTPAID_BY_HOUR"\#(field)}]}}
                """#
            let stopped: StopChargingMode? =
                phase == .stopped ? (cvmMode == .stopCharging ? .stopCharging : .keepCharging) : nil
            #expect(Self.actual(json) == .read(.live(phase, stopped), events: []), "CVM \(state)")
        }
    }
}
