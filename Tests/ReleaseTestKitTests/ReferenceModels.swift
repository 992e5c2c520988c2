import AliyunECS
import ReleaseCore
import TencentCVM

/// Deliberately simple reference models, written from ../shared/docs/provider-semantics.md (not from the
/// provider modules), to compare with the real machines step by step. They track only what they must:
/// phase, protection, timers, and the answer to each command.
protocol ReferenceModel {
    var phase: Phase { get }
    var timers: [DeadlineKind: Instant] { get }
    /// Applies a command; returns nil when accepted, or the provider's error code.
    mutating func command(_ command: Command, at now: Instant) -> String?
    mutating func event(_ event: Event, at now: Instant)
    mutating func fire(_ kind: DeadlineKind, at now: Instant)
}

extension ReferenceModel {
    /// Fires due timers in time order; at the same second in the documented kind order.
    mutating func advance(to time: Instant) {
        while let next = timers.filter({ $0.value <= time }).min(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
            fire(next.key, at: next.value)
        }
    }
}

/// Aliyun ECS (fact sheet §2, product decisions): seed profile `stoppedRetention == nil`, 2024 profile 15 d.
struct AliyunReference: ReferenceModel {
    var phase: Phase
    var timers: [DeadlineKind: Instant] = [:]
    var isProtected: Bool
    var isPayAsYouGo: Bool
    var expiresAt: Instant?
    let stoppedRetention: Seconds?
    var isLocked = false
    var isOverdue = false
    var suspendedForOverdue = false
    var phaseBeforeOverdueStop = Phase.running
    var refunded = false
    var publicAddress: PublicAddress
    /// Whether the instance was last stopped in economical mode (AD4: its fixed public IP is given up).
    var stoppedWithoutCharge = false

    init(_ instance: InstanceDescription, phase: LaunchPhase, newer: Bool) {
        self.phase = phase.phase
        isProtected = instance.isProtected
        isPayAsYouGo = instance.charge.isPayAsYouGo
        publicAddress = instance.publicAddress
        if case .subscription(let expiry) = instance.charge {
            expiresAt = expiry
            timers[.subscriptionExpiry] = expiry
        } else {
            expiresAt = nil
        }
        stoppedRetention = newer ? .days(15) : nil
    }

    mutating func release() {
        phase = .released
        timers = [:]
    }

