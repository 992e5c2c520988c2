public import ReleaseCore

/// The language of human-readable output: English, or Chinese in the providers' own terms (释放, 销毁, 回收站, 欠费,
/// 定时释放/定时销毁, 释放保护, 按量付费, 包年包月).
///
/// JSON keys and error codes never change with the language; only words meant for people do. Identifiers (a
/// provider's id, an instance's id, an API's name, a source code) stay as they are in every language.
public enum Language: String, Hashable, Sendable, CaseIterable {
    case en
    case zh

    /// The language the environment asks for: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set
    /// decides (`zh_CN.UTF-8`, `zh_TW`, `zh` → Chinese); anything else, or nothing, is English.
    public static func preferred(environment: [String: String]) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            return value.lowercased().hasPrefix("zh") ? .zh : .en
        }
        return .en
    }

    /// A word of the package's vocabulary (a phase, a meter family, a resource fate, a deadline kind, a charge
    /// type, an event) in this language. Words about releasing are built from the providers' own `words`: one
    /// provider's (Aliyun releases, 释放; Tencent destroys, 销毁), or several, whose verbs are then all named (a row
    /// shared by every provider: 已释放/已销毁). Unknown words are returned as they are.
    public func term(_ word: String, words: [ChineseReleaseWords]) -> String {
        guard self == .zh else { return word }
        let verbs = words.map(\.verb)
        let verb = verbs.joined(separator: "/")
        let protection = words.count == 1 ? words[0].protection : "\(verb)保护"
        switch word {
        case "released": return verbs.map { "已\($0)" }.joined(separator: "/")
        case "scheduledRelease", "schedule-release": return "定时\(verb)"
        case "arrearsRelease": return "欠费\(verb)"
        case "release": return verb
        case "cancel-schedule": return words.count == 1 ? words[0].cancelSchedule : "取消定时\(verb)"
        case "protect": return "开启\(protection)"
        case "unprotect": return "关闭\(protection)"
        default: return Self.chinese[word] ?? word
        }
    }

    /// A duration in this language's units: `1d 2h 30min` or `1天2小时30分`.
    public func duration(_ english: String) -> String {
        guard self == .zh else { return english }
        var text = ""
        for part in english.split(separator: " ") {
            var digits = Substring(part)
            var unit = ""
            while let last = digits.last, !last.isNumber {
                unit = String(last) + unit
                digits = digits.dropLast()
            }
            let chineseUnit = ["d": "天", "h": "小时", "min": "分", "s": "秒"][unit] ?? unit
            text += digits + chineseUnit
        }
        return text
    }

    private static let chinese: [String: String] = [
        // Phases.
        "pending": "创建中", "starting": "启动中", "running": "运行中", "stopping": "停止中", "stopped": "已停止",
        "suspended": "已停机（欠费或到期）", "recycleBin": "回收站",
        // Charge types.
        "pay-as-you-go": "按量付费", "subscription": "包年包月", "postpaid": "按量付费", "prepaid": "包年包月",
        // Meter families.
        "compute": "计算（vCPU 与内存）", "disk": "云盘", "elasticIP": "弹性公网 IP", "snapshot": "快照",
        // Resource fates.
        "retained": "保留（继续计费）", "movedToDiskRecycleBin": "移入云硬盘回收站",
        // Resource states.
        "attached": "随实例（挂载/绑定）", "givenUp": "已释放（关机不收费期间，启动后重新分配）",
        // Deadline kinds.
        "recycleBinExpiry": "回收站到期", "arrearsShutdown": "欠费停机", "subscriptionExpiry": "包年包月到期",
        "expiredRelease": "到期释放",
        // Commands and events.
        "stop": "停止", "start": "启动", "restore": "从回收站恢复", "renew": "续费", "arrears": "账户欠费",
        "topup": "充值（结清欠费）", "arrearsBegan": "账户欠费", "balanceRestored": "充值（结清欠费）",
        // A released instance is no longer in DescribeInstances.
        "(not listed)": "（未列出）",
    ]
}
