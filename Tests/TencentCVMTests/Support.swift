import ReleaseCore
import TencentCVM
import TestSupport

func launch(
    _ description: InstanceDescription = InstanceDescription(id: "ins-1"),
    rules: TencentRules = .seed,
    phase: LaunchPhase = .running
) -> Simulation<TencentInstance> {
    // Every fixture fits the package's capacity (CAP), the only launch CVM's model refuses in good standing.
    do {
        let (machine, effects) = try TencentCVM(rules: rules).launch(description, in: phase, at: t0)
        return Simulation(machine: machine, launchEffects: effects, at: t0)
    } catch {
        fatalError("a test fixture's launch was refused: \(error)")
    }
}
