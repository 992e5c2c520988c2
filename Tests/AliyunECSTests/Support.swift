import AliyunECS
import ReleaseCore
import TestSupport

func launch(
    _ description: InstanceDescription = InstanceDescription(id: "i-1"),
    rules: AliyunRules = .seed,
    phase: LaunchPhase = .running
) throws -> Simulation<AliyunInstance> {
    let (machine, effects) = try AliyunECS(rules: rules).launch(description, in: phase, at: t0)
    return Simulation(machine: machine, launchEffects: effects, at: t0)
}
