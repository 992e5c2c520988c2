import ReleaseCore
import Reporting

/// Writes a run as a scenario file (Docs/Scenarios.md) that `cloud-release simulate` replays.
public enum ScenarioWriter {
    /// The scenario for `runCase` on `model`, with its resolved `steps` (times and concrete commands). The
    /// last step carries `requirement` as its expectation, so a counterexample fails when replayed.
    public static func scenario(
        name: String,
        note: String,
        model: String,
        runCase: RunCase,
        steps: [ExecutedStep],
        requirement: LawRequirement? = nil
    ) -> String {
        let instance = runCase.instance
        var lines: [String] = ["{"]
        lines.append("  \"name\": \(quoted(name)),")
        lines.append("  \"description\": \(quoted(note)),")
        lines.append("  \"start\": \(quoted(testKitStart.iso8601)),")
        lines.append("  \"providers\": [\(quoted(model))],")
        var fields: [String] = ["\"id\": \(quoted(instance.id))", "\"region\": \(quoted(instance.region))"]
        switch instance.charge {
        case .payAsYouGo: fields.append("\"charge\": \"postpaid\"")
        case .subscription(let expiresAt):
            fields.append("\"charge\": \"prepaid\"")
            fields.append("\"expires\": \(quoted(offset(expiresAt)))")
        }
        if instance.isSpot { fields.append("\"spot\": true") }
        if instance.isProtected { fields.append("\"protected\": true") }
        if runCase.launchPhase != .running { fields.append("\"phase\": \(quoted(runCase.launchPhase.rawValue))") }
        fields.append("\"publicAddress\": \(quoted(instance.publicAddress.rawValue))")
        let disks = instance.disks.map { disk in
            "{ \"id\": \(quoted(disk.id)), \"role\": \(quoted(disk.role.rawValue)), "
                + "\"deleteWithInstance\": \(disk.deleteWithInstance), \"elastic\": \(disk.isElastic), "
                + "\"deleteAutoSnapshots\": \(disk.deleteAutoSnapshots) }"
        }
        fields.append("\"disks\": [\(disks.joined(separator: ", "))]")
        let snapshots = instance.snapshots.map { snapshot in
            "{ \"id\": \(quoted(snapshot.id)), \"disk\": \(quoted(snapshot.diskID)), \"kind\": \(quoted(snapshot.kind.rawValue)) }"
        }
        if !snapshots.isEmpty { fields.append("\"snapshots\": [\(snapshots.joined(separator: ", "))]") }
        lines.append("  \"instance\": { \(fields.joined(separator: ", ")) },")
        lines.append("  \"steps\": [")
        let stepLines = steps.enumerated().map { index, step -> String in
            var parts: [String] = []
            switch step.resolved {
            case .advance(let time):
                parts.append("\"at\": \(quoted(offset(time)))")
            case .command(let command):
                parts.append("\"at\": \(quoted(offset(step.at)))")
                parts += self.command(command)
            case .event(let event):
                parts.append("\"at\": \(quoted(offset(step.at)))")
                parts.append("\"event\": \(quoted(self.event(event)))")
            }
            if index == steps.count - 1, let requirement { parts.append(expect(requirement, on: step)) }
            return "    { " + parts.joined(separator: ", ") + " }"
        }
        lines.append(stepLines.joined(separator: ",\n"))
        lines.append("  ]")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `expect` member that states a law's requirement; an error can be expected of a command step only.
    static func expect(_ requirement: LawRequirement, on step: ExecutedStep) -> String {
        var checks: [String] = []
        if let phase = requirement.phase { checks.append("\"phase\": \(quoted(phase.rawValue))") }
        if let error = requirement.error, case .command = step.resolved { checks.append("\"error\": \(quoted(error))") }
        return "\"expect\": { \(checks.joined(separator: ", ")) }"
    }

    static func offset(_ time: Instant) -> String {
        let seconds = time - testKitStart
        return seconds.count == 0 ? "+0s" : "+\(seconds)"
    }

    static func command(_ command: Command) -> [String] {
        var parts = ["\"command\": \(quoted(CommandWord(command).rawValue))"]
        switch command {
        case .stop(let force, let mode):
            if force { parts.append("\"force\": true") }
            if let mode { parts.append("\"chargingMode\": \(quoted(mode.word))") }
        case .release(let flags):
            let words = flags.map { quoted($0.word) }
            if !words.isEmpty { parts.append("\"flags\": [\(words.joined(separator: ", "))]") }
        case .scheduleRelease(let time), .renew(let time):
            parts.append("\"time\": \(quoted(time.iso8601))")
        case .start, .cancelScheduledRelease, .setProtection, .restore, .convertToPayAsYouGo,
            .convertPublicIPToElasticIP, .unsubscribe:
            break
        }
        return parts
    }

    static func event(_ event: Event) -> String {
        guard let name = event.name else {
            preconditionFailure("deadlines are reached by moving the clock, never sent")
        }
        return name
    }

    static func quoted(_ text: String) -> String { JSONValue.quoted(text) }
}
