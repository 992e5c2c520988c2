import ProviderRegistry
import ReleaseCore
import Reporting
import Scenarios

/// The words of an explanation in one language, with the provider's own terms (Aliyun 释放, Tencent 销毁).
struct Words {
    let language: Language
    let provider: String

    private var zh: Bool { language == .zh }

    func term(_ word: String) -> String { language.term(word, provider: provider) }

    func duration(_ seconds: Seconds) -> String { language.duration("\(seconds)") }

    /// "release on a running pay-as-you-go instance with release protection after arrears".
    func question(_ command: Command, phase: LaunchPhase, instance: InstanceDescription, events: [Event]) -> String {
        let charge = instance.charge.isPayAsYouGo ? "pay-as-you-go" : "subscription"
        guard zh else {
            return "\(Scenario.label(.command(command))) on a \(phase.rawValue) \(charge) instance"
                + (instance.isProtected ? " with release protection" : "")
                + (events.isEmpty ? "" : " after \(events.map { Scenario.label(.event($0)) }.joined(separator: ", "))")
        }
        let protection = "已" + term("protect")
        let after =
            events.isEmpty ? "" : "，在\(events.map { term(Scenario.label(.event($0))) }.joined(separator: "、"))之后"
        return "对\(term(phase.rawValue))的\(term(charge))实例" + (instance.isProtected ? "（\(protection)）" : "")
            + "执行\(commandLabel(command))" + after
    }

    /// A command in the provider's words (the same labels as a scenario's steps).
    func commandLabel(_ command: Command) -> String {
        ScenarioWords(language: language, provider: provider).label(.command(command))
    }

    func preparation(_ preparation: Explanation.Preparation) -> String {
        switch (preparation, zh) {
        case (.recycleBin, false): return ", in the recycle bin"
        case (.suspended, false): return ", suspended for arrears"
        case (.recycleBin, true): return "，实例在回收站中"
        case (.suspended, true): return "，实例已欠费停机"
        }
    }

    func atLaunchPlus(_ elapsed: Seconds) -> String {
        zh ? "（创建后 \(duration(elapsed))）" : " (at launch + \(elapsed))"
    }

    func launchRefused(_ message: String) -> String {
        zh ? "云厂商拒绝创建此实例：\(message)" : "the provider refuses to launch this instance: \(message)"
    }

    func deadline(_ deadline: Deadline, now: Instant) -> String {
        zh
            ? "\(term(deadline.kind.rawValue))：now + \(duration(deadline.at - now))（\(deadline.at)）"
            : "\(deadline.kind.rawValue) at now + \(deadline.at - now) (\(deadline.at))"
    }

    func describe(_ effect: Effect, instance: InstanceDescription, now: Instant) -> String? {
        switch effect {
        case .phaseChanged(let from, let to):
            return zh ? "状态 \(term(from.rawValue)) → \(term(to.rawValue))" : "phase \(from.rawValue) → \(to.rawValue)"
        case .deadlineSet(let deadline):
            return zh
                ? "设定\(term(deadline.kind.rawValue))：now + \(duration(deadline.at - now))"
                : "timer \(deadline.kind.rawValue) set for now + \(deadline.at - now)"
        case .deadlineCancelled(let kind):
            return zh ? "取消\(term(kind.rawValue))" : "timer \(kind.rawValue) cancelled"
        case .meterStarted(let meter):
            return zh ? "开始计费：\(name(of: meter, in: instance))" : "billing starts: \(name(of: meter, in: instance))"
        case .meterStopped(let meter):
            return zh ? "停止计费：\(name(of: meter, in: instance))" : "billing stops: \(name(of: meter, in: instance))"
        case .resourceFate(let resource, let fate, _):
            let name = Scenario.ResourceName.of(resource, in: instance).text
            return zh ? "\(name)：\(term(fate.rawValue))" : "\(name): \(fate.rawValue)"
        case .protectionChanged(let on):
            return zh ? term(on ? "protect" : "unprotect") : (on ? "release protection on" : "release protection off")
        case .dataUnrecoverable:
            return zh ? "实例数据不可恢复" : "the instance's data can no longer be recovered"
        case .cited:
            return nil
        }
    }

    func name(of meter: Meter, in instance: InstanceDescription) -> String {
        switch meter {
        case .compute: return zh ? term("compute") : "compute"
        case .disk(let index): return "\(zh ? "云盘" : "disk"):\(instance.disks[index].id)"
        case .elasticIP: return zh ? term("elasticIP") : "elastic IP"
        case .snapshot(let index): return "\(zh ? "快照" : "snapshot"):\(instance.snapshots[index].id)"
        }
    }
}