    mutating func command(_ command: Command, at now: Instant) -> String? {
        // Issue 23: each API's own not-found code; ECS has no restore API at all.
        if case .restore = command { return "InvalidAction.NotFound" }
        if phase == .released {
            switch command {
            case .scheduleRelease, .cancelScheduledRelease: return "NoSuchResource"
            default: return "InvalidInstanceId.NotFound"
            }
        }
        switch command {
        case .restore: return "InvalidAction.NotFound"
        case .stop(_, let mode):
            if isLocked { return "InstanceLockedForSecurity" }
            if phase == .suspended { return "InstanceExpiredOrInArrears" }
            guard phase == .running else { return "IncorrectInstanceStatus" }
            phase = .stopped
            stoppedWithoutCharge = mode == .stopCharging
        case .start:
            if isLocked { return "InstanceLockedForSecurity" }
            if phase == .suspended { return "InstanceExpired" }
            guard phase == .stopped else { return "IncorrectInstanceStatus" }
            phase = .running
            stoppedWithoutCharge = false
        case .release(let flags):
            if !flags.subtracting([.force, .graceful, .terminateSubscription, .dryRun]).isEmpty {
                return "InvalidParameter"
            }
            if isLocked { return "InstanceLockedForSecurity" }
            if let expiresAt {
                if (now < expiresAt && !refunded) || !flags.contains(.terminateSubscription) {
                    return "ChargeTypeViolation"
                }
            }
            if isProtected { return "InvalidOperation.DeletionProtection" }
            if phase == .pending { return "IncorrectInstanceStatus.Initializing" }
            if [.running, .starting, .stopping].contains(phase) && !flags.contains(.force) {
                return "IncorrectInstanceStatus"
            }
            if flags.contains(.dryRun) { return "DryRunOperation" }
            release()
        case .scheduleRelease(let at):
            guard isPayAsYouGo else { return "ChargeTypeViolation" }
            let effective = Instant(secondsSince1970: at.secondsSince1970 - ((at.secondsSince1970 % 60) + 60) % 60)
            guard effective >= now + .minutes(30), effective <= now.addingCalendarYears(3) else {
                return "InvalidAutoReleaseTime.Malformed"
            }
            timers[.scheduledRelease] = effective
        case .cancelScheduledRelease:
            // AD3: the same ModifyInstanceAutoReleaseTime call, pay-as-you-go only.
            guard isPayAsYouGo else { return "ChargeTypeViolation" }
            timers[.scheduledRelease] = nil
        case .setProtection(let on):
            guard isPayAsYouGo else { return "ChargeTypeViolation" }
            isProtected = on
        case .renew(let until):
            // AM3: subscriptions only, not refunded, ending later; an expiry stop is undone.
            guard let current = expiresAt, !refunded, until > max(now, current) else { return "ChargeTypeViolation" }
            expiresAt = until
            timers[.expiredRelease] = nil
            timers[.subscriptionExpiry] = until
            if phase == .suspended && !suspendedForOverdue { phase = .running }
        case .convertToPayAsYouGo:
            // AD19: Running or Stopped, not expired; AM5: the other codes; a subscription only.
            if phase == .suspended {
                return suspendedForOverdue || refunded ? "InvalidStatus.ValueNotSupported" : "ExpiredInstance"
            }
            guard phase == .running || phase == .stopped, !isLocked else { return "InvalidStatus.ValueNotSupported" }
            guard !isPayAsYouGo else { return "InvalidInstanceChargeType.ValueNotSupported" }
            isPayAsYouGo = true
            expiresAt = nil
            timers[.subscriptionExpiry] = nil
            timers[.expiredRelease] = nil
        case .unsubscribe:
            // AM7: an unexpired subscription not yet refunded; then it waits stopped for release (AD8).
            guard !isPayAsYouGo, let expiresAt, now < expiresAt, !refunded else { return "ChargeTypeViolation" }
            if phase == .suspended { return "IncorrectInstanceStatus" }
            phase = .suspended
            refunded = true
            timers[.subscriptionExpiry] = nil
        case .convertPublicIPToElasticIP:
            // AD20: Running or Stopped, not overdue, not expiring within 24 h, a fixed public IP; AM6 the rest.
            if phase == .suspended {
                if suspendedForOverdue { return "InvalidInstance.OverduePayment" }
                return refunded ? "IncorrectInstanceStatus" : "InvalidEndTime.OperateNotSupport"
            }
            guard phase == .running || phase == .stopped, !isLocked else { return "IncorrectInstanceStatus" }
            if let expiresAt, expiresAt - now < .hours(24) { return "InvalidEndTime.OperateNotSupport" }
            switch publicAddress {
            case .elasticIP: return "OperationDenied"
            case .none: return "InvalidInstance.ZeroBandwidth"
            case .fixedPublicIP:
                if phase == .stopped && stoppedWithoutCharge && isPayAsYouGo { return "InvalidInstance.ZeroBandwidth" }
            }
            publicAddress = .elasticIP
        }
        return nil
    }

    mutating func event(_ event: Event, at now: Instant) {
        guard phase != .released else { return }
        switch event {
        case .arrearsBegan:
            guard isPayAsYouGo, !isOverdue else { return }
            isOverdue = true
            timers[stoppedRetention == nil ? .arrearsRelease : .arrearsShutdown] = now + .days(15)
        case .balanceRestored:
            guard isOverdue else { return }
            isOverdue = false
            timers[.arrearsShutdown] = nil
            timers[.arrearsRelease] = nil
            if phase == .suspended && suspendedForOverdue {
                phase = phaseBeforeOverdueStop
                suspendedForOverdue = false
            }
        case .transitionCompleted:
            if phase == .pending || phase == .starting { phase = .running }
            if phase == .stopping { phase = .stopped }
        case .provider(.securityLocked): isLocked = true
        case .systemRelease: release()
        case .provider(.subscriptionRefunded):
            // Seed 001: refunded-and-stopped subscriptions wait for a release with TerminateSubscription.
            guard let expiresAt, now < expiresAt, phase != .suspended else { return }
            phase = .suspended
            refunded = true
            timers[.subscriptionExpiry] = nil
        case .provider: break  // no other event of ECS's own
        case .deadlineReached: break
        }
    }

