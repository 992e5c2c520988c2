import AliyunECS
import ReleaseCore
import TestSupport
import Testing

/// ConvertNatPublicIpToEip (AD20, AM6; seed 001: 规避方法：将固定公网IP转为弹性公网IP).
@Suite("Aliyun fixed public IP to EIP")
struct AliyunAddressConversionTests {
    @Test(
        "AD20/A1: a Running or Stopped instance's fixed IP becomes an EIP that bills from the conversion and is kept when the instance is released",
        arguments: [LaunchPhase.running, .stopped]
    )
    func converts(phase: LaunchPhase) throws {
        var simulation = try launch(InstanceDescription(id: "i-1", publicAddress: .fixedPublicIP), phase: phase)
        #expect(!simulation.machine.runningMeters.contains(.elasticIP))
        let effects = try simulation.perform(.convertPublicIPToElasticIP, at: t0 + .hours(1))
        #expect(effects.citedSources.contains("AD20"))
        #expect(simulation.machine.instance.publicAddress == .elasticIP)
        #expect(simulation.machine.runningMeters.contains(.elasticIP))
        try simulation.perform(.release([.force]), at: t0 + .hours(2))
        #expect(simulation.machine.resourceFates.last == ResourceOutcome(.publicAddress, .retained))
        simulation.advance(to: t0 + .hours(5))
        #expect(simulation.billedSeconds(.elasticIP, since: t0) == .hours(4))
    }

    @Test(
        "AD20/AM6: every instance that cannot convert its address is refused with the action's own code, and nothing changes",
        arguments: [
            ("released", AliyunErrorCode.notFound.code), ("no public IP", AliyunErrorCode.zeroBandwidth.code),
            ("already an EIP", AliyunErrorCode.operationDenied.code),
            ("pending", AliyunErrorCode.incorrectInstanceStatus.code),
            ("economical stop", AliyunErrorCode.zeroBandwidth.code),
            ("expiring within 24 h", AliyunErrorCode.endTimeNotSupported.code),
            ("expired", AliyunErrorCode.endTimeNotSupported.code), ("overdue", AliyunErrorCode.overduePayment.code),
            ("security-locked", AliyunErrorCode.incorrectInstanceStatus.code),
        ]
    )
    func refused(state: String, code: ReleaseError.Code) throws {
        var description = InstanceDescription(id: "i-1", publicAddress: .fixedPublicIP)
        var phase = LaunchPhase.running
        var now = t0 + .hours(1)
        switch state {
        case "no public IP": description.publicAddress = .none
        case "already an EIP": description.publicAddress = .elasticIP
        case "pending": phase = .pending
        case "expiring within 24 h":
            description.charge = .subscription(expiresAt: t0 + .days(1))
            now = t0 + .hours(1)
        case "expired":
            description.charge = .subscription(expiresAt: t0 + .days(1))
            now = t0 + .days(2)
        case "overdue": now = t0 + .days(20)
        default: break
        }
        var simulation = try launch(description, rules: state == "overdue" ? .newer : .seed, phase: phase)
        switch state {
        case "released": try simulation.perform(.release([.force]), at: t0)
        case "economical stop": try simulation.perform(.stop(chargingMode: .stopCharging), at: t0)
        case "overdue": simulation.handle(.arrearsBegan, at: t0)
        case "security-locked": simulation.handle(.provider(.securityLocked), at: t0)
        default: break
        }
        simulation.advance(to: now)
        let before = simulation.machine
        #expect(refusalCode(&simulation, .convertPublicIPToElasticIP, at: now) == code.rawValue, "\(state)")
        #expect(simulation.machine == before)
        #expect(AliyunErrorCode.documented(.convertPublicIPToElasticIP).codes[code] != nil)
    }
}
