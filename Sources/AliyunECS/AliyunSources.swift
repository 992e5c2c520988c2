public import ReleaseCore

/// The documents the Aliyun rules come from, with the fact sheet's short codes
/// (../shared/docs/provider-semantics.md, "Source key").
public enum AliyunSource {
    /// Seed 000: "释放实例" (console and API pointers, ~2019).
    public static let a0 = Citation(code: "A0", document: "seed 000_695645b9e7217268.txt", isSeed: true)
    /// Seed 001: "释放实例" (current help-center rewrite, newest Aliyun seed).
    public static let a1 = Citation(code: "A1", document: "seed 001_46a324533e4a6dfe.txt", isSeed: true)
    /// Seed 003: "开启和关闭实例释放保护" (release protection).
    public static let a3 = Citation(code: "A3", document: "seed 003_740c385e2762463d.txt", isSeed: true)
    /// Seed 004: best practice "弹性释放ECS实例" (Python SDK sample).
    public static let a4 = Citation(code: "A4", document: "seed 004_88ccdd3ba1ef1164.txt", isSeed: true)
    /// DeleteInstance API reference (2025).
    public static let ad1 = Citation(
        code: "AD1",
        document: "https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-deleteinstance"
    )
    /// DeleteInstances API reference (2025).
    public static let ad2 = Citation(
        code: "AD2",
        document: "https://help.aliyun.com/en/ecs/developer-reference/api-ecs-2014-05-26-deleteinstances"
    )
    /// ModifyInstanceAutoReleaseTime API reference (2024).
    public static let ad3 = Citation(
        code: "AD3",
        document:
            "https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-modifyinstanceautoreleasetime"
    )
    /// AlibabaCloudDocs/ecs snapshot: StopInstance, StartInstance, DescribeInstances, Subscription (2019-2021).
    public static let ad4 = Citation(code: "AD4", document: "GitHub AlibabaCloudDocs/ecs (API reference, 2019-2021)")
    /// Overdue payments (2023-2024).
    public static let ad6 = Citation(
        code: "AD6",
        document: "https://www.alibabacloud.com/help/en/ecs/product-overview/overdue-payments"
    )
    /// Subscription billing (2025).
    public static let ad7 = Citation(code: "AD7", document: "https://alibabacloud.com/help/en/ecs/subscription")
    /// API behavior for accounts that have overdue payments.
    public static let ad11 = Citation(
        code: "AD11",
        document:
            "https://help.aliyun.com/en/ecs/developer-reference/api-behavior-for-accounts-that-have-overdue-payments"
    )
    /// Alibaba Cloud common error codes (an API that does not exist answers `InvalidAction.NotFound`).
    public static let commonErrors = Citation(
        code: "AD-common",
        document: "Alibaba Cloud OpenAPI common error codes (InvalidAction.NotFound, 404)"
    )
}
