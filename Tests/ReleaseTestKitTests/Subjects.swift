import AliyunECS
import ReleaseCore
import ReleaseTestKit
import TencentCVM

/// The four provider models as test-kit subjects.
enum Subjects {
    static func aliyun(_ rules: AliyunRules) -> Subject<AliyunInstance> {
        Subject(
            name: rules === AliyunRules.seed ? "aliyun" : "aliyun@\(rules.info.name)",
            protectionCode: AliyunErrorCode.deletionProtection.rawValue,
            scheduledReleasePrecision: rules.autoReleasePrecision.value
        ) { instance, phase, time throws(ReleaseError) in
            try AliyunECS(rules: rules).launch(instance, in: phase, at: time)
        }
    }

    static func tencent(_ rules: TencentRules) -> Subject<TencentInstance> {
        Subject(
            name: rules === TencentRules.seed ? "tencent" : "tencent@\(rules.info.name)",
            protectionCode: TencentErrorCode.instancesProtected.rawValue,
            scheduledReleasePrecision: rules.schedulePrecision.value
        ) { instance, phase, time in
            TencentCVM(rules: rules).launch(instance, in: phase, at: time)
        }
    }
}
