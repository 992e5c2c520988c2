import ReleaseCore
import TencentCVM
import Testing

let t0 = Instant(iso8601: "2026-01-01T00:00:00Z")!

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

/// Performs `command` and returns the provider's code, checking the refusal changed nothing.
func refusalCode(
    _ simulation: inout Simulation<TencentInstance>,
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
