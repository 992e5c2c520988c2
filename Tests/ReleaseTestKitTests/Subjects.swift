import AliyunECS
import ReleaseCore
import ReleaseTestKit
import TencentCVM

/// The four provider models as test-kit subjects, each made from its provider; each is also tried with the other
/// provider's release flags and events, which it must refuse or ignore.
enum Subjects {
    static func aliyun(_ rules: AliyunRules) -> Subject<AliyunInstance> {
        Subject(
            provider: AliyunECS(rules: rules),
            otherFlags: TencentCVM.releaseFlags,
            otherEvents: TencentCVM.providerEvents
        )
    }

    static func tencent(_ rules: TencentRules) -> Subject<TencentInstance> {
        Subject(
            provider: TencentCVM(rules: rules),
            otherFlags: AliyunECS.releaseFlags,
            otherEvents: AliyunECS.providerEvents
        )
    }
}