    mutating func fire(_ kind: DeadlineKind, at now: Instant) {
        timers[kind] = nil
        switch kind {
        case .scheduledRelease, .arrearsRelease, .expiredRelease: release()
        case .arrearsShutdown:
            phaseBeforeOverdueStop = (phase == .stopped || phase == .stopping) ? .stopped : .running
            phase = .suspended
            suspendedForOverdue = true
            timers[.arrearsRelease] = now + stoppedRetention!
        case .subscriptionExpiry:
            phase = .suspended
            suspendedForOverdue = false
            timers[.expiredRelease] = now + .days(15)
        default: break  // another provider's kind: never set here
        }
    }
}

/// Tencent CVM (fact sheet §3, product decisions): seed arrears 2 h + 24 h, 2025 profile 2 h + 15 d.
struct TencentReference: ReferenceModel {
    var phase: Phase
    var timers: [DeadlineKind: Instant] = [:]
    var isProtected: Bool
    var isPayAsYouGo: Bool
    let shutdownPeriod: Seconds
    /// Whether the instance was last stopped without charge (TD10): it stays so in the bin and in arrears.
    var stoppedWithoutCharge = false
    var publicAddress: PublicAddress
    var inArrears = false
    var binForExpiry = false
    var expiresAt: Instant?
    /// The phase a top-up brings back after an arrears shutdown (TM8).
    var phaseBeforeShutdown = Phase.running

    init(_ instance: InstanceDescription, phase: LaunchPhase, newer: Bool) {
        self.phase = phase.phase
        isProtected = instance.isProtected
        isPayAsYouGo = instance.charge.isPayAsYouGo
        publicAddress = instance.publicAddress
        if case .subscription(let expiry) = instance.charge {
            timers[.subscriptionExpiry] = expiry
            expiresAt = expiry
        }
        shutdownPeriod = newer ? .days(15) : .hours(24)
    }

    var stateCode: String {
        let word: String
        switch phase {
        case .pending: word = "Pending"
        case .starting: word = "Starting"
        case .running: word = "Running"
        case .stopping: word = "Stopping"
        case .stopped: word = "Stopped"
        case .suspended, .recycleBin: word = "Shutdown"
        case .released: word = "Terminated"
        }
        return "UnsupportedOperation.InstanceState" + word
    }

    mutating func release() {
        phase = .released
        timers = [:]
    }

    /// TM6: the bin keeps the other timers (a scheduled destruction still releases when due).
    mutating func enterBin(for retention: Seconds, expired: Bool, at now: Instant) {
        phase = .recycleBin
        binForExpiry = expired
        timers[.recycleBinExpiry] = now + retention
    }

