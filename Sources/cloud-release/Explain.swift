import ArgumentParser
import FleetReplay
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import Reporting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Answer one question: what happens if I do this to this instance?",
        discussion: """
            Prints, per provider: the new phase or the provider's error code, the
            timers that start, what starts and stops billing, each resource's fate,
            and the sources of the rules involved.

            Examples:
              cloud-release explain --command release
              cloud-release explain --provider tencent --protected --command release
              cloud-release explain --command release --flags force --public-address elasticIP
              cloud-release explain --command schedule-release --time +10min --provider aliyun
              cloud-release explain --charge prepaid --expires +30d --command release --flags terminate-subscription
              cloud-release explain --in-arrears --command restore
              cloud-release explain --phase recycle-bin --command restore --at +1h
              cloud-release explain --phase suspended --command release --provider tencent
              cloud-release explain --command release --flags force --data-disk keep --snapshot manual --spot
            """
    )

    @OptionGroup var models: ModelOptions

    @Option(help: "The command.")
    var command: CommandWord

    @Option(
        help: ArgumentHelp(
            "Release flags, comma-separated: \(ProviderModel.releaseFlags.map(\.word).joined(separator: ", ")).",
            valueName: "flags"
        ),
        completion: .list(ProviderModel.releaseFlags.map(\.word))
    )
    var flags: String = ""

    @Option(help: "For schedule-release and renew: the time, +<duration> from now (e.g. +2h) or YYYY-MM-DDTHH:MM:SSZ.")
    var time: String?

    @Option(help: "For stop: the stop mode (default: the provider's).")
    var chargingMode: StopModeOption?

    @Option(help: "Billing.")
    var charge: Charge = .postpaid

    @Option(help: "For prepaid: when the subscription expires, +<duration> or a UTC time.")
    var expires: String = "+30d"

    /// The phases an instance can be explained in: the launch phases, and two reached through history.
    enum PhaseOption: String, ExpressibleByArgument, CaseIterable {
        case pending, starting, running, stopping, stopped
        case recycleBin = "recycle-bin"
        case suspended
    }

    @Option(
        help: "The instance's phase (recycle-bin: after the provider's direct release; suspended: stopped for arrears)."
    )
    var phase: PhaseOption = .running

    @Option(help: "When the command is given: +<duration> after launch (deadlines fire on the way) or a UTC time.")
    var at: String?

    /// A data disk's fate setting.
    enum DataDiskOption: String, ExpressibleByArgument, CaseIterable {
        case keep, delete, local

        /// The trace format's word for the same disk, which decides what the disk is.
        var word: TraceRecord.LaunchExtras.DataDisk {
            switch self {
            case .keep: return .keep
            case .delete: return .delete
            case .local: return .local
            }
        }
    }

    @Option(
        name: .customLong("data-disk"),
        help: "A data disk (repeatable): keep (DeleteWithInstance=false), delete, or local."
    )
    var dataDisks: [DataDiskOption] = []

    @Option(name: .customLong("snapshot"), help: "A snapshot of the system disk (repeatable): automatic or manual.")
    var snapshots: [SnapshotKind] = []

    @Flag(help: "A spot (preemptible) instance.")
    var spot = false

    @Option(help: "The public address.")
    var publicAddress: PublicAddress = .none

    @Flag(help: "Release protection is on.")
    var protected = false

    @Flag(help: "The account has just gone into arrears.")
    var inArrears = false

    @OptionGroup var output: OutputOptions

    @OptionGroup var pricing: PriceOptions

    @OptionGroup var language: LanguageOption

    /// How the instance is billed, in the words of scenario files and traces.
    enum Charge: String, ExpressibleByArgument, CaseIterable {
        case postpaid, prepaid
    }

    static let now = Instant.referenceStart

    /// `+<duration>` after ``now`` or a UTC time, in the supported range, or a usage error saying why.
    static func instant(_ text: String, option: String) throws -> Instant {
        switch TimeText.parseInstant(text, start: now) {
        case .success(let time): return time
        case .failure(let refusal):
            throw ValidationError(
                Speech.say("\(option): \(refusal.reason)", "\(option)：\(refusal.chineseReason ?? refusal.reason)")
            )
        }
    }

    /// `word` without the blanks around it.
    private static func trimmed(_ word: Substring) -> String {
        let start = word.firstIndex { !$0.isWhitespace } ?? word.endIndex
        let end = word[start...].lastIndex { !$0.isWhitespace }.map(word.index(after:)) ?? start
        return String(word[start..<end])
    }

    func parsedFlags() throws -> ReleaseFlags {
        var set: ReleaseFlags = []
        for word in flags.split(separator: ",").map(Self.trimmed) where !word.isEmpty {
            guard let flag = ProviderModel.flag(word) else {
                let known = ProviderModel.releaseFlags.map(\.word).joined(separator: ", ")
                throw ValidationError(
                    Speech.say(
                        "--flags: \"\(TimeText.escaped(word))\" is not one of \(known)",
                        "--flags：“\(TimeText.escaped(word))”不是以下之一：\(known)"
                    )
                )
            }
            set.insert(flag)
        }
        return set
    }

    func parsedCommand() throws -> Command {
        switch command {
        case .stop: return .stop(chargingMode: chargingMode?.mode)
        case .start: return .start
        case .release: return .release(try parsedFlags())
        case .scheduleRelease, .renew:
            guard let time else {
                throw ValidationError(
                    Speech.say(
                        "--time is required with --command \(command.rawValue) (e.g. +2h)",
                        "--command \(command.rawValue) 需要 --time（例如 +2h）"
                    )
                )
            }
            let at = try Self.instant(time, option: "--time")
            return command == .renew ? .renew(until: at) : .scheduleRelease(at: at)
        case .cancelSchedule: return .cancelScheduledRelease
        case .protect: return .setProtection(true)
        case .unprotect: return .setProtection(false)
        case .restore: return .restore
        case .convertToPostpaid: return .convertToPayAsYouGo
        case .convertIPToEIP: return .convertPublicIPToElasticIP
        case .unsubscribe: return .unsubscribe
        }
    }

    func validate() throws {
        _ = try parsedCommand()
        if !flags.isEmpty && command != .release {
            throw ValidationError(
                Speech.say("--flags goes with --command release", "--flags 只能与 --command release 一起用")
            )
        }
        if time != nil && !command.takesTime {
            throw ValidationError(
                Speech.say(
                    "--time goes with --command schedule-release or renew",
                    "--time 只能与 --command schedule-release 或 renew 一起用"
                )
            )
        }
        if chargingMode != nil && command != .stop {
            throw ValidationError(
                Speech.say("--charging-mode goes with --command stop", "--charging-mode 只能与 --command stop 一起用")
            )
        }
        _ = try Self.instant(expires, option: "--expires")
        if let at { _ = try Self.instant(at, option: "--at") }
    }

    func run() throws {
        var disks = [Disk(id: "i-explain-system", role: .system)]
        for (index, disk) in dataDisks.enumerated() { disks.append(disk.word.disk(id: "i-explain-data\(index + 1)")) }
        let instance = InstanceDescription(
            id: "i-explain",
            charge: charge == .prepaid
                ? .subscription(expiresAt: try Self.instant(expires, option: "--expires")) : .payAsYouGo,
            isSpot: spot,
            disks: disks,
            snapshots: snapshots.enumerated().map {
                Snapshot(id: "s-explain-\($0.offset + 1)", diskID: "i-explain-system", kind: $0.element)
            },
            publicAddress: publicAddress,
            isProtected: protected
        )
        let launchPhase: LaunchPhase
        let preparation: Explanation.Preparation?
        switch phase {
        case .pending: (launchPhase, preparation) = (.pending, nil)
        case .starting: (launchPhase, preparation) = (.starting, nil)
        case .running: (launchPhase, preparation) = (.running, nil)
        case .stopping: (launchPhase, preparation) = (.stopping, nil)
        case .stopped: (launchPhase, preparation) = (.stopped, nil)
        case .recycleBin: (launchPhase, preparation) = (.running, .recycleBin)
        case .suspended: (launchPhase, preparation) = (.running, .suspended)
        }
        let commandAt = try at.map { try Self.instant($0, option: "--at") }
        let command = try parsedCommand()
        let prices = try pricing.book()
        let explanations = models.chosen(default: ProviderModel.seedModels).map { model in
            Explanation.explain(
                command,
                on: instance,
                in: launchPhase,
                after: inArrears ? [.arrearsBegan] : [],
                preparation: preparation,
                commandAt: commandAt,
                model: model,
                at: Self.now,
                prices: prices,
                language: language.language
            )
        }
        if output.format == .json {
            try Output.write(JSONOutput.encode(explanations))
        } else {
            try Output.write(
                explanations.map { $0.rendered(as: output.format, language: language.language) }.joined(separator: "\n")
            )
        }
    }
}
