import ReleaseCore
import TencentCVM
import TestSupport
import Testing

/// VPC TransformAddress (TD13, TM11).
@Suite("Tencent ordinary public IP to EIP")
struct TencentAddressConversionTests {
    @Test(
        "TD13/T2: a RUNNING or STOPPED instance's ordinary public IP becomes an EIP, free while bound, kept and idle-billed once the instance is destroyed",
        arguments: [LaunchPhase.running, .stopped]
    )
    func converts(phase: LaunchPhase) throws {
        var simulation = launch(InstanceDescription(id: "ins-1", publicAddress: .fixedPublicIP), phase: phase)
        let effects = try simulation.perform(.convertPublicIPToElasticIP, at: t0 + .hours(1))
        #expect(effects.citedSources.contains("TD13"))
        #expect(simulation.machine.instance.publicAddress == .elasticIP)
        #expect(!simulation.machine.runningMeters.contains(.elasticIP))
        try simulation.perform(.release([.immediately]), at: t0 + .hours(2))
        #expect(simulation.machine.resourceFates.last == ResourceOutcome(.publicAddress, .retained))
        simulation.advance(to: t0 + .hours(5))
        #expect(simulation.billedSeconds(.elasticIP, since: t0) == .hours(3))
    }

    @Test(
        "TD13/TM11: every instance that cannot convert its address is refused with a code from the action's own list, and nothing changes",
        arguments: [
            ("released", TencentErrorCode.notFound), ("no public IP", TencentErrorCode.noWanIP),
            ("already an EIP", TencentErrorCode.alreadyBindEip), ("pending", TencentErrorCode.invalidInstanceState),
            ("recycle bin", TencentErrorCode.invalidInstanceState),
            ("stopped without charge", TencentErrorCode.noWanIP),
        ]
    )
    func refused(state: String, code: ReleaseError.Code) throws {
        var description = InstanceDescription(id: "ins-1", publicAddress: .fixedPublicIP)
        var phase = LaunchPhase.running
        switch state {
        case "no public IP": description.publicAddress = .none
        case "already an EIP": description.publicAddress = .elasticIP
        case "pending": phase = .pending
        default: break
        }
        var simulation = launch(description, phase: phase)
        switch state {
        case "released": try simulation.perform(.release([.immediately]), at: t0)
        case "recycle bin": try simulation.perform(.release([]), at: t0)
        case "stopped without charge": try simulation.perform(.stop(chargingMode: .stopCharging), at: t0)
        default: break
        }
        let now = t0 + .hours(1)
        simulation.advance(to: now)
        let before = simulation.machine
        #expect(refusalCode(&simulation, .convertPublicIPToElasticIP, at: now) == code.rawValue, "\(state)")
        #expect(simulation.machine == before)
        #expect(TencentErrorCode.documented(.convertPublicIPToElasticIP).codes[code] != nil)
    }
}
