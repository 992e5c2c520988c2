import AliyunECS
import ReleaseCore
import ReleaseTestKit
import TencentCVM

/// The four provider models as test-kit subjects, each made from its provider alone.
enum Subjects {
    static func aliyun(_ rules: AliyunRules) -> Subject<AliyunInstance> {
        Subject(provider: AliyunECS(rules: rules))
    }

    static func tencent(_ rules: TencentRules) -> Subject<TencentInstance> {
        Subject(provider: TencentCVM(rules: rules))
    }
}