    mutating func command(_ command: Command, at now: Instant) -> String? {
        if phase == .released {
            if case .cancelScheduledRelease = command { return "ResourceNotFound" }
            return "InvalidInstanceId.NotFound"
        }
        switch command {
        case .stop(_, let mode):
            guard phase == .running else { return stateCode }
            phase = .stopped
            stoppedWithoutCharge = mode == .stopCharging
        case .start:
            if phase == .suspended { return "UnsupportedOperation.InstanceStateShutdown" }
            guard phase == .stopped else { return stateCode }
            phase = .running
            stoppedWithoutCharge = false
        case .release(let flags):
            if !flags.subtracting([.immediately, .releaseAddress]).isEmpty { return "UnknownParameter" }
            if isProtected { return "UnsupportedOperation.InstancesProtected" }
            if [.pending, .starting, .stopping].contains(phase) { return stateCode }
            if phase == .recycleBin {
                release()
            } else if isPayAsYouGo {
                if flags.contains(.immediately) || inArrears {
                    release()
                } else {
                    enterBin(for: .hours(2), expired: false, at: now)
                }
            } else {
                if flags.contains(.immediately) { return "UnsupportedOperation.InstanceChargeType" }
                enterBin(for: .days(7), expired: false, at: now)
            }
        case .scheduleRelease(let at):
            // Seed 002: pay-as-you-go, not in the bin, account not in arrears (定时销毁（未欠费）).
            guard isPayAsYouGo, phase != .recycleBin, !inArrears else {
                return "UnsupportedOperation.NotSupportImportInstancesActionTimer"
            }
            guard at > now + .minutes(5) else { return "InvalidParameterValue" }
            timers[.scheduledRelease] = at
        case .cancelScheduledRelease:
            timers[.scheduledRelease] = nil
        case .setProtection(let on):
            if phase == .recycleBin { return stateCode }
            if timers[.scheduledRelease] != nil {
                return "UnsupportedOperation.InvalidInstanceNotSupportedProtectedInstance"
            }
            isProtected = on
        case .restore:
            if phase == .suspended { return "InvalidAccount.InsufficientBalance" }
            guard phase == .recycleBin else { return stateCode }
            if inArrears && isPayAsYouGo { return "InvalidAccount.InsufficientBalance" }
            if binForExpiry { return "UnsupportedOperation.InstanceChargeType" }
            phase = .stopped
            timers[.recycleBinExpiry] = nil
        case .renew(let until):
            // TM5: subscriptions only; a returned one in the bin is restored, not renewed; must end later.
            guard let current = expiresAt else { return "UnsupportedOperation.InstanceChargeType" }
            if phase == .recycleBin && !binForExpiry { return "InvalidInstance.NotSupported" }
            guard until > max(now, current) else { return "InvalidParameterValue" }
            expiresAt = until
            if phase == .recycleBin {
                phase = .stopped
                timers[.recycleBinExpiry] = nil
            }
            timers[.subscriptionExpiry] = until
        case .convertToPayAsYouGo:
            // TD12: RUNNING or STOPPED, not shut down without charge, no scheduled destruction; TM10 the codes.
            if phase == .pending || phase == .starting { return "OperationDenied.InstanceOperationInProgress" }
            guard phase == .running || phase == .stopped else { return stateCode }
            if phase == .stopped && stoppedWithoutCharge { return "UnsupportedOperation.InstanceChargeType" }
            guard !isPayAsYouGo, timers[.scheduledRelease] == nil else {
                return "UnsupportedOperation.InstanceChargeType"
            }
            isPayAsYouGo = true
            expiresAt = nil
            timers[.subscriptionExpiry] = nil
        case .unsubscribe:
            // TM12: returning a subscription is TerminateInstances on it.
            guard !isPayAsYouGo else { return "UnsupportedOperation.InstanceChargeType" }
            return self.command(.release([]), at: now)
        case .convertPublicIPToElasticIP:
            // TD13 and TM11: RUNNING or STOPPED, an ordinary public IP (none after a no-charge shutdown, TD10).
            guard phase == .running || phase == .stopped else { return "InvalidParameterValue.InvalidInstanceState" }
            switch publicAddress {
            case .elasticIP: return "InvalidInstanceId.AlreadyBindEip"
            case .none: return "InvalidParameterValue.InstanceNoWanIP"
            case .fixedPublicIP:
                if phase == .stopped && stoppedWithoutCharge && isPayAsYouGo {
                    return "InvalidParameterValue.InstanceNoWanIP"
                }
            }
            publicAddress = .elasticIP
        }
        return nil
    }

    mutating func event(_ event: Event, at now: Instant) {
        guard phase != .released else { return }
        switch event {
        case .arrearsBegan:
            guard !inArrears else { return }
            inArrears = true
            guard isPayAsYouGo, [.pending, .starting, .running, .stopping, .stopped].contains(phase) else { return }
            timers[.arrearsShutdown] = now + .hours(2)
            timers[.arrearsRelease] = now + .hours(2) + shutdownPeriod
        case .balanceRestored:
            guard inArrears else { return }
            inArrears = false
            timers[.arrearsShutdown] = nil
            timers[.arrearsRelease] = nil
            if phase == .suspended { phase = phaseBeforeShutdown }
        case .transitionCompleted:
            if phase == .pending || phase == .starting { phase = .running }
            if phase == .stopping { phase = .stopped }
        case .provider: break  // ECS's security lock and refund change nothing on CVM
        case .systemRelease: release()
        case .deadlineReached: break
        }
    }

    mutating func fire(_ kind: DeadlineKind, at now: Instant) {
        timers[kind] = nil
        switch kind {
        case .scheduledRelease, .recycleBinExpiry, .arrearsRelease: release()
        case .arrearsShutdown:
            phaseBeforeShutdown = (phase == .stopped || phase == .stopping) ? .stopped : .running
            phase = .suspended
        case .subscriptionExpiry:
            // TM6: a returned subscription that expires in the bin becomes an expired one there.
            if phase == .recycleBin {
                binForExpiry = true
            } else {
                enterBin(for: .days(7), expired: true, at: now)
            }
        default: break  // another provider's kind: never set here
        }
    }
}
