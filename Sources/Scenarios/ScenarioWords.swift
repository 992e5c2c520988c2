import ProviderRegistry
package import ReleaseCore
package import Reporting

/// A scenario report's words in one language, in a provider's own terms (Aliyun 释放, Tencent 销毁); `provider`
/// nil is a row shared by every column.
package struct ScenarioWords: Sendable {
    package let language: Language
    package let provider: String?

    package static let english = ScenarioWords(language: .en, provider: nil)

    package init(language: Language, provider: String?) {
        self.language = language
        self.provider = provider
    }

    package func say(_ english: String, _ chinese: String) -> String { language == .zh ? chinese : english }

    package func term(_ word: String) -> String { language.term(word, provider: provider) }

    package func phase(_ phase: Phase) -> String { term(phase.rawValue) }

    package func span(_ duration: Seconds) -> String { language.duration("\(duration)") }

    package func deadline(_ deadline: Deadline, start: Instant) -> String {
        say(
            "\(deadline.kind.rawValue) at +\(deadline.at - start)",
            "\(term(deadline.kind.rawValue)) +\(span(deadline.at - start))"
        )
    }

    /// A step's label: the scenario file's command or event in this language.
    package func label(_ action: Scenario.Step.Action) -> String {
        guard language == .zh else { return Scenario.label(action) }
        switch action {
        case .command(let command):
            switch command {
            case .stop(let force, let mode):
                return "停止" + (force ? "（强制）" : "") + (mode == .stopCharging ? "（停机不收费）" : "")
            case .start: return "启动"
            case .release(let flags):
                return term("release") + (flags.isEmpty ? "" : "（\(ProviderModel.words(of: flags))）")
            case .scheduleRelease(let at): return "\(term("schedule-release")) \(at)"
            case .cancelScheduledRelease: return term("cancel-schedule")
            case .setProtection(let on): return term(on ? "protect" : "unprotect")
            case .restore: return term("restore")
            case .renew(let until): return "续费至 \(until)"
            case .convertToPayAsYouGo: return "转为按量付费"
            case .convertPublicIPToElasticIP: return "固定公网IP转为弹性公网IP"
            case .unsubscribe: return "退订"
            }
        case .event(let event):
            if case .deadlineReached(let deadline) = event { return "⏰ \(term(deadline.kind.rawValue))" }
            return term(Scenario.label(action))
        }
    }
}
