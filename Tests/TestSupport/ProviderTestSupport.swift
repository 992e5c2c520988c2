package import ReleaseCore
package import Testing

/// The instant every provider test launches at.
package let t0 = Instant(iso8601: "2026-01-01T00:00:00Z")!

/// Performs `command` and returns the provider's code, or nil when it is accepted; a refusal is checked to have
/// changed nothing (Docs/Semantics.md: a refused command leaves the instance as it was).
package func refusalCode<Machine: ReleaseStateMachine>(
    _ simulation: inout Simulation<Machine>,
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
