public import ReleaseCore

/// The documents the Aliyun rules come from, with the fact sheet's short codes
/// (../shared/docs/provider-semantics.md, "Source key").
public enum AliyunSource {
    /// Seed 000: "释放实例" (console and API pointers, ~2019).
    public static let a0 = Citation(
        code: "A0",
        document: "seed 000, 释放实例 (2019 version of https://help.aliyun.com/document_detail/25442.html)",
        isSeed: true
    )
    /// Seed 001: "释放实例" (current help-center rewrite, newest Aliyun seed).
    public static let a1 = Citation(
        code: "A1",
        document: "seed 001, 释放实例 (https://help.aliyun.com/zh/ecs/user-guide/release-an-instance)",
        isSeed: true
    )
    /// Seed 003: "开启和关闭实例释放保护" (release protection).
    public static let a3 = Citation(
        code: "A3",
        document: "seed 003, 开启和关闭实例释放保护 "
            + "(https://help.aliyun.com/zh/ecs/user-guide/enable-or-disable-release-protection-for-ecs-instances)",
        isSeed: true
    )
    /// Seed 004: best practice "弹性释放ECS实例" (Python SDK sample).
    public static let a4 = Citation(
        code: "A4",
        document: "seed 004, 弹性释放ECS实例 (https://help.aliyun.com/document_detail/51175.html)",
        isSeed: true
    )
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
    public static let ad4 = Citation(
        code: "AD4",
        document: "GitHub AlibabaCloudDocs/ecs (API reference, 2019-2021)",
        chineseDocument: "GitHub AlibabaCloudDocs/ecs（API 参考，2019–2021）"
    )
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
        document: "Alibaba Cloud OpenAPI common error codes (InvalidAction.NotFound, 404)",
        chineseDocument: "阿里云 OpenAPI 公共错误码（InvalidAction.NotFound，404）"
    )

    /// StopInstance's error-code table (AlibabaCloudDocs/ecs, 2021; the API page below).
    public static let ad15 = Citation(
        code: "AD15",
        document: "https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-stopinstance "
            + "(error codes; AlibabaCloudDocs/ecs intl.en-US/API Reference/Instances/StopInstance.md, 2021)"
    )
    /// StartInstance's error-code table: an expired or overdue instance answers InstanceExpired.
    public static let ad16 = Citation(
        code: "AD16",
        document: "https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-startinstance "
            + "(error codes; AlibabaCloudDocs/ecs intl.en-US/API Reference/Instances/StartInstance.md)"
    )
    /// ModifyInstanceAttribute's error-code table.
    public static let ad17 = Citation(
        code: "AD17",
        document:
            "https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-modifyinstanceattribute "
            + "(error codes; AlibabaCloudDocs/ecs intl.en-US/API Reference/Instances/ModifyInstanceAttribute.md, 2021)"
    )
    /// RenewInstance's error-code table.
    public static let ad18 = Citation(
        code: "AD18",
        document: "https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-renewinstance "
            + "(error codes; AlibabaCloudDocs/ecs intl.en-US/API Reference/Instances/RenewInstance.md)"
    )

    /// ModifyInstanceChargeType: the instance must be Running or Stopped; an expired one cannot convert; its
    /// error-code table (and the user guide: the system disk and subscription data disks become pay-as-you-go).
    public static let ad19 = Citation(
        code: "AD19",
        document: "https://www.alibabacloud.com/help/en/ecs/api-modifyinstancechargetype (2026-01-28: Running or "
            + "Stopped, error codes) and https://www.alibabacloud.com/help/en/ecs/change-the-billing-method-of-an-"
            + "instance-from-subscription-to-pay-as-you-go-1 (expired instances cannot convert; disks follow)",
        chineseDocument: "https://help.aliyun.com/document_detail/57467.html（ModifyInstanceChargeType：实例须为"
            + "运行中或已停止；错误码）"
    )

    /// ConvertNatPublicIpToEip: a Running or Stopped VPC instance's fixed public IP becomes an EIP, the same address,
    /// billed separately from then on; a subscription must not expire within 24 h; its error codes.
    public static let ad20 = Citation(
        code: "AD20",
        document: "https://www.alibabacloud.com/help/doc-detail/60738.htm (ConvertNatPublicIpToEip, 2026-01-28: "
            + "preconditions, error codes) and https://www.alibabacloud.com/help/doc-detail/61290.htm (the EIP is "
            + "billed separately, the address unchanged, irreversible)",
        chineseDocument: "https://help.aliyun.com/zh/ecs/api-convertnatpubliciptoeip（专有网络实例的固定公网IP转换为"
            + "弹性公网IP）"
    )

    /// AlibabaCloudDocs/ecs ReActivateInstances (2020) and doc-detail/95987: reactivation after payment.
    public static let ad9 = Citation(code: "AD9", document: "https://www.alibabacloud.com/help/ja/doc-detail/95987.htm")

    // Product choices where the sources are silent (fact sheet §6 open questions, §4 contradictions).

    /// Q1: the code for an AutoReleaseTime outside the window.
    public static let q1 = Citation.model(
        "Q1",
        "out-of-window AutoReleaseTime answers InvalidAutoReleaseTime.Malformed",
        "超出可设范围的 AutoReleaseTime 返回 InvalidAutoReleaseTime.Malformed"
    )
    /// Q2: both window bounds are inclusive; the window is checked on the truncated time.
    public static let q2 = Citation.model(
        "Q2",
        "30 min and 3 years are inclusive, checked after dropping seconds",
        "30 分钟与 3 年两端都包含，舍去秒后检查"
    )
    /// Q3: auto-release releases whatever the state, as if Force were set.
    public static let q3 = Citation.model(
        "Q3",
        "auto-release ignores the state precondition (like Force=true)",
        "自动释放不检查实例状态前提（如同 Force=true）"
    )
    /// Q8: the system disk is released even with DeleteWithInstance=false.
    public static let q8 = Citation.model(
        "Q8",
        "the system disk is always released with the instance (seed 001)",
        "系统盘总是随实例释放（种子文档 001）"
    )
    /// Q5: a batch with one refused member fails whole.
    public static let q5 = Citation.model(
        "Q5",
        "DeleteInstances fails whole on the first refused member",
        "DeleteInstances 遇到第一个被拒绝的实例即整体失败"
    )
    /// Q6: expired subscription without TerminateSubscription.
    public static let q6 = Citation.model(
        "Q6",
        "expired subscription without TerminateSubscription → ChargeTypeViolation",
        "已到期的包年包月实例不带 TerminateSubscription → ChargeTypeViolation"
    )
    /// Q7: protection on a subscription is refused.
    public static let q7 = Citation.model(
        "Q7",
        "release protection on a subscription → ChargeTypeViolation",
        "为包年包月实例开启释放保护 → ChargeTypeViolation"
    )
    /// C11: user release of a security-locked instance.
    public static let c11 = Citation.model(
        "C11",
        "DeleteInstance on a security-locked instance → InstanceLockedForSecurity",
        "对因安全原因锁定的实例调用 DeleteInstance → InstanceLockedForSecurity"
    )
    /// Renewal: the code for a renewal the model refuses.
    public static let am3 = Citation.model(
        "AM3",
        "renewal is for subscriptions (ChargeTypeViolation), must move the expiry later, and undoes an expiry stop",
        "续费只适用于包年包月实例（否则 ChargeTypeViolation），必须推迟到期时间，并解除到期停机"
    )
    /// Check order: protection before state.
    public static let am1 = Citation.model(
        "AM1",
        "DeleteInstance checks protection before the state precondition",
        "DeleteInstance 先检查释放保护，再检查实例状态前提"
    )
    /// Service stops exactly at the expiry instant.
    public static let am2 = Citation.model(
        "AM2",
        "subscription service stops at the expiry instant (AD7 gives a 24 h window)",
        "包年包月实例在到期时刻停止服务（AD7 给出的是 24 小时窗口）"
    )

    /// Converting to pay-as-you-go where the sources are silent.
    public static let am5 = Citation.model(
        "AM5",
        "ModifyInstanceChargeType to PostPaid: an instance already pay-as-you-go answers "
            + "InvalidInstanceChargeType.ValueNotSupported; one stopped for an overdue bill, refunded or locked for "
            + "security answers InvalidStatus.ValueNotSupported; the refunded difference is not priced",
        "ModifyInstanceChargeType 转为按量付费：已是按量付费的实例返回 InvalidInstanceChargeType.ValueNotSupported；"
            + "因欠费停机、已退订或因安全原因锁定的实例返回 InvalidStatus.ValueNotSupported；退还的差价不计价"
    )

    /// Converting the fixed public IP where the sources are silent.
    public static let am6 = Citation.model(
        "AM6",
        "ConvertNatPublicIpToEip: an address that is already an EIP answers OperationDenied; an instance without a "
            + "fixed public IP, or stopped in economical mode (the IP given up, AD4), answers InvalidInstance.ZeroBandwidth; "
            + "a refunded or security-locked one IncorrectInstanceStatus",
        "ConvertNatPublicIpToEip：已是弹性公网IP的返回 OperationDenied；没有固定公网IP或节省停机（公网IP已释放，AD4）"
            + "的实例返回 InvalidInstance.ZeroBandwidth；已退订或因安全原因锁定的实例返回 IncorrectInstanceStatus"
    )

    /// Unsubscribing where ECS has no API.
    public static let am7 = Citation.model(
        "AM7",
        "unsubscribing (退订) is the billing console's, not an ECS API: an unexpired subscription is refunded and "
            + "waits Stopped for release (seeds 000/001, AD8); a pay-as-you-go, expired or already refunded instance "
            + "answers ChargeTypeViolation, one stopped for another reason IncorrectInstanceStatus",
        "退订由费用中心完成，不是 ECS 接口：未到期的包年包月实例退款后停止并等待释放（种子 000/001，AD8）；按量付费、"
            + "已到期或已退订的实例返回 ChargeTypeViolation，因其他原因停止的实例返回 IncorrectInstanceStatus"
    )

    /// The code for a launch into an account with an overdue payment.
    public static let am4 = Citation.model(
        "AM4",
        "AD11 lists CreateInstance as an error for an account with an overdue payment without naming the code; "
            + "the model answers Alibaba Cloud's public Account.Arrearage",
        "AD11 把欠费账户调用 CreateInstance 列为错误，但未给出错误码；模型返回阿里云公开的 Account.Arrearage"
    )

    /// Every citation the ECS model uses, by code.
    public static let catalogue: [String: Citation] = Dictionary(
        uniqueKeysWithValues: [
            a0, a1, a3, a4, ad1, ad2, ad3, ad4, ad6, ad7, ad9, ad11, ad15, ad16, ad17, ad18, ad19, ad20, commonErrors,
            q1, q2,
            q3, q5, q6, q7, q8, c11, am1,
            am2, am3, am4, am5, am6, am7,
        ]
        .map { ($0.code, $0) }
    )
}
