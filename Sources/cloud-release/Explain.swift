import ArgumentParser
import Foundation
import ReleaseComparison
import ReleaseCore

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer one question: what happens if I do this to this instance?",
        discussion: """
            Prints, per provider: the new phase or the provider's error code, the timers that start, what starts
            and stops billing, each resource's fate, and the sources of the rules involved.

            Examples:
              cloud-release explain --command release
              cloud-release explain --provider tencent --protected --command release
              cloud-release explain --command release --flags force --public-address elasticIP
              cloud-release explain --command schedule-release --time +10min --provider aliyun
              cloud-release explain --charge prepaid --expires +30d --command release --flags terminate-subscription
              cloud-release explain --in-arrears --command restore
            """
    )

    @Option(help: "Provider model (repeatable): aliyun, tencent, aliyun@2024, tencent@2025. Default: both seed models.")
    var provider: [String] = []

    @Option(
        help:
            "The command: stop, start, release, schedule-release, cancel-schedule, protect, unprotect, restore, renew."
    )
    var command: String

    @Option(
        help:
            "Release flags, comma-separated: force, graceful, immediately, terminate-subscription, dry-run, release-address."
    )
    var flags: String = ""

    @Option(help: "For schedule-release and renew: the time, +<duration> from now (e.g. +2h) or YYYY-MM-DDTHH:MM:SSZ.")
    var time: String?

    @Option(help: "For stop: keep-charging or stop-charging.")
    var chargingMode: String?

    @Option(help: "Billing: postpaid or prepaid.")
    var charge: String = "postpaid"

    @Option(help: "For prepaid: when the subscription expires, +<duration> or a UTC time (default +30d).")
    var expires: String = "+30d"

    @Option(help: "The instance's phase: pending, starting, running, stopping or stopped.")
    var phase: String = "running"

    @Option(help: "Public address: none, fixedPublicIP or elasticIP.")
    var publicAddress: String = "none"

    @Flag(help: "Release protection is on.")
    var protected = false

    @Flag(help: "The account has just gone into arrears.")
    var inArrears = false

    @Option(name: .shortAndLong, help: "Output format: text, markdown or json.")
    var format: OutputFormat = .text

    static let now = Instant(iso8601: "2026-01-01T00:00:00Z")!

    /// `+<duration>` after ``now`` or a UTC time, in the supported range, or a usage error saying why.
    static func instant(_ text: String, option: String) throws -> Instant {
        switch TimeText.parseInstant(text, start: now) {
        case .success(let time): return time
        case .failure(let refusal): throw ValidationError("\(option): \(refusal.reason)")
        }
    }

    func parsedCommand() throws -> Command {
        switch command {
        case "stop":
            let mode: StopChargingMode?
            switch chargingMode {
            case nil: mode = nil
            case "keep-charging": mode = .keepCharging
            case "stop-charging": mode = .stopCharging
            case let other?:
                throw ValidationError("--charging-mode: \"\(other)\" is not keep-charging or stop-charging")
            }
            return .stop(chargingMode: mode)
        case "start": return .start
        case "release":
            var set: ReleaseFlags = []
            for word in flags.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty
            {
                guard let flag = ReleaseFlags.words.first(where: { $0.word == word })?.flag else {
                    let known = ReleaseFlags.words.map(\.word).joined(separator: ", ")
                    throw ValidationError("--flags: \"\(word)\" is not one of \(known)")
                }
                set.insert(flag)
            }
            return .release(set)
        case "schedule-release":
            guard let time else {
                throw ValidationError("--time is required with --command schedule-release (e.g. +2h)")
            }
            return .scheduleRelease(at: try Self.instant(time, option: "--time"))
        case "cancel-schedule": return .cancelScheduledRelease
        case "protect": return .setProtection(true)
        case "unprotect": return .setProtection(false)
        case "restore": return .restore
        case "renew":
            guard let time else { throw ValidationError("--time is required with --command renew (e.g. +60d)") }
            return .renew(until: try Self.instant(time, option: "--time"))
        default:
            throw ValidationError(
                "--command: \"\(command)\" is not stop, start, release, schedule-release, cancel-schedule, protect, unprotect, restore or renew"
            )
        }
    }

    func validate() throws {
        _ = try parsedCommand()
        if !flags.isEmpty && command != "release" { throw ValidationError("--flags goes with --command release") }
        if time != nil && command != "schedule-release" && command != "renew" {
            throw ValidationError("--time goes with --command schedule-release or renew")
        }
        for text in provider where ProviderModel(parsing: text) == nil {
            throw ValidationError("--provider: \"\(text)\" is not aliyun, tencent, aliyun@2024 or tencent@2025")
        }
        guard ["postpaid", "prepaid"].contains(charge) else { throw ValidationError("--charge: postpaid or prepaid") }
        _ = try Self.instant(expires, option: "--expires")
        guard LaunchPhase(rawValue: phase) != nil else {
            throw ValidationError("--phase: \"\(phase)\" is not pending, starting, running, stopping or stopped")
        }
        guard PublicAddress(rawValue: publicAddress) != nil else {
            throw ValidationError("--public-address: \"\(publicAddress)\" is not none, fixedPublicIP or elasticIP")
        }
    }

    func run() throws {
        let models = provider.isEmpty ? ProviderModel.seedModels : provider.compactMap(ProviderModel.init(parsing:))
        let instance = InstanceDescription(
            id: "i-explain",
            charge: charge == "prepaid"
                ? .subscription(expiresAt: TimeText.instant(expires, start: Self.now)!) : .payAsYouGo,
            publicAddress: PublicAddress(rawValue: publicAddress)!,
            isProtected: protected
        )
        let command = try parsedCommand()
        let explanations = models.map { model in
            Explanation.explain(
                command,
                on: instance,
                in: LaunchPhase(rawValue: phase)!,
                after: inArrears ? [.arrearsBegan] : [],
                model: model,
                at: Self.now
            )
        }
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try Output.write(String(decoding: try encoder.encode(explanations), as: UTF8.self) + "\n")
        } else {
            try Output.write(explanations.map { $0.rendered(as: format) }.joined(separator: "\n"))
        }
    }
}
