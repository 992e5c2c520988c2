import AliyunECS
import ReleaseCore
import Testing

let t0 = Instant(iso8601: "2026-01-01T00:00:00Z")!

func launch(
    _ description: InstanceDescription = InstanceDescription(id: "i-1"),
    rules: AliyunRules = .seed,
    phase: LaunchPhase = .running
) throws -> Simulation<AliyunInstance> {
    let (machine, effects) = try AliyunECS(rules: rules).launch(description, in: phase, at: t0)
    return Simulation(machine: machine, launchEffects: effects, at: t0)
}

/// Performs `command` and returns the provider's code, checking the refusal changed nothing.
func refusalCode(
    _ simulation: inout Simulation<AliyunInstance>,
    _ command: Command,
    at time: Instant,
    sourceLocation: SourceLocation = #_sourceLocation
) -> String? {
    simulation.advance(to: time)
    let before = simulation.machine
    do {
        try simulation.perform(command, at: time)
        return nil
    } catch {
        #expect(simulation.machine == before, "a refused command must change nothing", sourceLocation: sourceLocation)
        return error.code.rawValue
    }
}
